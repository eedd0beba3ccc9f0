// Exports and imports kept in storage's catalog, one entry per job under `<kind>/<id>` (the id is the
// last part of the job's ARN), so that every node sharing the store describes and lists them, and a
// restart finds those a stopped process left running.
import type { Storage } from '../storage/storage.js';

/** What a job's record needs for keeping and ordering: its ARN and when it started (epoch ms). */
export interface JobRecord {
  readonly arn: string;
  readonly StartTime: number;
}

export class JobRecords<T> {
  constructor(
    private readonly storage: Storage,
    /** The catalog key prefix, e.g. `export/`. */
    private readonly prefix: string,
    private readonly identity: (record: T) => JobRecord,
  ) {}

  /** Every record, oldest first. */
  async all(): Promise<T[]> {
    const entries = await this.storage.readCatalog();
    const records = entries.filter((e) => e.key.startsWith(this.prefix)).map((e) => JSON.parse(e.value) as T);
    return records.sort((a, b) => {
      const x = this.identity(a);
      const y = this.identity(b);
      return x.StartTime - y.StartTime || (x.arn < y.arn ? -1 : 1);
    });
  }

  /** The record of the job with this ARN, if kept. */
  async find(arn: string): Promise<T | undefined> {
    const key = this.keyOf(arn);
    const entry = (await this.storage.readCatalog()).find((e) => e.key === key);
    const record = entry === undefined ? undefined : (JSON.parse(entry.value) as T);
    return record !== undefined && this.identity(record).arn === arn ? record : undefined;
  }

  async save(record: T): Promise<void> {
    const key = this.keyOf(this.identity(record).arn);
    await this.storage.updateCatalog([key], () => ({ changes: [{ key, value: JSON.stringify(record) }], result: undefined }));
  }

  private keyOf(arn: string): string {
    return `${this.prefix}${arn.slice(arn.lastIndexOf('/') + 1)}`;
  }
}

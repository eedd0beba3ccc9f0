// Provisioned capacity, enforced (--enforce-capacity): a token bucket per table and per global
// secondary index, for reads and for writes, filled at the provisioned rate and keeping up to 300
// seconds of unused capacity — DynamoDB's burst. A request is admitted while every bucket it draws on
// has something left, and what it consumed is taken from them once it has run (the units of a read
// are known only then, as on DynamoDB, which lets a bucket go below zero and the next requests wait
// for it to refill). A throttled request has done nothing. On-demand tables are not limited here.
import type { Clock } from '../model/clock.js';
import type { TableRecord } from '../model/table.js';

/** DynamoDB keeps up to five minutes of unused capacity for bursts. */
export const burstSeconds = 300;

export type CapacityKind = 'read' | 'write';

/** One of DynamoDB's ThrottlingReasons: `Table|Index` + `Read|Write` + the limit, and the resource's ARN. */
export interface ThrottlingReason {
  readonly reason: string;
  readonly resource: string;
}

/** Units a GSI consumed. */
export interface IndexUnits {
  readonly name: string;
  readonly units: number;
}

interface Bucket {
  tokens: number;
  /** Clock ms of the last refill. */
  at: number;
}

/** A table's buckets: its own, and its GSIs' by name. */
interface TableBuckets {
  readonly read: Bucket;
  readonly write: Bucket;
  readonly indexes: Map<string, { readonly read: Bucket; readonly write: Bucket }>;
}

/** Minutes of consumption kept per table, index and kind (auto scaling looks back 15). */
const minutesKept = 20;
const minuteMs = 60_000;

export class CapacityMeter {
  /** By table id: a table keeps its buckets across changes of its record (UpdateTable). */
  private readonly buckets = new Map<string, TableBuckets>();
  /** Units consumed per minute of the clock, by table id, index ('' for the table) and kind. */
  private readonly minutes = new Map<string, Map<number, number>>();
  /** Units consumed since the start, by table id (indexes included). */
  private readonly sums = new Map<string, { read: number; write: number }>();

  constructor(
    private readonly clock: Clock,
    /** Whether requests are throttled at all (off: DynamoDB Local's behaviour, the default). */
    readonly enforced: boolean,
  ) {}

  /**
   * Why `table` would throttle a request of `kind` now: its own bucket (or, for a read of a GSI,
   * that index's) and, for a write, each GSI's; empty when it may run.
   */
  throttled(table: TableRecord, kind: CapacityKind, index?: string): readonly ThrottlingReason[] {
    if (!this.enforced || table.BillingMode !== 'PROVISIONED') return none;
    if (index === undefined && table.GlobalSecondaryIndexes.length === 0) return this.empty(table, undefined, kind) ? [throttling('Table', kind, table.TableArn)] : none;
    const reasons: ThrottlingReason[] = [];
    const gsi = index === undefined ? undefined : table.GlobalSecondaryIndexes.find((g) => g.IndexName === index);
    if (gsi === undefined && this.empty(table, undefined, kind)) reasons.push(throttling('Table', kind, table.TableArn));
    const indexes = kind === 'write' ? table.GlobalSecondaryIndexes : gsi === undefined ? [] : [gsi];
    for (const g of indexes) if (this.empty(table, g.IndexName, kind)) reasons.push(throttling('Index', kind, `${table.TableArn}/index/${g.IndexName}`));
    return reasons;
  }

  /**
   * What a request consumed: counted per minute (auto scaling and metrics read it back), and, when
   * enforced, taken from the table's bucket and its GSIs'.
   */
  charge(table: TableRecord, kind: CapacityKind, tableUnits: number, indexes: readonly IndexUnits[]): void {
    const minute = Math.floor(this.clock.now() / minuteMs);
    let sum = this.sums.get(table.id);
    if (sum === undefined) {
      sum = { read: 0, write: 0 };
      this.sums.set(table.id, sum);
    }
    sum[kind] += tableUnits;
    for (const { units } of indexes) sum[kind] += units;
    if (tableUnits > 0) this.count(table.id, '', kind, minute, tableUnits);
    for (const { name, units } of indexes) if (units > 0) this.count(table.id, name, kind, minute, units);
    if (!this.enforced || table.BillingMode !== 'PROVISIONED') return;
    if (tableUnits > 0) this.bucket(table, undefined, kind).tokens -= tableUnits;
    for (const { name, units } of indexes) {
      if (units > 0 && table.GlobalSecondaryIndexes.some((g) => g.IndexName === name)) this.bucket(table, name, kind).tokens -= units;
    }
  }

  /** The units of `kind` the table (or `index`) consumed in the clock's minute `minute` (epoch ms / 60,000). */
  consumedIn(tableId: string, index: string | undefined, kind: CapacityKind, minute: number): number {
    return this.minutes.get(`${tableId}\u0000${index ?? ''}\u0000${kind}`)?.get(minute) ?? 0;
  }

  /** Units consumed by the table (its indexes included) since the start. */
  totals(tableId: string): { readonly read: number; readonly write: number } {
    return this.sums.get(tableId) ?? { read: 0, write: 0 };
  }

  /** Units consumed by the table (its indexes included) in the `minutes` whole minutes before `minute`. */
  recent(tableId: string, minute: number, minutes: number): { read: number; write: number } {
    const out = { read: 0, write: 0 };
    for (const [key, perMinute] of this.minutes) {
      if (!key.startsWith(`${tableId}\u0000`)) continue;
      const kind = key.endsWith('\u0000read') ? 'read' : 'write';
      for (const [m, units] of perMinute) if (m < minute && m >= minute - minutes) out[kind] += units;
    }
    return out;
  }

  private count(tableId: string, index: string, kind: CapacityKind, minute: number, units: number): void {
    const key = `${tableId}\u0000${index}\u0000${kind}`;
    let perMinute = this.minutes.get(key);
    if (perMinute === undefined) {
      perMinute = new Map();
      this.minutes.set(key, perMinute);
    }
    const before = perMinute.get(minute);
    perMinute.set(minute, (before ?? 0) + units);
    // A new minute: the ones too old to matter go.
    if (before === undefined) for (const old of perMinute.keys()) if (old <= minute - minutesKept) perMinute.delete(old);
  }

  private empty(table: TableRecord, index: string | undefined, kind: CapacityKind): boolean {
    return this.bucket(table, index, kind).tokens <= 0;
  }

  /** The bucket, refilled at the current provisioned rate up to the burst it may keep. */
  private bucket(table: TableRecord, index: string | undefined, kind: CapacityKind): Bucket {
    const throughput = index === undefined ? table.ProvisionedThroughput : table.GlobalSecondaryIndexes.find((g) => g.IndexName === index)?.ProvisionedThroughput;
    const rate = (kind === 'read' ? throughput?.ReadCapacityUnits : throughput?.WriteCapacityUnits) ?? 0;
    const now = this.clock.now();
    // A new table (or index) starts with its whole burst.
    const full = (r: number): Bucket => ({ tokens: r * burstSeconds, at: now });
    let own = this.buckets.get(table.id);
    if (own === undefined) {
      own = { read: full(table.ProvisionedThroughput.ReadCapacityUnits), write: full(table.ProvisionedThroughput.WriteCapacityUnits), indexes: new Map() };
      this.buckets.set(table.id, own);
    }
    let pair: { readonly read: Bucket; readonly write: Bucket } = own;
    if (index !== undefined) {
      let indexed = own.indexes.get(index);
      if (indexed === undefined) {
        indexed = { read: full(throughput?.ReadCapacityUnits ?? 0), write: full(throughput?.WriteCapacityUnits ?? 0) };
        own.indexes.set(index, indexed);
      }
      pair = indexed;
    }
    const bucket = pair[kind];
    if (now > bucket.at) {
      bucket.tokens = Math.min(rate * burstSeconds, bucket.tokens + (rate * (now - bucket.at)) / 1000);
      bucket.at = now;
    }
    return bucket;
  }
}

const none: readonly ThrottlingReason[] = [];

function throttling(resource: 'Table' | 'Index', kind: CapacityKind, arn: string): ThrottlingReason {
  return { reason: `${resource}${kind === 'read' ? 'Read' : 'Write'}ProvisionedThroughputExceeded`, resource: arn };
}

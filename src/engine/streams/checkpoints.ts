// Where each trigger is in each stream of its table, kept in storage (one durable write per finished
// batch) so a restart resumes exactly there: nothing skipped, at worst the batch in flight again.
import type { Storage } from '../../storage/storage.js';

/** Storage id of the checkpoint records: "triggers" in hex, 8 bytes like table ids. */
const checkpointsId = '7472696767657273';

/** Position in one stream: the shard being read and the counter of the next record to deliver. */
export type StreamCheckpoint = { readonly shard: number; readonly next: number } | { readonly done: true };

/** Checkpoints removed per write when a trigger is forgotten. */
const forgetBatch = 100;

interface Registration {
  readonly registeredAt: number;
}

export class Checkpoints {
  constructor(private readonly storage: Storage) {}

  /** When the trigger first ran against this data, or undefined if it never has. */
  async registration(trigger: string): Promise<number | undefined> {
    const stored = await this.storage.getItem({ tableId: checkpointsId, key: key(trigger) });
    return stored === undefined ? undefined : (JSON.parse(stored.json) as Registration).registeredAt;
  }

  async register(trigger: string, at: number, initial: ReadonlyMap<string, StreamCheckpoint>): Promise<void> {
    const refs = [{ tableId: checkpointsId, key: key(trigger) }, ...[...initial.keys()].map((id) => ({ tableId: checkpointsId, key: key(trigger, id) }))];
    const writes = [stored({ registeredAt: at }), ...[...initial.values()].map(stored)];
    await this.storage.write(refs, () => ({ writes, result: undefined }));
  }

  async get(trigger: string, streamId: string): Promise<StreamCheckpoint | undefined> {
    const item = await this.storage.getItem({ tableId: checkpointsId, key: key(trigger, streamId) });
    return item === undefined ? undefined : (JSON.parse(item.json) as StreamCheckpoint);
  }

  /** Forgets where the trigger was (a trigger deleted: one made again under its name starts afresh). */
  async forget(trigger: string): Promise<void> {
    for (;;) {
      // The registration and every stream's checkpoint: the keys from `trigger` up to `trigger` + U+0001.
      const entries = await this.storage.readRange(checkpointsId, { start: key(trigger), end: Buffer.from(`${trigger}\u0001`, 'utf8') }, forgetBatch);
      if (entries.length === 0) return;
      await this.storage.write([], () => ({ writes: [], result: undefined, derived: entries.map((e) => ({ ref: { tableId: checkpointsId, key: e.key }, next: null })) }));
    }
  }

  async save(trigger: string, streamId: string, checkpoint: StreamCheckpoint): Promise<void> {
    const item = stored(checkpoint);
    await this.storage.write([{ tableId: checkpointsId, key: key(trigger, streamId) }], () => ({ writes: [item], result: undefined }));
  }
}

function key(trigger: string, streamId?: string): Buffer {
  return Buffer.from(streamId === undefined ? trigger : `${trigger}\u0000${streamId}`, 'utf8');
}

function stored(value: object): { json: string; sizeBytes: number } {
  const json = JSON.stringify(value);
  return { json, sizeBytes: json.length };
}

// The replication log of one replica of a global table, and the stamps that decide conflicts.
//
// Every write a client makes to a replica is stamped — a hybrid logical timestamp (the clock's
// milliseconds times 1000 plus a counter, never lower than the log's last stamp nor the item's own
// last stamp) and the replica's region — and appended to the replica's log inside the write's own
// storage transaction. The other replicas apply the log's changes (replicator.ts): a change wins when
// its stamp is newer than the item's (timestamp first, region as the tie-break), so every replica
// ends on the same last writer whatever order the changes arrive in. An item's stamp outlives its
// delete (a tombstone), so a late, older write cannot bring the item back.
//
// Layout inside the log's storage id: the head (next counter, last stamp's timestamp) as the
// recovery log keeps it, each item's stamp keyed by the item's key, the changes keyed by counter,
// and each incoming link's checkpoint (the last change of another replica's log applied here).
import { hash } from 'node:crypto';
import type { Clock } from '../../model/clock.js';
import type { DerivedWrite, ItemRef, StoredItem } from '../../storage/storage.js';
import { changeKey, headKey, parseHead, storedHead } from '../recovery/recovery-log.js';

export { changeCounter, changesAfter, parseHead } from '../recovery/recovery-log.js';

const stampTag = 2;
const checkpointTag = 4;

/** Timestamp units per millisecond of the clock: the rest is the logical counter. */
export const ticksPerMs = 1000;

/** Who wrote an item last: when (hybrid logical timestamp) and in which region; `deleted`: a tombstone. */
export interface Stamp {
  readonly ts: number;
  readonly region: string;
  readonly deleted?: boolean;
}

/** The storage id of a replica's log: each time a table becomes a replica it starts a new one. */
export function replicationLogId(tableId: string, since: number, nonce: string): string {
  return hash('sha256', `${tableId}/replication/${since}/${nonce}`, 'hex').slice(0, 16);
}

export function stampKey(itemKey: Uint8Array): Buffer {
  return Buffer.concat([Uint8Array.of(stampTag), itemKey]);
}

export function checkpointKey(sourceRegion: string): Buffer {
  return Buffer.concat([Uint8Array.of(checkpointTag), Buffer.from(sourceRegion, 'utf8')]);
}

/** Whether `a` wins over `b`: a later timestamp, or the same one from a greater region name. */
export function newer(a: Stamp, b: Stamp | undefined): boolean {
  return b === undefined || a.ts > b.ts || (a.ts === b.ts && a.region > b.region);
}

export function parseStamp(stored: StoredItem | undefined): Stamp | undefined {
  if (stored === undefined) return undefined;
  const [ts, region, deleted] = stored.json.split(' ');
  return { ts: Number(ts), region: region as string, ...(deleted === '-' ? { deleted: true } : {}) };
}

export function storedStamp(stamp: Stamp): StoredItem {
  return { json: `${stamp.ts} ${stamp.region}${stamp.deleted === true ? ' -' : ''}`, sizeBytes: 0 };
}

/** One change of a log: its stamp, the item's key and the item after it (null: deleted). */
export interface ReplicatedChange {
  readonly stamp: Stamp;
  readonly key: Buffer;
  readonly next: StoredItem | null;
}

// A change is stored as "<ts> <region> <key in base64> <size> <item JSON>", or "<ts> <region> <key> -"
// for a delete: the item's own text follows as it is, so applying it needs no re-encoding.
export function encodeChange(stamp: Stamp, key: Uint8Array, next: StoredItem | null): StoredItem {
  const head = `${stamp.ts} ${stamp.region} ${Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('base64')} `;
  return { json: next === null ? `${head}-` : `${head}${next.sizeBytes} ${next.json}`, sizeBytes: next?.sizeBytes ?? 0 };
}

export function decodeChange(stored: StoredItem): ReplicatedChange {
  const text = stored.json;
  const first = text.indexOf(' ');
  const second = text.indexOf(' ', first + 1);
  const third = text.indexOf(' ', second + 1);
  const ts = Number(text.slice(0, first));
  const region = text.slice(first + 1, second);
  const key = Buffer.from(text.slice(second + 1, third), 'base64');
  const deleted = text.charCodeAt(third + 1) === 45; /* - */
  const stamp = { ts, region, ...(deleted ? { deleted: true } : {}) };
  if (deleted) return { stamp, key, next: null };
  const fourth = text.indexOf(' ', third + 1);
  return { stamp, key, next: { json: text.slice(fourth + 1), sizeBytes: Number(text.slice(third + 1, fourth)) } };
}

/** A link's checkpoint: the source log it reads and the last change of it applied here. */
export interface Checkpoint {
  readonly logId: string;
  readonly n: number;
}

export function parseCheckpoint(stored: StoredItem | undefined): Checkpoint | undefined {
  return stored === undefined ? undefined : (JSON.parse(stored.json) as Checkpoint);
}

export function storedCheckpoint(checkpoint: Checkpoint): StoredItem {
  return { json: JSON.stringify(checkpoint), sizeBytes: 0 };
}

/** What a replica's writes need: its log, its region, the clock that stamps them, and who to wake. */
export interface ReplicationTarget {
  readonly logId: string;
  readonly region: string;
  readonly headRef: ItemRef;
  readonly clock: Clock;
  /** Wakes the links that read this log (after the commit). */
  readonly committed: (logId: string) => void;
  /**
   * Multi-region strong consistency: another replica's change applied here is logged too (with its
   * own stamp), so that every replica's log holds everything it has (strong-consistency.ts).
   */
  readonly relay: boolean;
}

export function replicationTarget(logId: string, region: string, clock: Clock, committed: (logId: string) => void, relay: boolean): ReplicationTarget {
  return { logId, region, headRef: { tableId: logId, key: headKey, uncounted: true }, clock, committed, relay };
}

/**
 * Pure: the stamp of a client's write to this replica — after the clock's reading, the log's last
 * stamp and the last stamp of every item the write changes — and the log's records of its changes
 * with the new head. Undefined when nothing changed.
 */
export function appendLocalChanges(
  target: ReplicationTarget, head: StoredItem | undefined, changes: readonly { readonly key: Uint8Array; readonly next: StoredItem | null; readonly before: Stamp | undefined }[], nowMs: number,
): { head: StoredItem; records: DerivedWrite[]; stamps: Stamp[] } | undefined {
  if (changes.length === 0) return undefined;
  const current = parseHead(head);
  let ts = Math.max(nowMs * ticksPerMs, current.t + 1);
  for (const change of changes) if (change.before !== undefined && change.before.ts >= ts) ts = change.before.ts + 1;
  let n = current.n;
  const records: DerivedWrite[] = [];
  const stamps: Stamp[] = [];
  for (const change of changes) {
    const stamp: Stamp = { ts, region: target.region, ...(change.next === null ? { deleted: true } : {}) };
    stamps.push(stamp);
    records.push({ ref: { tableId: target.logId, key: changeKey(n), uncounted: true }, next: encodeChange(stamp, change.key, change.next) });
    n += 1;
  }
  return { head: storedHead({ n, t: ts }), records, stamps };
}

/** Pure: the log records of changes another replica made (relayed), with their own stamps, and the new head. */
export function appendRelayedChanges(
  target: ReplicationTarget, head: StoredItem | undefined, changes: readonly { readonly key: Uint8Array; readonly next: StoredItem | null; readonly stamp: Stamp }[],
): { head: StoredItem; records: DerivedWrite[] } | undefined {
  if (changes.length === 0) return undefined;
  const current = parseHead(head);
  let n = current.n;
  let t = current.t;
  const records: DerivedWrite[] = [];
  for (const change of changes) {
    records.push({ ref: { tableId: target.logId, key: changeKey(n), uncounted: true }, next: encodeChange(change.stamp, change.key, change.next) });
    n += 1;
    // The log's last stamp moves past what it received: its next own stamps are later (the hybrid clock's receive rule).
    t = Math.max(t, change.stamp.ts);
  }
  return { head: storedHead({ n, t }), records };
}

// The recovery log of a table with point-in-time recovery: every committed change of its items, in
// commit order, each dated — appended inside the write's own storage transaction (like a stream's
// records, but kept for the recovery window whether or not the table has a stream), plus a base copy
// of the items as they were at the window's start. Restoring to a moment is the base with the
// changes up to that moment applied (recovery-restore.ts); pruning folds the changes that left the
// window into the base (recovery-prune.ts).
//
// Layout inside the log's storage id: a head (next counter, last date), a mark (what the base holds),
// the base items keyed by item key, and the changes keyed by counter. Dates never go back along the
// counter (each change is dated at least as late as the one before it), so "every change up to
// moment T" is a prefix of the log.
import { hash } from 'node:crypto';
import type { Clock } from '../../model/clock.js';
import type { DerivedWrite, ItemRef, StoredItem } from '../../storage/storage.js';

export const headKey = Uint8Array.of(0);
export const markKey = Uint8Array.of(1);
const baseTag = 2;
const changeTag = 3;
export const baseRange = { start: Uint8Array.of(baseTag), end: Uint8Array.of(baseTag + 1) };

/**
 * The storage id of one enablement's log: a table that enables PITR again starts a new one (`nonce`
 * tells apart two enablements in one millisecond, the old log perhaps still being removed).
 */
export function recoveryLogId(tableId: string, since: number, nonce: string): string {
  return hash('sha256', `${tableId}/recovery/${since}/${nonce}`, 'hex').slice(0, 16);
}

export function baseKey(itemKey: Uint8Array): Buffer {
  return Buffer.concat([Uint8Array.of(baseTag), itemKey]);
}

export function changeKey(counter: number): Buffer {
  const key = Buffer.alloc(9);
  key[0] = changeTag;
  key.writeUIntBE(Math.floor(counter / 2 ** 32), 1, 4);
  key.writeUInt32BE(counter % 2 ** 32, 5);
  return key;
}

/** The changes after `counter`. */
export function changesAfter(counter: number): { start: Uint8Array; end: Uint8Array } {
  return { start: changeKey(counter + 1), end: Uint8Array.of(changeTag + 1) };
}

export function changeCounter(key: Uint8Array): number {
  const b = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  return b.readUInt32BE(1) * 2 ** 32 + b.readUInt32BE(5);
}

/** Where the log stands: the next change's counter and the date of the last change (epoch ms). */
export interface LogHead {
  readonly n: number;
  readonly t: number;
}

export function parseHead(stored: StoredItem | undefined): LogHead {
  return stored === undefined ? { n: 1, t: 0 } : (JSON.parse(stored.json) as LogHead);
}

export function storedHead(head: LogHead): StoredItem {
  return { json: JSON.stringify(head), sizeBytes: 0 };
}

/**
 * What the base holds. `through`: the last change folded into it (0: none). `from`: the earliest
 * moment a restore can reach (epoch ms), absent while the first copy of the items is being made.
 * `pins`: restores reading the log; while there is one, nothing is folded (the base stays as it is).
 */
export interface LogMark {
  readonly through: number;
  readonly from?: number;
  readonly pins: readonly string[];
}

export function parseMark(stored: StoredItem | undefined): LogMark {
  return stored === undefined ? { through: 0, pins: [] } : (JSON.parse(stored.json) as LogMark);
}

export function storedMark(mark: LogMark): StoredItem {
  return { json: JSON.stringify(mark), sizeBytes: 0 };
}

/** One change as the log keeps it: when, which item (its storage key), and the item after it (null: deleted). */
export interface LoggedChange {
  readonly t: number;
  readonly key: Buffer;
  readonly next: StoredItem | null;
}

// A change is stored as "<date> <key in base64> <size> <item JSON>", or "<date> <key> -" for a delete:
// the item's own text follows as it is, so replaying it needs no re-encoding.
export function encodeChange(t: number, key: Uint8Array, next: StoredItem | null): StoredItem {
  const head = `${t} ${Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('base64')} `;
  const json = next === null ? `${head}-` : `${head}${next.sizeBytes} ${next.json}`;
  return { json, sizeBytes: next?.sizeBytes ?? 0 };
}

export function decodeChange(stored: StoredItem): LoggedChange {
  const text = stored.json;
  const first = text.indexOf(' ');
  const second = text.indexOf(' ', first + 1);
  const t = Number(text.slice(0, first));
  const key = Buffer.from(text.slice(first + 1, second), 'base64');
  if (text.charCodeAt(second + 1) === 45 /* - */) return { t, key, next: null };
  const third = text.indexOf(' ', second + 1);
  return { t, key, next: { json: text.slice(third + 1), sizeBytes: Number(text.slice(second + 1, third)) } };
}

/** What a table's writes need to append to its recovery log. */
export interface RecoveryTarget {
  readonly logId: string;
  readonly headRef: ItemRef;
  readonly clock: Clock;
}

export function recoveryTarget(logId: string, clock: Clock): RecoveryTarget {
  return { logId, headRef: { tableId: logId, key: headKey }, clock };
}

/**
 * Pure: the log's new head and the records of a write's changes (items put or deleted), all dated
 * `now` — or the last change's date when the clock reads earlier (another process's clock, or a
 * restore's fence), so dates never go back. Undefined when nothing changed.
 */
export function appendChanges(
  target: RecoveryTarget, stored: StoredItem | undefined, changes: readonly { readonly key: Uint8Array; readonly next: StoredItem | null }[], now: number,
): { head: StoredItem; records: DerivedWrite[] } | undefined {
  if (changes.length === 0) return undefined;
  const head = parseHead(stored);
  const t = Math.max(now, head.t);
  let n = head.n;
  const records: DerivedWrite[] = [];
  for (const change of changes) {
    records.push({ ref: { tableId: target.logId, key: changeKey(n) }, next: encodeChange(t, change.key, change.next) });
    n += 1;
  }
  return { head: storedHead({ n, t }), records };
}

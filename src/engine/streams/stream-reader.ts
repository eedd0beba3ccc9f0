// Reading a stream: its shards (lineage, sequence number ranges), shard iterators and GetRecords.
// A shard's records are one key range; a shard is closed once a later shard exists or the stream is
// closed, and closed-ness is read before the records, so a drained closed shard is really drained.
import type { Storage } from '../../storage/storage.js';
import { parseHead, type ShardStart, type StreamHead } from './change-records.js';
import {
  headKey, parseSequenceNumber, recordKey, recordPosition, sequenceNumber, shardId, shardKey, shardsRange, trimKey, type StreamInfo,
} from './stream-info.js';
import { parseTrimMark, type TrimMark } from './stream-trimmer.js';

export interface ShardView {
  readonly index: number;
  readonly id: string;
  readonly parentId?: string;
  /** Counter of the shard's first record, and of its last when the shard is closed. */
  readonly first: number;
  readonly last?: number;
  readonly startingSequenceNumber: string;
  readonly endingSequenceNumber?: string;
}

export interface StreamState {
  readonly head: StreamHead;
  readonly trim: TrimMark;
  /** Listed shards, oldest first (shard ids sort by creation time, as DynamoDB's do). */
  readonly shards: readonly ShardView[];
}

/** The stream's shards as DescribeStream lists them at `now`. */
export async function readStreamState(storage: Storage, info: StreamInfo, now: number, retentionMs: number): Promise<StreamState> {
  const [headItem, trimItem, shardItems] = await Promise.all([
    storage.getItem({ tableId: info.storageId, key: headKey }),
    storage.getItem({ tableId: info.storageId, key: trimKey }),
    storage.readRange(info.storageId, shardsRange, 100_000),
  ]);
  const head = parseHead(headItem, info);
  const trim = parseTrimMark(trimItem);
  const starts = new Map<number, ShardStart>([[0, { since: info.createdAt, first: 1 }]]);
  for (const entry of shardItems) starts.set(Buffer.from(entry.key).readUInt32BE(1), JSON.parse(entry.item.json) as ShardStart);
  const horizon = now - retentionMs;
  const shards: ShardView[] = [];
  for (let k = trim.k; k <= head.k; k++) {
    const start = starts.get(k);
    if (start === undefined) continue;
    const successor = starts.get(k + 1);
    // A shard closed before the retention horizon has aged out.
    if (successor !== undefined && successor.since < horizon) continue;
    const closedLast = successor !== undefined ? successor.first - 1 : info.closedAt !== undefined ? Math.max(head.n - 1, start.first) : undefined;
    shards.push({
      index: k,
      id: shardId(info, k, start.since),
      ...(k > 0 && starts.has(k - 1) ? { parentId: shardId(info, k - 1, (starts.get(k - 1) as ShardStart).since) } : {}),
      first: start.first,
      ...(closedLast === undefined ? {} : { last: closedLast, endingSequenceNumber: sequenceNumber(k, closedLast) }),
      startingSequenceNumber: sequenceNumber(k, start.first),
    });
  }
  return { head, trim, shards };
}

export type IteratorType = 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER';

/** Where an iterator points: shard index and the counter of the next record to read. */
export interface IteratorPosition {
  readonly shard: number;
  readonly next: number;
  readonly issuedAt: number;
}

const iteratorVersion = '1';
/** Shard indexes are 32-bit in record keys, and the one after a shard must fit too. */
const shardIndexMax = 2 ** 32 - 2;

/** An iterator as DynamoDB shapes them: "<stream ARN>|1|<opaque>". */
export function encodeIterator(info: StreamInfo, position: IteratorPosition): string {
  const opaque = Buffer.from(`${position.shard}.${position.next}.${position.issuedAt}`).toString('base64url');
  return `${info.StreamArn}|${iteratorVersion}|${opaque}`;
}

export function decodeIterator(text: string): { arn: string; position: IteratorPosition } | undefined {
  const parts = text.split('|');
  if (parts.length !== 3 || parts[1] !== iteratorVersion) return undefined;
  const fields = Buffer.from(parts[2] as string, 'base64url').toString('utf8').split('.');
  if (fields.length !== 3 || !fields.every((f) => /^\d{1,16}$/.test(f))) return undefined;
  const [shard, next, issuedAt] = fields.map(Number) as [number, number, number];
  if (shard > shardIndexMax) return undefined;
  return { arn: parts[0] as string, position: { shard, next, issuedAt } };
}

/** The first counter an iterator of the given type reads; 'trimmed' when that data is gone. */
export function iteratorStart(
  state: StreamState, shard: ShardView, type: IteratorType, sequence: string | undefined,
): number | 'trimmed' | 'foreign' {
  switch (type) {
    case 'TRIM_HORIZON':
      return Math.max(shard.first, state.trim.n + 1);
    case 'LATEST':
      return shard.last === undefined ? state.head.n : shard.last + 1;
    case 'AT_SEQUENCE_NUMBER':
    case 'AFTER_SEQUENCE_NUMBER': {
      const at = parseSequenceNumber(sequence ?? '');
      if (at === undefined || at.shard !== shard.index || at.counter < shard.first || (shard.last !== undefined && at.counter > shard.last)) return 'foreign';
      const next = type === 'AT_SEQUENCE_NUMBER' ? at.counter : at.counter + 1;
      return next <= state.trim.n ? 'trimmed' : next;
    }
  }
}

/** GetRecords' records are at most 1 MB together (DynamoDB). */
export const getRecordsBytesMax = 1024 * 1024;

export interface RecordsPage {
  /** Stored record JSON texts, in order. */
  readonly records: readonly string[];
  /** Each record's counter (its position in the stream). */
  readonly counters: readonly number[];
  /** The next counter to read, or undefined when the shard is closed and drained. */
  readonly next: number | undefined;
}

/** Up to `limit` records of a shard from counter `from`; 'trimmed' when some of them are gone. */
export async function readRecords(storage: Storage, info: StreamInfo, shard: number, from: number, limit: number): Promise<RecordsPage | 'trimmed'> {
  const id = info.storageId;
  // Closed-ness first: once it is closed, no record joins the shard, so reading to its end drains it.
  const [headItem, successorItem, trimItem] = await Promise.all([
    storage.getItem({ tableId: id, key: headKey }),
    storage.getItem({ tableId: id, key: shardKey(shard + 1) }),
    storage.getItem({ tableId: id, key: trimKey }),
  ]);
  const head = parseHead(headItem, info);
  const end = successorItem !== undefined ? (JSON.parse(successorItem.json) as ShardStart).first : info.closedAt !== undefined || head.k > shard ? head.n : undefined;
  if (end !== undefined && from >= end) return { records: [], counters: [], next: undefined };
  if (from <= parseTrimMark(trimItem).n) return 'trimmed';
  const entries = await storage.readRange(id, { start: recordKey(shard, from), end: recordKey(shard + 1, 0) }, limit);
  const records: string[] = [];
  const counters: number[] = [];
  let bytes = 0;
  let next = from;
  for (const entry of entries) {
    bytes += entry.item.json.length;
    if (records.length > 0 && bytes > getRecordsBytesMax) break;
    records.push(entry.item.json);
    const counter = recordPosition(entry.key).counter;
    counters.push(counter);
    next = counter + 1;
  }
  return { records, counters, next: end !== undefined && next >= end ? undefined : next };
}

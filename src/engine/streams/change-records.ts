// Pure: the change records a write appends to its table's stream, decided inside the write's own
// storage transaction from the stream's head (next counter, current shard), so item, index entries
// and records commit together. One record per item that changed; none for a delete of a missing item
// or a write that leaves the item as it was (DynamoDB writes no record then).
import { hash } from 'node:crypto';
import { valuesEqual } from '../../expressions/compare.js';
import type { AttributeMap, AttributeValue } from '../../model/attribute-value.js';
import { ownValue, setOwn } from '../../model/own-properties.js';
import { itemSizeBytes } from '../../model/item-size.js';
import type { Clock } from '../../model/clock.js';
import type { DerivedWrite, ItemRef, StoredItem } from '../../storage/storage.js';
import { headKey, recordKey, sequenceNumber, shardKey, type StreamInfo } from './stream-info.js';

/** What the engine gives every stream: its clock, the rollover period, whom to tell of commits. */
export interface StreamContext {
  readonly clock: Clock;
  /** A write at least this long after its shard opened opens the next one (AWS: about 4 hours). */
  readonly rolloverMs: number;
  /** Called after a commit that appended records to the stream (wakes waiting readers). */
  readonly committed: (storageId: string) => void;
}

/** What a table's writes need to append to its stream. */
export interface StreamTarget extends StreamContext {
  readonly info: StreamInfo;
  readonly keyNames: readonly string[];
  readonly headRef: ItemRef;
}

export function streamTarget(info: StreamInfo, context: StreamContext): StreamTarget {
  return {
    ...context,
    info,
    keyNames: info.KeySchema.map((k) => k.AttributeName),
    headRef: { tableId: info.storageId, key: headKey, uncounted: true },
  };
}

/** Where the stream stands: the next record's counter and the open shard (opened at `since`). */
export interface StreamHead {
  readonly n: number;
  readonly k: number;
  readonly since: number;
}

export function parseHead(stored: StoredItem | undefined, info: StreamInfo): StreamHead {
  return stored === undefined ? { n: 1, k: 0, since: info.createdAt } : (JSON.parse(stored.json) as StreamHead);
}

/** A shard after the first, as stored: when it opened and its first record's counter. */
export interface ShardStart {
  readonly since: number;
  readonly first: number;
}

/** One item's change as a write decided it. */
export interface ItemChange {
  readonly previous: StoredItem | undefined;
  /** The item after the write; null when deleted. */
  readonly next: StoredItem | null;
  /** Parsed forms, when the write has them (saves parsing again). */
  readonly before?: AttributeMap | undefined;
  readonly after?: AttributeMap | undefined;
}

/** Who made a change other than a caller: the TTL sweeper (records carry userIdentity). */
export type ChangePrincipal = 'ttl';

const ttlIdentity = ',"userIdentity":{"PrincipalId":"dynamodb.amazonaws.com","Type":"Service"}';

function parsed(stored: StoredItem, known: AttributeMap | undefined): AttributeMap {
  return known ?? (JSON.parse(stored.json) as AttributeMap);
}

/** True when a write leaves the item exactly as it was (numbers are canonical, sets sorted). */
function unchanged(change: ItemChange): boolean {
  const { previous, next } = change;
  if (previous === undefined || next === null) return false;
  if (previous.json === next.json) return true;
  if (previous.sizeBytes !== next.sizeBytes) return false;
  return valuesEqual({ M: parsed(previous, change.before) }, { M: parsed(next, change.after) });
}

/** Whether a change produces a record at all. */
export function isRecorded(change: ItemChange): boolean {
  if (change.next === null) return change.previous !== undefined;
  return !unchanged(change);
}

/**
 * The stream's new head and the records of the changes that changed something; undefined when none
 * did. `now` is the write's time (ApproximateCreationDateTime, and when the shard rolls over).
 */
export function appendRecords(
  target: StreamTarget, stored: StoredItem | undefined, changes: readonly ItemChange[], now: number, principal?: ChangePrincipal,
): { head: StoredItem; records: DerivedWrite[] } | undefined {
  const recorded = changes.filter(isRecorded);
  if (recorded.length === 0) return undefined;
  const { info } = target;
  let head = parseHead(stored, info);
  const records: DerivedWrite[] = [];
  if (now >= head.since + target.rolloverMs) {
    // Shard ids sort by opening time, so no two shards open in the same millisecond.
    head = { n: head.n, k: head.k + 1, since: Math.max(now, head.since + 1) };
    const start: ShardStart = { since: head.since, first: head.n };
    records.push({ ref: { tableId: info.storageId, key: shardKey(head.k), uncounted: true }, next: { json: JSON.stringify(start), sizeBytes: 0 } });
  }
  const seconds = Math.floor(now / 1000);
  const prefix = `","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":${JSON.stringify(info.region)},"dynamodb":{"ApproximateCreationDateTime":${seconds},"Keys":`;
  const suffix = `,"StreamViewType":"${info.StreamViewType}"}${principal === 'ttl' ? ttlIdentity : ''}}`;
  const withNew = info.StreamViewType === 'NEW_IMAGE' || info.StreamViewType === 'NEW_AND_OLD_IMAGES';
  const withOld = info.StreamViewType === 'OLD_IMAGE' || info.StreamViewType === 'NEW_AND_OLD_IMAGES';
  let n = head.n;
  for (const change of recorded) {
    const { previous, next } = change;
    const eventName = previous === undefined ? 'INSERT' : next === null ? 'REMOVE' : 'MODIFY';
    const image = next === null ? parsed(previous as StoredItem, change.before) : parsed(next, change.after);
    const keys: Record<string, AttributeValue> = {};
    for (const name of target.keyNames) {
      const value = ownValue(image, name);
      if (value !== undefined) setOwn(keys, name, value);
    }
    const sequence = sequenceNumber(head.k, n);
    let sizeBytes = itemSizeBytes(keys);
    let images = '';
    if (withNew && next !== null) {
      images += `,"NewImage":${next.json}`;
      sizeBytes += next.sizeBytes;
    }
    if (withOld && previous !== undefined) {
      images += `,"OldImage":${previous.json}`;
      sizeBytes += previous.sizeBytes;
    }
    const eventId = hash('md5', `${info.storageId}/${n}`, 'hex');
    const json = `{"eventID":"${eventId}","eventName":"${eventName}${prefix}${JSON.stringify(keys)}${images},"SequenceNumber":"${sequence}","SizeBytes":${sizeBytes}${suffix}`;
    records.push({ ref: { tableId: info.storageId, key: recordKey(head.k, n), uncounted: true }, next: { json, sizeBytes: json.length } });
    n += 1;
  }
  const nextHead: StreamHead = { n, k: head.k, since: head.since };
  return { head: { json: JSON.stringify(nextHead), sizeBytes: 0 }, records };
}

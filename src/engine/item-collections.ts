// Item collections of tables with local secondary indexes: a partition key's items plus their LSI
// entries. DynamoDB caps one at 10 GB (ItemCollectionSizeLimitExceededException) and reports its
// size as ReturnItemCollectionMetrics. Each collection's size is a record of its own, keyed like the
// partition (the digest that starts every item key of the partition), read and rewritten in the
// same storage transaction as the item write that changes it — so it is never stale.
import { hash } from 'node:crypto';
import { ItemCollectionSizeLimitExceededException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import { partitionDigestBytes } from '../model/key-encoding.js';
import type { TableRecord } from '../model/table.js';
import type { ItemRef, StoredItem } from '../storage/storage.js';
import { streamTarget, type StreamContext, type StreamTarget } from './streams/change-records.js';
import { enabledStream } from './streams/stream-info.js';
import { tableIndexes, type IndexDefinition } from './indexes.js';
import { recoveryTarget, type RecoveryTarget } from './recovery/recovery-log.js';
import { replicationTarget, type ReplicationTarget } from './replication/replication-log.js';

/** Where one table's item writes go, with what they maintain besides the item. */
export interface WriteTarget {
  readonly tableId: string;
  readonly indexes: readonly IndexDefinition[];
  /** Tables with LSIs: the storage of their collection sizes, and the largest size allowed. */
  readonly collections?: { readonly storageId: string; readonly limitBytes: number };
  /** Tables with an enabled stream: where their change records go. */
  readonly stream?: StreamTarget;
  /** Tables with point-in-time recovery: their recovery log. */
  readonly recovery?: RecoveryTarget;
  /** Replicas of global tables: their replication log. */
  readonly replication?: ReplicationTarget;
}

export function collectionsStorageId(tableId: string): string {
  return hash('sha256', `${tableId}/item-collections`, 'hex').slice(0, 16);
}

const targets = new WeakMap<TableRecord, WriteTarget>();

/** The write target of a table record (memoised: a changed definition is a new record). */
export function writeTarget(table: TableRecord, limitBytes: number, streams: StreamContext): WriteTarget {
  const cached = targets.get(table);
  if (cached !== undefined) return cached;
  const indexes = tableIndexes(table);
  const info = enabledStream(table);
  const target: WriteTarget = {
    tableId: table.id,
    indexes,
    ...(table.LocalSecondaryIndexes.length === 0 ? {} : { collections: { storageId: collectionsStorageId(table.id), limitBytes } }),
    ...(info === undefined ? {} : { stream: streamTarget(info, streams) }),
    ...(table.PointInTimeRecovery === undefined ? {} : { recovery: recoveryTarget(table.PointInTimeRecovery.logId, streams.clock) }),
    ...(table.replication === undefined ? {} : { replication: replicationTarget(table.replication.logId, table.region, streams.clock, streams.committed, table.replication.strong === true) }),
  };
  targets.set(table, target);
  return target;
}

/** The collection record an item key belongs to: its partition's digest. */
export function collectionRef(target: WriteTarget, itemKey: Uint8Array): ItemRef | undefined {
  if (target.collections === undefined) return undefined;
  return { tableId: target.collections.storageId, key: itemKey.subarray(0, partitionDigestBytes) };
}

export function collectionBytes(record: StoredItem | undefined): number {
  return record === undefined ? 0 : Number(record.json);
}

/**
 * The collection's record after a write changed its size by `delta` bytes: unchanged (undefined),
 * removed (null, the collection is empty) or rewritten. Growing past the limit is refused.
 */
export function nextCollection(target: WriteTarget, record: StoredItem | undefined, delta: number): { bytes: number; write: StoredItem | null | undefined } {
  const before = collectionBytes(record);
  const bytes = Math.max(0, before + delta);
  if (delta > 0 && bytes > (target.collections?.limitBytes ?? Infinity)) throw new ItemCollectionSizeLimitExceededException(messages.collectionSizeExceeded);
  if (delta === 0) return { bytes, write: undefined };
  return { bytes, write: bytes === 0 ? null : { json: String(bytes), sizeBytes: 0 } };
}

/** SizeEstimateRangeGB: the whole gigabytes the collection lies between ([0, 1] for a small one). */
export function sizeEstimateRangeGb(bytes: number): [number, number] {
  const low = Math.floor(bytes / 1024 ** 3);
  return [low, low + 1];
}

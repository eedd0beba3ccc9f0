// A Query's or Scan's page held to a partition (--enforce-capacity; engine/key-ranges.ts): a Query to
// the partition it reads (of the table, for a local index too, or of the GSI), its partition counted
// by Contributor Insights; a provisioned table's Scan page to the partition it starts in (on-demand
// partitions are each key's, which a page of many keys does not stay in). Checked before the page is
// read, charged its units once it has been — ExecuteStatement's SELECTs the same way.
import type { Engine } from '../../engine/engine.js';
import type { IndexDefinition } from '../../engine/indexes.js';
import type { AttributeValue } from '../../model/attribute-value.js';
import { partitionDigestBytes } from '../../model/key-encoding.js';
import type { TableRecord } from '../../model/table.js';
import type { OperationResult } from '../operation.js';

/** The page's partition: a key in it (its range's start), and the partition key's values for a Query. */
export interface PagePartition {
  readonly at: Uint8Array;
  readonly hash: readonly AttributeValue[] | undefined;
}

/** Where a page starting at `start` is held (`hash`: a Query's partition key values), or undefined when it is not. */
export function pagePartition(engine: Engine, table: TableRecord, start: Uint8Array | undefined, hash: readonly AttributeValue[] | undefined): PagePartition | undefined {
  const held = hash !== undefined ? engine.keyRanges.watched(table) : table.BillingMode === 'PROVISIONED' && engine.capacity.enforcedOn(table);
  return held ? { at: start ?? Buffer.alloc(partitionDigestBytes), hash } : undefined;
}

/** Reads a page (`read`) held to `partition`: refused with DynamoDB's throttle when it is spent. */
export async function readHeld<R extends OperationResult>(engine: Engine, table: TableRecord, index: IndexDefinition | undefined, partition: PagePartition | undefined, read: () => Promise<R>): Promise<R> {
  if (partition === undefined) return read();
  engine.keyRanges.admitRead(table, index, partition.at, partition.hash);
  const result = await read();
  engine.keyRanges.readDone(table, index, partition.at, result.usage?.[0]?.readUnits ?? 0, partition.hash);
  return result;
}

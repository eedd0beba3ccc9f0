// ReturnItemCollectionMetrics: SIZE answers, for a table with local secondary indexes, the item
// collection a write touched (its partition key) and an estimate of its size in whole gigabytes.
import { sizeEstimateRangeGb } from '../../engine/item-collections.js';
import type { AttributeMap } from '../../model/attribute-value.js';
import { primaryKey, type TableRecord } from '../../model/table.js';
import { ownValue } from '../../model/own-properties.js';

export type ReturnItemCollectionMetrics = 'SIZE' | 'NONE';

/** One collection's metrics, or undefined when not asked for or the table has no LSIs. */
export function collectionMetrics(
  requested: ReturnItemCollectionMetrics | undefined, table: TableRecord, key: AttributeMap, bytes: number | undefined,
): Record<string, unknown> | undefined {
  if (requested !== 'SIZE' || bytes === undefined) return undefined;
  const hash = primaryKey(table).hash.name;
  return { ItemCollectionKey: { [hash]: ownValue(key, hash) }, SizeEstimateRangeGB: sizeEstimateRangeGb(bytes) };
}


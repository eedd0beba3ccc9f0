// Hot partitions: under --enforce-capacity each partition of a table, and of each of its GSIs, serves
// at most 3,000 read and 1,000 write units a second (capacity-meter.ts keeps their buckets), so a hot
// key throttles while the table has capacity to spare. Every kind of request is held here to the
// partitions it touches — checked before it runs, charged once it has — and each key read, written
// or throttled is told to the table's (or GSI's) Contributor Insights rules.
import type { AttributeMap, AttributeValue } from '../model/attribute-value.js';
import { ownValue } from '../model/own-properties.js';
import { primaryKey, type TableRecord } from '../model/table.js';
import { keyRangeExceeded, type CapacityKind, type CapacityMeter, type ThrottlingReason } from './capacity-meter.js';
import type { ContributorInsights } from './contributor-insights.js';
import { indexPartitionKey, type IndexDefinition, type IndexKeyWrite } from './indexes.js';

const none: readonly ThrottlingReason[] = [];

export class KeyRanges {
  constructor(
    private readonly capacity: CapacityMeter,
    private readonly insights: ContributorInsights,
  ) {}

  /** Whether the table's keys need any of this: its partitions are capped, or Contributor Insights is on. */
  watched(table: TableRecord): boolean {
    return table.contributorInsights !== undefined || this.capacity.enforcedOn(table);
  }

  /** Whether the table has GSIs whose partitions are capped or whose keys are counted (a write must ask for its GSI entries). */
  watchesIndexes(table: TableRecord | undefined): boolean {
    return table !== undefined && table.GlobalSecondaryIndexes.length > 0 && this.watched(table);
  }

  /**
   * Why the table's partition holding `key` (a storage key) cannot take a read or write now (empty:
   * it can); a throttled key is counted. `keyMap`: the item or key it is of.
   */
  spent(table: TableRecord, key: Uint8Array, kind: CapacityKind, keyMap: AttributeMap): readonly ThrottlingReason[] {
    const reasons = this.capacity.partitionThrottled(table, key, kind);
    if (reasons.length > 0) this.observed(table, keyMap, true);
    return reasons;
  }

  /** Throws what DynamoDB answers a request to a spent partition of the table. */
  admit(table: TableRecord, key: Uint8Array, kind: CapacityKind, keyMap: AttributeMap): void {
    const reasons = this.spent(table, key, kind, keyMap);
    if (reasons.length > 0) throw keyRangeExceeded(table, reasons);
  }

  /** What an item's read or write consumed, taken from its partition; the key counted as accessed. */
  done(table: TableRecord, key: Uint8Array, kind: CapacityKind, units: number, keyMap: AttributeMap): void {
    this.capacity.chargePartition(table, key, kind, units);
    this.observed(table, keyMap, false);
  }

  /** Why the GSI partitions a write's entries go to cannot take them now (empty: they can); each throttled key is counted. */
  indexSpent(table: TableRecord, entries: readonly IndexKeyWrite[]): readonly ThrottlingReason[] {
    let reasons: ThrottlingReason[] | undefined;
    for (const entry of entries) {
      const spent = this.capacity.partitionThrottled(table, entry.key, 'write', entry.index.name);
      if (spent.length === 0) continue;
      this.indexObserved(table, entry.index, entry.item, true);
      for (const r of spent) if (reasons?.some((x) => x.resource === r.resource) !== true) (reasons ??= []).push(r);
    }
    return reasons ?? none;
  }

  /** Why the GSI partitions a put of `item` would write to cannot take it now (a batch's put, checked before it runs). */
  putSpent(table: TableRecord, indexes: readonly IndexDefinition[], item: AttributeMap): readonly ThrottlingReason[] {
    let reasons: ThrottlingReason[] | undefined;
    for (const index of indexes) {
      const key = index.global ? indexPartitionKey(index, item) : undefined;
      if (key === undefined) continue;
      const spent = this.capacity.partitionThrottled(table, key, 'write', index.name);
      if (spent.length === 0) continue;
      this.indexObserved(table, index, item, true);
      (reasons ??= []).push(...spent);
    }
    return reasons ?? none;
  }

  /** What a write's GSI entries consumed (`factor` times: a transaction's twice), each from its partition; each key counted as accessed. */
  indexDone(table: TableRecord, entries: readonly IndexKeyWrite[] | undefined, factor = 1): void {
    if (entries === undefined) return;
    for (const entry of entries) {
      this.capacity.chargePartition(table, entry.key, 'write', entry.units * factor, entry.index.name);
      this.indexObserved(table, entry.index, entry.item, false);
    }
  }

  /**
   * A Query's or Scan's partition: of the table (a local index's too), or of the GSI `index`; `key`
   * begins with its digest; `hash`: the partition key's values, when known (a Query's). Throws when
   * it is spent.
   */
  admitRead(table: TableRecord, index: IndexDefinition | undefined, key: Uint8Array, hash: readonly AttributeValue[] | undefined): void {
    const name = index?.global === true ? index.name : undefined;
    const reasons = this.capacity.partitionThrottled(table, key, 'read', name);
    if (reasons.length === 0) return;
    if (hash !== undefined) this.insights.throttled(table, name, hash, undefined);
    throw keyRangeExceeded(table, reasons);
  }

  /** What a Query or Scan page consumed, taken from its partition; a Query's partition counted as accessed. */
  readDone(table: TableRecord, index: IndexDefinition | undefined, key: Uint8Array, units: number, hash: readonly AttributeValue[] | undefined): void {
    const name = index?.global === true ? index.name : undefined;
    this.capacity.chargePartition(table, key, 'read', units, name);
    if (hash !== undefined && table.contributorInsights !== undefined) this.insights.accessed(table, name, hash, undefined);
  }

  /** The item's key for the table's Contributor Insights rules: accessed, or throttled. */
  private observed(table: TableRecord, keyMap: AttributeMap, throttled: boolean): void {
    if (table.contributorInsights === undefined) return;
    const schema = primaryKey(table);
    const hash = ownValue(keyMap, schema.hash.name);
    if (hash === undefined) return;
    const range = schema.range === undefined ? undefined : ownValue(keyMap, schema.range.name);
    if (throttled) this.insights.throttled(table, undefined, [hash], range);
    else this.insights.accessed(table, undefined, [hash], range);
  }

  /** An item's GSI key for that index's Contributor Insights rules (a sort key of one attribute counts items too). */
  private indexObserved(table: TableRecord, index: IndexDefinition, item: AttributeMap, throttled: boolean): void {
    if (table.contributorInsights === undefined) return;
    const hash: AttributeValue[] = [];
    for (const k of index.hashKeys) {
      const value = ownValue(item, k.name);
      if (value === undefined) return;
      hash.push(value);
    }
    const range = index.rangeKeys.length === 1 ? ownValue(item, (index.rangeKeys[0] as { name: string }).name) : undefined;
    if (throttled) this.insights.throttled(table, index.name, hash, range);
    else this.insights.accessed(table, index.name, hash, range);
  }
}

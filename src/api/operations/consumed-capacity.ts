// The ConsumedCapacity member of a reply, for ReturnConsumedCapacity TOTAL or INDEXES.
import { ownValue, setOwn } from '../../model/own-properties.js';
import type { Usage } from '../operation.js';

export type ReturnConsumedCapacity = 'INDEXES' | 'TOTAL' | 'NONE';

/** Capacity one operation consumed on one secondary index. */
export interface IndexCapacity {
  readonly name: string;
  readonly global: boolean;
  readonly units: number;
}

/**
 * TOTAL: the table's units plus every index's. INDEXES: the same total, the table's share, and each
 * index the operation touched under GlobalSecondaryIndexes or LocalSecondaryIndexes.
 */
export function consumedCapacity(
  mode: ReturnConsumedCapacity | undefined, tableName: string, units: number, indexes: readonly IndexCapacity[] = [],
): Record<string, unknown> | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  let total = units;
  for (const index of indexes) total += index.units;
  if (mode === 'TOTAL') return { TableName: tableName, CapacityUnits: total };
  const out: Record<string, unknown> = { TableName: tableName, CapacityUnits: total, Table: { CapacityUnits: units } };
  for (const [member, global] of [['GlobalSecondaryIndexes', true], ['LocalSecondaryIndexes', false]] as const) {
    const touched = indexes.filter((i) => i.global === global);
    if (touched.length === 0) continue;
    const byName: Record<string, { CapacityUnits: number }> = {};
    for (const index of touched) setOwn(byName, index.name, { CapacityUnits: (ownValue(byName, index.name)?.CapacityUnits ?? 0) + index.units });
    out[member] = byName;
  }
  return out;
}

/**
 * A transaction's ConsumedCapacity entry: as consumedCapacity, with the read or write split AWS adds
 * for transactions only — ReadCapacityUnits / WriteCapacityUnits beside CapacityUnits, at the top
 * and in the Table breakdown (single-item, batch, Query and Scan replies carry CapacityUnits alone).
 */
export function transactionCapacity(
  mode: ReturnConsumedCapacity | undefined, kind: 'read' | 'write', tableName: string, units: number, indexes: readonly IndexCapacity[] = [],
): Record<string, unknown> | undefined {
  const base = consumedCapacity(mode, tableName, units, indexes);
  if (base === undefined) return undefined;
  const split = kind === 'read' ? 'ReadCapacityUnits' : 'WriteCapacityUnits';
  return { ...base, [split]: base['CapacityUnits'], ...(base['Table'] === undefined ? {} : { Table: { [split]: units, CapacityUnits: units } }) };
}

/** A table's share of what a request consumed, for the metrics (reads or writes, indexes included). */
export function usageOf(tableName: string, kind: 'read' | 'write', units: number, indexes: readonly IndexCapacity[] = []): Usage {
  let total = units;
  for (const index of indexes) total += index.units;
  return {
    table: tableName, readUnits: kind === 'read' ? total : 0, writeUnits: kind === 'write' ? total : 0,
    kind, tableUnits: units, globalIndexes: indexes.filter((i) => i.global).map((i) => ({ name: i.name, units: i.units })),
  };
}

// The provisioned capacity DescribeLimits allows, applied when capacity is enforced (--enforce-capacity
// or a table's stratusdb:enforce-capacity tag): at most TableMaxRead/WriteCapacityUnits on one table
// or GSI, and at most AccountMaxRead/WriteCapacityUnits over all of a region's provisioned tables and
// their GSIs. CreateTable and UpdateTable past them answer LimitExceededException, with texts of
// StratusDB's own (AWS's are not recorded; docs/compatibility.md).
import type { Engine } from '../engine/engine.js';
import { LimitExceededException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import { provisionedUnits, type TableRecord } from '../model/table.js';
import { accountMaxReadCapacityUnits, accountMaxWriteCapacityUnits, tableMaxReadCapacityUnits, tableMaxWriteCapacityUnits } from './operations/describe-limits.js';

type Capacity = Pick<TableRecord, 'BillingMode' | 'ProvisionedThroughput' | 'GlobalSecondaryIndexes' | 'Tags'>;

/** The read and write units a table provisions, its GSIs' included (none on-demand). */
function provisioned(table: Pick<TableRecord, 'BillingMode' | 'ProvisionedThroughput' | 'GlobalSecondaryIndexes'>): { read: number; write: number } {
  return table.BillingMode === 'PROVISIONED' ? provisionedUnits(table) : { read: 0, write: 0 };
}

/** What the region's other tables provision (read before a decide, which sees its own table only). */
export function provisionedElsewhere(engine: Engine, region: string, tableName: string): { read: number; write: number } {
  const sum = { read: 0, write: 0 };
  for (const table of engine.tables.all()) {
    if (table.region !== region || table.TableName === tableName || table.replication?.witness === true) continue;
    const units = provisioned(table);
    sum.read += units.read;
    sum.write += units.write;
  }
  return sum;
}

/** Refuses a table (as it would be) past DescribeLimits' maximums, when its capacity is enforced. */
export function checkAccountLimits(engine: Engine, table: Capacity, elsewhere: { read: number; write: number }): void {
  if (table.BillingMode !== 'PROVISIONED' || !engine.capacity.enforcedOn(table)) return;
  for (const [kind, units, max] of [
    ['read', table.ProvisionedThroughput.ReadCapacityUnits, tableMaxReadCapacityUnits],
    ['write', table.ProvisionedThroughput.WriteCapacityUnits, tableMaxWriteCapacityUnits],
    ...table.GlobalSecondaryIndexes.flatMap((g) => [
      ['read', g.ProvisionedThroughput?.ReadCapacityUnits ?? 0, tableMaxReadCapacityUnits],
      ['write', g.ProvisionedThroughput?.WriteCapacityUnits ?? 0, tableMaxWriteCapacityUnits],
    ] as const),
  ] as const) {
    if (units > max) throw new LimitExceededException(messages.tableCapacityLimit(kind, max));
  }
  const total = provisioned(table);
  if (elsewhere.read + total.read > accountMaxReadCapacityUnits) throw new LimitExceededException(messages.accountCapacityLimit('read', accountMaxReadCapacityUnits));
  if (elsewhere.write + total.write > accountMaxWriteCapacityUnits) throw new LimitExceededException(messages.accountCapacityLimit('write', accountMaxWriteCapacityUnits));
}

// A table's OnDemandThroughput and WarmThroughput: the values DynamoDB refuses, and the warm
// throughput it describes. Warm throughput starts at on-demand's initial 12,000 reads / 4,000 writes
// per second, or at a provisioned table's capacity; it follows the highest capacity ever provisioned
// and never decreases (recorded from AWS in 2026).
import { ValidationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { BillingMode, OnDemandThroughput, TableRecord, WarmThroughput } from '../model/table.js';

import { onDemandWarmRead, onDemandWarmWrite } from '../engine/capacity-meter.js';

const onDemandMembers = ['MaxReadRequestUnits', 'MaxWriteRequestUnits'] as const;

/** On-demand limits: only on an on-demand table, at least 1 (on UpdateTable, -1 lifts the limit). */
export function checkOnDemand(limits: OnDemandThroughput | undefined, billing: BillingMode, allowUnlimited: boolean): void {
  if (limits === undefined) return;
  for (const member of onDemandMembers) {
    const value = limits[member];
    if (value === undefined) continue;
    if (billing === 'PROVISIONED') throw new ValidationException(messages.onDemandOnProvisioned(member));
    if (value < 1 && !(allowUnlimited && value === -1)) throw new ValidationException(messages.onDemandOutOfRange(member));
  }
}

interface Floor {
  readonly read: number;
  readonly write: number;
}

/** What a table is warm for, with nothing raised: on-demand's initial throughput, or the provisioned capacity. */
function floorOf(billing: BillingMode, read: number, write: number): Floor {
  return billing === 'PAY_PER_REQUEST' ? { read: onDemandWarmRead, write: onDemandWarmWrite } : { read, write };
}

/** CreateTable: warm throughput below the table's starting point is refused. */
export function checkWarmAtCreate(warm: WarmThroughput | undefined, billing: BillingMode, read: number, write: number): void {
  if (warm === undefined) return;
  const floor = floorOf(billing, read, write);
  const check = (member: 'ReadUnitsPerSecond' | 'WriteUnitsPerSecond', value: number | undefined, least: number, capacity: 'ReadCapacityUnits' | 'WriteCapacityUnits'): void => {
    if (value === undefined || value >= least) return;
    throw new ValidationException(billing === 'PAY_PER_REQUEST' ? messages.warmBelowOnDemandInitial(member) : messages.warmBelowProvisioned(member, capacity));
  };
  check('ReadUnitsPerSecond', warm.ReadUnitsPerSecond, floor.read, 'ReadCapacityUnits');
  check('WriteUnitsPerSecond', warm.WriteUnitsPerSecond, floor.write, 'WriteCapacityUnits');
}

/** The warm throughput a table has now. */
export function currentWarm(table: Pick<TableRecord, 'BillingMode' | 'ProvisionedThroughput' | 'WarmThroughput'>): Required<WarmThroughput> {
  const floor = floorOf(table.BillingMode, table.ProvisionedThroughput.ReadCapacityUnits, table.ProvisionedThroughput.WriteCapacityUnits);
  return {
    ReadUnitsPerSecond: Math.max(table.WarmThroughput?.ReadUnitsPerSecond ?? 0, floor.read),
    WriteUnitsPerSecond: Math.max(table.WarmThroughput?.WriteUnitsPerSecond ?? 0, floor.write),
  };
}

/** UpdateTable: warm throughput only rises; the same value again is accepted. */
export function raisedWarm(table: Pick<TableRecord, 'BillingMode' | 'ProvisionedThroughput' | 'WarmThroughput'>, requested: WarmThroughput): Required<WarmThroughput> {
  const current = currentWarm(table);
  for (const member of ['ReadUnitsPerSecond', 'WriteUnitsPerSecond'] as const) {
    const value = requested[member];
    if (value !== undefined && value < current[member]) throw new ValidationException(messages.warmDecrease(member));
  }
  return { ReadUnitsPerSecond: requested.ReadUnitsPerSecond ?? current.ReadUnitsPerSecond, WriteUnitsPerSecond: requested.WriteUnitsPerSecond ?? current.WriteUnitsPerSecond };
}

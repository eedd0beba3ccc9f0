// Application Auto Scaling of provisioned capacity, as DynamoDB's target tracking does it: a table's
// or GSI's read or write capacity registered as a scalable target (kept between a minimum and a
// maximum), with a policy that tracks a utilization target. Every minute of the clock (--clock-speed
// makes them pass faster) each policy looks at the minute's consumed units per second against the
// provisioned capacity: two minutes in a row above the target scale out to what brings utilization
// back to the target; fifteen in a row more than 20 points below it scale in likewise (unless
// scale-in is disabled or suspended), within the target's range and after the policy's cooldowns. A
// change goes through UpdateTable (injected by main.ts), so DynamoDB's decrease limits apply; each
// one, made or refused, is recorded as an activity. Targets, policies and activities are kept with
// the table (durable, shared by the nodes of one store); the evaluation runs on one node at a time.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../model/clock.js';
import { ResourceNotFoundException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { AutoScalingState, ScalableTargetRecord, ScalingActivityRecord, ScalingPolicyRecord, TableRecord } from '../model/table.js';
import type { CapacityKind, CapacityMeter } from './capacity-meter.js';
import type { TableService } from './table-service.js';

const minuteMs = 60_000;
/** Minutes in a row above the target before scaling out, and below it before scaling in (DynamoDB's alarms). */
export const scaleOutMinutes = 2;
export const scaleInMinutes = 15;
/** Scale-in looks for utilization this many points under the target. */
const scaleInMargin = 20;
/** Activities kept per table. */
const activitiesKept = 50;

/** A capacity change auto scaling asks for: the table's (no index) or a GSI's new read or write units. */
export interface CapacityChange {
  readonly index?: string;
  readonly kind: CapacityKind;
  readonly units: number;
}

export interface AutoScalingParts {
  readonly tables: TableService;
  readonly capacity: CapacityMeter;
  readonly clock: Clock;
  /** Applies a change through UpdateTable's rules (the API layer's, injected by main.ts); throws its refusal. */
  readonly scale: (table: TableRecord, change: CapacityChange) => Promise<void>;
}

/** What a policy has seen: the last minute it looked at, and how many minutes in a row were high or low. */
interface Streak {
  minute: number;
  high: number;
  low: number;
}

export class AutoScaling {
  private readonly streaks = new Map<string, Streak>();
  /** When each policy last scaled out and in (clock ms), for its cooldowns. */
  private readonly lastScaled = new Map<string, { out?: number; in?: number }>();

  constructor(private readonly parts: AutoScalingParts) {}

  /** Looks at every minute completed since the last look, for each policy of each table. */
  async evaluate(): Promise<void> {
    const now = this.parts.clock.now();
    const current = Math.floor(now / minuteMs);
    for (const table of this.parts.tables.all()) {
      const state = table.autoScaling;
      if (state === undefined || table.TableStatus !== 'ACTIVE' || table.BillingMode !== 'PROVISIONED') continue;
      for (const policy of state.policies) {
        const target = state.targets.find((t) => t.ScalableDimension === policy.ScalableDimension && t.index === policy.index);
        if (target !== undefined) await this.evaluatePolicy(table, target, policy, current, now);
      }
    }
  }

  private async evaluatePolicy(table: TableRecord, target: ScalableTargetRecord, policy: ScalingPolicyRecord, current: number, now: number): Promise<void> {
    const key = `${table.id}/${policy.id}`;
    const streak = this.streaks.get(key) ?? { minute: Math.floor(policy.CreationTime / minuteMs), high: 0, low: 0 };
    this.streaks.set(key, streak);
    const kind: CapacityKind = policy.ScalableDimension.endsWith('ReadCapacityUnits') ? 'read' : 'write';
    const capacity = capacityOf(table, policy.index, kind);
    if (capacity === undefined) return;
    // Each whole minute not looked at yet, in order; with none, nothing new to act on.
    if (streak.minute >= current) return;
    let perSecond = 0;
    while (streak.minute < current) {
      perSecond = this.parts.capacity.consumedIn(table.id, policy.index, kind, streak.minute) / 60;
      const utilization = (perSecond / capacity) * 100;
      streak.high = utilization > policy.TargetValue ? streak.high + 1 : 0;
      streak.low = utilization < policy.TargetValue - scaleInMargin ? streak.low + 1 : 0;
      streak.minute += 1;
    }
    const desired = Math.min(target.MaxCapacity, Math.max(target.MinCapacity, Math.ceil((perSecond * 100) / policy.TargetValue)));
    const last = this.lastScaled.get(key) ?? {};
    if (streak.high >= scaleOutMinutes && desired > capacity && !target.SuspendedState.DynamicScalingOutSuspended && now >= (last.out ?? 0) + (policy.ScaleOutCooldown ?? 0) * 1000) {
      streak.high = 0;
      this.lastScaled.set(key, { ...last, out: now });
      await this.change(table, policy, kind, capacity, desired, `monitor alarm TargetTracking-table/${table.TableName}${policy.index === undefined ? '' : `/index/${policy.index}`}-AlarmHigh in state ALARM triggered policy ${policy.PolicyName}`);
    } else if (streak.low >= scaleInMinutes && desired < capacity && policy.DisableScaleIn !== true && !target.SuspendedState.DynamicScalingInSuspended && now >= (last.in ?? 0) + (policy.ScaleInCooldown ?? 0) * 1000) {
      streak.low = 0;
      this.lastScaled.set(key, { ...last, in: now });
      await this.change(table, policy, kind, capacity, desired, `monitor alarm TargetTracking-table/${table.TableName}${policy.index === undefined ? '' : `/index/${policy.index}`}-AlarmLow in state ALARM triggered policy ${policy.PolicyName}`);
    }
  }

  /** Brings a target's capacity into its range when it is registered (as Application Auto Scaling does). */
  async intoRange(table: TableRecord, target: ScalableTargetRecord): Promise<void> {
    const kind: CapacityKind = target.ScalableDimension.endsWith('ReadCapacityUnits') ? 'read' : 'write';
    const capacity = capacityOf(table, target.index, kind);
    if (capacity === undefined || table.BillingMode !== 'PROVISIONED') return;
    const desired = Math.min(target.MaxCapacity, Math.max(target.MinCapacity, capacity));
    if (desired !== capacity) await this.change(table, target, kind, capacity, desired, 'scalable target registered with a range the capacity was outside of');
  }

  private async change(table: TableRecord, on: { readonly ScalableDimension: ScalingPolicyRecord['ScalableDimension']; readonly index?: string }, kind: CapacityKind, from: number, to: number, cause: string): Promise<void> {
    const start = this.parts.clock.now();
    const what = on.index === undefined ? `table/${table.TableName}` : `table/${table.TableName}/index/${on.index}`;
    let status: ScalingActivityRecord['StatusCode'] = 'Successful';
    let message = `Successfully set ${kind} capacity units to ${to}. Change successfully fulfilled by dynamodb.`;
    try {
      await this.parts.scale(table, { ...(on.index === undefined ? {} : { index: on.index }), kind, units: to });
    } catch (error) {
      status = 'Failed';
      message = `Failed to set ${kind} capacity units to ${to}. Reason: ${error instanceof Error ? error.message : String(error)}`;
    }
    const activity: ScalingActivityRecord = {
      ActivityId: randomUUID(), ScalableDimension: on.ScalableDimension, ...(on.index === undefined ? {} : { index: on.index }),
      Description: `Setting ${kind} capacity units to ${to}.`, Cause: cause, StartTime: start, EndTime: this.parts.clock.now(), StatusCode: status,
      StatusMessage: message,
    };
    console.error(`stratusdb: auto scaling ${what} ${kind} capacity ${from} -> ${to}: ${status}`);
    // A table that is gone meanwhile has no activities to keep.
    await this.revise(table, (state) => ({ ...state, activities: [activity, ...state.activities].slice(0, activitiesKept) })).catch(() => undefined);
  }

  /**
   * Changes a table's targets, policies or activities: kept with the table without changing its
   * status (an UPDATING table takes them too, and does not become UPDATING for them).
   */
  revise(table: TableRecord, change: (state: AutoScalingState) => AutoScalingState): Promise<TableRecord> {
    return this.parts.tables.revise(table.region, table.TableName, (latest) => ({ ...latest, autoScaling: change(latest.autoScaling ?? { targets: [], policies: [], activities: [] }) }),
      () => new ResourceNotFoundException(messages.tableNotFound(table.TableName)));
  }
}

/** The provisioned read or write units of the table or of its GSI `index`; undefined when there is no such index. */
export function capacityOf(table: TableRecord, index: string | undefined, kind: CapacityKind): number | undefined {
  const throughput = index === undefined ? table.ProvisionedThroughput : table.GlobalSecondaryIndexes.find((g) => g.IndexName === index)?.ProvisionedThroughput;
  if (throughput === undefined) return undefined;
  return kind === 'read' ? throughput.ReadCapacityUnits : throughput.WriteCapacityUnits;
}

// A stack's plan: each table's (table-plan.ts), each trigger made, changed or deleted, and the tables
// the stack's last deployment made that the file no longer declares (deleted with --prune, kept and
// listed otherwise); and applying it in order — tables, then triggers, then deletions, then the
// stack's record on the server (what it owns now).
import { refuse } from './deploy-error.js';
import { ApiFailure, deploymentTarget, waitForTable, type DeployApi } from './deploy-api.js';
import type { DesiredStack, DesiredTrigger } from './desired-state.js';
import { planTable, type TablePlan } from './table-plan.js';

export interface TriggerPlan {
  readonly name: string;
  readonly action: 'create' | 'update' | 'none' | 'delete';
  readonly desired?: DesiredTrigger;
}

export interface OrphanTable {
  readonly logicalId: string;
  readonly name: string;
  readonly action: 'delete' | 'keep';
}

interface StackRecordView {
  readonly Tables: Readonly<Record<string, string>>;
  readonly Triggers: readonly string[];
}

export interface StackPlan {
  readonly stack: DesiredStack;
  readonly tables: readonly TablePlan[];
  readonly triggers: readonly TriggerPlan[];
  readonly orphans: readonly OrphanTable[];
  /** What the stack's record should say afterwards, and whether that differs from what it says. */
  readonly record: StackRecordView;
  readonly recordChanged: boolean;
}

/** The stack's record on the server, or undefined before its first deployment. */
export async function stackRecord(api: DeployApi, region: string, name: string): Promise<StackRecordView | undefined> {
  try {
    return (await api.call<{ Stack: StackRecordView }>(region, 'DescribeStack', { StackName: name }, deploymentTarget)).Stack;
  } catch (error) {
    if (error instanceof ApiFailure && error.type === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

export async function planStack(api: DeployApi, stack: DesiredStack, accountId: string, prune: boolean): Promise<StackPlan> {
  const names = new Map<string, string>();
  for (const t of stack.tables) {
    const other = names.get(t.name);
    if (other !== undefined) throw refuse(t.where, 'TableName', `${t.name} is also ${other}'s table`);
    names.set(t.name, t.where.logicalId ?? '');
  }
  const previous = await stackRecord(api, stack.region, stack.name);
  const tables: TablePlan[] = [];
  for (const t of stack.tables) tables.push(await planTable(api, t, accountId));

  const deployed = new Map((await api.call<{ Triggers: { TriggerName: string; Definition: string; StackName?: string }[] }>(stack.region, 'ListTriggers', {}, deploymentTarget)).Triggers.map((t) => [t.TriggerName, t]));
  const triggers: TriggerPlan[] = [];
  const wanted = new Set<string>();
  for (const desired of stack.triggers) {
    wanted.add(desired.name);
    const existing = deployed.get(desired.name);
    if (existing?.StackName !== undefined && existing.StackName !== stack.name) throw refuse(desired.where, undefined, `the trigger ${desired.name} belongs to the stack ${existing.StackName}`);
    const action = existing === undefined ? 'create' : JSON.stringify(JSON.parse(existing.Definition)) === JSON.stringify(desired.definition) ? 'none' : 'update';
    triggers.push({ name: desired.name, action, desired });
  }
  for (const name of previous?.Triggers ?? []) if (!wanted.has(name) && deployed.has(name)) triggers.push({ name, action: 'delete' });

  const declared = new Map(stack.tables.map((t) => [t.where.logicalId ?? t.name, t.name]));
  const orphans: OrphanTable[] = Object.entries(previous?.Tables ?? {})
    .filter(([id, name]) => declared.get(id) !== name && ![...declared.values()].includes(name))
    .map(([logicalId, name]) => ({ logicalId, name, action: prune ? 'delete' : 'keep' }));
  // A kept table whose logical id now names another table (its TableName changed) is recorded under `<id>@<name>`.
  const kept = orphans.filter((o) => o.action === 'keep').map((o) => [declared.has(o.logicalId) ? `${o.logicalId}@${o.name}` : o.logicalId, o.name] as const);
  const recordTables: Record<string, string> = Object.fromEntries([...declared, ...kept].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const record: StackRecordView = { Tables: recordTables, Triggers: [...wanted].sort() };
  const recordChanged = previous === undefined || JSON.stringify(previous.Tables) !== JSON.stringify(record.Tables) || JSON.stringify(previous.Triggers) !== JSON.stringify(record.Triggers);
  return { stack, tables, triggers, orphans, record, recordChanged };
}

/** Whether applying the plan would change anything on the server. */
export function hasChanges(plan: StackPlan): boolean {
  return plan.tables.some((t) => t.action !== 'none') || plan.triggers.some((t) => t.action !== 'none') || plan.orphans.some((o) => o.action === 'delete');
}

/** Applies the plan; `progress` hears each step as it starts. */
export async function applyStack(api: DeployApi, plan: StackPlan, progress: (line: string) => void): Promise<void> {
  const region = plan.stack.region;
  for (const table of plan.tables) {
    for (const step of table.steps) {
      progress(`${table.table.name}: ${step.text}`);
      try {
        await step.run(api);
      } catch (error) {
        if (error instanceof ApiFailure) throw refuse(table.table.where, undefined, `${step.text}: ${error.type}: ${error.message}`);
        throw error;
      }
    }
  }
  for (const trigger of plan.triggers) {
    if (trigger.action === 'none' || trigger.action === 'delete' || trigger.desired === undefined) continue;
    progress(`trigger ${trigger.name}: ${trigger.action}`);
    try {
      await api.call(region, 'PutTrigger', { TriggerName: trigger.name, Definition: JSON.stringify(trigger.desired.definition), StackName: plan.stack.name }, deploymentTarget);
    } catch (error) {
      if (error instanceof ApiFailure) throw refuse(trigger.desired.where, undefined, `trigger ${trigger.name}: ${error.type}: ${error.message}`);
      throw error;
    }
  }
  for (const trigger of plan.triggers) {
    if (trigger.action !== 'delete') continue;
    progress(`trigger ${trigger.name}: delete`);
    await api.call(region, 'DeleteTrigger', { TriggerName: trigger.name }, deploymentTarget);
  }
  for (const orphan of plan.orphans) {
    if (orphan.action !== 'delete') continue;
    progress(`${orphan.name}: delete the table (--prune)`);
    try {
      await api.call(region, 'DeleteTable', { TableName: orphan.name });
    } catch (error) {
      if (error instanceof ApiFailure && error.type === 'ResourceNotFoundException') continue;
      if (error instanceof ApiFailure) throw refuse({ file: plan.stack.source, logicalId: orphan.logicalId }, undefined, `delete the table ${orphan.name}: ${error.type}: ${error.message}`);
      throw error;
    }
    await waitForTable(api, region, orphan.name, true);
  }
  if (plan.recordChanged) {
    await api.call(region, 'PutStack', { StackName: plan.stack.name, Source: plan.stack.source, Tables: plan.record.Tables, Triggers: plan.record.Triggers }, deploymentTarget);
  }
}

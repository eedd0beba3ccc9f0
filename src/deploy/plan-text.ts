// A stack's plan as `stratusdb deploy --plan` prints it: each table and trigger to create (+), change
// (~, with its steps in order) or delete (-), the tables kept though no longer declared, what the
// file holds that is skipped, and a count — or `No changes.`
import type { Skipped } from './desired-state.js';
import { hasChanges, type StackPlan } from './stack-plan.js';

function whereText(s: Skipped): string {
  const resource = s.where.logicalId === undefined ? '' : `${s.where.logicalId}${s.where.type === undefined ? '' : ` (${s.where.type})`}`;
  return [resource, s.property].filter((p) => p !== undefined && p !== '').join(' ');
}

export function planText(plan: StackPlan): string {
  const lines: string[] = [`Stack ${plan.stack.name} (${plan.stack.source}) in ${plan.stack.region}:`];
  let create = 0;
  let change = 0;
  let remove = 0;
  for (const t of plan.tables) {
    const id = `${t.table.where.logicalId ?? ''}${t.table.where.type === undefined ? '' : `, ${t.table.where.type}`}`;
    if (t.action === 'none') continue;
    if (t.action === 'create') create++;
    else change++;
    lines.push(`  ${t.action === 'create' ? '+' : '~'} table ${t.table.name} (${id})`);
    t.steps.forEach((step, i) => lines.push(`      ${i + 1}. ${step.text}`));
  }
  for (const t of plan.triggers) {
    if (t.action === 'none') continue;
    const on = t.desired === undefined ? '' : ` on ${String(t.desired.definition['table'])} (${t.desired.where.logicalId ?? ''}, ${t.desired.where.type ?? ''})`;
    if (t.action === 'create') create++;
    else if (t.action === 'update') change++;
    else remove++;
    lines.push(`  ${t.action === 'create' ? '+' : t.action === 'update' ? '~' : '-'} trigger ${t.name}${t.action === 'delete' ? ' (no longer declared)' : on}`);
  }
  for (const o of plan.orphans) {
    if (o.action === 'delete') {
      remove++;
      lines.push(`  - table ${o.name} (${o.logicalId}, no longer declared; --prune)`);
    } else lines.push(`    table ${o.name} (${o.logicalId}) is no longer declared: kept (--prune deletes it)`);
  }
  for (const s of plan.stack.skipped) lines.push(`  ! skipped ${whereText(s)}: ${s.reason}`);
  lines.push(hasChanges(plan) ? `Plan: ${create} to create, ${change} to change, ${remove} to delete.` : 'No changes.');
  return `${lines.join('\n')}\n`;
}

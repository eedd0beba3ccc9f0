// `stratusdb triggers`: a running server's triggers, their state, iterator age and counters, from
// its status endpoint.
import { triggerStatusPath } from '../http/status-paths.js';
import type { TriggerStatus } from '../triggers/trigger-service.js';

/** Prints the table (or the JSON); resolves to the exit code. */
export async function listTriggers(endpoint: string, json: boolean, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  let triggers: TriggerStatus[];
  try {
    const res = await fetch(`${endpoint}${triggerStatusPath}`);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    triggers = ((await res.json()) as { triggers: TriggerStatus[] }).triggers;
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    err(`stratusdb: cannot read triggers from ${endpoint}: ${cause ?? (error as Error).message}\n`);
    return 1;
  }
  if (json) {
    out(`${JSON.stringify(triggers, null, 2)}\n`);
    return 0;
  }
  if (triggers.length === 0) {
    out('No triggers (declare them in stratusdb.config.json; see the README).\n');
    return 0;
  }
  const header = ['NAME', 'TABLE', 'STATE', 'ITERATOR AGE', 'INVOCATIONS', 'ERRORS', 'RETRIES', 'DELIVERED', 'FILTERED', 'DISCARDED', 'LAST RESULT'];
  const rows = triggers.map((t) => [
    t.name, t.table, t.state, `${t.iteratorAgeMs} ms`, String(t.invocations), String(t.errors), String(t.retries),
    String(t.recordsDelivered), String(t.recordsFiltered), String(t.recordsDiscarded), t.lastProcessingResult,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ');
  out(`${[header, ...rows].map(line).join('\n')}\n`);
  return 0;
}

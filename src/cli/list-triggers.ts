// `stratusdb triggers`: a running server's triggers, their state, iterator age and counters, from
// its status endpoint.
import { triggerStatusPath } from '../http/status-paths.js';
import type { TriggerStatus } from '../triggers/trigger-service.js';
import { ApiClient, type ApiError } from './api-client.js';

/** Prints the table (or the JSON); resolves to the exit code. `env`: the AWS environment variables the request is signed with. */
export async function listTriggers(endpoint: string, json: boolean, out: (text: string) => void, err: (text: string) => void, env: Readonly<Record<string, string | undefined>> = {}): Promise<number> {
  let triggers: TriggerStatus[];
  try {
    triggers = (await new ApiClient(endpoint, env).get<{ triggers: TriggerStatus[] }>(triggerStatusPath)).triggers;
  } catch (error) {
    const failure = error as ApiError;
    err(`stratusdb: cannot read triggers from ${endpoint}: ${failure.type === 'ConnectionError' ? failure.reason : `${failure.type}: ${failure.message}`}\n`);
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

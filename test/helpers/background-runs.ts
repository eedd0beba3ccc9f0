// Waits for a server's background job (ttl-sweep, stream-trim) to run whole after this moment: the
// count of completed runs (GET /stratusdb/metrics) must grow by two, so one run began after the call.
// A test that needs "the sweeper has looked" waits for that event, never for an amount of time.
import { until } from './until.js';

async function runs(endpoint: string, job: string): Promise<number> {
  const res = await fetch(`${endpoint}/stratusdb/metrics`);
  const metrics = (await res.json()) as { background?: Record<string, number> };
  return metrics.background?.[job] ?? 0;
}

export async function afterFullRun(endpoint: string, job: 'ttl-sweep' | 'stream-trim' | 'recovery-prune' | 'capacity-share'): Promise<void> {
  const start = await runs(endpoint, job);
  await until(async () => (await runs(endpoint, job)) >= start + 2, `a whole ${job} run`);
}

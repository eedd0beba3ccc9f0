// Polls a check every 10 ms until it holds, failing the test after 5 s (or `timeoutMs`): for
// background work (TTL sweeps, stream trimming, triggers) whose moment the test does not control.
import assert from 'node:assert/strict';

export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

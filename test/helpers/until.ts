// Polls a check until it holds: for background work (TTL sweeps, stream trimming, triggers) whose
// moment the test does not control. It waits for something to happen, never for time to pass; the
// timeout is only a safety net against a hang, generous enough for a loaded machine.
import assert from 'node:assert/strict';

/** How long until() waits before failing: far beyond anything a passing test needs. */
export const untilTimeoutMs = 120_000;

export async function until(check: () => Promise<boolean>, what: string, timeoutMs = untilTimeoutMs): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

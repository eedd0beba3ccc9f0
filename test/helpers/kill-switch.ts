// For invariant tests: a kill -9 decided by a count, not a time — the server is killed once a given
// number of operations has been answered, with others still in flight; and checks that run over and
// over while the operations run, until they finish or the server is killed.
import type { ServerProcess } from './server-process.js';

export class KillSwitch {
  /** Operations answered so far (either way). */
  answered = 0;
  killed = false;
  private kill: Promise<void> | undefined;

  /** `after`: kill the server at this many answers (undefined: never). */
  constructor(
    private readonly server: ServerProcess,
    private readonly after: number | undefined,
  ) {}

  /** Counts one answer, and pulls the switch when the count is reached. */
  answer(): void {
    this.answered++;
    if (this.after !== undefined && !this.killed && this.answered >= this.after) {
      this.killed = true;
      this.kill = this.server.kill();
    }
  }

  /** Resolves once the server is dead, if the switch was pulled. */
  async done(): Promise<void> {
    await this.kill;
  }
}

/**
 * Runs `check` again and again until `work` settles or the switch is pulled (a check cut off by the
 * kill counts for nothing); resolves to the number of checks that completed, once `work` has settled.
 */
export async function checkWhile(work: Promise<unknown>, killSwitch: KillSwitch, check: () => Promise<void>): Promise<number> {
  let finished = false;
  const settled = work.finally(() => (finished = true));
  let checks = 0;
  while (!finished && !killSwitch.killed) {
    try {
      await check();
    } catch (error) {
      if (killSwitch.killed) break;
      throw error;
    }
    checks++;
  }
  await settled;
  await killSwitch.done();
  return checks;
}

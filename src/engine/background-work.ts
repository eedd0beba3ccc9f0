// The engine's background work (status timers, index builds and drops, data removal, sweeps): tracked
// so that close() can wait for it, and logged rather than thrown when it fails. The jobs DynamoDB shows
// a status for (backups, restores, exports, imports) start through trackJob, which a test may hold
// (--test-clock: POST /stratusdb/jobs) to see them in progress for as long as it likes.
import type { Clock } from '../model/clock.js';

/** A timer for a moment on the clock looks at the clock at least this often (a test may move it). */
const recheckMs = 1000;

export class BackgroundWork {
  constructor(private readonly clock: Clock) {}

  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopping = false;
  /** While a test holds jobs: resolves when they are let go. */
  private held: { readonly released: Promise<void>; readonly release: () => void } | undefined;

  get closing(): boolean {
    return this.stopping;
  }

  /** Runs `work` in the background until it settles. */
  track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => console.error('stratusdb: background table work failed', error));
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }

  /** Runs a job once jobs are not held (and not at all if closing by then). */
  trackJob(job: () => Promise<void>): void {
    const held = this.held?.released;
    if (held === undefined) return this.track(job());
    this.track(held.then(() => (this.stopping ? undefined : job())));
  }

  /** While a test holds jobs: what resolves when they are let go. */
  heldUntil(): Promise<void> | undefined {
    return this.held?.released;
  }

  /** Tests: jobs started from now wait until `hold(false)`; those already running go on. */
  hold(on: boolean): void {
    if (on && this.held === undefined) {
      let release = (): void => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      this.held = { released, release };
    } else if (!on && this.held !== undefined) {
      this.held.release();
      this.held = undefined;
    }
  }

  /** Runs `work` once the clock reads `at` (epoch ms), unless closing by then. */
  at(at: number, work: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopping) return;
      if (this.clock.now() < at) this.at(at, work);
      else this.track(work());
    }, Math.max(0, Math.min(at - this.clock.now(), recheckMs)));
    timer.unref();
    this.timers.add(timer);
  }

  /** Cancels what has not started and waits for what has. */
  async close(): Promise<void> {
    this.stopping = true;
    this.hold(false);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}

// The engine's background work (status timers, index builds and drops, data removal, sweeps): tracked
// so that close() can wait for it, and logged rather than thrown when it fails.
import type { Clock } from '../model/clock.js';

/** A timer for a moment on the clock looks at the clock at least this often (a test may move it). */
const recheckMs = 1000;

export class BackgroundWork {
  constructor(private readonly clock: Clock) {}

  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopping = false;

  get closing(): boolean {
    return this.stopping;
  }

  /** Runs `work` in the background until it settles. */
  track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => console.error('stratusdb: background table work failed', error));
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
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
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}

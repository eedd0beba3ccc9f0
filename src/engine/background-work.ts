// The engine's background work (status timers, index builds and drops, data removal, sweeps): tracked
// so that close() can wait for it, and logged rather than thrown when it fails.
export class BackgroundWork {
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

  /** Runs `work` after `ms` (unless closing by then). */
  after(ms: number, work: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopping) this.track(work());
    }, Math.max(0, ms));
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

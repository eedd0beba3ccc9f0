// Readers waiting for a stream's next commit (triggers, long-polling consumers): the write path calls
// committed() once its records are durable; a waiter wakes then, or when its time is up.

export class StreamWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();

  /** Wakes everyone waiting on the stream. Cheap when nobody is: one map lookup. */
  committed(storageId: string): void {
    const wakers = this.waiting.get(storageId);
    if (wakers === undefined) return;
    this.waiting.delete(storageId);
    for (const wake of wakers) wake();
  }

  /** Resolves true at the stream's next commit, false after `timeoutMs` without one. */
  wait(storageId: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      let wakers = this.waiting.get(storageId);
      if (wakers === undefined) this.waiting.set(storageId, (wakers = new Set()));
      const set = wakers;
      const wake = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        set.delete(wake);
        if (set.size === 0 && this.waiting.get(storageId) === set) this.waiting.delete(storageId);
        resolve(false);
      }, timeoutMs);
      set.add(wake);
    });
  }
}

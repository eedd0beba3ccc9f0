// Time comes from an injected clock so tests (and later PITR and TTL) can control it.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * The system clock moved forward on demand (--test-clock): a test makes an hour pass at once, so
 * whatever depends on time (TTL, GSI lag, shard rollover, retention) is decided by the test, not
 * by how long the machine takes. It never goes back.
 */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  /** Real time at the start, from which a faster clock (--clock-speed) runs. */
  private readonly origin = Date.now();

  /** `speed`: simulated milliseconds per real one (--clock-speed; 1: real time). */
  constructor(private readonly speed = 1) {}

  now(): number {
    const real = Date.now();
    return (this.speed === 1 ? real : this.origin + Math.floor((real - this.origin) * this.speed)) + this.offsetMs;
  }

  /** Moves the clock `ms` forward; answers the new time. */
  advance(ms: number): number {
    this.offsetMs += ms;
    return this.now();
  }
}

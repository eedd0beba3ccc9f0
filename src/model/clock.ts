// Time comes from an injected clock so tests (and later PITR and TTL) can control it.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

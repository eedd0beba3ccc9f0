// Leases on background work: with several processes on one store, exactly one runs each job (the TTL
// sweep, the stream trim, an index backfill, a trigger). A lease is a catalog entry naming its holder
// and when it expires; taking or renewing it is one catalog transaction, so two processes never both
// hold it. A process holds a lease until it lets it go or stops renewing it past its term.
import type { Clock } from '../model/clock.js';
import type { Storage } from '../storage/storage.js';

const leasePrefix = 'lease/';

interface LeaseRecord {
  readonly holder: string;
  readonly expires: number;
}

export class Leases {
  constructor(
    private readonly storage: Storage,
    /** This process's identity among the holders. */
    readonly holder: string,
    private readonly clock: Clock,
    /** How long a lease lasts without renewal. */
    readonly termMs: number,
  ) {}

  /** Takes or renews the lease; false when another holder has it and its term has not run out. */
  async hold(name: string): Promise<boolean> {
    // A store no other process opens (LMDB, memory) has nobody to share the work with.
    if (this.storage.exclusive) return true;
    const key = leasePrefix + name;
    // Read outside the catalog transaction: a decide reads no clock (it may run more than once).
    const now = this.clock.now();
    return this.storage.updateCatalog([key], ([value]) => {
      const current = value === undefined ? undefined : (JSON.parse(value) as LeaseRecord);
      if (current !== undefined && current.holder !== this.holder && current.expires > now) return { changes: [], result: false };
      const next: LeaseRecord = { holder: this.holder, expires: now + this.termMs };
      return { changes: [{ key, value: JSON.stringify(next) }], result: true };
    });
  }

  /** Gives the lease up (another process may take it at once). */
  async release(name: string): Promise<void> {
    if (this.storage.exclusive) return;
    const key = leasePrefix + name;
    return this.storage.updateCatalog([key], ([value]) => {
      const current = value === undefined ? undefined : (JSON.parse(value) as LeaseRecord);
      return { changes: current?.holder === this.holder ? [{ key, value: undefined }] : [], result: undefined };
    });
  }
}

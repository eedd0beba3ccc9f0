// One capacity limit per table when several nodes share a store (PostgreSQL): every node keeps its
// own copy of each token bucket, and a few times a second tells the others, through one catalog
// entry, how many units it has taken from each bucket since it started; each node's copy then pays
// what the others took since it last looked. So the nodes together are held to the table's
// capacity, as one DynamoDB table is however many front ends serve it — a fraction of a second late,
// the way a request admitted together with others may take a bucket below zero. A node's hot-key
// partitions and on-demand peaks stay its own.
import type { Storage } from '../storage/storage.js';
import type { CapacityMeter } from './capacity-meter.js';

const usageKey = 'capacity/usage';
/** A node not heard from for this long (real ms) is forgotten. */
const silentMs = 60_000;

/** The catalog entry: per node, when it last wrote and its totals by bucket. */
type Usage = Record<string, { readonly at: number; readonly totals: Record<string, number> }>;

export class CapacitySharing {
  /** What each other node had taken from each bucket when this one last looked. */
  private readonly seen = new Map<string, Map<string, number>>();

  constructor(
    private readonly storage: Storage,
    private readonly capacity: CapacityMeter,
    /** This node's name among the others. */
    private readonly node: string,
  ) {}

  /** Tells the others what this node took, and charges this node's buckets with what they took. */
  async share(): Promise<void> {
    // Read before the decide, which must answer the same however often it runs.
    const now = Date.now();
    const mine = Object.fromEntries(this.capacity.debitedTotals());
    const all = await this.storage.updateCatalog([usageKey], ([value]) => {
      const known = value === undefined ? {} : (JSON.parse(value) as Usage);
      const next: Usage = { [this.node]: { at: now, totals: mine } };
      for (const [node, usage] of Object.entries(known)) if (node !== this.node && usage.at > now - silentMs) next[node] = usage;
      return { changes: [{ key: usageKey, value: JSON.stringify(next) }], result: next };
    });
    for (const [node, usage] of Object.entries(all)) {
      if (node === this.node) continue;
      const before = this.seen.get(node);
      // A node first heard of now: what it took until now is history, not owed.
      if (before !== undefined) {
        for (const [slot, total] of Object.entries(usage.totals)) this.capacity.owe(slot, total - (before.get(slot) ?? 0));
      }
      this.seen.set(node, new Map(Object.entries(usage.totals)));
    }
    for (const node of this.seen.keys()) if (all[node] === undefined) this.seen.delete(node);
  }
}

/** Catalog keys of capacity sharing: other nodes' changes to them are no table change. */
export const capacityKeyPrefix = 'capacity/';

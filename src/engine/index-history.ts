// Simulated GSI propagation lag (--gsi-propagation-delay-ms): indexes are still maintained in the
// item's transaction, but reads of a GSI see each entry as it was N ms ago. The history holds, for
// the last N ms, the state every changed entry had before its change.
import type { StoredItem } from '../storage/storage.js';
import type { Clock } from '../model/clock.js';

/** One index entry a write changed, with what it held before (null: it did not exist). */
export interface IndexEntryChange {
  readonly indexId: string;
  readonly key: Buffer;
  readonly before: StoredItem | null;
}

export class IndexHistory {
  private readonly events: { readonly at: number; readonly change: IndexEntryChange }[] = [];

  constructor(
    private readonly clock: Clock,
    readonly delayMs: number,
  ) {}

  /** Called once a write has committed. */
  record(changes: readonly IndexEntryChange[]): void {
    if (this.delayMs <= 0 || changes.length === 0) return;
    const at = this.clock.now();
    for (const change of changes) this.events.push({ at, change });
    this.prune();
  }

  /** For each entry of the index changed in the last delayMs: its state delayMs ago, by hex key. */
  pastStates(indexId: string): Map<string, StoredItem | null> {
    this.prune();
    const states = new Map<string, StoredItem | null>();
    for (const { change } of this.events) {
      if (change.indexId !== indexId) continue;
      const hex = change.key.toString('hex');
      if (!states.has(hex)) states.set(hex, change.before);
    }
    return states;
  }

  private prune(): void {
    const horizon = this.clock.now() - this.delayMs;
    let drop = 0;
    while (drop < this.events.length && (this.events[drop] as { at: number }).at <= horizon) drop++;
    if (drop > 0) this.events.splice(0, drop);
  }
}

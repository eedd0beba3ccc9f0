// Keeps a recovery log to its window: changes older than the window's start are folded into the base
// (the base then holds the table as of the last folded change) and deleted, in transactions of a page
// each, so the log grows with the window's writes, not with the table's age. Nothing is folded while
// a restore reads the log (its pins): the base it copies must hold still.
import type { DerivedWrite, Storage } from '../../storage/storage.js';
import { baseKey, changeCounter, changesAfter, decodeChange, markKey, parseMark, storedMark, type LoggedChange } from './recovery-log.js';

const foldPageChanges = 512;

/** Folds the log's changes dated before `horizon` (epoch ms) into its base; resolves with how many. */
export async function foldLog(storage: Storage, logId: string, horizon: number, stillWanted: () => boolean): Promise<number> {
  const markRef = { tableId: logId, key: markKey };
  let folded = 0;
  for (;;) {
    if (!stillWanted()) return folded;
    const mark = parseMark(await storage.getItem(markRef));
    if (mark.from === undefined || mark.pins.length > 0) return folded;
    const page = await storage.readRange(logId, changesAfter(mark.through), foldPageChanges);
    const old: { counter: number; key: Uint8Array; change: LoggedChange }[] = [];
    for (const entry of page) {
      const change = decodeChange(entry.item);
      if (change.t >= horizon) break;
      old.push({ counter: changeCounter(entry.key), key: entry.key, change });
    }
    const last = old[old.length - 1];
    if (last === undefined) return folded;
    const done = await storage.write([markRef], ([stored]) => {
      const now = parseMark(stored);
      // Another fold got here first, or a restore pinned the log since it was read: leave it.
      if (now.through !== mark.through || now.pins.length > 0 || now.from === undefined) return { writes: [undefined], result: false };
      // The last change of each item wins; one write per key.
      const base = new Map<string, DerivedWrite>();
      for (const { change } of old) base.set(change.key.toString('hex'), { ref: { tableId: logId, key: baseKey(change.key) }, next: change.next });
      const derived: DerivedWrite[] = [...base.values(), ...old.map(({ key }) => ({ ref: { tableId: logId, key }, next: null }))];
      const next = storedMark({ through: last.counter, from: Math.max(now.from, last.change.t), pins: [] });
      return { writes: [next], derived, result: true };
    });
    if (!done) return folded;
    folded += old.length;
    if (old.length < page.length || page.length < foldPageChanges) return folded;
  }
}

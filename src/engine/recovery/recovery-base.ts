// The first copy of a table's items into its recovery log's base, made once point-in-time recovery
// is enabled, while writes go on. It reads the table page by page without stopping writers, so the
// copy is fuzzy: an item may be copied as it was at any moment of the copy. Every change since the
// log began is kept, though, and replaying them over the copy gives the exact table of any moment
// after the copy ended — that moment is the earliest a restore can reach (the mark's `from`).
import type { Clock } from '../../model/clock.js';
import type { Storage } from '../../storage/storage.js';
import { rangePages } from '../range-pages.js';
import { baseKey, headKey, markKey, parseHead, parseMark, storedMark } from './recovery-log.js';

/** Items per copying transaction: enough to amortise a commit, few enough not to hold writers up. */
const copyPageItems = 128;

/**
 * Copies the items of table `tableId` into the base of log `logId` unless the base is whole already;
 * resolves true once it is (false: no longer wanted). A copy cut short is made again from the start:
 * what it left in the base is overwritten or, for an item deleted since, undone by the log's changes.
 */
export async function buildBase(storage: Storage, tableId: string, logId: string, clock: Clock, stillWanted: () => boolean): Promise<boolean> {
  const markRef = { tableId: logId, key: markKey };
  if (parseMark(await storage.getItem(markRef)).from !== undefined) return true;
  for await (const page of rangePages(storage, tableId, {}, copyPageItems)) {
    if (!stillWanted()) return false;
    await storage.write([markRef], () => ({
      writes: [undefined],
      derived: page.map((entry) => ({ ref: { tableId: logId, key: baseKey(entry.key) }, next: entry.item })),
      result: undefined,
    }));
  }
  if (!stillWanted()) return false;
  // Every change committed before now is dated no later than now or the head's date.
  const now = clock.now();
  await storage.write([markRef, { tableId: logId, key: headKey }], ([stored, head]) => {
    const mark = parseMark(stored);
    return { writes: [storedMark({ ...mark, from: mark.from ?? Math.max(now, parseHead(head).t) }), undefined], result: undefined };
  });
  return true;
}

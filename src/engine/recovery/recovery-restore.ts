// Restoring a table to a moment from its recovery log, into a new table: the log is pinned (nothing
// is folded into its base while the restore reads it) and fenced (every change committed from then
// on is dated after the moment, so "the changes dated up to the moment" cannot grow), then the items
// of the moment (recovery-snapshot.ts) are written through the item writer (index entries and item
// collections as every write makes them), one page per transaction. Copying again from the start
// gives the same table, so a restore cut short by a crash is run again whole.
import { InvalidRestoreTimeException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import type { TableRecord } from '../../model/table.js';
import type { Storage } from '../../storage/storage.js';
import type { WriteTarget } from '../item-collections.js';
import type { ItemWrite, ItemWriter } from '../item-writer.js';
import { headKey, markKey, parseHead, parseMark, storedHead, storedMark } from './recovery-log.js';
import { itemsAt } from './recovery-snapshot.js';

/**
 * Pins the log for a restore named `pin` and fences it at `at` (epoch ms), in one transaction;
 * refused with InvalidRestoreTimeException when the log cannot reach `at` (its base is not whole yet,
 * or holds a later moment). `latest`: the restore wants every change committed so far, so `at` is
 * moved up to the last change's date when that is later (a change dated by a clock ahead of this
 * one's, or just after an earlier fence). Resolves with the moment fenced.
 */
export async function pinLog(storage: Storage, logId: string, pin: string, at: number, latest: boolean): Promise<number> {
  return storage.write([{ tableId: logId, key: markKey }, { tableId: logId, key: headKey }], ([stored, head]) => {
    const mark = parseMark(stored);
    if (mark.from === undefined || mark.from > at) throw new InvalidRestoreTimeException(messages.invalidRestoreTime);
    const fenced = parseHead(head);
    const moment = latest ? Math.max(at, fenced.t) : at;
    return {
      writes: [
        mark.pins.includes(pin) ? undefined : storedMark({ ...mark, pins: [...mark.pins, pin] }),
        fenced.t > moment ? undefined : storedHead({ n: fenced.n, t: moment + 1 }),
      ],
      result: moment,
    };
  });
}

/** Lets the log be folded again once no restore reads it. */
export async function unpinLog(storage: Storage, logId: string, pin: string): Promise<void> {
  await storage.write([{ tableId: logId, key: markKey }], ([stored]) => {
    if (stored === undefined) return { writes: [undefined], result: undefined };
    const mark = parseMark(stored);
    return { writes: [mark.pins.includes(pin) ? storedMark({ ...mark, pins: mark.pins.filter((p) => p !== pin) }) : undefined], result: undefined };
  });
}

/** Releases the log's pins `keep` refuses (restores that are over, or never began). */
export async function releaseStalePins(storage: Storage, logId: string, keep: (pin: string) => boolean): Promise<void> {
  const current = parseMark(await storage.getItem({ tableId: logId, key: markKey }));
  if (current.pins.every(keep)) return;
  await storage.write([{ tableId: logId, key: markKey }], ([stored]) => {
    if (stored === undefined) return { writes: [undefined], result: undefined };
    const mark = parseMark(stored);
    const pins = mark.pins.filter(keep);
    return { writes: [pins.length === mark.pins.length ? undefined : storedMark({ ...mark, pins })], result: undefined };
  });
}

export interface RestoreInto {
  readonly table: TableRecord;
  readonly target: WriteTarget;
  readonly writer: ItemWriter;
}

/**
 * Writes into `into` the table the log held at `at` (each item once). Resolves with the number of
 * items written, or undefined when the log is gone (its table's recovery was disabled or the table
 * deleted meanwhile) or the restore is no longer wanted.
 */
export async function restoreFromLog(storage: Storage, logId: string, at: number, into: RestoreInto, stillWanted: () => boolean): Promise<number | undefined> {
  if ((await storage.getItem({ tableId: logId, key: markKey })) === undefined) return undefined;
  let written = 0;
  for await (const page of itemsAt(storage, logId, at)) {
    if (!stillWanted()) return undefined;
    if (page.length === 0) continue;
    await into.writer.write(page.map(({ key, item }): ItemWrite => ({ table: into.table, target: into.target, key, decide: () => ({ next: item }) })));
    written += page.length;
  }
  // The log was dropped while it was read: what was copied may be incomplete.
  if ((await storage.getItem({ tableId: logId, key: markKey })) === undefined) return undefined;
  return written;
}

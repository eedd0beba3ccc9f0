// Reading a whole key range of a storage id page by page, in key order: each page is read when the
// one before it has been used, so a long job (a backfill, a copy, a backup) never holds the store.
import type { KeyRange, RangeEntry, Storage } from '../storage/storage.js';

/** The entries of `range` (forward) of `storageId`, in pages of up to `pageSize`; empty pages are not yielded. */
export async function* rangePages(storage: Storage, storageId: string, range: KeyRange, pageSize: number): AsyncGenerator<RangeEntry[]> {
  let cursor: KeyRange = range;
  for (;;) {
    const page = await storage.readRange(storageId, cursor, pageSize);
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    cursor = { ...cursor, start: Buffer.concat([(page[page.length - 1] as RangeEntry).key, Uint8Array.of(0)]) };
  }
}

// The recovery log on a real (in-memory) store: changes keep their text and their order, dates never
// go back, folding takes only changes older than the horizon and nothing while a restore pins the
// log, and pins no restore holds any more are released.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MemoryStorage } from '../../storage/memory/memory-storage.js';
import type { StoredItem } from '../../storage/storage.js';
import { appendChanges, baseKey, baseRange, changesAfter, decodeChange, encodeChange, markKey, parseMark, recoveryTarget, storedMark } from './recovery-log.js';
import { foldLog } from './recovery-prune.js';
import { pinLog, releaseStalePins } from './recovery-restore.js';

const logId = '0123456789abcdef';
const target = recoveryTarget(logId, { now: () => 0 });
const item = (n: number): StoredItem => ({ json: `{"id":{"S":"k${n}"},"n":{"N":"${n}"}}`, sizeBytes: 10 + n });
const key = (n: number): Buffer => Buffer.from(`key-${n}`);

/** Appends one write of `changes` at `now`, as the item writer does in its transaction. */
async function append(storage: MemoryStorage, now: number, changes: { key: Uint8Array; next: StoredItem | null }[]): Promise<void> {
  await storage.write([target.headRef], ([head]) => {
    const logged = appendChanges(target, head, changes, now);
    return { writes: [logged?.head], derived: logged?.records ?? [], result: undefined };
  });
}

async function ready(storage: MemoryStorage, from: number): Promise<void> {
  await storage.write([{ tableId: logId, key: markKey }], () => ({ writes: [storedMark({ through: 0, from, pins: [] })], result: undefined }));
}

describe('recovery log', () => {
  it('decodes what it encodes: dates, any key bytes, item text, deletes', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 47 }), fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.option(fc.string(), { nil: null }), (t, k, text) => {
      const next = text === null ? null : { json: JSON.stringify({ s: { S: text } }), sizeBytes: text.length };
      const decoded = decodeChange(encodeChange(t, k, next));
      assert.equal(decoded.t, t);
      assert.deepEqual([...decoded.key], [...k]);
      assert.deepEqual(decoded.next, next);
    }));
  });

  it('dates a write by the clock, or by the last change when the clock reads earlier', async () => {
    const storage = new MemoryStorage();
    await append(storage, 1000, [{ key: key(1), next: item(1) }, { key: key(2), next: null }]);
    await append(storage, 900, [{ key: key(1), next: item(3) }]);
    const dates = (await storage.readRange(logId, changesAfter(0), 10)).map((entry) => decodeChange(entry.item).t);
    assert.deepEqual(dates, [1000, 1000, 1000]);
  });

  it('folds only changes older than the horizon, the last change of each item winning, and nothing while pinned', async () => {
    const storage = new MemoryStorage();
    await ready(storage, 0);
    await append(storage, 100, [{ key: key(1), next: item(1) }]);
    await append(storage, 200, [{ key: key(1), next: item(2) }, { key: key(2), next: item(2) }]);
    await append(storage, 300, [{ key: key(2), next: null }]);
    await pinLog(storage, logId, `${Date.UTC(2030, 0, 1)}/restore`, 250, false);
    assert.equal(await foldLog(storage, logId, 301, () => true), 0, 'pinned: nothing folded');
    await releaseStalePins(storage, logId, () => false);
    assert.equal(await foldLog(storage, logId, 250, () => true), 3);
    const base = await storage.readRange(logId, baseRange, 10);
    assert.deepEqual(base.map((entry) => [Buffer.from(entry.key).toString(), entry.item.json]), [[baseKey(key(1)).toString(), item(2).json], [baseKey(key(2)).toString(), item(2).json]]);
    const mark = parseMark(await storage.getItem({ tableId: logId, key: markKey }));
    assert.deepEqual(mark, { through: 3, from: 200, pins: [] });
    assert.equal((await storage.readRange(logId, changesAfter(0), 10)).length, 1, 'the delete at 300 stays');
  });

  it('keeps the pins it is told to keep', async () => {
    const storage = new MemoryStorage();
    await ready(storage, 0);
    await pinLog(storage, logId, '1/a', 10, false);
    await pinLog(storage, logId, '2/b', 10, false);
    await releaseStalePins(storage, logId, (pin) => pin === '2/b');
    assert.deepEqual(parseMark(await storage.getItem({ tableId: logId, key: markKey })).pins, ['2/b']);
  });
});

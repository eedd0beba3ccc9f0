// One storage contract, run against every adapter (runStorageContract(makeAdapter)).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Storage, StoredItem } from '../../src/storage/storage.js';

export interface AdapterFactory {
  readonly name: string;
  /** A fresh, empty store. */
  open(): Storage | Promise<Storage>;
  /** Closes and reopens the same store, when the adapter is durable. */
  reopen?(storage: Storage): Promise<Storage>;
}

/**
 * The factory of a durable adapter opened at a location (a directory, a URL): each store at a new
 * location, reopened at its own.
 */
export function durableAdapter(name: string, newLocation: () => string, openAt: (location: string) => Promise<Storage>): AdapterFactory {
  const locations = new WeakMap<Storage, string>();
  const openHere = async (location: string): Promise<Storage> => {
    const storage = await openAt(location);
    locations.set(storage, location);
    return storage;
  };
  return {
    name,
    open: () => openHere(newLocation()),
    async reopen(storage) {
      const location = locations.get(storage) as string;
      await storage.close();
      return openHere(location);
    },
  };
}

const item = (json: string): StoredItem => ({ json, sizeBytes: json.length });
const key = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);

export function runStorageContract(factory: AdapterFactory): void {
  describe(`storage contract: ${factory.name}`, () => {
    const opened: Storage[] = [];
    const open = async (): Promise<Storage> => {
      const s = await factory.open();
      opened.push(s);
      return s;
    };
    after(async () => {
      for (const s of opened) await s.close().catch(() => undefined);
    });

    it('reads back what a write decided, and nothing for unknown keys', async () => {
      const s = await open();
      const result = await s.write([{ tableId: 'aaaaaaaaaaaaaaaa', key: key(1, 2) }], ([current]) => ({ writes: [item('{"a":1}')], result: current }));
      assert.equal(result, undefined);
      assert.deepEqual(await s.getItem({ tableId: 'aaaaaaaaaaaaaaaa', key: key(1, 2) }), item('{"a":1}'));
      assert.equal(await s.getItem({ tableId: 'aaaaaaaaaaaaaaaa', key: key(1, 3) }), undefined);
      assert.equal(await s.getItem({ tableId: 'bbbbbbbbbbbbbbbb', key: key(1, 2) }), undefined);
    });

    it('hands decide the current items and applies replace, delete and leave-alone', async () => {
      const s = await open();
      const t = 'cccccccccccccccc';
      await s.write([{ tableId: t, key: key(1) }, { tableId: t, key: key(2) }], () => ({ writes: [item('one'), item('two')], result: null }));
      const seen = await s.write([{ tableId: t, key: key(1) }, { tableId: t, key: key(2) }, { tableId: t, key: key(3) }], (current) => ({
        writes: [null, undefined, item('three')],
        result: current.map((c) => c?.json),
      }));
      assert.deepEqual(seen, ['one', 'two', undefined]);
      assert.equal(await s.getItem({ tableId: t, key: key(1) }), undefined);
      assert.deepEqual(await s.getItem({ tableId: t, key: key(2) }), item('two'));
      assert.deepEqual(await s.getItem({ tableId: t, key: key(3) }), item('three'));
    });

    it('writes nothing when decide throws', async () => {
      const s = await open();
      const t = 'dddddddddddddddd';
      await s.write([{ tableId: t, key: key(9) }], () => ({ writes: [item('kept')], result: null }));
      await assert.rejects(s.write([{ tableId: t, key: key(9) }], () => {
        throw new Error('condition failed');
      }), /condition failed/);
      assert.deepEqual(await s.getItem({ tableId: t, key: key(9) }), item('kept'));
      assert.deepEqual(await s.tableStats(t), { itemCount: 1, sizeBytes: 4 });
    });

    it('keeps item count and size per table in step with writes', async () => {
      const s = await open();
      const t = 'eeeeeeeeeeeeeeee';
      for (let i = 0; i < 10; i++) await s.write([{ tableId: t, key: key(i) }], () => ({ writes: [item('x'.repeat(i + 1))], result: null }));
      await s.write([{ tableId: t, key: key(0) }], () => ({ writes: [item('y'.repeat(100))], result: null }));
      await s.write([{ tableId: t, key: key(1) }], () => ({ writes: [null], result: null }));
      await s.write([{ tableId: t, key: key(200) }], () => ({ writes: [undefined], result: null }));
      assert.deepEqual(await s.tableStats(t), { itemCount: 9, sizeBytes: 100 + (55 - 1 - 2) });
      assert.deepEqual(await s.tableStats('ffffffffffffffff'), { itemCount: 0, sizeBytes: 0 });
    });

    it('applies derived writes with the decided ones, and keeps their tables\' stats from what is in place', async () => {
      const s = await open();
      const base = '0000000000000a01';
      const index = '0000000000000a02';
      await s.write([{ tableId: base, key: key(1) }], () => ({
        writes: [item('base-1')],
        result: null,
        derived: [{ ref: { tableId: index, key: key(9, 1) }, next: item('entry-1') }],
      }));
      assert.deepEqual(await s.getItem({ tableId: index, key: key(9, 1) }), item('entry-1'));
      // Move the entry: delete the old key, write the new one; deleting a missing key changes nothing.
      await s.write([{ tableId: base, key: key(1) }], () => ({
        writes: [item('base-1b')],
        result: null,
        derived: [
          { ref: { tableId: index, key: key(9, 1) }, next: null },
          { ref: { tableId: index, key: key(8, 1) }, next: item('entry-1b') },
          { ref: { tableId: index, key: key(7, 7) }, next: null },
        ],
      }));
      assert.equal(await s.getItem({ tableId: index, key: key(9, 1) }), undefined);
      assert.deepEqual((await s.readRange(index, {}, 10)).map((e) => e.item.json), ['entry-1b']);
      assert.deepEqual(await s.tableStats(index), { itemCount: 1, sizeBytes: 8 });
      // Overwriting an entry in place counts it once.
      await s.write([], () => ({ writes: [], result: null, derived: [{ ref: { tableId: index, key: key(8, 1) }, next: item('entry-1c!') }] }));
      assert.deepEqual(await s.tableStats(index), { itemCount: 1, sizeBytes: 9 });
      assert.deepEqual(await s.tableStats(base), { itemCount: 1, sizeBytes: 7 });
    });

    it('writes no derived entry when decide throws', async () => {
      const s = await open();
      const index = '0000000000000b02';
      await assert.rejects(s.write([{ tableId: '0000000000000b01', key: key(1) }], () => {
        throw new Error('refused');
      }), /refused/);
      assert.deepEqual(await s.readRange(index, {}, 10), []);
      assert.deepEqual(await s.tableStats(index), { itemCount: 0, sizeBytes: 0 });
    });

    it('serialises concurrent read-modify-write: no lost updates', async () => {
      const s = await open();
      const t = '0000000000000001';
      const increments = Array.from({ length: 200 }, () =>
        s.write([{ tableId: t, key: key(7) }], ([current]) => ({ writes: [item(String(Number(current?.json ?? '0') + 1))], result: null })),
      );
      await Promise.all(increments);
      assert.deepEqual(await s.getItem({ tableId: t, key: key(7) }), item('200'));
    });

    it('reads ranges in key order, either direction, with inclusive start, exclusive end and a limit', async () => {
      const s = await open();
      const t = '0000000000000010';
      const keys = [[1], [1, 0], [1, 5], [2], [2, 255], [3], [255, 255]].map((k) => Uint8Array.from(k));
      for (const [i, k] of keys.entries()) await s.write([{ tableId: t, key: k }], () => ({ writes: [item(String(i))], result: null }));
      await s.write([{ tableId: '0000000000000011', key: key(2) }], () => ({ writes: [item('other table')], result: null }));
      const hex = (entries: { key: Uint8Array }[]) => entries.map((e) => Buffer.from(e.key).toString('hex'));
      assert.deepEqual(hex(await s.readRange(t, {}, 100)), ['01', '0100', '0105', '02', '02ff', '03', 'ffff']);
      assert.deepEqual(hex(await s.readRange(t, { reverse: true }, 100)), ['ffff', '03', '02ff', '02', '0105', '0100', '01']);
      assert.deepEqual(hex(await s.readRange(t, { start: key(1, 0), end: key(2, 255) }, 100)), ['0100', '0105', '02']);
      assert.deepEqual(hex(await s.readRange(t, { start: key(1, 0), end: key(2, 255), reverse: true }, 100)), ['02', '0105', '0100']);
      assert.deepEqual(hex(await s.readRange(t, { start: key(1, 1) }, 2)), ['0105', '02']);
      assert.deepEqual(hex(await s.readRange(t, { end: key(2), reverse: true }, 2)), ['0105', '0100']);
      assert.deepEqual(hex(await s.readRange(t, { start: key(4), end: key(5) }, 10)), []);
      assert.deepEqual(hex(await s.readRange('0000000000000012', {}, 10)), []);
      const [first] = await s.readRange(t, { start: key(3) }, 1);
      assert.deepEqual(first?.item, item('5'));
    });

    it('sees deletes and overwrites in ranges', async () => {
      const s = await open();
      const t = '0000000000000013';
      for (const k of [1, 2, 3]) await s.write([{ tableId: t, key: key(k) }], () => ({ writes: [item(`v${k}`)], result: null }));
      await s.write([{ tableId: t, key: key(2) }], () => ({ writes: [null], result: null }));
      await s.write([{ tableId: t, key: key(3) }], () => ({ writes: [item('new')], result: null }));
      const entries = await s.readRange(t, {}, 10);
      assert.deepEqual(entries.map((e) => e.item.json), ['v1', 'new']);
    });

    it('drops a table without touching others', async () => {
      const s = await open();
      await s.write([{ tableId: '0000000000000002', key: key(1) }, { tableId: '0000000000000003', key: key(1) }], () => ({ writes: [item('a'), item('b')], result: null }));
      await s.dropTable('0000000000000002');
      assert.equal(await s.getItem({ tableId: '0000000000000002', key: key(1) }), undefined);
      assert.deepEqual(await s.tableStats('0000000000000002'), { itemCount: 0, sizeBytes: 0 });
      assert.deepEqual(await s.getItem({ tableId: '0000000000000003', key: key(1) }), item('b'));
    });

    it('keeps catalog entries; writes and removals apply together', async () => {
      const s = await open();
      await s.updateCatalog([], () => ({ changes: [{ key: 'table/a', value: '{"x":1}' }, { key: 'table/b', value: '{"y":2}' }], result: null }));
      await s.updateCatalog([], () => ({ changes: [{ key: 'table/a', value: undefined }, { key: 'dropping/z', value: '1' }], result: null }));
      const entries = (await s.readCatalog()).sort((x, y) => x.key.localeCompare(y.key));
      assert.deepEqual(entries, [{ key: 'dropping/z', value: '1' }, { key: 'table/b', value: '{"y":2}' }]);
    });

    it('runs catalog updates one after another, each deciding on the entries as the previous left them', async () => {
      const s = await open();
      const increment = () => s.updateCatalog(['counter'], ([current]) => {
        const next = String(Number(current ?? '0') + 1);
        return { changes: [{ key: 'counter', value: next }], result: next };
      });
      const results = await Promise.all(Array.from({ length: 20 }, increment));
      assert.deepEqual(results.map(Number).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
      assert.deepEqual(await s.readCatalog(), [{ key: 'counter', value: '20' }]);
    });

    it('writes nothing of a catalog update whose decide throws', async () => {
      const s = await open();
      await s.updateCatalog([], () => ({ changes: [{ key: 'kept', value: '1' }], result: null }));
      await assert.rejects(s.updateCatalog(['kept'], () => {
        throw new Error('refused');
      }), /refused/);
      assert.deepEqual(await s.readCatalog(), [{ key: 'kept', value: '1' }]);
    });

    it('applies a write whose guards hold, and refuses one whose guard changed without writing anything', async () => {
      const s = await open();
      const t = '0000000000000020';
      await s.updateCatalog([], () => ({ changes: [{ key: 'live/t', value: '1' }, { key: 'live/u', value: '7' }], result: null }));
      await s.write([{ tableId: t, key: key(1) }], () => ({ writes: [item('planned on 1')], result: null }), [{ key: 'live/t', value: '1' }, { key: 'live/u', value: '7' }]);
      assert.deepEqual(await s.getItem({ tableId: t, key: key(1) }), item('planned on 1'));
      await s.updateCatalog(['live/t'], () => ({ changes: [{ key: 'live/t', value: '2' }], result: null }));
      let decided = 0;
      const refused = s.write([{ tableId: t, key: key(1) }, { tableId: t, key: key(2) }], () => {
        decided++;
        return { writes: [null, item('stale')], result: null, derived: [{ ref: { tableId: '0000000000000021', key: key(1) }, next: item('entry') }] };
      }, [{ key: 'live/u', value: '7' }, { key: 'live/t', value: '1' }]);
      await assert.rejects(refused, (error: Error) => error.name === 'CatalogConflict' && (error as Error & { key: string }).key === 'live/t');
      assert.deepEqual(await s.getItem({ tableId: t, key: key(1) }), item('planned on 1'));
      assert.equal(await s.getItem({ tableId: t, key: key(2) }), undefined);
      assert.deepEqual(await s.readRange('0000000000000021', {}, 10), []);
      assert.deepEqual(await s.tableStats(t), { itemCount: 1, sizeBytes: 12 });
      assert.ok(decided <= 2, 'decide may run, but its decision is not applied');
      // A guard on an entry that does not exist never holds.
      await assert.rejects(s.write([{ tableId: t, key: key(3) }], () => ({ writes: [item('x')], result: null }), [{ key: 'live/none', value: '1' }]), /live\/none/);
    });

    if (factory.reopen !== undefined) {
      const reopen = factory.reopen;
      it('keeps items, stats and catalog across close and reopen', async () => {
        const s = await open();
        const t = '0000000000000004';
        await s.updateCatalog([], () => ({ changes: [{ key: 'table/kept', value: 'v' }], result: null }));
        await s.write([{ tableId: t, key: key(5, 5) }], () => ({ writes: [item('durable')], result: null, derived: [{ ref: { tableId: '0000000000000005', key: key(1) }, next: item('entry') }] }));
        const again = await reopen(s);
        opened.push(again);
        assert.deepEqual(await again.getItem({ tableId: t, key: key(5, 5) }), item('durable'));
        assert.deepEqual(await again.getItem({ tableId: '0000000000000005', key: key(1) }), item('entry'));
        assert.deepEqual(await again.tableStats('0000000000000005'), { itemCount: 1, sizeBytes: 5 });
        assert.deepEqual(await again.tableStats(t), { itemCount: 1, sizeBytes: 7 });
        assert.deepEqual(await again.readCatalog(), [{ key: 'table/kept', value: 'v' }]);
      });
    }
  });
}

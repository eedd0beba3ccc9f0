// The index invariant, as a property: after any sequence of puts, updates, deletes and batch writes
// (changing index keys, their types and presence), every index — multi-attribute GSI keys among
// them — equals the projection of its table, on both storage adapters, and on LMDB again after a
// kill -9 and restart. With a small item collection limit, a write is refused exactly when it would
// grow a collection (a partition's items and LSI entries) past the limit.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { apply, canonical, checkInvariant, collectionLimit, collectionSizes, definition, keyOf, op, type Item, type Op } from '../helpers/index-workload.js';

/** The table an op would leave if applied (the model a collection refusal is checked against). */
function applied(items: readonly Item[], o: Op): Item[] {
  const byKey = new Map(items.map((i) => [`${i['pk']?.S}/${i['sk']?.N}`, i]));
  const id = (k: { pk: string; sk: number }) => `${k.pk}/${k.sk}`;
  switch (o.kind) {
    case 'put':
      byKey.set(id(o.key), { ...keyOf(o.key), ...o.attrs });
      break;
    case 'update': {
      const next: Item = { ...(byKey.get(id(o.key)) ?? keyOf(o.key)), ...o.set };
      for (const name of o.remove) if (o.set[name] === undefined) delete next[name];
      byKey.set(id(o.key), next);
      break;
    }
    case 'delete':
      byKey.delete(id(o.key));
      break;
    case 'batch':
      for (const p of o.puts) byKey.set(id(p.key), { ...keyOf(p.key), ...p.attrs });
      break;
  }
  return [...byKey.values()];
}

/** A write is refused for its item collection exactly when it grows one past the limit. */
function checkCollections(before: readonly Item[], after: readonly Item[], o: Op, refused: boolean): void {
  const sizesBefore = collectionSizes(before);
  const grown = (items: readonly Item[]) => [...collectionSizes(items)].some(([pk, bytes]) => bytes > collectionLimit && bytes > (sizesBefore.get(pk) ?? 0));
  if (refused) {
    assert.deepEqual(after.map(canonical).sort(), before.map(canonical).sort(), 'a refused write changed the table');
    assert.ok(grown(applied(before, o)), `refused without growing a collection past the limit: ${JSON.stringify(o)}`);
    collectionRefusals++;
  } else {
    assert.ok(!grown(after), `a collection grew past the limit: ${JSON.stringify(o)}`);
  }
}

/** Entries compared, over the whole test: proof the property looked at real indexes. */
let entriesChecked = 0;
/** Writes refused for their item collection: proof the limit was reached. */
let collectionRefusals = 0;

for (const adapter of ['memory', 'lmdb'] as const) {
  describe(`index invariant (${adapter})`, () => {
    let server: ServerProcess | undefined;
    after(async () => server?.dispose());

    it('keeps every index equal to the projection of its table after every write', { ...localOnly, timeout: 240_000 }, async () => {
      entriesChecked = 0;
      collectionRefusals = 0;
      const limit = ['--item-collection-size-limit-bytes', String(collectionLimit)];
      server = await startServerProcess({ args: adapter === 'memory' ? ['--in-memory', ...limit] : limit });
      const db = server.client();
      let run = 0;
      const tables: string[] = [];
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), async (ops) => {
          const table = `Inv${run++}`;
          tables.push(table);
          await db.send(new CreateTableCommand(definition(table)));
          let items: Item[] = [];
          for (const o of ops) {
            const refused = await apply(db, table, o);
            const { items: next, entries } = await checkInvariant(db, table);
            entriesChecked += entries;
            checkCollections(items, next, o, refused);
            items = next;
          }
        }),
        { numRuns: 20, seed: 20261121 },
      );
      assert.ok(entriesChecked > 500, `only ${entriesChecked} index entries were compared`);
      assert.ok(collectionRefusals > 5, `only ${collectionRefusals} writes reached the item collection limit`);
      if (adapter === 'lmdb') {
        await server.kill();
        server = await startServerProcess({ dataDir: server.dataDir, args: limit });
        const again = server.client();
        for (const table of tables) entriesChecked += (await checkInvariant(again, table)).entries;
        console.log(`index invariant: ${tables.length} tables, ${entriesChecked} index entries compared, ${collectionRefusals} writes refused for their item collection`);
      }
    });
  });
}

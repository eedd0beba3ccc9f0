// Crash test: kill -9 the server under concurrent PutItem/DeleteItem/UpdateItem load, restart, and
// check that every acknowledged write is there — over many cycles on the same data directory. Each
// worker also increments its own counter with ADD: no acknowledged increment may be lost. The kill
// comes after a seeded number of acknowledged writes, not after a time.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CreateTableCommand, DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { newDataDir, startServerProcess, localOnly } from '../helpers/server-process.js';
import { seededRandom } from '../helpers/seeded-random.js';

/** CI runs at least 20 kill -9 cycles (the bar). */
const cycles = Number(process.env['STRATUSDB_CRASH_CYCLES'] ?? 20);
const workers = 16;
const keysPerWorker = 25;
/** How many writes are acknowledged before the kill, drawn per cycle so the kill lands at different moments. */
const ackedBeforeKillMin = 40;
const ackedBeforeKillSpread = 200;
/** The run is replayable from its seed (STRATUSDB_CRASH_SEED to try another). */
const seed = Number(process.env['STRATUSDB_CRASH_SEED'] ?? 20261205);

/** What a key must read as: a version number, or null for deleted/never written. */
type State = number | null;
interface KeyModel {
  acknowledged: State;
  inFlight: State | undefined;
}

describe('crash safety (kill -9 under load)', () => {
  it(`keeps every acknowledged write across ${cycles} kill -9 cycles`, { ...localOnly, timeout: 300_000 }, async () => {
    const dataDir = newDataDir();
    const random = seededRandom(seed);
    const model = new Map<string, KeyModel>();
    /** Per worker: increments acknowledged, and whether one was in flight when the server died. */
    const counters = Array.from({ length: workers }, () => ({ acknowledged: 0, inFlight: false }));
    let version = 0;
    let acknowledgedTotal = 0;
    try {
      for (let cycle = 0; cycle < cycles; cycle++) {
        const server = await startServerProcess({ dataDir });
        const db = server.client();
        if (cycle === 0) {
          await db.send(new CreateTableCommand({
            TableName: 'Crash', BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          }));
        } else {
          await verify(db, model, cycle);
          await verifyCounters(db, counters, cycle);
        }
        let running = true;
        const killAt = acknowledgedTotal + ackedBeforeKillMin + Math.floor(random() * ackedBeforeKillSpread);
        let reachedKillPoint!: () => void;
        const killPoint = new Promise<void>((resolve) => (reachedKillPoint = resolve));
        const acknowledged = (): void => {
          acknowledgedTotal++;
          if (acknowledgedTotal >= killAt) reachedKillPoint();
        };
        const load = Array.from({ length: workers }, async (_, w) => {
          while (running) {
            if (random() < 0.2) {
              const counter = counters[w] as { acknowledged: number; inFlight: boolean };
              counter.inFlight = true;
              try {
                await db.send(new UpdateItemCommand({ TableName: 'Crash', Key: { id: { S: `counter-${w}` } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
              } catch {
                return;
              }
              counter.acknowledged++;
              counter.inFlight = false;
              acknowledged();
              continue;
            }
            const id = `w${w}-k${Math.floor(random() * keysPerWorker)}`;
            const entry = model.get(id) ?? { acknowledged: null, inFlight: undefined };
            model.set(id, entry);
            const deleting = random() < 0.25;
            const next: State = deleting ? null : ++version;
            entry.inFlight = next;
            try {
              if (next === null) await db.send(new DeleteItemCommand({ TableName: 'Crash', Key: { id: { S: id } } }));
              else await db.send(new PutItemCommand({ TableName: 'Crash', Item: { id: { S: id }, v: { N: String(next) }, pad: { S: 'p'.repeat(200) } } }));
            } catch {
              return; // the server died with this request in flight: its outcome stays uncertain
            }
            entry.acknowledged = next;
            entry.inFlight = undefined;
            acknowledged();
          }
        });
        await killPoint;
        await server.kill();
        running = false;
        await Promise.all(load);
      }
      const server = await startServerProcess({ dataDir });
      try {
        await verify(server.client(), model, cycles);
        await verifyCounters(server.client(), counters, cycles);
      } finally {
        await server.stop();
      }
      assert.ok(acknowledgedTotal >= cycles * ackedBeforeKillMin, `only ${acknowledgedTotal} writes were acknowledged`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

async function verify(db: DynamoDBClient, model: Map<string, KeyModel>, cycle: number): Promise<void> {
  for (const [id, entry] of model) {
    const got = await db.send(new GetItemCommand({ TableName: 'Crash', Key: { id: { S: id } }, ConsistentRead: true }));
    const found: State = got.Item === undefined ? null : Number(got.Item['v']?.N);
    const allowed = entry.inFlight === undefined ? [entry.acknowledged] : [entry.acknowledged, entry.inFlight];
    assert.ok(allowed.includes(found), `cycle ${cycle}: ${id} reads ${found}, acknowledged ${entry.acknowledged}, in flight ${entry.inFlight}`);
    // Whatever survived is now the known state.
    entry.acknowledged = found;
    entry.inFlight = undefined;
  }
}

async function verifyCounters(db: DynamoDBClient, counters: { acknowledged: number; inFlight: boolean }[], cycle: number): Promise<void> {
  for (const [w, counter] of counters.entries()) {
    const got = await db.send(new GetItemCommand({ TableName: 'Crash', Key: { id: { S: `counter-${w}` } }, ConsistentRead: true }));
    const value = Number(got.Item?.['n']?.N ?? 0);
    const allowed = counter.inFlight ? [counter.acknowledged, counter.acknowledged + 1] : [counter.acknowledged];
    assert.ok(allowed.includes(value), `cycle ${cycle}: counter-${w} is ${value}, acknowledged ${counter.acknowledged}, in flight ${counter.inFlight}`);
    counter.acknowledged = value;
    counter.inFlight = false;
  }
}

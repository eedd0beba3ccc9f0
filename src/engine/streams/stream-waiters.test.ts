// Committed records wake waiting readers (what triggers will wait on): an engine over the real memory
// adapter, a table with a stream, a waiter per stream — woken by a write that records, not by one
// that changes nothing, and timing out when nothing comes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine, type NewTable } from '../engine.js';
import { engineOptionsOf, withDefaults } from '../../config/option-table.js';
import { MemoryStorage } from '../../storage/memory/memory-storage.js';
import { decodeImportedItem } from '../../api/validate/imported-item.js';
import { enabledStream } from './stream-info.js';

const definition: NewTable = {
  TableName: 'Waited', BillingMode: 'PAY_PER_REQUEST', DeletionProtectionEnabled: false, Tags: [],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
  LocalSecondaryIndexes: [], GlobalSecondaryIndexes: [], StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
};

/** Whether a promise has settled, once the commits before it have run their callbacks (a macrotask later). */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('stream waiters', () => {
  it('wake on a commit that appends records, and only then', async () => {
    const engine = new Engine(new MemoryStorage(), { clock: { now: () => Date.UTC(2030, 0, 1) }, ...engineOptionsOf(withDefaults({})), backupDir: '/nonexistent/stratusdb-backups', s3Dir: '/nonexistent/stratusdb-s3', decodeImportedItem });
    await engine.start();
    const table = await engine.tables.create('us-east-1', definition, (now) => new Date(now).toISOString().replace('Z', ''));
    const stream = enabledStream(table);
    assert.ok(stream !== undefined);
    const item = { pk: { S: 'a' } };
    const put = () => engine.items.put('us-east-1', 'Waited', item, 2);

    const first = engine.streams.nextCommit(stream.storageId, 600_000);
    await put();
    assert.equal(await first, true);

    // Writes that change nothing append nothing and wake nobody (the waiter is still waiting after them).
    const idle = engine.streams.nextCommit(stream.storageId, 600_000);
    await put();
    await engine.items.delete('us-east-1', 'Waited', { pk: { S: 'missing' } });
    assert.equal(await settled(idle), false);

    await engine.items.delete('us-east-1', 'Waited', { pk: { S: 'a' } });
    assert.equal(await idle, true);
    await engine.close();
  });
});

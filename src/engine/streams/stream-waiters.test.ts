// Committed records wake waiting readers (what triggers will wait on): an engine over the real memory
// adapter, a table with a stream, a waiter per stream — woken by a write that records, not by one
// that changes nothing, and timing out when nothing comes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine, type NewTable } from '../engine.js';
import { keyFromItem } from '../item-key.js';
import { deleteItem, putItem } from '../items.js';
import { MemoryStorage } from '../../storage/memory/memory-storage.js';
import { enabledStream } from './stream-info.js';

const definition: NewTable = {
  TableName: 'Waited', BillingMode: 'PAY_PER_REQUEST', DeletionProtectionEnabled: false, Tags: [],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
  LocalSecondaryIndexes: [], GlobalSecondaryIndexes: [], StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
};

describe('stream waiters', () => {
  it('wake on a commit that appends records, and only then', async () => {
    const engine = new Engine(new MemoryStorage(), { clock: { now: () => Date.UTC(2030, 0, 1) }, accountId: '000000000000', tableStatusDelayMs: 0, sharedDb: false });
    await engine.start();
    const table = await engine.createTable('us-east-1', definition, (now) => new Date(now).toISOString().replace('Z', ''));
    const stream = enabledStream(table);
    assert.ok(stream !== undefined);
    const item = { pk: { S: 'a' } };
    const key = keyFromItem(table, item);
    const stored = { json: JSON.stringify(item), sizeBytes: 2 };

    const first = engine.streamWaiters.wait(stream.storageId, 5000);
    await putItem(engine.storage, engine.writeTarget(table), key, stored);
    assert.equal(await first, true);

    // Writes that change nothing append nothing and wake nobody.
    const idle = engine.streamWaiters.wait(stream.storageId, 50);
    await putItem(engine.storage, engine.writeTarget(table), key, stored);
    await deleteItem(engine.storage, engine.writeTarget(table), keyFromItem(table, { pk: { S: 'missing' } }));
    assert.equal(await idle, false);

    const removal = engine.streamWaiters.wait(stream.storageId, 5000);
    await deleteItem(engine.storage, engine.writeTarget(table), key);
    assert.equal(await removal, true);
    await engine.close();
  });
});

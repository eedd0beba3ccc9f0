// Two servers on one LMDB directory once both started, each with its own catalog, and acknowledged
// writes of one vanished. The second must refuse to start, naming the directory and the holder; the
// first keeps serving; after the first dies, even by kill -9, the directory can be opened again.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { realpathSync, rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { newDataDir, startServerProcess, localOnly } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';
import { startServer } from '../../src/main.js';

const cliPath = new URL('../../bin/stratusdb.mjs', import.meta.url).pathname;

describe('one process per data directory', localOnly, () => {
  const dataDir = newDataDir();
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a second server on the same directory and keeps the first one\'s writes', { timeout: 60_000 }, async () => {
    const first = await startServerProcess({ dataDir });
    const db = first.client();
    await db.send(new CreateTableCommand(onDemandTable('Owned', ['id', 'S'])));
    await db.send(new PutItemCommand({ TableName: 'Owned', Item: { id: { S: 'a' } } }));

    const second = spawnSync(process.execPath, [cliPath, '--port', '0', '--data', `lmdb://${dataDir}`], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(second.status, 1);
    assert.equal(second.stdout, '');
    assert.equal(second.stderr.trim(), `stratusdb: the data directory ${realpathSync(dataDir)} is in use by another StratusDB process (pid ${first.child.pid}): stop it, or choose another --data path`);
    // Also through the embedding API, in this process.
    await assert.rejects(startServer({ port: 0, data: `lmdb://${dataDir}`, log: () => undefined }), { name: 'PathInUseError' });

    await db.send(new PutItemCommand({ TableName: 'Owned', Item: { id: { S: 'b' } } }));
    await first.kill();
    const again = await startServerProcess({ dataDir });
    try {
      const db2 = again.client();
      assert.deepEqual((await db2.send(new ListTablesCommand({}))).TableNames, ['Owned']);
      for (const id of ['a', 'b']) assert.ok((await db2.send(new GetItemCommand({ TableName: 'Owned', Key: { id: { S: id } } }))).Item, id);
    } finally {
      await again.stop();
    }
  });

  it('lets one process open the directory again after closing it', async () => {
    const server = await startServer({ port: 0, data: `lmdb://${dataDir}`, log: () => undefined });
    await server.close();
    const reopened = await startServer({ port: 0, data: `lmdb://${dataDir}`, log: () => undefined });
    await reopened.close();
  });
});

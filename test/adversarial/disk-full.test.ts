// A full disk once killed the server on an unhandled "Commit failed". Now every write the disk cannot
// take fails alone with InternalServerError, the server keeps serving reads, logs what happened, and
// takes writes again as soon as space is freed — no restart; nothing acknowledged is lost.
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, PutItemCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';
import { smallDisk } from '../helpers/small-disk.js';

const disk = smallDisk(64);
const item = (n: number) => ({ id: { S: `k${n}` }, pad: { S: 'x'.repeat(100 * 1024) } });

describe('disk full', { skip: localOnly.skip || ('skip' in disk ? disk.skip : false) }, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const dataDir = 'path' in disk ? join(disk.path, 'data') : '';
  const filler = 'path' in disk ? join(disk.path, 'filler') : '';
  before(async () => {
    // Room for the store to start, then most of the disk taken by a file the test can remove.
    writeFileSync(filler, Buffer.alloc(40 * 1024 * 1024, 1));
    server = await startServerProcess({ dataDir });
    db = server.client();
    await db.send(new CreateTableCommand(onDemandTable('Full', ['id', 'S'])));
  });
  after(async () => {
    await server?.dispose();
    if ('path' in disk) disk.release();
  });

  const acknowledged: number[] = [];
  let refused = -1;

  it('refuses the writes the disk cannot take with InternalServerError, and stays up', { timeout: 120_000 }, async () => {
    for (let n = 0; n < 1000 && refused < 0; n++) {
      try {
        await db.send(new PutItemCommand({ TableName: 'Full', Item: item(n) }));
        acknowledged.push(n);
      } catch (error) {
        assert.equal((error as Error).name, 'InternalServerError');
        assert.equal((error as Error).message, 'Internal server error');
        assert.equal((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 500);
        refused = n;
      }
    }
    assert.ok(refused > 0, 'the disk never filled');
    // More writes are refused the same way, one by one, while the disk stays full.
    for (let n = refused; n < refused + 3; n++) {
      await assert.rejects(db.send(new PutItemCommand({ TableName: 'Full', Item: item(n) })), { name: 'InternalServerError' });
    }
    assert.match(server.output(), /storage: commit failed on .*: .* bytes free on its file system/);
    assert.equal(server.child.exitCode, null);
  });

  it('keeps serving reads of what was acknowledged', async () => {
    for (const n of [acknowledged[0] as number, acknowledged[acknowledged.length - 1] as number]) {
      assert.equal((await db.send(new GetItemCommand({ TableName: 'Full', Key: { id: { S: `k${n}` } } }))).Item?.['id']?.S, `k${n}`);
    }
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Full', Key: { id: { S: `k${refused}` } } }))).Item, undefined);
  });

  it('takes writes again once space is freed, without a restart', async () => {
    rmSync(filler);
    for (let n = refused; n < refused + 5; n++) {
      await db.send(new PutItemCommand({ TableName: 'Full', Item: item(n) }));
      acknowledged.push(n);
    }
  });

  it('loses no acknowledged write across kill -9', { timeout: 60_000 }, async () => {
    await server.kill();
    server = await startServerProcess({ dataDir });
    db = server.client();
    const ids = new Set<string>();
    let start: Record<string, { S: string }> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: 'Full', ProjectionExpression: 'id', ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
      for (const i of page.Items ?? []) ids.add(i['id']?.S as string);
      start = page.LastEvaluatedKey as Record<string, { S: string }> | undefined;
    } while (start !== undefined);
    assert.deepEqual([...ids].sort(), acknowledged.map((n) => `k${n}`).sort());
  });
});

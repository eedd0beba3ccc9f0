// Damaged data files once crashed the server without a word (SIGBUS, SIGSEGV) or served a database
// with items silently missing. Now a damaged or cut-short file, or a missing one where a database
// was, is refused at start with a message; damage inside the file is answered with an error and a
// log line; and `stratusdb check` reports it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { newDataDir, startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { rejects } from '../helpers/rejects.js';

const cliPath = new URL('../../bin/stratusdb.mjs', import.meta.url).pathname;
const itemCount = 3000;

function stratusdb(...args: string[]) {
  return spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout: 60_000 });
}

/** Starts a server on the directory expecting it to refuse: exit code 1 (no signal) and the message. */
function refusesToStart(dir: string): string {
  const run = stratusdb('--port', '0', '--data', `lmdb://${dir}`);
  assert.equal(run.signal, null, `killed by ${run.signal}: ${run.stderr}`);
  assert.equal(run.status, 1, run.stderr);
  return run.stderr.trim();
}

function overwrite(file: string, at: number, bytes: Buffer): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, at);
  } finally {
    closeSync(fd);
  }
}

describe('damaged data files', localOnly, () => {
  const pristine = newDataDir();
  const copies: string[] = [];
  const copy = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'stratusdb-damaged-'));
    cpSync(pristine, dir, { recursive: true });
    copies.push(dir);
    return dir;
  };
  before(async () => {
    const server = await startServerProcess({ dataDir: pristine });
    const db = server.client();
    await db.send(new CreateTableCommand({
      TableName: 'Kept', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'ByG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    for (let n = 0; n < itemCount; n++) await db.send(new PutItemCommand({ TableName: 'Kept', Item: { id: { S: `k${n}` }, g: { S: `g${n % 10}` }, pad: { S: 'p'.repeat(150) } } }));
    assert.equal(await server.stop(), 0);
  });
  const servers: ServerProcess[] = [];
  const start = async (dir: string): Promise<ServerProcess> => {
    const server = await startServerProcess({ dataDir: dir });
    servers.push(server);
    return server;
  };
  after(async () => {
    for (const server of servers) await server.kill();
    for (const dir of [pristine, ...copies]) rmSync(dir, { recursive: true, force: true });
  });

  it('checks sound: the undamaged store', () => {
    const run = stratusdb('check', '--data', `lmdb://${pristine}`);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.stdout, `us-east-1/Kept: ${itemCount} items, ok\nlmdb://${pristine}: sound (1 tables)\n`);
  });

  it('refuses a file cut to half its size', () => {
    const dir = copy();
    const file = join(dir, 'data.mdb');
    const size = statSync(file).size;
    truncateSync(file, Math.floor(size / 2 / 4096) * 4096);
    assert.match(refusesToStart(dir), new RegExp(`^stratusdb: ${file} is damaged \\(\\d+ bytes, but its last page ends at byte ${size}: the file was cut short\\): StratusDB will not open it; restore it from a backup$`));
  });

  it('refuses a file cut to 4 KiB', () => {
    const dir = copy();
    const file = join(dir, 'data.mdb');
    truncateSync(file, 4096);
    assert.equal(refusesToStart(dir), `stratusdb: ${file} is damaged (4096 bytes, less than its two meta pages): StratusDB will not open it; restore it from a backup`);
  });

  it('refuses a file whose first 8 KiB are zeros', () => {
    const dir = copy();
    const file = join(dir, 'data.mdb');
    overwrite(file, 0, Buffer.alloc(8192));
    assert.equal(refusesToStart(dir), `stratusdb: ${file} is damaged (its first page is not an LMDB meta page): StratusDB will not open it; restore it from a backup`);
  });

  it('refuses a missing or empty data.mdb where a database was, instead of starting empty', () => {
    const missing = copy();
    rmSync(join(missing, 'data.mdb'));
    assert.equal(refusesToStart(missing), `stratusdb: ${join(missing, 'data.mdb')} is missing, but ${missing} held a StratusDB database: restore data.mdb from a backup, or remove the directory to start an empty database`);
    const empty = copy();
    truncateSync(join(empty, 'data.mdb'), 0);
    assert.equal(refusesToStart(empty), `stratusdb: ${join(empty, 'data.mdb')} is empty, but ${empty} held a StratusDB database: restore data.mdb from a backup, or remove the directory to start an empty database`);
  });

  it('refuses to serve an item whose bytes changed on disk, logs where, and check names it', { timeout: 120_000 }, async () => {
    const dir = copy();
    const file = join(dir, 'data.mdb');
    // Every copy of the item in the file (LMDB leaves old versions of pages in its free space).
    const bytes = readFileSync(file);
    let copies = 0;
    for (let at = bytes.indexOf('{"id":{"S":"k1234"}'); at >= 0; at = bytes.indexOf('{"id":{"S":"k1234"}', at + 1)) {
      overwrite(file, at + 40, Buffer.from('q'));
      copies++;
    }
    assert.ok(copies > 0);
    const server = await start(dir);
    const db = server.client();
    await rejects(db.send(new GetItemCommand({ TableName: 'Kept', Key: { id: { S: 'k1234' } } })), 'InternalServerError', 'Internal server error');
    await rejects(db.send(new ScanCommand({ TableName: 'Kept' })), 'InternalServerError', 'Internal server error');
    assert.ok((await db.send(new GetItemCommand({ TableName: 'Kept', Key: { id: { S: 'k1233' } } }))).Item);
    assert.match(server.output(), /storage: a stored item is damaged \(checksum mismatch\) at lmdb:\/\/.*, table [0-9a-f]{16}, key [0-9a-f]+: restore the data from a backup; `stratusdb check` lists every damaged item/);
    assert.equal(await server.stop(), 0);
    const check = stratusdb('check', '--data', `lmdb://${dir}`);
    assert.equal(check.status, 1);
    assert.match(check.stdout, /^us-east-1\/Kept: \d+ items, \d+ problem\(s\)\n {2}- cannot read past item .*: a stored item is damaged \(checksum mismatch\)/);
  });

  it('never serves a wrong item from a file with noise in its middle, and check reports the damage', { timeout: 120_000 }, async () => {
    const dir = copy();
    const file = join(dir, 'data.mdb');
    const random = seededRandom(0x5eed);
    const noise = Buffer.from(Array.from({ length: 64 * 1024 }, () => Math.floor(random() * 256)));
    overwrite(file, Math.floor(statSync(file).size / 2 / 4096) * 4096, noise);
    const server = await start(dir);
    const db = server.client();
    const outcomes = { served: 0, refused: 0, missing: 0 };
    for (let n = 0; n < itemCount; n++) {
      try {
        const got = await db.send(new GetItemCommand({ TableName: 'Kept', Key: { id: { S: `k${n}` } } }));
        if (got.Item === undefined) outcomes.missing++;
        else {
          // Never a wrong item: what is served is exactly what was written.
          assert.deepEqual(got.Item, { id: { S: `k${n}` }, g: { S: `g${n % 10}` }, pad: { S: 'p'.repeat(150) } });
          outcomes.served++;
        }
      } catch (error) {
        assert.deepEqual([(error as Error).name, (error as Error).message], ['InternalServerError', 'Internal server error']);
        outcomes.refused++;
      }
    }
    assert.ok(outcomes.refused + outcomes.missing > 0, 'the damage went unnoticed');
    if (outcomes.refused > 0) assert.match(server.output(), /storage: (a stored item is damaged|read failed on lmdb)/);
    assert.equal(await server.stop(), 0);
    // LMDB may abort the process walking damaged pages: check reports that as damage too.
    const check = stratusdb('check', '--data', `lmdb://${dir}`);
    assert.equal(check.status, 1, check.stdout + check.stderr);
    assert.ok(/lmdb:\/\/.*: damaged( \(.*\))?\n$/.test(check.stdout) || /the store is damaged; restore it from a backup\n$/.test(check.stderr), check.stdout + check.stderr);
    console.log(`64 KiB of noise: ${outcomes.served} items served intact, ${outcomes.refused} refused, ${outcomes.missing} not found; check: ${(check.stdout.split('\n')[0] ?? '') || check.stderr.trim()}`);
  });
});

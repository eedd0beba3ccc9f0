// PartiQL through the SDK: ExecuteStatement (SELECT as GetItem / Query / Scan with filters,
// projections, nested paths, parameters, NextToken and Limit, ORDER BY, index reads; INSERT,
// UPDATE, DELETE with conditions in WHERE and RETURNING), BatchExecuteStatement and
// ExecuteTransaction — with the texts DynamoDB answers for what it refuses.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchExecuteStatementCommand, CreateTableCommand, DynamoDBClient, ExecuteStatementCommand, ExecuteTransactionCommand, GetItemCommand,
  PutItemCommand, type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ExecuteStatementCommand as DocExecuteStatement } from '@aws-sdk/lib-dynamodb';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { rejects } from '../helpers/rejects.js';

type Item = Record<string, AttributeValue>;

const notWellFormed = "Statement wasn't well formed, can't be processed: ";

describe('PartiQL', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const run = async (Statement: string, Parameters?: AttributeValue[], extra: { ConsistentRead?: boolean; Limit?: number; NextToken?: string; ReturnConsumedCapacity?: 'TOTAL' | 'INDEXES' } = {}) =>
    db.send(new ExecuteStatementCommand({ Statement, ...(Parameters === undefined ? {} : { Parameters }), ...extra }));
  const stored = async (TableName: string, Key: Item) => (await db.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item;
  const refused = async (Statement: string, message: string, Parameters?: AttributeValue[]) => rejects(run(Statement, Parameters), 'ValidationException', message);

  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await db.send(new CreateTableCommand({
      TableName: 'Music', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'artist', AttributeType: 'S' }, { AttributeName: 'song', AttributeType: 'S' }, { AttributeName: 'genre', AttributeType: 'S' }, { AttributeName: 'year', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'artist', KeyType: 'HASH' }, { AttributeName: 'song', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byGenre', KeySchema: [{ AttributeName: 'genre', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['year'] } }],
      LocalSecondaryIndexes: [{ IndexName: 'byYear', KeySchema: [{ AttributeName: 'artist', KeyType: 'HASH' }, { AttributeName: 'year', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    }));
    await db.send(new CreateTableCommand({
      TableName: 'Things', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }));
    await db.send(new CreateTableCommand({
      TableName: 'Numbers', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'N' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }));
    const songs: Item[] = [
      { artist: { S: 'Acme' }, song: { S: 'a1' }, genre: { S: 'rock' }, year: { N: '1999' }, plays: { N: '10' }, info: { M: { label: { S: 'L1' }, tags: { L: [{ S: 'x' }, { S: 'y' }] } } } },
      { artist: { S: 'Acme' }, song: { S: 'a2' }, genre: { S: 'pop' }, year: { N: '2001' }, plays: { N: '20' } },
      { artist: { S: 'Acme' }, song: { S: 'a3' }, genre: { S: 'rock' }, year: { N: '2005' }, plays: { N: '30' }, status: { S: 'live' } },
      { artist: { S: 'Bolt' }, song: { S: 'b1' }, genre: { S: 'jazz' }, year: { N: '1980' }, plays: { N: '5' } },
    ];
    for (const Item of songs) await db.send(new PutItemCommand({ TableName: 'Music', Item }));
    await db.send(new PutItemCommand({
      TableName: 'Things',
      Item: { pk: { S: 'fn' }, ss: { SS: ['a', 'b', 'c'] }, s: { S: 'str' }, m: { M: { sub: { S: 'x' } } }, nul: { NULL: true }, flag: { BOOL: true } },
    }));
  });
  after(async () => server.dispose());

  describe('SELECT', () => {
    it('with the whole primary key reads one item, by literal or by parameter', async () => {
      const literal = await run(`SELECT * FROM Music WHERE artist = 'Acme' AND song = 'a2'`);
      assert.deepEqual(literal.Items, [{ artist: { S: 'Acme' }, song: { S: 'a2' }, genre: { S: 'pop' }, year: { N: '2001' }, plays: { N: '20' } }]);
      assert.equal(literal.NextToken, undefined);
      const param = await run(`SELECT song, plays FROM "Music" WHERE artist = ? AND song = ?`, [{ S: 'Acme' }, { S: 'a1' }]);
      assert.deepEqual(param.Items, [{ song: { S: 'a1' }, plays: { N: '10' } }]);
      const missing = await run(`SELECT * FROM Music WHERE artist = 'Acme' AND song = 'zz'`);
      assert.deepEqual(missing.Items, []);
    });

    it('with the partition key queries it, in key order or ORDER BY … DESC, filtered by the rest of WHERE', async () => {
      const all = await run(`SELECT song FROM Music WHERE artist = 'Acme'`);
      assert.deepEqual(all.Items?.map((i) => i['song']?.S), ['a1', 'a2', 'a3']);
      const desc = await run(`SELECT song FROM Music WHERE artist = 'Acme' ORDER BY song DESC`);
      assert.deepEqual(desc.Items?.map((i) => i['song']?.S), ['a3', 'a2', 'a1']);
      const range = await run(`SELECT song FROM Music WHERE artist = 'Acme' AND song > 'a1' AND plays >= 30`);
      assert.deepEqual(range.Items?.map((i) => i['song']?.S), ['a3']);
      const between = await run(`SELECT song FROM Music WHERE artist = 'Acme' AND song BETWEEN 'a1' AND 'a2'`);
      assert.deepEqual(between.Items?.map((i) => i['song']?.S), ['a1', 'a2']);
      const prefix = await run(`SELECT song FROM Music WHERE artist = 'Acme' AND begins_with(song, 'a3')`);
      assert.deepEqual(prefix.Items?.map((i) => i['song']?.S), ['a3']);
      const notEqual = await run(`SELECT song FROM Music WHERE artist = 'Acme' AND song <> 'a2'`);
      assert.deepEqual(notEqual.Items?.map((i) => i['song']?.S), ['a1', 'a3']);
    });

    it('without a partition key condition scans, filtered (IN, OR, NOT, functions)', async () => {
      const scan = await run(`SELECT song FROM Music WHERE genre = 'rock'`);
      assert.deepEqual(scan.Items?.map((i) => i['song']?.S).sort(), ['a1', 'a3']);
      const inList = await run(`SELECT song FROM Music WHERE song IN ['a2', 'b1']`);
      assert.deepEqual(inList.Items?.map((i) => i['song']?.S).sort(), ['a2', 'b1']);
      const or = await run(`SELECT song FROM Music WHERE plays < 10 OR attribute_exists(status)`);
      assert.deepEqual(or.Items?.map((i) => i['song']?.S).sort(), ['a3', 'b1']);
      const not = await run(`SELECT song FROM Music WHERE NOT genre = 'rock' AND size(song) = 2`);
      assert.deepEqual(not.Items?.map((i) => i['song']?.S).sort(), ['a2', 'b1']);
      const everything = await run('SELECT * FROM Music');
      assert.equal(everything.Items?.length, 4);
    });

    it('projects nested paths under their last name, and a quoted name with a dot as one attribute', async () => {
      const res = await run(`SELECT info.label, info.tags[1], "status" FROM Music WHERE artist = 'Acme' AND song = 'a1'`);
      assert.deepEqual(res.Items, [{ label: { S: 'L1' }, 'tags[1]': { S: 'y' } }]);
      await refused(`SELECT info.label, label FROM Music`, 'Duplicate identifiers in select clause: label');
      await refused(`SELECT *, song FROM Music`, "Other attributes should not be present in the projection when '*' is used.");
    });

    it('pages with Limit (items read) and NextToken; a token of another statement is refused', async () => {
      const seen: string[] = [];
      let NextToken: string | undefined;
      let pages = 0;
      do {
        const page = await run(`SELECT song FROM Music WHERE artist = 'Acme'`, undefined, { Limit: 2, ...(NextToken === undefined ? {} : { NextToken }) });
        seen.push(...(page.Items ?? []).map((i) => i['song']?.S as string));
        NextToken = page.NextToken;
        pages += 1;
      } while (NextToken !== undefined);
      assert.deepEqual(seen, ['a1', 'a2', 'a3']);
      assert.equal(pages, 2);
      const filtered = await run(`SELECT song FROM Music WHERE artist = 'Acme' AND plays > 100`, undefined, { Limit: 2 });
      assert.deepEqual(filtered.Items, []);
      assert.ok(filtered.NextToken !== undefined);
      await rejects(run(`SELECT song FROM Music WHERE artist = 'Bolt'`, undefined, { NextToken: filtered.NextToken as string }), 'ValidationException', 'NextToken does not match request');
      await rejects(run(`SELECT song FROM Music`, undefined, { NextToken: 'bm90IGEgdG9rZW4=' }), 'ValidationException', 'Invalid NextToken');
    });

    it('reads a GSI and an LSI named in FROM; a GSI refuses what it does not project and consistent reads', async () => {
      const gsi = await run(`SELECT song, year FROM Music."byGenre" WHERE genre = 'rock'`);
      assert.deepEqual(gsi.Items?.map((i) => i['song']?.S).sort(), ['a1', 'a3']);
      const lsi = await run(`SELECT song, plays FROM "Music"."byYear" WHERE artist = 'Acme' AND year > 2000`, undefined, { ConsistentRead: true });
      assert.deepEqual(lsi.Items, [{ song: { S: 'a2' }, plays: { N: '20' } }, { song: { S: 'a3' }, plays: { N: '30' } }]);
      await refused(`SELECT plays, info FROM Music."byGenre" WHERE genre = 'rock'`, 'One or more parameter values were invalid: Global secondary index byGenre does not project [plays, info]');
      await rejects(run(`SELECT * FROM Music."byGenre" WHERE genre = 'rock'`, undefined, { ConsistentRead: true }), 'ValidationException', 'Strongly consistent read is not supported on Global Secondary Indexes');
    });

    it('takes functions and IS in WHERE, and compares sets and maps by content', async () => {
      const keys = async (condition: string) => (await run(`SELECT pk FROM Things WHERE pk = 'fn' AND ${condition}`)).Items?.length;
      assert.equal(await keys('attribute_exists(ss)'), 1);
      assert.equal(await keys('attribute_not_exists(ss)'), 0);
      assert.equal(await keys('ATTRIBUTE_EXISTS(m.sub)'), 1);
      assert.equal(await keys('attribute_exists(ss) = true'), 1);
      assert.equal(await keys('attribute_exists("nope") = false'), 1);
      assert.equal(await keys(`attribute_type(ss, 'SS')`), 1);
      assert.equal(await keys('size(s) = 3'), 1);
      assert.equal(await keys(`contains(ss, 'b')`), 1);
      assert.equal(await keys('nul IS NULL'), 1);
      assert.equal(await keys('s IS NULL'), 0);
      assert.equal(await keys('s IS NOT NULL'), 1);
      assert.equal(await keys('flag IS BOOLEAN AND s IS STRING'), 1);
      assert.equal(await keys('nope IS MISSING AND s IS NOT MISSING'), 1);
      const set = await run(`SELECT pk FROM Things WHERE pk = 'fn' AND ss = ?`, [{ SS: ['c', 'a', 'b'] }]);
      assert.equal(set.Items?.length, 1);
      const map = await run(`SELECT pk FROM Things WHERE pk = 'fn' AND m = {'sub': 'x'}`);
      assert.equal(map.Items?.length, 1);
    });

    it('reads numbers written with exponents and without a leading digit', async () => {
      await run(`INSERT INTO Numbers VALUE {'pk': 7.31e6}`);
      await run(`INSERT INTO Numbers VALUE {'pk': -.73e1}`);
      assert.equal((await run('SELECT * FROM Numbers WHERE pk = 7310000')).Items?.length, 1);
      assert.deepEqual((await run('SELECT * FROM Numbers WHERE pk = 731e4')).Items, [{ pk: { N: '7310000' } }]);
      assert.deepEqual((await run('SELECT * FROM Numbers WHERE pk = -7.3')).Items, [{ pk: { N: '-7.3' } }]);
    });
  });

  describe('writes', () => {
    it('INSERT stores an item with nested values and sets; an existing key is a DuplicateItemException', async () => {
      const res = await run(`INSERT INTO Things VALUE {'pk': 'ins', 'n': 1, 'l': [1, 'two', true, null], 'm': {'a': {'b': ?}}, 'tags': <<'x', 'y'>>, 'nums': <<1, 2>>}`, [{ S: 'deep' }]);
      assert.deepEqual(res.Items, []);
      assert.deepEqual(await stored('Things', { pk: { S: 'ins' } }), {
        pk: { S: 'ins' }, n: { N: '1' }, l: { L: [{ N: '1' }, { S: 'two' }, { BOOL: true }, { NULL: true }] }, m: { M: { a: { M: { b: { S: 'deep' } } } } },
        tags: { SS: ['x', 'y'] }, nums: { NS: ['1', '2'] },
      });
      await rejects(run(`INSERT INTO Things VALUE {'pk': 'ins'}`), 'DuplicateItemException', 'Duplicate primary key exists in table');
      assert.equal((await stored('Things', { pk: { S: 'ins' } }))?.['n']?.N, '1');
    });

    it('UPDATE sets, adds, appends, removes and returns; a missing item or a false condition fails and changes nothing', async () => {
      await run(`INSERT INTO Things VALUE {'pk': 'upd', 'n': 1, 'l': [1], 'tags': <<'a'>>, 'gone': 'x'}`);
      const res = await run(`UPDATE Things SET n = n + 2 SET l = list_append(l, [2]), tags = set_add(tags, <<'b'>>) REMOVE gone WHERE pk = 'upd' RETURNING MODIFIED NEW *`);
      assert.deepEqual(res.Items, [{ n: { N: '3' }, l: { L: [{ N: '1' }, { N: '2' }] }, tags: { SS: ['a', 'b'] } }]);
      assert.equal((await stored('Things', { pk: { S: 'upd' } }))?.['gone'], undefined);
      await rejects(run(`UPDATE Things SET n = 9 WHERE pk = 'upd' AND n = 100`), 'ConditionalCheckFailedException', 'The conditional request failed');
      await rejects(run(`UPDATE Things SET n = 9 WHERE pk = 'never'`), 'ConditionalCheckFailedException', 'The conditional request failed');
      assert.equal(await stored('Things', { pk: { S: 'never' } }), undefined);
      await run(`UPDATE Things SET n = 9 WHERE pk = 'upd' AND attribute_exists(l)`);
      assert.equal((await stored('Things', { pk: { S: 'upd' } }))?.['n']?.N, '9');
      const ff = await run(`FROM Things WHERE pk = ? SET ff = ? RETURNING ALL NEW *`, [{ S: 'upd' }, { N: '7' }]);
      assert.equal(ff.Items?.[0]?.['ff']?.N, '7');
      await refused(`UPDATE Things SET n = 1 WHERE n = 1`, 'Where clause does not contain a mandatory equality on all key attributes');
      await refused(`UPDATE Things SET tags = set_add(tags, <<1>>) WHERE pk = 'upd'`, 'An operand in the update expression has an incorrect data type');
    });

    it('DELETE removes an item (a missing one quietly), honours its condition, and RETURNING ALL OLD', async () => {
      await run(`INSERT INTO Things VALUE {'pk': 'del', 'v': 1}`);
      await rejects(run(`DELETE FROM Things WHERE pk = 'del' AND v = 2`), 'ConditionalCheckFailedException', 'The conditional request failed');
      assert.ok(await stored('Things', { pk: { S: 'del' } }));
      const res = await run(`DELETE FROM Things WHERE pk = 'del' RETURNING ALL OLD *`);
      assert.deepEqual(res.Items, [{ pk: { S: 'del' }, v: { N: '1' } }]);
      assert.equal(await stored('Things', { pk: { S: 'del' } }), undefined);
      assert.deepEqual((await run(`DELETE FROM Things WHERE pk = 'del'`)).Items, []);
      await refused(`DELETE FROM Music WHERE artist = 'Acme'`, 'Where clause does not contain a mandatory equality on all key attributes');
      await refused(`DELETE FROM Things WHERE pk = 'x' RETURNING ALL NEW *`, 'Invalid returning clause: RETURNING ALL NEW. Only RETURNING ALL OLD * is allowed in DELETE statements.');
    });

    it('reports the capacity of the operation each statement runs as, and maintains indexes', async () => {
      const read = await run(`SELECT * FROM Things WHERE pk = 'fn'`, undefined, { ReturnConsumedCapacity: 'TOTAL' });
      assert.deepEqual(read.ConsumedCapacity, { TableName: 'Things', CapacityUnits: 0.5 });
      const strong = await run(`SELECT * FROM Things WHERE pk = 'fn'`, undefined, { ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true });
      assert.deepEqual(strong.ConsumedCapacity, { TableName: 'Things', CapacityUnits: 1 });
      const insert = await run(`INSERT INTO Music VALUE {'artist': 'Cole', 'song': 'c1', 'genre': 'rock', 'year': 2020}`, undefined, { ReturnConsumedCapacity: 'INDEXES' });
      assert.deepEqual(insert.ConsumedCapacity, {
        TableName: 'Music', CapacityUnits: 3, Table: { CapacityUnits: 1 }, GlobalSecondaryIndexes: { byGenre: { CapacityUnits: 1 } }, LocalSecondaryIndexes: { byYear: { CapacityUnits: 1 } },
      });
      const byGenre = await run(`SELECT song FROM Music."byGenre" WHERE genre = 'rock'`);
      assert.deepEqual(byGenre.Items?.map((i) => i['song']?.S).sort(), ['a1', 'a3', 'c1']);
      await run(`DELETE FROM Music WHERE artist = 'Cole' AND song = 'c1'`);
      const after = await run(`SELECT song FROM Music."byGenre" WHERE genre = 'rock'`);
      assert.deepEqual(after.Items?.map((i) => i['song']?.S).sort(), ['a1', 'a3']);
    });

    it('lib-dynamodb marshals parameters', async () => {
      const doc = DynamoDBDocumentClient.from(db);
      await doc.send(new DocExecuteStatement({ Statement: `INSERT INTO Things VALUE {'pk': ?, 'when': ?}`, Parameters: ['doc', 42] }));
      const res = await doc.send(new DocExecuteStatement({ Statement: 'SELECT * FROM Things WHERE pk = ?', Parameters: ['doc'] }));
      assert.deepEqual(res.Items, [{ pk: 'doc', when: 42 }]);
    });
  });

  describe('refusals (DynamoDB texts)', () => {
    it('grammar: leftovers, aliases, comments, LIMIT, unknown functions', async () => {
      await refused(`SELECT * FROM Numbers WHERE pk = 1 foo`, `${notWellFormed}Unexpected token after expression`);
      await refused(`SELECT * FROM Numbers WHERE pk = 1)`, `${notWellFormed}Unexpected token after expression`);
      await refused(`DELETE FROM Numbers WHERE pk = 1 ORDER BY pk`, `${notWellFormed}Unexpected token after expression`);
      await refused(`INSERT INTO Things t VALUE {'pk': 'x'}`, `${notWellFormed}Unexpected token after expression`);
      await refused(`SELECT * FROM Things t WHERE pk = 'x'`, 'Aliasing is not supported');
      await refused(`UPDATE Things AS t SET a = 3 WHERE pk = 'x'`, 'Aliasing is not supported');
      await refused(`SELECT * FROM Numbers WHERE pk = 1 # note`, notWellFormed);
      await refused(`SELECT * FROM Numbers WHERE pk = 1 /* note`, notWellFormed);
      await refused(`SELECT * FROM Numbers WHERE pk = 1e2147483648`, notWellFormed);
      await refused(`SELECT * FROM Things LIMIT 1`, 'Unsupported clause: LIMIT');
      const exists = `SELECT * FROM Things WHERE pk = 'x' AND EXISTS(ss)`;
      await refused(exists, `Unrecognized function: exists at 1:${exists.indexOf('EXISTS') + 1}:6`);
      const projection = `SELECT attribute_exists(ss) FROM Things WHERE pk = 'x'`;
      await refused(projection, 'Unexpected path component at 1:8:16');
      await refused(`SELECT * FROM Things WHERE pk = 'x' AND attribute_exists(m.inner)`, `${notWellFormed}Invalid path dot component`);
      assert.deepEqual((await run(`-- a note\nSELECT pk FROM Things /* here */ WHERE pk = 'fn' -- end`)).Items, [{ pk: { S: 'fn' } }]);
    });

    it('numbers out of range name their path; parameters must be enough', async () => {
      const overflow = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
      await refused(`SELECT * FROM Numbers WHERE pk = 1e126`, `${overflow} under root`);
      await refused(`INSERT INTO Numbers VALUE {'pk': 970006, 'm': {'x': 1e126}}`, `${overflow} under root.x`);
      await refused(`INSERT INTO Numbers VALUE {'pk': 970007, 'l': [1, 1e126]}`, `${overflow} under root[1]`);
      await refused(`SELECT * FROM Numbers WHERE pk = 123456789012345678901234567890123456789`, 'Attempting to store more than 38 significant digits in a Number under root');
      await refused(`SELECT * FROM Things WHERE pk = ? AND s = ?`, "Number of parameters in request and statement don't match.", [{ S: 'fn' }]);
    });

    it('operand types and function arguments', async () => {
      await refused(`SELECT pk FROM Things WHERE pk = 'fn' AND s < ?`, 'Incorrect operand type for operator or function; operator or function: <, operand type: BOOL', [{ BOOL: true }]);
      await refused(`SELECT pk FROM Things WHERE pk = 'fn' AND s BETWEEN ? AND ?`, 'Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: M', [{ M: {} }, { S: 'z' }]);
      assert.deepEqual((await run(`SELECT pk FROM Things WHERE pk = 'fn' AND s < ?`, [{ N: '5' }])).Items, []);
      await refused(`SELECT * FROM Things WHERE pk = 'fn' AND attribute_exists('ss')`, 'Operator or function requires a document path; operator or function: attribute_exists');
      await refused(`SELECT * FROM Things WHERE pk = 'fn' AND attribute_exists()`, 'Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 0');
      const setAdd = `UPDATE Things SET t = set_add(ss, <<'x'>>) WHERE pk = 'fn'`;
      await refused(setAdd, `The first argument to SET_ADD must equal the assignment value at 1:${setAdd.indexOf('set_add') + 1}:7`);
      await refused(`UPDATE Things SET ss = set_add(ss, <<>>) WHERE pk = 'fn'`, 'Empty bags are not supported');
      await refused(`UPDATE Things SET ss = set_add(ss, <<'x', 'x'>>) WHERE pk = 'fn'`, 'One or more parameter values were invalid: Input collection [x, x] contains duplicates.');
      await refused(`SELECT * FROM Music ORDER BY song`, 'Must have WHERE clause in the statement when using ORDER BY clause.');
      await refused(`SELECT * FROM Music WHERE genre = 'x' ORDER BY song`, 'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.');
      await refused(`SELECT * FROM Music WHERE artist = 'x' ORDER BY plays`, 'Variable reference plays in ORDER BY clause must be part of the primary key');
      await rejects(run(`SELECT * FROM Nowhere WHERE pk = 'x'`), 'ResourceNotFoundException', 'Requested resource not found');
      await refused(`DELETE FROM Music."byGenre" WHERE genre = 'x'`, 'This operation is not supported on an index');
    });
  });

  describe('BatchExecuteStatement', () => {
    it('runs each statement on its own: item reads, writes, and per-slot errors', async () => {
      const res = await db.send(new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `SELECT * FROM Things WHERE pk = 'fn'` },
          { Statement: `SELECT * FROM Things WHERE pk = ?`, Parameters: [{ S: 'absent' }] },
          { Statement: `SELECT * FROM Music WHERE artist = 'Acme'` },
          { Statement: `INSERT INTO Things VALUE {'pk': 'batch1'}` },
          { Statement: `INSERT INTO Things VALUE {'pk': 'fn'}` },
          { Statement: `UPDATE Things SET v = 1 WHERE pk = 'nobody'` },
          { Statement: `SELECT * FROM Music."byGenre" WHERE genre = 'rock'` },
        ],
      }));
      const responses = res.Responses ?? [];
      assert.equal(responses.length, 7);
      assert.equal(responses[0]?.Item?.['s']?.S, 'str');
      assert.equal(responses[0]?.TableName, 'Things');
      assert.deepEqual(responses[1], { TableName: 'Things' });
      const keyMessage = 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.';
      assert.deepEqual(responses[2]?.Error, { Code: 'ValidationError', Message: keyMessage });
      assert.deepEqual(responses[3], { TableName: 'Things' });
      assert.deepEqual(responses[4]?.Error, { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' });
      assert.deepEqual(responses[5]?.Error, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' });
      assert.deepEqual(responses[6]?.Error, { Code: 'ValidationError', Message: keyMessage });
      assert.ok(await stored('Things', { pk: { S: 'batch1' } }));
    });

    it('refuses more than 25 statements', async () => {
      const Statements = Array.from({ length: 26 }, () => ({ Statement: `SELECT * FROM Things WHERE pk = 'fn'` }));
      await assert.rejects(db.send(new BatchExecuteStatementCommand({ Statements })), (e: Error) => {
        assert.equal(e.name, 'ValidationException');
        assert.match(e.message, /^1 validation error detected: Value '\[.*\]' at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25$/);
        return true;
      });
    });
  });

  describe('ExecuteTransaction', () => {
    it('applies writes all or nothing, with cancellation reasons (DuplicateItem for an INSERT)', async () => {
      await run(`INSERT INTO Things VALUE {'pk': 'acct-a', 'bal': 100}`);
      await run(`INSERT INTO Things VALUE {'pk': 'acct-b', 'bal': 0}`);
      const ok = await db.send(new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `UPDATE Things SET bal = bal - ? WHERE pk = 'acct-a' AND bal >= ?`, Parameters: [{ N: '30' }, { N: '30' }] },
          { Statement: `UPDATE Things SET bal = bal + ? WHERE pk = 'acct-b'`, Parameters: [{ N: '30' }] },
          { Statement: `INSERT INTO Things VALUE {'pk': 'tx-log-1'}` },
          { Statement: `EXISTS(SELECT * FROM Things WHERE pk = 'fn' AND attribute_exists(ss))` },
        ],
        ReturnConsumedCapacity: 'TOTAL',
      }));
      assert.deepEqual(ok.Responses, []);
      assert.deepEqual(ok.ConsumedCapacity, [{ TableName: 'Things', CapacityUnits: 8, WriteCapacityUnits: 8 }]);
      assert.equal((await stored('Things', { pk: { S: 'acct-a' } }))?.['bal']?.N, '70');
      const error = await rejects(db.send(new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `UPDATE Things SET bal = bal - 500 WHERE pk = 'acct-a' AND bal >= 500` },
          { Statement: `INSERT INTO Things VALUE {'pk': 'tx-log-1'}` },
          { Statement: `DELETE FROM Things WHERE pk = 'acct-b'` },
        ],
      })), 'TransactionCanceledException', 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, DuplicateItem, None]');
      assert.deepEqual(error.CancellationReasons, [
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
        { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
        { Code: 'None' },
      ]);
      assert.equal((await stored('Things', { pk: { S: 'acct-b' } }))?.['bal']?.N, '30');
    });

    it('honours ClientRequestToken: a repeat applies once, a different request is a mismatch', async () => {
      await run(`INSERT INTO Things VALUE {'pk': 'counter', 'n': 0}`);
      const request = { TransactStatements: [{ Statement: `UPDATE Things SET n = n + 1 WHERE pk = 'counter'` }], ClientRequestToken: 'partiql-token-1' };
      await db.send(new ExecuteTransactionCommand(request));
      await db.send(new ExecuteTransactionCommand(request));
      assert.equal((await stored('Things', { pk: { S: 'counter' } }))?.['n']?.N, '1');
      await rejects(db.send(new ExecuteTransactionCommand({ ...request, TransactStatements: [{ Statement: `UPDATE Things SET n = n + 2 WHERE pk = 'counter'` }] })),
        'IdempotentParameterMismatchException', 'The request uses the same client token as a previous, but non-identical request.');
    });

    it('reads items from one snapshot, and refuses what a transaction cannot read', async () => {
      const res = await db.send(new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `SELECT bal FROM Things WHERE pk = 'acct-a'` },
          { Statement: `SELECT * FROM Things WHERE pk = 'nobody'` },
          { Statement: `SELECT song FROM Music WHERE artist = ? AND song = ?`, Parameters: [{ S: 'Bolt' }, { S: 'b1' }] },
        ],
      }));
      assert.deepEqual(res.Responses, [{ Item: { bal: { N: '70' } } }, {}, { Item: { song: { S: 'b1' } } }]);
      await rejects(db.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT * FROM Things WHERE pk = 'fn' AND attribute_exists(ss)` }] })),
        'ValidationException', 'Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key in the where clause.');
      await rejects(db.send(new ExecuteTransactionCommand({
        TransactStatements: [{ Statement: `EXISTS(SELECT * FROM Things WHERE pk = 'fn')` }, { Statement: `UPDATE Things SET z = 1 WHERE pk = 'acct-a'` }],
      })), 'ValidationException', 'Validation failed in TransactStatements[0]: EXISTS() must contain a single item read with additional condition');
      await rejects(run(`EXISTS(SELECT * FROM Things WHERE pk = 'fn' AND attribute_exists(ss))`), 'ValidationException', 'EXISTS can only be used in ExecuteTransaction write requests.');
    });
  });
});

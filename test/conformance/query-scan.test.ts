// Query and Scan through the SDK: key conditions as range reads, both directions, paging by Limit
// and by 1 MB, filters, projections, counts, parallel Scan segments, and DynamoDB's refusals.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, PutItemCommand, QueryCommand, ScanCommand, type DynamoDBClient, type QueryCommandInput, type ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';

describe('Query and Scan', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const q = (input: Omit<QueryCommandInput, 'TableName'>, table = 'Events') => db.send(new QueryCommand({ TableName: table, ...input }));
  const s = (input: Omit<ScanCommandInput, 'TableName'>, table = 'Events') => db.send(new ScanCommand({ TableName: table, ...input }));
  const nums = (items: Record<string, { N?: string }>[] | undefined) => (items ?? []).map((i) => Number(i['sk']?.N));

  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await db.send(new CreateTableCommand(onDemandTable('Events', ['pk', 'S'], ['sk', 'N'])));
    await db.send(new CreateTableCommand(onDemandTable('Docs', ['pk', 'S'], ['sk', 'S'])));
    await db.send(new CreateTableCommand(onDemandTable('Big', ['pk', 'S'], ['sk', 'N'])));
    for (let i = 1; i <= 30; i++) await db.send(new PutItemCommand({ TableName: 'Events', Item: { pk: { S: 'a' }, sk: { N: String(i) }, even: { BOOL: i % 2 === 0 }, v: { S: `v${i}` } } }));
    for (let i = 1; i <= 5; i++) await db.send(new PutItemCommand({ TableName: 'Events', Item: { pk: { S: 'b' }, sk: { N: String(-i) } } }));
    for (const sk of ['order#1', 'order#2', 'order#10', 'profile', 'zeta']) await db.send(new PutItemCommand({ TableName: 'Docs', Item: { pk: { S: 'u' }, sk: { S: sk } } }));
    for (let i = 1; i <= 25; i++) await db.send(new PutItemCommand({ TableName: 'Big', Item: { pk: { S: 'p' }, sk: { N: String(i) }, blob: { S: 'x'.repeat(100_000) } } }));
  });
  after(async () => server.dispose());

  it('reads one partition in sort-key order, forward and backward', async () => {
    const forward = await q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } });
    assert.deepEqual(nums(forward.Items), Array.from({ length: 30 }, (_, i) => i + 1));
    assert.equal(forward.Count, 30);
    assert.equal(forward.ScannedCount, 30);
    assert.equal(forward.LastEvaluatedKey, undefined);
    const backward = await q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'b' } }, ScanIndexForward: false });
    assert.deepEqual(nums(backward.Items), [-1, -2, -3, -4, -5]);
  });

  it('narrows by every sort-key operator', async () => {
    const cases: [string, Record<string, { N: string }>, number[]][] = [
      ['sk = :x', { ':x': { N: '7' } }, [7]], ['sk < :x', { ':x': { N: '3' } }, [1, 2]], ['sk <= :x', { ':x': { N: '3' } }, [1, 2, 3]],
      ['sk > :x', { ':x': { N: '28' } }, [29, 30]], ['sk >= :x', { ':x': { N: '28' } }, [28, 29, 30]], ['sk BETWEEN :x AND :y', { ':x': { N: '10' }, ':y': { N: '12' } }, [10, 11, 12]],
      [':x < sk', { ':x': { N: '29' } }, [30]],
    ];
    for (const [condition, values, expected] of cases) {
      const out = await q({ KeyConditionExpression: `pk = :p AND ${condition}`, ExpressionAttributeValues: { ':p': { S: 'a' }, ...values } });
      assert.deepEqual(nums(out.Items), expected, condition);
    }
    const prefixed = await q({ KeyConditionExpression: 'pk = :p AND begins_with(sk, :o)', ExpressionAttributeValues: { ':p': { S: 'u' }, ':o': { S: 'order#' } } }, 'Docs');
    assert.deepEqual(prefixed.Items?.map((i) => i['sk']?.S), ['order#1', 'order#10', 'order#2']);
  });

  it('pages with Limit and ExclusiveStartKey in both directions, each item once', async () => {
    for (const forward of [true, false]) {
      const seen: number[] = [];
      let start: QueryCommandInput['ExclusiveStartKey'];
      let pages = 0;
      do {
        const page = await q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } }, Limit: 7, ScanIndexForward: forward, ...(start ? { ExclusiveStartKey: start } : {}) });
        seen.push(...nums(page.Items));
        start = page.LastEvaluatedKey;
        pages++;
      } while (start !== undefined);
      const expected = Array.from({ length: 30 }, (_, i) => i + 1);
      assert.deepEqual(seen, forward ? expected : expected.reverse());
      assert.equal(pages, 5);
    }
  });

  it('pages through lib-dynamodb paginateQuery', async () => {
    const doc = DynamoDBDocumentClient.from(db);
    let total = 0;
    for await (const page of paginateQuery({ client: doc, pageSize: 4 }, { TableName: 'Events', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'a' } })) total += page.Items?.length ?? 0;
    assert.equal(total, 30);
  });

  it('stops a page after 1 MB of data read', async () => {
    const first = await q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ReturnConsumedCapacity: 'TOTAL' }, 'Big');
    assert.equal(first.Count, 11); // 11 × ~100 KB is the first read past 1 MB
    assert.deepEqual(first.LastEvaluatedKey, { pk: { S: 'p' }, sk: { N: '11' } });
    assert.equal(first.ConsumedCapacity?.CapacityUnits, Math.ceil((11 * 100_013) / 4096) / 2);
    const rest = await q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ExclusiveStartKey: first.LastEvaluatedKey }, 'Big');
    assert.equal(rest.Count, 11);
  });

  it('filters after reading, projects, counts', async () => {
    const filtered = await q({ KeyConditionExpression: 'pk = :p', FilterExpression: 'even = :t', ProjectionExpression: 'sk, v', ExpressionAttributeValues: { ':p': { S: 'a' }, ':t': { BOOL: true } }, Limit: 10 });
    assert.equal(filtered.ScannedCount, 10);
    assert.equal(filtered.Count, 5);
    assert.deepEqual(filtered.Items?.[0], { sk: { N: '2' }, v: { S: 'v2' } });
    const counted = await q({ KeyConditionExpression: 'pk = :p', Select: 'COUNT', ExpressionAttributeValues: { ':p': { S: 'a' } } });
    assert.equal(counted.Items, undefined);
    assert.equal(counted.Count, 30);
  });

  it('accepts the legacy KeyConditions, QueryFilter and AttributesToGet', async () => {
    const out = await q({
      KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] }, sk: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '25' }] } },
      QueryFilter: { v: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'v2' }] } },
      AttributesToGet: ['sk'],
    });
    assert.deepEqual(out.Items, [{ sk: { N: '26' } }, { sk: { N: '27' } }, { sk: { N: '28' } }, { sk: { N: '29' } }]);
    // EQ and NE take a value of any type — BOOL, NULL, lists and maps included.
    const odd = await q({ KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] }, sk: { ComparisonOperator: 'LE', AttributeValueList: [{ N: '6' }] } }, QueryFilter: { even: { ComparisonOperator: 'EQ', AttributeValueList: [{ BOOL: false }] } }, AttributesToGet: ['sk'] });
    assert.deepEqual(odd.Items, [{ sk: { N: '1' } }, { sk: { N: '3' } }, { sk: { N: '5' } }]);
    const notList = await q({ KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] }, sk: { ComparisonOperator: 'LE', AttributeValueList: [{ N: '2' }] } }, QueryFilter: { even: { ComparisonOperator: 'NE', AttributeValueList: [{ L: [{ BOOL: true }] }] } }, AttributesToGet: ['sk'] });
    assert.deepEqual(notList.Items, [{ sk: { N: '1' } }, { sk: { N: '2' } }]);
    const nullOrMap = await q({ KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] } }, QueryFilter: { even: { ComparisonOperator: 'EQ', AttributeValueList: [{ NULL: true }] }, v: { ComparisonOperator: 'EQ', AttributeValueList: [{ M: {} }] } }, ConditionalOperator: 'OR' });
    assert.equal(nullOrMap.Count, 0);
  });

  const refusals: [string, Omit<QueryCommandInput, 'TableName'>, string][] = [
    ['no key condition', {}, 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.'],
    ['no partition key', { KeyConditionExpression: 'sk = :x', ExpressionAttributeValues: { ':x': { N: '1' } } }, 'Query condition missed key schema element: pk'],
    ['a range on the partition key', { KeyConditionExpression: 'pk > :x', ExpressionAttributeValues: { ':x': { S: 'a' } } }, 'Query key condition not supported'],
    ['a non-key attribute', { KeyConditionExpression: 'pk = :p AND v = :x', ExpressionAttributeValues: { ':p': { S: 'a' }, ':x': { S: 'v' } } }, 'Query condition missed key schema element: sk'],
    ['a wrong key type', { KeyConditionExpression: 'pk = :x', ExpressionAttributeValues: { ':x': { N: '1' } } }, 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
    ['OR in the key condition', { KeyConditionExpression: 'pk = :p OR sk = :x', ExpressionAttributeValues: { ':p': { S: 'a' }, ':x': { N: '1' } } }, 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: OR'],
    ['a filter on a key', { KeyConditionExpression: 'pk = :p', FilterExpression: 'sk > :x', ExpressionAttributeValues: { ':p': { S: 'a' }, ':x': { N: '1' } } }, 'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk'],
    ['a start key from another partition', { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } }, ExclusiveStartKey: { pk: { S: 'b' }, sk: { N: '1' } } }, 'The provided starting key is outside query boundaries based on provided conditions'],
    ['a start key outside the range', { KeyConditionExpression: 'pk = :p AND sk > :x', ExpressionAttributeValues: { ':p': { S: 'a' }, ':x': { N: '5' } }, ExclusiveStartKey: { pk: { S: 'a' }, sk: { N: '1' } } }, 'The provided starting key does not match the range key predicate'],
    ['a start key without the sort key', { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } }, ExclusiveStartKey: { pk: { S: 'a' } } }, 'The provided starting key is invalid'],
    ['three key conditions', { KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] }, sk: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '1' }] }, v: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] } } }, 'Conditions can be of length 1 or 2 only'],
    ['a non-indexable legacy operator', { KeyConditions: { pk: { ComparisonOperator: 'NE', AttributeValueList: [{ S: 'a' }] } } }, 'Attempted conditional constraint is not an indexable operation'],
  ];
  for (const [name, input, message] of refusals) {
    it(`refuses ${name}`, async () => {
      await assert.rejects(q(input), (error: Error) => error.name === 'ValidationException' && error.message === message);
    });
  }

  it('scans the whole table, paged, each item once', async () => {
    const seen: string[] = [];
    let start: ScanCommandInput['ExclusiveStartKey'];
    do {
      const page = await s({ Limit: 8, ...(start ? { ExclusiveStartKey: start } : {}) });
      for (const item of page.Items ?? []) seen.push(`${item['pk']?.S}/${item['sk']?.N}`);
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    assert.equal(seen.length, 35);
    assert.equal(new Set(seen).size, 35);
  });

  it('splits a parallel scan into disjoint, complete segments', async () => {
    for (const total of [1, 3, 7]) {
      const all: string[] = [];
      for (let segment = 0; segment < total; segment++) {
        let start: ScanCommandInput['ExclusiveStartKey'];
        do {
          const page = await s({ Segment: segment, TotalSegments: total, Limit: 4, ...(start ? { ExclusiveStartKey: start } : {}) });
          for (const item of page.Items ?? []) all.push(`${item['pk']?.S}/${item['sk']?.N}`);
          start = page.LastEvaluatedKey;
        } while (start !== undefined);
      }
      assert.equal(all.length, 35, `TotalSegments ${total}`);
      assert.equal(new Set(all).size, 35);
    }
  });

  it('returns specific attributes with SPECIFIC_ATTRIBUTES and a projection', async () => {
    const out = await s({ Select: 'SPECIFIC_ATTRIBUTES', ProjectionExpression: 'pk', Limit: 1 });
    assert.deepEqual(Object.keys(out.Items?.[0] ?? {}), ['pk']);
  });

  it('filters scans with ScanFilter and FilterExpression alike', async () => {
    const a = await s({ FilterExpression: 'pk = :b', ExpressionAttributeValues: { ':b': { S: 'b' } } });
    const b = await s({ ScanFilter: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'b' }] } } });
    assert.equal(a.Count, 5);
    assert.equal(b.Count, 5);
    assert.equal(a.ScannedCount, 35);
  });

  const scanRefusals: [string, Omit<ScanCommandInput, 'TableName'>, string][] = [
    ['Segment without TotalSegments', { Segment: 1 }, 'The TotalSegments parameter is required but was not present in the request when Segment parameter is present'],
    ['TotalSegments without Segment', { TotalSegments: 2 }, 'The Segment parameter is required but was not present in the request when parameter TotalSegments is present'],
    ['Segment not below TotalSegments', { Segment: 2, TotalSegments: 2 }, 'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 2 is not less than TotalSegments: 2'],
    ['ALL_ATTRIBUTES and a projection', { Select: 'ALL_ATTRIBUTES', ProjectionExpression: 'pk' }, 'Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES'],
    ['COUNT and a projection', { Select: 'COUNT', ProjectionExpression: 'pk' }, 'Cannot specify the ProjectionExpression when choosing to get only the Count'],
    ['COUNT and AttributesToGet', { Select: 'COUNT', AttributesToGet: ['pk'] }, 'Cannot specify the AttributesToGet when choosing to get only the Count'],
    ['ALL_PROJECTED_ATTRIBUTES without an index', { Select: 'ALL_PROJECTED_ATTRIBUTES' }, 'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName'],
    ['ALL_PROJECTED_ATTRIBUTES with a projection', { Select: 'ALL_PROJECTED_ATTRIBUTES', ProjectionExpression: 'pk' }, 'Cannot specify the ProjectionExpression when choosing to get ALL_PROJECTED_ATTRIBUTES'],
    ['too many segments', { Segment: 0, TotalSegments: 1000001 }, "1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000"],
  ];
  for (const [name, input, message] of scanRefusals) {
    it(`refuses a scan with ${name}`, async () => {
      await assert.rejects(s(input), (error: Error) => error.name === 'ValidationException' && error.message === message);
    });
  }
});

// ImportTable, DescribeImport and ListImports through the SDK against a real server process: a table
// made from DynamoDB JSON (an export of ours, gzipped), Amazon Ion (zstd) and CSV (header line or
// HeaderList, other delimiters) objects in the directory standing in for S3; the new table CREATING,
// then ACTIVE with exactly the items (every kind of value survives export → import); bad items
// skipped, counted and logged, the import FAILED with ItemValidationError; a missing bucket failing
// before any table is made; DynamoDB's errors; an import cut short by kill -9 finishing after the restart.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DescribeContinuousBackupsCommand, DescribeExportCommand, PutItemCommand, type ExportDescription, DescribeImportCommand, DescribeTableCommand, DynamoDBClient, ExportTableToPointInTimeCommand,
  ImportTableCommand, ListExportsCommand, ListImportsCommand, UpdateContinuousBackupsCommand, type ImportTableCommandInput, type ImportTableDescription,
} from '@aws-sdk/client-dynamodb';
import { localOnly, newDataDir, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { rejects } from '../helpers/rejects.js';
import { until } from '../helpers/until.js';
import { canonical, contents, type Item } from '../helpers/table-contents.js';
import { zstdCompress } from '../helpers/zstd-frames.js';
import { putObject, serverWithS3Dir } from '../helpers/s3-dir.js';

const keyed = {
  AttributeDefinitions: [{ AttributeName: 'artist', AttributeType: 'S' as const }, { AttributeName: 'song', AttributeType: 'N' as const }, { AttributeName: 'genre', AttributeType: 'S' as const }],
  KeySchema: [{ AttributeName: 'artist', KeyType: 'HASH' as const }, { AttributeName: 'song', KeyType: 'RANGE' as const }],
  BillingMode: 'PAY_PER_REQUEST' as const,
  GlobalSecondaryIndexes: [{ IndexName: 'byGenre', KeySchema: [{ AttributeName: 'genre', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } }],
};

/** Items with every kind of value: 38-digit numbers, binary, sets, nested maps and lists, empty strings. */
function song(n: number): Item {
  return {
    artist: { S: `artist${n % 7}` }, song: { N: String(n) }, genre: { S: n % 3 === 0 ? 'rock' : 'jazz' },
    plays: { N: n % 2 === 0 ? '12345678901234567890123456789012345678' : `-0.${n}E-5` }, cover: { B: Buffer.from([n % 256, 0, 255]) },
    tags: { SS: ['a', `t${n}`] }, scores: { NS: ['1', '2.5', `${n}.25`] }, blobs: { BS: [Buffer.from('xy'), Buffer.from([n % 256])] },
    meta: { M: { empty: { S: '' }, list: { L: [{ N: '1' }, { BOOL: true }, { NULL: true }, { M: { deep: { S: 'yes' } } }] } } },
  };
}

async function finished(db: DynamoDBClient, ImportArn: string): Promise<ImportTableDescription> {
  let described: ImportTableDescription | undefined;
  await until(async () => {
    described = (await db.send(new DescribeImportCommand({ ImportArn }))).ImportTableDescription;
    return described?.ImportStatus !== 'IN_PROGRESS';
  }, 'the import finished');
  return described as ImportTableDescription;
}

/** The lines of a COMPLETED export's data files. */
function exportLines(s3Dir: string, done: ExportDescription): string[] {
  const root = join(s3Dir, done.S3Bucket as string);
  const dir = join(root, (done.ExportManifest as string).replace(/manifest-summary\.json$/, ''));
  const files = readFileSync(join(dir, 'manifest-files.json'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { dataFileS3Key: string });
  return files.flatMap((f) => gunzipSync(readFileSync(join(root, f.dataFileS3Key))).toString('utf8').split('\n').filter((line) => line !== ''));
}


describe('ImportTable', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  let s3Dir: string;
  before(async () => {
    ({ server, s3Dir } = await serverWithS3Dir());
    db = server.client();
  });
  after(() => server.dispose());

  const importInto = (TableName: string, input: Omit<ImportTableCommandInput, 'TableCreationParameters'>, parameters = keyed): Promise<ImportTableDescription> =>
    db.send(new ImportTableCommand({ ...input, TableCreationParameters: { TableName, ...parameters } })).then((r) => r.ImportTableDescription as ImportTableDescription);

  it('imports our own export byte-exactly: every kind of value, the index too', async () => {
    await db.send(new CreateTableCommand({ TableName: 'Songs', ...keyed }));
    for (let n = 0; n < 100; n += 25) {
      await db.send(new BatchWriteItemCommand({ RequestItems: { Songs: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: song(n + j) } })) } }));
    }
    await db.send(new UpdateContinuousBackupsCommand({ TableName: 'Songs', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    await server.advanceClock(1000);
    const TableArn = (await db.send(new DescribeTableCommand({ TableName: 'Songs' }))).Table?.TableArn as string;
    const ExportArn = (await db.send(new ExportTableToPointInTimeCommand({ TableArn, S3Bucket: 'exports', S3Prefix: 'songs' }))).ExportDescription?.ExportArn as string;
    await until(async () => (await db.send(new DescribeExportCommand({ ExportArn }))).ExportDescription?.ExportStatus === 'COMPLETED', 'the export COMPLETED');
    const exportId = ExportArn.slice(ExportArn.lastIndexOf('/') + 1);
    const dataKey = `songs/AWSDynamoDB/${exportId}/data/`;
    const dataBytes = readdirSync(join(s3Dir, 'exports', dataKey)).reduce((n, f) => n + readFileSync(join(s3Dir, 'exports', dataKey, f)).length, 0);

    const started = await importInto('SongsImported', { S3BucketSource: { S3Bucket: 'exports', S3KeyPrefix: dataKey }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP', ClientToken: 'songs-1' });
    assert.equal(started.ImportStatus, 'IN_PROGRESS');
    assert.match(started.ImportArn ?? '', /^arn:aws:dynamodb:us-east-1:000000000000:table\/SongsImported\/import\/\d{14}-[0-9a-f]{8}$/);
    assert.equal(started.TableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/SongsImported');
    assert.equal(started.CloudWatchLogGroupArn, 'arn:aws:logs:us-east-1:000000000000:log-group:/aws-dynamodb/imports:*');
    assert.deepEqual([started.InputFormat, started.InputCompressionType, started.TableCreationParameters?.TableName], ['DYNAMODB_JSON', 'GZIP', 'SongsImported']);
    // The same ClientToken and parameters: the same import, not a second one.
    const again = await importInto('SongsImported', { S3BucketSource: { S3Bucket: 'exports', S3KeyPrefix: dataKey }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP', ClientToken: 'songs-1' });
    assert.equal(again.ImportArn, started.ImportArn);

    const done = await finished(db, started.ImportArn as string);
    assert.deepEqual([done.ImportStatus, done.ProcessedItemCount, done.ImportedItemCount, done.ErrorCount, done.ProcessedSizeBytes], ['COMPLETED', 100, 100, 0, dataBytes]);
    assert.equal(done.FailureCode, undefined);
    assert.ok(done.EndTime !== undefined);
    const table = (await db.send(new DescribeTableCommand({ TableName: 'SongsImported' }))).Table;
    assert.deepEqual([table?.TableStatus, table?.TableId, table?.ItemCount], ['ACTIVE', done.TableId, 100]);
    assert.equal(table?.RestoreSummary, undefined);
    assert.deepEqual(await contents(db, 'SongsImported'), await contents(db, 'Songs'));
    assert.deepEqual(await contents(db, 'SongsImported', 'byGenre'), await contents(db, 'Songs', 'byGenre'));

    await rejects(importInto('SongsImported', { S3BucketSource: { S3Bucket: 'exports', S3KeyPrefix: dataKey }, InputFormat: 'DYNAMODB_JSON', ClientToken: 'songs-1' }),
      'ImportConflictException', 'An import with ClientToken songs-1 was requested with different parameters');
    await rejects(importInto('Songs', { S3BucketSource: { S3Bucket: 'exports', S3KeyPrefix: dataKey }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP' }),
      'ResourceInUseException', 'Table already exists: Songs');
  });

  it('exports in Amazon Ion, and the Ion export imports back exactly', async () => {
    const TableArn = (await db.send(new DescribeTableCommand({ TableName: 'Songs' }))).Table?.TableArn as string;
    const ExportArn = (await db.send(new ExportTableToPointInTimeCommand({ TableArn, S3Bucket: 'exports', S3Prefix: 'ion', ExportFormat: 'ION' }))).ExportDescription?.ExportArn as string;
    let done: ExportDescription | undefined;
    await until(async () => (done = (await db.send(new DescribeExportCommand({ ExportArn }))).ExportDescription)?.ExportStatus === 'COMPLETED', 'the export COMPLETED');
    assert.deepEqual([done?.ExportFormat, done?.ItemCount], ['ION', 100]);
    const lines = exportLines(s3Dir, done as ExportDescription);
    assert.equal(lines.length, 100);
    assert.ok(lines.every((line) => line.startsWith('$ion_1_0 {Item:{')));
    assert.ok(lines.some((line) => line.includes('plays:12345678901234567890123456789012345678.') && line.includes('tags:$dynamodb_SS::["a","t')), lines[0]);
    const exportId = ExportArn.slice(ExportArn.lastIndexOf('/') + 1);
    const started = await importInto('SongsFromIon', { S3BucketSource: { S3Bucket: 'exports', S3KeyPrefix: `ion/AWSDynamoDB/${exportId}/data/` }, InputFormat: 'ION', InputCompressionType: 'GZIP' });
    assert.deepEqual([(await finished(db, started.ImportArn as string)).ImportedItemCount], [100]);
    assert.deepEqual(await contents(db, 'SongsFromIon'), await contents(db, 'Songs'));
  });

  it('exports incrementally: each item changed in the period once, its writes coalesced, old and new images', async () => {
    await db.send(new CreateTableCommand({ TableName: 'Changing', ...keyed }));
    const item = (artist: string, n: number, version: string): Item => ({ artist: { S: artist }, song: { N: String(n) }, version: { S: version } });
    for (const name of ['kept', 'changed', 'deleted']) await db.send(new PutItemCommand({ TableName: 'Changing', Item: item(name, 1, 'v0') }));
    await db.send(new UpdateContinuousBackupsCommand({ TableName: 'Changing', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    // The period starts once the window is open (the first copy made).
    await until(async () => (await db.send(new DescribeContinuousBackupsCommand({ TableName: 'Changing' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime !== undefined, 'the window open');
    const from = await server.advanceClock(60_000);
    await db.send(new PutItemCommand({ TableName: 'Changing', Item: item('changed', 1, 'v1') }));
    await server.advanceClock(1000);
    const lastWrite = await server.advanceClock(1000);
    await db.send(new PutItemCommand({ TableName: 'Changing', Item: item('changed', 1, 'v2') }));
    await db.send(new DeleteItemCommand({ TableName: 'Changing', Key: { artist: { S: 'deleted' }, song: { N: '1' } } }));
    await db.send(new PutItemCommand({ TableName: 'Changing', Item: item('created', 1, 'v1') }));
    await db.send(new PutItemCommand({ TableName: 'Changing', Item: item('fleeting', 1, 'v1') }));
    await db.send(new DeleteItemCommand({ TableName: 'Changing', Key: { artist: { S: 'fleeting' }, song: { N: '1' } } }));
    const to = await server.advanceClock(20 * 60_000);
    await db.send(new PutItemCommand({ TableName: 'Changing', Item: item('changed', 1, 'after') }));
    await server.advanceClock(1000);
    const TableArn = (await db.send(new DescribeTableCommand({ TableName: 'Changing' }))).Table?.TableArn as string;
    const exported = async (ExportViewType: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES', ExportFormat: 'DYNAMODB_JSON' | 'ION' = 'DYNAMODB_JSON'): Promise<[ExportDescription, string[]]> => {
      const ExportArn = (await db.send(new ExportTableToPointInTimeCommand({
        TableArn, S3Bucket: 'incremental', ExportType: 'INCREMENTAL_EXPORT', ExportFormat,
        IncrementalExportSpecification: { ExportFromTime: new Date(from), ExportToTime: new Date(to), ExportViewType },
      }))).ExportDescription?.ExportArn as string;
      let done: ExportDescription | undefined;
      await until(async () => (done = (await db.send(new DescribeExportCommand({ ExportArn }))).ExportDescription)?.ExportStatus === 'COMPLETED', 'the export COMPLETED');
      return [done as ExportDescription, exportLines(s3Dir, done as ExportDescription)];
    };
    const [both, lines] = await exported('NEW_AND_OLD_IMAGES');
    assert.deepEqual([both.ExportType, both.ItemCount, both.IncrementalExportSpecification?.ExportFromTime?.getTime(), both.IncrementalExportSpecification?.ExportToTime?.getTime()],
      ['INCREMENTAL_EXPORT', 3, from, to]);
    assert.equal(both.ExportTime, undefined);
    const records = lines.map((line) => JSON.parse(line) as { Metadata: { WriteTimestampMicros: { N: string } }; Keys: Item }).sort((a, b) => (JSON.stringify(a.Keys) < JSON.stringify(b.Keys) ? -1 : 1));
    // Each line is dated by its item's last write: within the period, and after the second write for the item written twice.
    const dates = records.map((r) => Number(r.Metadata.WriteTimestampMicros.N));
    assert.ok(dates.every((micros) => micros >= lastWrite * 1000 && micros < to * 1000), String(dates));
    assert.deepEqual(records.map(({ Metadata: _, ...rest }) => rest), [
      { Keys: { artist: { S: 'changed' }, song: { N: '1' } }, OldImage: item('changed', 1, 'v0'), NewImage: item('changed', 1, 'v2') },
      { Keys: { artist: { S: 'created' }, song: { N: '1' } }, NewImage: item('created', 1, 'v1') },
      { Keys: { artist: { S: 'deleted' }, song: { N: '1' } }, OldImage: item('deleted', 1, 'v0') },
    ]);
    const [, newOnly] = await exported('NEW_IMAGE');
    assert.deepEqual(newOnly.map((line) => Object.keys(JSON.parse(line) as object).join()).sort(), ['Metadata,Keys', 'Metadata,Keys,NewImage', 'Metadata,Keys,NewImage']);
    const [ion, ionLines] = await exported('NEW_AND_OLD_IMAGES', 'ION');
    assert.equal(ion.ExportFormat, 'ION');
    const deleted = records.find((r) => r.Keys['artist']?.S === 'deleted')?.Metadata.WriteTimestampMicros.N;
    assert.ok(ionLines.includes(`$ion_1_0 {Metadata:{WriteTimestampMicros:${deleted}},Keys:{artist:"deleted",song:1.},OldImage:{artist:"deleted",song:1.,version:"v0"}}`), ionLines.join('\n'));
    await rejects(db.send(new ExportTableToPointInTimeCommand({
      TableArn, S3Bucket: 'incremental', ExportType: 'INCREMENTAL_EXPORT', IncrementalExportSpecification: { ExportFromTime: new Date(from), ExportToTime: new Date(from + 60_000) },
    })), 'ValidationException', 'The incremental export period must be at least 15 minutes and at most 24 hours');
    // The three incremental exports of this table, listed a page at a time.
    const all = (await db.send(new ListExportsCommand({ TableArn }))).ExportSummaries ?? [];
    assert.deepEqual(all.map((e) => e.ExportType), ['INCREMENTAL_EXPORT', 'INCREMENTAL_EXPORT', 'INCREMENTAL_EXPORT']);
    const paged: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await db.send(new ListExportsCommand({ TableArn, MaxResults: 1, NextToken }));
      paged.push(...(page.ExportSummaries ?? []).map((e) => e.ExportArn as string));
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    assert.deepEqual(paged, all.map((e) => e.ExportArn));
    await rejects(db.send(new ListExportsCommand({ NextToken: 'ab'.repeat(56) })), 'ValidationException', `Invalid Request: Provided nextToken is invalid: ${'ab'.repeat(56)}`);
  });

  it('imports Amazon Ion compressed with Zstandard, by DynamoDB\'s type mapping', async () => {
    const lines = [
      '$ion_1_0 {Item:{artist:"ion",song:1.,genre:"rock",price:2d3,ratio:1.5,big:12345678901234567890123456789012345678.,cover:{{AP8=}},live:true,gone:null,'
        + 'tags:$dynamodb_SS::["b","a"],nums:$dynamodb_NS::[3.,1.5],blobs:$dynamodb_BS::[{{eHk=}}],list:[1.,"x",{deep:false}],"odd name":""}}',
      '$ion_1_0 {Item:{artist:"ion",song:2,genre:"jazz",count:7}}',
    ];
    putObject(s3Dir, 'ion-bucket/in/part-1.ion.zst', zstdCompress(Buffer.from(`${lines.join('\n')}\n`)));
    const started = await importInto('IonSongs', { S3BucketSource: { S3Bucket: 'ion-bucket', S3KeyPrefix: 'in/' }, InputFormat: 'ION', InputCompressionType: 'ZSTD' });
    const done = await finished(db, started.ImportArn as string);
    assert.deepEqual([done.ImportStatus, done.ImportedItemCount, done.ErrorCount], ['COMPLETED', 2, 0]);
    assert.deepEqual(await contents(db, 'IonSongs'), [
      canonical({
        artist: { S: 'ion' }, song: { N: '1' }, genre: { S: 'rock' }, price: { N: '2000' }, ratio: { N: '1.5' }, big: { N: '12345678901234567890123456789012345678' },
        cover: { B: new Uint8Array([0, 255]) }, live: { BOOL: true }, gone: { NULL: true }, tags: { SS: ['a', 'b'] }, nums: { NS: ['1.5', '3'] },
        blobs: { BS: [new Uint8Array([120, 121])] }, list: { L: [{ N: '1' }, { S: 'x' }, { M: { deep: { BOOL: false } } }] }, 'odd name': { S: '' },
      }),
      canonical({ artist: { S: 'ion' }, song: { N: '2' }, genre: { S: 'jazz' }, count: { N: '7' } }),
    ]);
  });

  it('imports CSV: a header line or a HeaderList, any delimiter; keys typed, other columns strings', async () => {
    putObject(s3Dir, 'csv-bucket/a/one.csv', 'artist,song,genre,year\nabba,1,pop,1974\n"bee, gees",2,disco,\n');
    putObject(s3Dir, 'csv-bucket/b/two.csv', gzipSync('carpenters;3;pop;1970\ndoors;4;rock;1967\n'));
    const withHeader = await importInto('CsvSongs', { S3BucketSource: { S3Bucket: 'csv-bucket', S3KeyPrefix: 'a/' }, InputFormat: 'CSV' });
    assert.deepEqual([(await finished(db, withHeader.ImportArn as string)).ImportedItemCount], [2]);
    assert.deepEqual(await contents(db, 'CsvSongs'), [
      canonical({ artist: { S: 'abba' }, song: { N: '1' }, genre: { S: 'pop' }, year: { S: '1974' } }),
      canonical({ artist: { S: 'bee, gees' }, song: { N: '2' }, genre: { S: 'disco' } }),
    ]);
    const listed = await importInto('CsvListed', {
      S3BucketSource: { S3Bucket: 'csv-bucket', S3KeyPrefix: 'b/' }, InputFormat: 'CSV', InputCompressionType: 'GZIP',
      InputFormatOptions: { Csv: { Delimiter: ';', HeaderList: ['artist', 'song', 'genre', 'year'] } },
    });
    const done = await finished(db, listed.ImportArn as string);
    assert.deepEqual([done.ImportStatus, done.ImportedItemCount, done.InputFormatOptions?.Csv?.Delimiter], ['COMPLETED', 2, ';']);
    assert.deepEqual(await contents(db, 'CsvListed', 'byGenre'), [
      canonical({ artist: { S: 'carpenters' }, song: { N: '3' }, genre: { S: 'pop' }, year: { S: '1970' } }),
      canonical({ artist: { S: 'doors' }, song: { N: '4' }, genre: { S: 'rock' }, year: { S: '1967' } }),
    ]);
  });

  it('skips, counts and logs items that fail DynamoDB\'s checks; the import FAILED, the table ACTIVE with the rest', async () => {
    const lines = [
      '{"Item":{"artist":{"S":"x"},"song":{"N":"1"},"cover":{"B":"AP8="},"tags":{"NS":["2","1"]}}}',
      '{"Item":{"song":{"N":"2"}}}',
      '{"Item":{"artist":{"S":"x"},"song":{"S":"3"}}}',
      'not json',
      '{"Item":{"artist":{"S":"x"},"song":{"N":"4"},"bad":{"N":"four"}}}',
      '{"Item":{"artist":{"S":"x"},"song":{"N":"5"},"genre":{"N":"5"}}}',
      '{"Item":{"artist":{"S":"x"},"song":{"N":"6"},"set":{"SS":[]}}}',
      '',
      '{"Item":{"artist":{"S":"x"},"song":{"N":"7"}}}',
    ];
    putObject(s3Dir, 'bad-bucket/items.json', `${lines.join('\n')}\n`);
    const started = await importInto('BadSongs', { S3BucketSource: { S3Bucket: 'bad-bucket' }, InputFormat: 'DYNAMODB_JSON' });
    const done = await finished(db, started.ImportArn as string);
    assert.deepEqual([done.ImportStatus, done.ProcessedItemCount, done.ImportedItemCount, done.ErrorCount], ['FAILED', 8, 2, 6]);
    assert.deepEqual([done.FailureCode, done.FailureMessage], ['ItemValidationError', 'Some of the items failed validation checks and were not imported. Please check CloudWatch error logs for more details.']);
    assert.equal((await db.send(new DescribeTableCommand({ TableName: 'BadSongs' }))).Table?.TableStatus, 'ACTIVE');
    assert.deepEqual((await contents(db, 'BadSongs')).map((line) => (JSON.parse(line) as Item)['song']?.N), ['1', '7']);
    const id = (started.ImportArn as string).slice((started.ImportArn as string).lastIndexOf('/') + 1);
    const log = readFileSync(join(s3Dir, '.logs', 'aws-dynamodb', 'imports', id, 'error'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as {
      itemS3Pointer: { bucket: string; key: string; itemIndex: number }; importArn: string; errorMessages: string[];
    });
    assert.deepEqual(log.map((entry) => [entry.itemS3Pointer.bucket, entry.itemS3Pointer.key, entry.itemS3Pointer.itemIndex, entry.importArn]),
      [1, 2, 3, 4, 5, 6].map((index) => ['bad-bucket', 'items.json', index, started.ImportArn]));
    assert.deepEqual(log.map((entry) => entry.errorMessages), [
      ['One or more parameter values were invalid: Missing the key artist in the item'],
      ['One or more parameter values were invalid: Type mismatch for key song expected: N actual: S'],
      ['The line is not valid JSON'],
      ['The parameter cannot be converted to a numeric value: four'],
      ['One or more parameter values were invalid: Type mismatch for Index Key genre Expected: S Actual: N IndexName: byGenre'],
      ['One or more parameter values were invalid: An string set  may not be empty'],
    ]);
  });

  it('skips the rest of an object it cannot read, as one error, and goes on with the next', async () => {
    putObject(s3Dir, 'gz-bucket/a-broken.json.gz', Buffer.from('this is not gzip at all'));
    putObject(s3Dir, 'gz-bucket/b-good.json.gz', gzipSync('{"Item":{"artist":{"S":"g"},"song":{"N":"1"}}}\n{"Item":{"artist":{"S":"g"},"song":{"N":"2"}}}\n'));
    const started = await importInto('GzSongs', { S3BucketSource: { S3Bucket: 'gz-bucket' }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP' });
    const done = await finished(db, started.ImportArn as string);
    assert.deepEqual([done.ImportStatus, done.FailureCode, done.ProcessedItemCount, done.ImportedItemCount, done.ErrorCount], ['FAILED', 'ItemValidationError', 2, 2, 1]);
    const id = (started.ImportArn as string).slice((started.ImportArn as string).lastIndexOf('/') + 1);
    const log = readFileSync(join(s3Dir, '.logs', 'aws-dynamodb', 'imports', id, 'error'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { itemS3Pointer: { key: string; itemIndex: number }; errorMessages: string[] });
    assert.deepEqual(log, [{ itemS3Pointer: { bucket: 'gz-bucket', key: 'a-broken.json.gz', itemIndex: 0 }, importArn: started.ImportArn, errorMessages: ['The object could not be read: incorrect header check'] }]);
  });

  it('fails a missing bucket before making the table; answers DynamoDB\'s errors; lists imports in pages', async () => {
    const started = await importInto('NoBucket', { S3BucketSource: { S3Bucket: 'no-such-bucket' }, InputFormat: 'CSV' });
    assert.deepEqual([started.ImportStatus, started.FailureCode, started.FailureMessage], ['FAILED', 'S3NoSuchBucket', 'The specified bucket does not exist: no-such-bucket']);
    await rejects(db.send(new DescribeTableCommand({ TableName: 'NoBucket' })), 'ResourceNotFoundException', 'Requested resource not found: Table: NoBucket not found');

    const unknown = `${started.TableArn as string}/import/01234567890123-89abcdef`;
    await rejects(db.send(new DescribeImportCommand({ ImportArn: unknown })), 'ImportNotFoundException', `Import not found: ${unknown}`);
    await rejects(importInto('Escape', { S3BucketSource: { S3Bucket: 'csv-bucket', S3KeyPrefix: '../bad-bucket/' }, InputFormat: 'CSV' }),
      'ValidationException', 'S3KeyPrefix leads out of the bucket: StratusDB reads imports under --s3-dir and refuses such a prefix');
    await rejects(db.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'csv-bucket' }, InputFormat: 'XML' as 'CSV', TableCreationParameters: { TableName: 'Xml', ...keyed } })),
      'ValidationException', "1 validation error detected: Value 'XML' at 'inputFormat' failed to satisfy constraint: Member must satisfy enum value set: [DYNAMODB_JSON, ION, CSV]");
    await rejects(db.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'csv-bucket' }, InputFormat: 'CSV', TableCreationParameters: { TableName: 'NoKey', ...keyed, KeySchema: [{ AttributeName: 'nokey', KeyType: 'HASH' }] } })),
      'ValidationException', 'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [nokey], AttributeDefinitions: [artist, song, genre]');

    await rejects(db.send(new ImportTableCommand({
      S3BucketSource: { S3Bucket: 'csv-bucket' }, InputFormat: 'DYNAMODB_JSON', InputFormatOptions: { Csv: { Delimiter: ';' } }, TableCreationParameters: { TableName: 'Opts', ...keyed },
    })), 'ValidationException', 'Invalid Request: Unsupported InputFormatOptions for the given input format: DYNAMODB_JSON.');
    const badToken = '0'.repeat(112);
    await rejects(db.send(new ListImportsCommand({ NextToken: badToken })), 'ValidationException', `Invalid Request: Provided nextToken is invalid: ${badToken}`);
    const all = (await db.send(new ListImportsCommand({}))).ImportSummaryList ?? [];
    assert.ok(all.length >= 6);
    assert.deepEqual(all.at(-1), {
      ImportArn: started.ImportArn, ImportStatus: 'FAILED', TableArn: started.TableArn, S3BucketSource: { S3Bucket: 'no-such-bucket' },
      CloudWatchLogGroupArn: started.CloudWatchLogGroupArn, InputFormat: 'CSV', StartTime: started.StartTime, EndTime: started.EndTime,
    });
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await db.send(new ListImportsCommand({ PageSize: 2, NextToken }));
      assert.ok((page.ImportSummaryList ?? []).length <= 2);
      seen.push(...(page.ImportSummaryList ?? []).map((s) => s.ImportArn as string));
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    assert.deepEqual(seen, all.map((s) => s.ImportArn));
    const forTable = (await db.send(new ListImportsCommand({ TableArn: started.TableArn }))).ImportSummaryList ?? [];
    assert.deepEqual(forTable.map((s) => s.ImportArn), [started.ImportArn]);
  });
});

describe('an import cut short by kill -9', localOnly, () => {
  it('runs again after the restart: COMPLETED, every item in', async () => {
    const dataDir = newDataDir();
    const s3Dir = join(dataDir, 's3');
    const lines = Array.from({ length: 3000 }, (_, n) => JSON.stringify({ Item: { artist: { S: `a${n % 11}` }, song: { N: String(n) }, genre: { S: 'g' }, pad: { S: 'x'.repeat(200) } } }));
    putObject(s3Dir, 'crash/part-1.json.gz', gzipSync(`${lines.slice(0, 1500).join('\n')}\n`));
    putObject(s3Dir, 'crash/part-2.json.gz', gzipSync(`${lines.slice(1500).join('\n')}\n`));
    const first = await startServerProcess({ dataDir, args: ['--s3-dir', s3Dir] });
    const started = (await first.client().send(new ImportTableCommand({
      S3BucketSource: { S3Bucket: 'crash' }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP', TableCreationParameters: { TableName: 'Crash', ...keyed },
    }))).ImportTableDescription as ImportTableDescription;
    await first.kill();
    const second = await startServerProcess({ dataDir, args: ['--s3-dir', s3Dir] });
    try {
      const db = second.client();
      const done = await finished(db, started.ImportArn as string);
      assert.deepEqual([done.ImportStatus, done.ProcessedItemCount, done.ImportedItemCount, done.ErrorCount], ['COMPLETED', 3000, 3000, 0]);
      assert.equal((await db.send(new DescribeTableCommand({ TableName: 'Crash' }))).Table?.TableStatus, 'ACTIVE');
      assert.equal((await contents(db, 'Crash')).length, 3000);
    } finally {
      await second.dispose();
    }
  });
});

// Backups and point-in-time recovery, timed: an on-demand backup of a loaded table (items/s, and the
// p99 of writers running meanwhile against their p99 without it) and its restore; the cost of the
// recovery log on writes (the same load into a table with and without PITR), the first copy of a loaded table when PITR is enabled (items/s, and the
// p99 of writers running meanwhile against their p99 without it), and RestoreTableToPointInTime of
// that table with a day of history (the server's --test-clock moved an hour at a time while 1 % of
// the items change each hour): items/s to the latest moment and to twelve hours back; an export of
// that table and an ImportTable of the export (gzipped DynamoDB JSON lines), items/s.
//   npm run bench -- --pitr [--records 100000]
import { Client, waitActive } from './client.js';
import { startTarget } from './targets.js';

const payload = 'p'.repeat(1000);
const batchSize = 25;
const loadConcurrency = 8;
const writers = 8;
const hourMs = 60 * 60 * 1000;

async function call(client: Client, op: string, body: unknown): Promise<unknown> {
  const res = await client.call(op, JSON.stringify(body));
  if (res.status !== 200) throw new Error(`${op}: ${res.text}`);
  return JSON.parse(res.text) as unknown;
}

async function createTable(client: Client, name: string): Promise<void> {
  await call(client, 'CreateTable', {
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  });
  await waitActive(client, name);
}

/** Loads `records` items of 1 KB with BatchWriteItem; resolves with items/s. */
async function load(client: Client, table: string, records: number, version: string): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: loadConcurrency }, async () => {
    while (next < records) {
      const from = next;
      next = Math.min(records, next + batchSize);
      const RequestItems = { [table]: Array.from({ length: next - from }, (_, j) => ({ PutRequest: { Item: { id: { S: `item${from + j}` }, v: { S: version }, data: { S: payload } } } })) };
      await call(client, 'BatchWriteItem', { RequestItems });
    }
  }));
  return records / ((performance.now() - started) / 1000);
}

/** PutItem latencies (ms) of `writers` clients on `table` until `done` resolves. */
async function writeWhile(client: Client, table: string, done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const latencies: number[] = [];
  await Promise.all(Array.from({ length: writers }, async (_, w) => {
    for (let i = 0; !finished; i++) {
      const started = performance.now();
      await call(client, 'PutItem', { TableName: table, Item: { id: { S: `w${w}-${i % 500}` }, data: { S: payload } } });
      latencies.push(performance.now() - started);
    }
  }));
  return latencies;
}

function p99(latencies: number[]): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 10));
}

async function windowOpen(client: Client, table: string): Promise<boolean> {
  const out = await call(client, 'DescribeContinuousBackups', { TableName: table }) as { ContinuousBackupsDescription: { PointInTimeRecoveryDescription: { EarliestRestorableDateTime?: number } } };
  return out.ContinuousBackupsDescription.PointInTimeRecoveryDescription.EarliestRestorableDateTime !== undefined;
}

async function active(client: Client, table: string): Promise<boolean> {
  const out = await call(client, 'DescribeTable', { TableName: table }) as { Table: { TableStatus: string } };
  return out.Table.TableStatus === 'ACTIVE';
}

async function advance(endpoint: string, ms: number): Promise<number> {
  const res = await fetch(`${endpoint}/stratusdb/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: ms }) });
  return ((await res.json()) as { now: number }).now;
}

async function restore(client: Client, target: string, at: number | 'latest', records: number): Promise<string> {
  const started = performance.now();
  await call(client, 'RestoreTableToPointInTime', { SourceTableName: 'Pitr', TargetTableName: target, ...(at === 'latest' ? { UseLatestRestorableTime: true } : { RestoreDateTime: at / 1000 }) });
  await until(() => active(client, target));
  const seconds = (performance.now() - started) / 1000;
  return `${seconds.toFixed(2)} s, ${(records / seconds).toFixed(0)} items/s`;
}

export async function runPitrBench(records: number, data: string | undefined): Promise<void> {
  const target = await startTarget('stratusdb', 18_720, ['--test-clock', ...(data === undefined ? [] : ['--data', data])]);
  try {
    const client = new Client(target.endpoint, loadConcurrency + writers);
    await createTable(client, 'Plain');
    await createTable(client, 'Pitr');
    await createTable(client, 'Writes');
    await call(client, 'UpdateContinuousBackups', { TableName: 'Pitr', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    await until(() => windowOpen(client, 'Pitr'));
    const plainRate = await load(client, 'Plain', records, 'v0');
    const pitrRate = await load(client, 'Pitr', records, 'v0');
    console.log(`\nBackups and point-in-time recovery, ${records} items of 1 KB${data === undefined ? '' : ' on PostgreSQL'}`);
    console.log(`load (BatchWriteItem, ${loadConcurrency} clients): without PITR ${plainRate.toFixed(0)} items/s, with PITR ${pitrRate.toFixed(0)} items/s (${((pitrRate / plainRate) * 100).toFixed(0)} %)`);

    const quiet = await writeWhile(client, 'Writes', new Promise((resolve) => setTimeout(resolve, 4000)));
    // On-demand backups of the loaded table, three in a row, with writers running on another table meanwhile.
    const backupOnce = async (n: number): Promise<string> => {
      const created = await call(client, 'CreateBackup', { TableName: 'Plain', BackupName: `PlainBackup${n}` }) as { BackupDetails: { BackupArn: string } };
      const arn = created.BackupDetails.BackupArn;
      await until(async () => {
        const out = await call(client, 'DescribeBackup', { BackupArn: arn }) as { BackupDescription: { BackupDetails: { BackupStatus: string } } };
        return out.BackupDescription.BackupDetails.BackupStatus === 'AVAILABLE';
      });
      return arn;
    };
    const backupStarted = performance.now();
    let arn = '';
    const duringBackup = await writeWhile(client, 'Writes', (async () => {
      for (let n = 1; n <= 3; n++) arn = await backupOnce(n);
    })());
    const backupSeconds = (performance.now() - backupStarted) / 3000;
    console.log(`CreateBackup (three in a row): AVAILABLE after ${backupSeconds.toFixed(2)} s each, ${(records / backupSeconds).toFixed(0)} items/s; writers' PutItem p99 ${p99(duringBackup).toFixed(2)} ms during them vs ${p99(quiet).toFixed(2)} ms without (${(p99(duringBackup) / p99(quiet)).toFixed(2)}×)`);
    const fromBackupStarted = performance.now();
    await call(client, 'RestoreTableFromBackup', { TargetTableName: 'FromBackup', BackupArn: arn });
    await until(() => active(client, 'FromBackup'));
    const fromBackupSeconds = (performance.now() - fromBackupStarted) / 1000;
    console.log(`RestoreTableFromBackup: ACTIVE after ${fromBackupSeconds.toFixed(2)} s, ${(records / fromBackupSeconds).toFixed(0)} items/s`);

    // The first copy of a loaded table when PITR is enabled, with writers running meanwhile.
    const copyStarted = performance.now();
    await call(client, 'UpdateContinuousBackups', { TableName: 'Plain', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    const copied = until(() => windowOpen(client, 'Plain'));
    const during = await writeWhile(client, 'Writes', copied);
    const copySeconds = (performance.now() - copyStarted) / 1000;
    console.log(`first copy when enabled: ${copySeconds.toFixed(2)} s, ${(records / copySeconds).toFixed(0)} items/s; writers' PutItem p99 ${p99(during).toFixed(2)} ms during it vs ${p99(quiet).toFixed(2)} ms without (${(p99(during) / p99(quiet)).toFixed(2)}×)`);

    // A day of history: each hour 1 % of the items change.
    const hourly = Math.max(1, Math.floor(records / 100));
    let midday = 0;
    for (let hour = 1; hour <= 24; hour++) {
      const now = await advance(target.endpoint, hourMs);
      if (hour === 12) midday = now;
      let next = 0;
      await Promise.all(Array.from({ length: loadConcurrency }, async () => {
        while (next < hourly) {
          const from = next;
          next = Math.min(hourly, next + batchSize);
          const RequestItems = { Pitr: Array.from({ length: next - from }, (_, j) => ({ PutRequest: { Item: { id: { S: `item${((from + j) * 97 + hour) % records}` }, v: { S: `h${hour}` }, data: { S: payload } } } })) };
          await call(client, 'BatchWriteItem', { RequestItems });
        }
      }));
    }
    await advance(target.endpoint, 1000);
    console.log(`RestoreTableToPointInTime, a day of history (${hourly * 24} changes): latest ${await restore(client, 'RestoredLatest', 'latest', records)}; 12 h back ${await restore(client, 'RestoredMidday', midday, records)}`);
    const exportStarted = performance.now();
    const exported = await call(client, 'ExportTableToPointInTime', { TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Pitr', S3Bucket: 'bench', ExportTime: midday / 1000 }) as { ExportDescription: { ExportArn: string } };
    await until(async () => {
      const out = await call(client, 'DescribeExport', { ExportArn: exported.ExportDescription.ExportArn }) as { ExportDescription: { ExportStatus: string } };
      return out.ExportDescription.ExportStatus === 'COMPLETED';
    });
    const exportSeconds = (performance.now() - exportStarted) / 1000;
    console.log(`ExportTableToPointInTime (12 h back): COMPLETED after ${exportSeconds.toFixed(2)} s, ${(records / exportSeconds).toFixed(0)} items/s`);
    // ImportTable of that export: gzipped DynamoDB JSON lines, one item a line.
    const exportArn = exported.ExportDescription.ExportArn;
    const importStarted = performance.now();
    const imported = await call(client, 'ImportTable', {
      S3BucketSource: { S3Bucket: 'bench', S3KeyPrefix: `AWSDynamoDB/${exportArn.slice(exportArn.lastIndexOf('/') + 1)}/data/` }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP',
      TableCreationParameters: { TableName: 'Imported', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] },
    }) as { ImportTableDescription: { ImportArn: string } };
    let importedItems = 0;
    await until(async () => {
      const out = await call(client, 'DescribeImport', { ImportArn: imported.ImportTableDescription.ImportArn }) as { ImportTableDescription: { ImportStatus: string; ImportedItemCount: number } };
      importedItems = out.ImportTableDescription.ImportedItemCount;
      return out.ImportTableDescription.ImportStatus !== 'IN_PROGRESS';
    });
    const importSeconds = (performance.now() - importStarted) / 1000;
    console.log(`ImportTable (gzipped DynamoDB JSON, ${importedItems} lines): done after ${importSeconds.toFixed(2)} s, ${(importedItems / importSeconds).toFixed(0)} items/s`);
    const restoredDuring = await writeWhile(client, 'Writes', restore(client, 'RestoredUnderLoad', 'latest', records));
    console.log(`writers' PutItem p99 during a restore: ${p99(restoredDuring).toFixed(2)} ms vs ${p99(quiet).toFixed(2)} ms without (${(p99(restoredDuring) / p99(quiet)).toFixed(2)}×)`);
    client.close();
  } finally {
    await target.stop();
  }
}

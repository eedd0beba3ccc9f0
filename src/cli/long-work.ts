// `stratusdb backup|restore|export|import`: thin wrappers over the DynamoDB API of a running server.
// Each asks for the work (CreateBackup, RestoreTableFromBackup / RestoreTableToPointInTime,
// ExportTableToPointInTime, ImportTable), then follows it with the matching Describe call, drawing
// its progress on a terminal, and prints the outcome: exit 0 when it succeeded, 1 when it failed
// or was refused (with DynamoDB's exception and message).
import type { WorkCommand } from '../config/cli-args.js';
import { ApiClient, ApiError } from './api-client.js';
import { ProgressBar } from './progress-bar.js';

/** How often the work's Describe call is repeated. */
const pollMs = 200;

export interface WorkOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly bar: ProgressBar;
}

/** Where the work stands: finished (with the outcome line, and whether it failed) or how far it has got. */
type Standing =
  | { readonly finished: true; readonly failed: boolean; readonly line: string }
  | { readonly finished: false; readonly done: number; readonly total: number | undefined; readonly unit: string };

type Described = Record<string, unknown>;

interface TableDescription {
  readonly TableArn: string;
  readonly TableStatus: string;
  readonly ItemCount: number;
  readonly TableSizeBytes: number;
}

export async function runWork(work: WorkCommand, endpoint: string, env: Readonly<Record<string, string | undefined>>, output: WorkOutput): Promise<number> {
  const api = new ApiClient(endpoint, env);
  try {
    const follow = await start(api, work);
    const began = Date.now();
    for (;;) {
      const standing = await follow();
      if (standing.finished) {
        output.bar.done();
        const line = `${standing.line} (${((Date.now() - began) / 1000).toFixed(1)} s)\n`;
        if (standing.failed) output.err(line);
        else output.out(line);
        return standing.failed ? 1 : 0;
      }
      output.bar.draw(standing.done, standing.total, standing.unit);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } catch (error) {
    output.bar.done();
    output.err(error instanceof ApiError ? `stratusdb ${work.verb}: ${error.type}: ${error.message}\n` : `stratusdb ${work.verb}: ${String(error)}\n`);
    return 1;
  }
}

async function describeTable(api: ApiClient, name: string): Promise<TableDescription> {
  return (await api.call<{ Table: TableDescription }>('DescribeTable', { TableName: name })).Table;
}

/** A date flag (ISO 8601) as the API's epoch seconds. */
function seconds(flag: string, text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new ApiError('UsageError', `${flag} must be a date such as 2026-12-06T14:02:09Z, not ${text}`);
  return ms / 1000;
}

/** Asks for the work; resolves to the function that tells where it stands. */
async function start(api: ApiClient, work: WorkCommand): Promise<() => Promise<Standing>> {
  switch (work.verb) {
    case 'backup': {
      const source = await describeTable(api, work.table);
      const name = work.name ?? `${work.table}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}`;
      const arn = (await api.call<{ BackupDetails: { BackupArn: string } }>('CreateBackup', { TableName: work.table, BackupName: name })).BackupDetails.BackupArn;
      return async () => {
        const details = (await api.call<{ BackupDescription: { BackupDetails: Described; SourceTableDetails: Described } }>('DescribeBackup', { BackupArn: arn })).BackupDescription;
        const size = Number(details.BackupDetails['BackupSizeBytes'] ?? 0);
        if (details.BackupDetails['BackupStatus'] === 'AVAILABLE') {
          return { finished: true, failed: false, line: `backup ${arn} AVAILABLE: ${String(details.SourceTableDetails['ItemCount'])} items, ${size} bytes` };
        }
        return { finished: false, done: size, total: source.TableSizeBytes, unit: 'bytes' };
      };
    }
    case 'restore': {
      let total: number | undefined;
      if (work.backupArn !== undefined) {
        total = Number((await api.call<{ BackupDescription: { SourceTableDetails: Described } }>('DescribeBackup', { BackupArn: work.backupArn })).BackupDescription.SourceTableDetails['ItemCount']);
        await api.call('RestoreTableFromBackup', { TargetTableName: work.target, BackupArn: work.backupArn });
      } else {
        const source = work.source as string;
        total = (await describeTable(api, source)).ItemCount;
        const moment = work.time === undefined ? { UseLatestRestorableTime: true } : { RestoreDateTime: seconds('--time', work.time) };
        await api.call('RestoreTableToPointInTime', { SourceTableName: source, TargetTableName: work.target, ...moment });
      }
      return async () => {
        let table: TableDescription;
        try {
          table = await describeTable(api, work.target);
        } catch (error) {
          // A restore that cannot finish removes its table.
          if (error instanceof ApiError && error.type === 'ResourceNotFoundException') return { finished: true, failed: true, line: `restore of ${work.target} FAILED: the table was removed (see the server log)` };
          throw error;
        }
        if (table.TableStatus === 'ACTIVE') return { finished: true, failed: false, line: `${work.target} restored, ACTIVE: ${table.ItemCount} items` };
        return { finished: false, done: table.ItemCount, total, unit: 'items' };
      };
    }
    case 'export': {
      const source = await describeTable(api, work.table);
      const incremental = work.from !== undefined;
      const arn = (await api.call<{ ExportDescription: { ExportArn: string } }>('ExportTableToPointInTime', {
        TableArn: source.TableArn, S3Bucket: work.bucket, ...(work.prefix === undefined ? {} : { S3Prefix: work.prefix }),
        ...(work.format === undefined ? {} : { ExportFormat: work.format }),
        ...(work.time === undefined ? {} : { ExportTime: seconds('--time', work.time) }),
        ...(incremental
          ? {
            ExportType: 'INCREMENTAL_EXPORT',
            IncrementalExportSpecification: { ExportFromTime: seconds('--from', work.from as string), ...(work.to === undefined ? {} : { ExportToTime: seconds('--to', work.to) }) },
          }
          : {}),
      })).ExportDescription.ExportArn;
      return async () => {
        const described = (await api.call<{ ExportDescription: Described }>('DescribeExport', { ExportArn: arn })).ExportDescription;
        const items = Number(described['ItemCount'] ?? 0);
        switch (described['ExportStatus']) {
          case 'COMPLETED':
            return { finished: true, failed: false, line: `export ${arn} COMPLETED: ${items} items in s3 bucket ${work.bucket}, manifest ${String(described['ExportManifest'])}` };
          case 'FAILED':
            return { finished: true, failed: true, line: `export ${arn} FAILED: ${String(described['FailureCode'])}: ${String(described['FailureMessage'])}` };
          default:
            return { finished: false, done: items, total: incremental ? undefined : source.ItemCount, unit: 'items' };
        }
      };
    }
    case 'import': {
      const arn = (await api.call<{ ImportTableDescription: { ImportArn: string } }>('ImportTable', {
        S3BucketSource: { S3Bucket: work.bucket, ...(work.prefix === undefined ? {} : { S3KeyPrefix: work.prefix }) },
        InputFormat: work.format, ...(work.compression === undefined ? {} : { InputCompressionType: work.compression }),
        TableCreationParameters: tableParameters(work),
      })).ImportTableDescription.ImportArn;
      return async () => {
        const d = (await api.call<{ ImportTableDescription: Described }>('DescribeImport', { ImportArn: arn })).ImportTableDescription;
        const counts = `${String(d['ImportedItemCount'])} items imported, ${String(d['ErrorCount'])} errors, ${String(d['ProcessedItemCount'])} processed`;
        switch (d['ImportStatus']) {
          case 'COMPLETED':
            return { finished: true, failed: false, line: `import ${arn} COMPLETED: ${counts}` };
          case 'IN_PROGRESS':
            return { finished: false, done: Number(d['ProcessedItemCount'] ?? 0), total: undefined, unit: 'items processed' };
          default:
            return { finished: true, failed: true, line: `import ${arn} ${String(d['ImportStatus'])}: ${counts}: ${String(d['FailureCode'])}: ${String(d['FailureMessage'])}` };
        }
      };
    }
  }
}

/** The new table of an import: the JSON given, or a PAY_PER_REQUEST table keyed by `--key name:TYPE[,name:TYPE]`. */
function tableParameters(work: Extract<WorkCommand, { verb: 'import' }>): unknown {
  if (work.parameters !== undefined) {
    try {
      return JSON.parse(work.parameters) as unknown;
    } catch {
      throw new ApiError('UsageError', '--table-creation-parameters must be JSON, as the AWS CLI takes it');
    }
  }
  const keys = (work.key as string).split(',').map((part) => part.split(':'));
  if (keys.length > 2 || keys.some((k) => k.length !== 2 || !['S', 'N', 'B'].includes(k[1] as string))) {
    throw new ApiError('UsageError', '--key must be NAME:TYPE or HASH:TYPE,RANGE:TYPE with types S, N or B');
  }
  return {
    TableName: work.table, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keys.map(([name, type]) => ({ AttributeName: name, AttributeType: type })),
    KeySchema: keys.map(([name], i) => ({ AttributeName: name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
  };
}

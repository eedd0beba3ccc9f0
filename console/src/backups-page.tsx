// Backups and restores: on-demand backups (made, listed, restored into a new table), point-in-time
// recovery (a second picked on the table's restorable window), and exports and imports with their
// progress.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Api } from './api.js';
import { bytesText, ErrorLine, Field, Grid, Select, useAction, useInterval, useLoad } from './ui.js';

interface BackupSummary {
  readonly TableName: string;
  readonly BackupArn: string;
  readonly BackupName: string;
  readonly BackupCreationDateTime?: number;
  readonly BackupStatus: string;
  readonly BackupSizeBytes?: number;
}
interface ExportSummary {
  readonly ExportArn: string;
  readonly ExportStatus: string;
  readonly ExportType?: string;
}
interface ImportSummary {
  readonly ImportArn: string;
  readonly ImportStatus: string;
  readonly TableArn?: string;
  readonly StartTime?: number;
}
interface Restorable {
  readonly earliest: number;
  readonly latest: number;
}

const tableOf = (arn: string | undefined): string => arn?.split(':table/')[1]?.split('/')[0] ?? '';
const time = (seconds: number | undefined): string => (seconds === undefined ? '' : new Date(seconds * 1000).toLocaleString());

export function BackupsPage({ api }: { api: Api }): JSX.Element {
  const data = useLoad(async () => {
    const [tables, backups, exports, imports] = await Promise.all([
      api.dynamodb<{ TableNames: string[] }>('ListTables', {}),
      api.dynamodb<{ BackupSummaries?: BackupSummary[] }>('ListBackups', {}),
      api.dynamodb<{ ExportSummaries?: ExportSummary[] }>('ListExports', {}),
      api.dynamodb<{ ImportSummaryList?: ImportSummary[] }>('ListImports', {}),
    ]);
    // Exports and imports in progress: their counts so far.
    const progress = new Map<string, string>();
    await Promise.all([
      ...(exports.ExportSummaries ?? []).map(async (e) => {
        const d = await api.dynamodb<{ ExportDescription: { ItemCount?: number; BilledSizeBytes?: number; TableArn?: string } }>('DescribeExport', { ExportArn: e.ExportArn });
        progress.set(e.ExportArn, `${tableOf(d.ExportDescription.TableArn)}: ${d.ExportDescription.ItemCount ?? 0} items, ${bytesText(d.ExportDescription.BilledSizeBytes ?? 0)}`);
      }),
      ...(imports.ImportSummaryList ?? []).map(async (i) => {
        const d = await api.dynamodb<{ ImportTableDescription: { ProcessedItemCount?: number; ImportedItemCount?: number; ErrorCount?: number } }>('DescribeImport', { ImportArn: i.ImportArn });
        const x = d.ImportTableDescription;
        progress.set(i.ImportArn, `${x.ProcessedItemCount ?? 0} processed, ${x.ImportedItemCount ?? 0} imported, ${x.ErrorCount ?? 0} errors`);
      }),
    ]);
    return { tables: tables.TableNames, backups: backups.BackupSummaries ?? [], exports: exports.ExportSummaries ?? [], imports: imports.ImportSummaryList ?? [], progress };
  }, [api]);
  useInterval(() => {
    const d = data.value;
    if (d !== undefined && [...d.backups.map((b) => b.BackupStatus), ...d.exports.map((e) => e.ExportStatus), ...d.imports.map((i) => i.ImportStatus)].some((s) => s === 'CREATING' || s === 'IN_PROGRESS')) data.reload();
  }, 2000);
  const [done, setDone] = useState('');
  const action = useAction(data.reload);
  const act = async (operation: string, input: object, message: string): Promise<void> => {
    setDone('');
    if (await action.run(() => api.dynamodb(operation, input))) setDone(message);
  };
  const d = data.value;
  return (
    <section>
      <h1>Backups and restores</h1>
      <ErrorLine error={action.error ?? data.error} />
      {done === '' ? null : <p role="status" class="ok">{done}</p>}
      {d === undefined ? <p class="muted">Loading…</p> : (
        <>
          <CreateBackup tables={d.tables} act={act} />
          <Grid<BackupSummary>
            label="Backups" rows={d.backups} rowKey={(b) => b.BackupArn} empty="No backups"
            columns={[
              { title: 'Backup', cell: (b) => b.BackupName },
              { title: 'Table', cell: (b) => b.TableName },
              { title: 'Created', cell: (b) => time(b.BackupCreationDateTime) },
              { title: 'Status', cell: (b) => b.BackupStatus },
              { title: 'Size', cell: (b) => bytesText(b.BackupSizeBytes ?? 0) },
              { title: 'Actions', cell: (b) => <RestoreBackup backup={b} act={act} /> },
            ]}
          />
          <PointInTime api={api} tables={d.tables} act={act} />
          <h2>Exports</h2>
          <Grid<ExportSummary>
            label="Exports" rows={d.exports} rowKey={(e) => e.ExportArn} empty="No exports"
            columns={[
              { title: 'Export', cell: (e) => <span class="mono">{e.ExportArn.split('/').pop() ?? ''}</span> },
              { title: 'Type', cell: (e) => e.ExportType ?? 'FULL_EXPORT' },
              { title: 'Status', cell: (e) => e.ExportStatus },
              { title: 'Progress', cell: (e) => d.progress.get(e.ExportArn) ?? '' },
            ]}
          />
          <h2>Imports</h2>
          <Grid<ImportSummary>
            label="Imports" rows={d.imports} rowKey={(i) => i.ImportArn} empty="No imports"
            columns={[
              { title: 'Into table', cell: (i) => tableOf(i.TableArn) },
              { title: 'Started', cell: (i) => time(i.StartTime) },
              { title: 'Status', cell: (i) => i.ImportStatus },
              { title: 'Progress', cell: (i) => d.progress.get(i.ImportArn) ?? '' },
            ]}
          />
        </>
      )}
    </section>
  );
}

type Act = (operation: string, input: object, message: string) => Promise<void>;

function CreateBackup({ tables, act }: { tables: readonly string[]; act: Act }): JSX.Element {
  const [table, setTable] = useState(tables[0] ?? '');
  const [name, setName] = useState('');
  return (
    <form class="row" onSubmit={(e) => {
      e.preventDefault();
      void act('CreateBackup', { TableName: table, BackupName: name.trim() }, `Backup ${name.trim()} of ${table} made`);
    }}>
      <Select label="Table to back up" value={table} options={tables.length === 0 ? [''] : tables} onChange={setTable} />
      <Field label="Backup name" value={name} onInput={setName} required />
      <button type="submit">Create backup</button>
    </form>
  );
}

function RestoreBackup({ backup, act }: { backup: BackupSummary; act: Act }): JSX.Element {
  const [target, setTarget] = useState(`${backup.TableName}-restored`);
  return (
    <form class="row" onSubmit={(e) => {
      e.preventDefault();
      void act('RestoreTableFromBackup', { BackupArn: backup.BackupArn, TargetTableName: target.trim() }, `Restoring ${backup.BackupName} into ${target.trim()}`);
    }}>
      <Field label={`New table for ${backup.BackupName}`} value={target} onInput={setTarget} />
      <button type="submit">Restore {backup.BackupName}</button>
    </form>
  );
}

function PointInTime({ api, tables, act }: { api: Api; tables: readonly string[]; act: Act }): JSX.Element {
  const [table, setTable] = useState(tables[0] ?? '');
  const [second, setSecond] = useState<number | undefined>();
  const [target, setTarget] = useState('');
  const restorable = useLoad(async (): Promise<Restorable | undefined> => {
    if (table === '') return undefined;
    const d = await api.dynamodb<{ ContinuousBackupsDescription?: { PointInTimeRecoveryDescription?: { PointInTimeRecoveryStatus?: string; EarliestRestorableDateTime?: number; LatestRestorableDateTime?: number } } }>('DescribeContinuousBackups', { TableName: table });
    const p = d.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
    if (p?.PointInTimeRecoveryStatus !== 'ENABLED' || p.EarliestRestorableDateTime === undefined || p.LatestRestorableDateTime === undefined) return undefined;
    return { earliest: Math.ceil(p.EarliestRestorableDateTime), latest: Math.floor(p.LatestRestorableDateTime) };
  }, [api, table]);
  const w = restorable.value;
  const chosen = w === undefined ? undefined : Math.min(w.latest, Math.max(w.earliest, second ?? w.latest));
  return (
    <>
      <h2>Point-in-time recovery</h2>
      <form onSubmit={(e) => {
        e.preventDefault();
        if (chosen === undefined) return;
        void act('RestoreTableToPointInTime', { SourceTableName: table, TargetTableName: target.trim(), RestoreDateTime: chosen }, `Restoring ${table} as of ${time(chosen)} into ${target.trim()}`);
      }}>
        <Select label="Table to restore" value={table} options={tables.length === 0 ? [''] : tables} onChange={setTable} />
        {w === undefined || chosen === undefined ? <p class="muted">{restorable.loading ? 'Loading…' : 'Point-in-time recovery is off for this table: turn it on in its settings.'}</p> : (
          <>
            <div class="field">
              <label for="pitr-second">Restore to (one second in {time(w.earliest)} – {time(w.latest)})</label>
              <input id="pitr-second" type="range" min={w.earliest} max={w.latest} step={1} value={chosen} aria-valuetext={time(chosen)} onInput={(e) => setSecond(Number(e.currentTarget.value))} />
              <output for="pitr-second">{time(chosen)}</output>
            </div>
            <Field label="New table name" value={target} onInput={setTarget} required />
            <button type="submit">Restore to this second</button>
          </>
        )}
      </form>
    </>
  );
}

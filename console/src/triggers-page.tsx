// The server's triggers (the project file's and the deployed ones): state, iterator age, counters
// and their latest failures, from GET /stratusdb/triggers, refreshed every two seconds.
import type { JSX } from 'preact';
import type { Api } from './api.js';
import { ErrorLine, Grid, useInterval, useLoad } from './ui.js';

interface TriggerFailure {
  readonly at: number;
  readonly records: number;
  readonly firstSequenceNumber: string;
  readonly error: string;
}

interface TriggerStatus {
  readonly name: string;
  readonly table: string;
  readonly region: string;
  readonly handler: string;
  readonly state: string;
  readonly lastProcessingResult: string;
  readonly iteratorAgeMs: number;
  readonly invocations: number;
  readonly errors: number;
  readonly retries: number;
  readonly recordsDelivered: number;
  readonly recordsFiltered: number;
  readonly recordsDiscarded: number;
  readonly recentFailures?: readonly TriggerFailure[];
}

export function TriggersPage({ api }: { api: Api }): JSX.Element {
  const status = useLoad(async () => (await api.status<{ triggers: TriggerStatus[] }>('/stratusdb/triggers')).triggers, [api]);
  useInterval(status.reload, 2000);
  const triggers = status.value ?? [];
  const failures = triggers.flatMap((t) => (t.recentFailures ?? []).map((f) => ({ trigger: t.name, ...f }))).sort((a, b) => b.at - a.at);
  return (
    <section>
      <h1>Triggers</h1>
      <p class="muted">Functions run on table streams, from the project file (<code>--config</code>) or <code>stratusdb deploy</code>.</p>
      <ErrorLine error={status.error} />
      <Grid<TriggerStatus>
        label="Triggers" rows={triggers} rowKey={(t) => t.name} empty={status.loading ? 'Loading…' : 'No triggers on this server'}
        columns={[
          { title: 'Name', cell: (t) => t.name },
          { title: 'Table', cell: (t) => <a href={`#/tables/${encodeURIComponent(t.table)}/stream`}>{t.table}</a> },
          { title: 'Region', cell: (t) => t.region },
          { title: 'Handler', cell: (t) => <span class="mono">{t.handler}</span> },
          { title: 'State', cell: (t) => t.state },
          { title: 'Iterator age', cell: (t) => `${t.iteratorAgeMs} ms` },
          { title: 'Invocations', cell: (t) => String(t.invocations) },
          { title: 'Errors', cell: (t) => String(t.errors) },
          { title: 'Retries', cell: (t) => String(t.retries) },
          { title: 'Delivered', cell: (t) => String(t.recordsDelivered) },
          { title: 'Filtered', cell: (t) => String(t.recordsFiltered) },
          { title: 'Discarded', cell: (t) => String(t.recordsDiscarded) },
          { title: 'Last result', cell: (t) => t.lastProcessingResult },
        ]}
      />
      <h2>Recent failures</h2>
      <Grid<(typeof failures)[number]>
        label="Recent failures" rows={failures} rowKey={(f, i) => `${f.trigger}:${f.at}:${i}`} empty="No failures"
        columns={[
          { title: 'When', cell: (f) => new Date(f.at).toLocaleString() },
          { title: 'Trigger', cell: (f) => f.trigger },
          { title: 'Records', cell: (f) => `${f.records} from ${f.firstSequenceNumber}` },
          { title: 'Error', cell: (f) => <span class="mono">{f.error}</span> },
        ]}
      />
    </section>
  );
}

// A table's metrics over the last hour, per minute, from the server's CloudWatch API (the same
// numbers GetMetricData gives an SDK): consumed capacity, throttling, latency per operation; and the
// item count, sampled from DescribeTable while this view is open. Refreshed every ten seconds.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Api } from './api.js';
import type { TableDescription } from './table-types.js';
import { TimeChart, type Series } from './time-chart.js';
import { ErrorLine, useInterval, useLoad } from './ui.js';

const windowMinutes = 60;
const refreshMs = 10_000;

interface Dimension {
  readonly Name: string;
  readonly Value: string;
}
interface MetricId {
  readonly MetricName: string;
  readonly Dimensions: readonly Dimension[];
}
interface Result {
  readonly Id: string;
  readonly Timestamps: readonly number[];
  readonly Values: readonly number[];
}

interface Chart {
  readonly span: readonly [number, number];
  readonly title: string;
  readonly unit: string;
  readonly times: number[];
  readonly series: Series[];
}

/** Results keyed by query id, laid out on one time axis (seconds, ascending). */
function chartOf(title: string, unit: string, results: readonly Result[], labels: ReadonlyMap<string, string>, span: readonly [number, number]): Chart {
  const times = [...new Set(results.flatMap((r) => r.Timestamps))].sort((a, b) => a - b);
  const series = results.map((r) => {
    const byTime = new Map(r.Timestamps.map((t, i) => [t, r.Values[i] ?? null]));
    return { label: labels.get(r.Id) ?? r.Id, values: times.map((t) => byTime.get(t) ?? null) };
  });
  return { title, unit, times, series, span };
}

async function loadCharts(api: Api, table: string): Promise<Chart[]> {
  const listed = await api.call<{ Metrics?: MetricId[] }>('cloudwatch', 'ListMetrics', { Namespace: 'AWS/DynamoDB', Dimensions: [{ Name: 'TableName', Value: table }] });
  const metrics = (listed.Metrics ?? []).filter((m) => !m.Dimensions.some((d) => d.Name === 'GlobalSecondaryIndexName'));
  const groups: { title: string; unit: string; stat: string; pick: (m: MetricId) => string | undefined }[] = [
    { title: 'Consumed capacity (units per minute)', unit: 'units', stat: 'Sum', pick: (m) => (m.Dimensions.length === 1 ? { ConsumedReadCapacityUnits: 'read', ConsumedWriteCapacityUnits: 'write' }[m.MetricName] : undefined) },
    { title: 'Throttling (events per minute)', unit: 'events', stat: 'Sum', pick: (m) => (m.Dimensions.length === 1 ? { ReadThrottleEvents: 'read', WriteThrottleEvents: 'write' }[m.MetricName] : undefined) },
    { title: 'Latency (average, ms)', unit: 'ms', stat: 'Average', pick: (m) => (m.MetricName === 'SuccessfulRequestLatency' ? m.Dimensions.find((d) => d.Name === 'Operation')?.Value : undefined) },
  ];
  const end = Date.now() / 1000;
  const span = [end - windowMinutes * 60, end] as const;
  const charts: Chart[] = [];
  for (const group of groups) {
    const labels = new Map<string, string>();
    const queries = metrics.flatMap((m) => {
      const label = group.pick(m);
      if (label === undefined) return [];
      const id = `q${labels.size}`;
      labels.set(id, label);
      return [{ Id: id, MetricStat: { Metric: { Namespace: 'AWS/DynamoDB', MetricName: m.MetricName, Dimensions: m.Dimensions }, Period: 60, Stat: group.stat } }];
    });
    if (queries.length === 0) {
      charts.push({ title: group.title, unit: group.unit, times: [], series: [], span });
      continue;
    }
    const data = await api.call<{ MetricDataResults: Result[] }>('cloudwatch', 'GetMetricData', { MetricDataQueries: queries, StartTime: end - windowMinutes * 60, EndTime: end + 60, ScanBy: 'TimestampAscending' });
    charts.push(chartOf(group.title, group.unit, data.MetricDataResults, labels, span));
  }
  return charts;
}

export function MetricsView({ api, table }: { api: Api; table: TableDescription }): JSX.Element {
  const charts = useLoad(() => loadCharts(api, table.TableName), [api, table.TableName]);
  const [counts, setCounts] = useState<{ times: number[]; values: number[] }>({ times: [Math.floor(Date.now() / 1000)], values: [table.ItemCount ?? 0] });
  useInterval(() => {
    charts.reload();
    api.dynamodb<{ Table: TableDescription }>('DescribeTable', { TableName: table.TableName }).then((d) => {
      setCounts((c) => ({ times: [...c.times, Math.floor(Date.now() / 1000)].slice(-360), values: [...c.values, d.Table.ItemCount ?? 0].slice(-360) }));
    }, () => undefined);
  }, refreshMs);
  return (
    <section aria-labelledby="metrics-title">
      <h2 id="metrics-title">Metrics <span class="muted">last {windowMinutes} minutes, per minute</span></h2>
      <ErrorLine error={charts.error} />
      <div class="charts">
        {(charts.value ?? []).map((c) => (c.series.length === 0
          ? <figure class="chart" key={c.title}><figcaption>{c.title}</figcaption><p class="muted">No data yet</p></figure>
          : <TimeChart key={c.title} title={c.title} unit={c.unit} times={c.times} series={c.series} span={c.span} />))}
        <TimeChart title="Item count (sampled while this view is open)" unit="items" times={counts.times} series={[{ label: 'items', values: counts.values }]}
          span={[Math.min(counts.times[0] ?? 0, Math.floor(Date.now() / 1000) - 300), Math.floor(Date.now() / 1000) + 10]} />
      </div>
    </section>
  );
}

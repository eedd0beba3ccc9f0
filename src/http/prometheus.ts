// GET /metrics: DynamoDB's CloudWatch metrics in Prometheus's text format, named as CloudWatch names
// them (dynamodb_ConsumedReadCapacityUnits, …) with DynamoDB's dimensions as labels (and Region, since
// one server serves every region). Rendered by prom-client, loaded on the first scrape so that it
// costs the server's start nothing; the values are read from the counters the metrics stage keeps.
import type { Counter as CounterType, Gauge as GaugeType, Registry as RegistryType } from 'prom-client';
import { latencyBucketsMs, type Counted, type Dimensions, type TableMetrics } from '../pipeline/table-metrics.js';

/** A provisioned table's (or GSI's) capacity now. */
export interface ProvisionedCapacity {
  readonly dimensions: Dimensions;
  readonly read: number;
  readonly write: number;
}

export interface MetricsSource {
  readonly tables: TableMetrics;
  readonly provisioned: () => readonly ProvisionedCapacity[];
  /** Each replication link's median latency (ms), for ReplicationLatency. */
  readonly replication: () => Promise<readonly { readonly table: string; readonly from: string; readonly to: string; readonly latencyP50Ms?: number }[]>;
}

type Labels = Record<string, string>;

const dimensionNames = ['Region', 'TableName', 'GlobalSecondaryIndexName', 'Operation'] as const;

/** A sample's labels, always in the same order. */
function labels(dimensions: Dimensions): Labels {
  const out: Labels = {};
  for (const name of dimensionNames) {
    const value = dimensions[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Each source's registry, made on its first scrape. */
const registries = new WeakMap<MetricsSource, Promise<RegistryType>>();

/** The registry of `source`: each metric reads it when scraped. */
function registry(source: MetricsSource): Promise<RegistryType> {
  let built = registries.get(source);
  if (built !== undefined) return built;
  built = (async () => {
    const { Counter, Gauge, Registry } = await import('prom-client');
    const registry = new Registry();
    const counter = (name: string, help: string, series: () => Iterable<Counted>): CounterType => new Counter({
      name: `dynamodb_${name}`, help, labelNames: dimensionNames, registers: [registry],
      collect(this: CounterType) {
        this.reset();
        for (const { dimensions, value } of series()) this.inc(labels(dimensions), value);
      },
    });
    const t = source.tables;
    counter('ConsumedReadCapacityUnits', 'Read capacity units consumed (a GSI\'s with GlobalSecondaryIndexName)', () => t.consumedRead.byKey.values());
    counter('ConsumedWriteCapacityUnits', 'Write capacity units consumed (a GSI\'s with GlobalSecondaryIndexName)', () => t.consumedWrite.byKey.values());
    counter('ReturnedItemCount', 'Items returned by Query, Scan and ExecuteStatement', () => t.returnedItems.byKey.values());
    counter('ThrottledRequests', 'Requests throttled', () => t.throttledRequests.byKey.values());
    counter('ReadThrottleEvents', 'Throttle events on reads, per table or GSI', () => t.readThrottleEvents.byKey.values());
    counter('WriteThrottleEvents', 'Throttle events on writes, per table or GSI', () => t.writeThrottleEvents.byKey.values());
    counter('UserErrors', 'Requests answered with a client error (HTTP 400), other than conditional check failures, transaction conflicts and throttling', () => t.userErrors.byKey.values());
    counter('SystemErrors', 'Requests answered with a server error (HTTP 500 or 503)', () => t.systemErrors.byKey.values());
    counter('ConditionalCheckFailedRequests', 'Writes whose condition failed', () => t.conditionalCheckFailed.byKey.values());
    counter('TransactionConflict', 'Requests refused because an item was in a transaction', () => t.transactionConflicts.byKey.values());
    counter('TimeToLiveDeletedItemCount', 'Items deleted by time to live', () => t.ttlDeleted.byKey.values());
    for (const series of t.throttleCauses.values()) counter(series.name, 'Throttle events of one cause (a ThrottlingReason\'s limit), per table or GSI', () => series.byKey.values());
    const gauge = (name: string, help: string, collect: (g: GaugeType) => void | Promise<void>): GaugeType => new Gauge({
      name: `dynamodb_${name}`, help, labelNames: [...dimensionNames, 'ReceivingRegion'], registers: [registry],
      async collect(this: GaugeType) {
        this.reset();
        await collect(this);
      },
    });
    gauge('ProvisionedReadCapacityUnits', 'Provisioned read capacity units of a PROVISIONED table or GSI', (g) => {
      for (const p of source.provisioned()) g.set(labels(p.dimensions), p.read);
    });
    gauge('ProvisionedWriteCapacityUnits', 'Provisioned write capacity units of a PROVISIONED table or GSI', (g) => {
      for (const p of source.provisioned()) g.set(labels(p.dimensions), p.write);
    });
    gauge('OnlineIndexPercentageProgress', 'How far a GSI added to a table has been backfilled, in percent (its latest value)', (g) => {
      for (const entry of t.indexProgress.byKey.values()) {
        const last = [...entry.minutes.values()].pop();
        if (last !== undefined) g.set(labels(entry.dimensions), last.max);
      }
    });
    gauge('ReplicationLatency', 'Milliseconds from a write in one region to its commit in another (median of the latest), per global table link', async (g) => {
      for (const link of await source.replication()) if (link.latencyP50Ms !== undefined) g.set({ Region: link.from, TableName: link.table, ReceivingRegion: link.to }, link.latencyP50Ms);
    });
    // SuccessfulRequestLatency: a histogram of the stage's own buckets (milliseconds, CloudWatch's unit).
    const latencyName = 'dynamodb_SuccessfulRequestLatency';
    const latency = {
      name: latencyName, help: 'Milliseconds from a request\'s arrival to its answer, for successful requests', type: 'histogram', aggregator: 'sum',
      get: async () => ({
        name: latencyName, help: latency.help, type: 'histogram', aggregator: 'sum',
        values: [...t.latency.byKey.values()].flatMap(({ dimensions, buckets, sum, count }) => {
          let cumulative = 0;
          const base = labels(dimensions);
          return [
            ...latencyBucketsMs.map((le, i) => {
              cumulative += buckets[i] as number;
              return { metricName: `${latencyName}_bucket`, labels: { ...base, le }, value: cumulative };
            }),
            { metricName: `${latencyName}_bucket`, labels: { ...base, le: '+Inf' }, value: count },
            { metricName: `${latencyName}_sum`, labels: base, value: sum },
            { metricName: `${latencyName}_count`, labels: base, value: count },
          ];
        }),
      }),
    };
    registry.registerMetric(latency as unknown as Parameters<RegistryType['registerMetric']>[0]);
    return registry;
  })();
  registries.set(source, built);
  return built;
}

/** The scrape's body and content type. */
export async function prometheusText(source: MetricsSource): Promise<{ readonly contentType: string; readonly text: string }> {
  const r = await registry(source);
  return { contentType: r.contentType, text: await r.metrics() };
}

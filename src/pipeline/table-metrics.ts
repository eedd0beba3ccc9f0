// DynamoDB's CloudWatch metrics, counted per region and table as requests pass (the metrics stage):
// consumed capacity (the table's and each GSI's), successful request latency, returned items,
// throttled requests and throttle events, user and system errors, conditional check failures and
// transaction conflicts, items TTL deleted; and the gauges sampled each minute (provisioned capacity, replication
// latency). Each metric keeps a running total (GET /metrics serves it with CloudWatch's names,
// http/prometheus.ts) and, per minute of the server's clock, CloudWatch's statistic set (sum, count,
// minimum, maximum) for the retention asked — what the CloudWatch operations read (MetricStore).
import { minuteMs, type MetricDimension, type MetricSeries, type MetricStore, type MinuteStat } from '../api/metric-store.js';
import { tableOfResource } from './resource-names.js';

/** Latency buckets, in milliseconds (CloudWatch's unit for SuccessfulRequestLatency). */
export const latencyBucketsMs = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] as const;

/** A metric's dimensions: the request's region, and DynamoDB's dimensions for it. */
export interface Dimensions {
  readonly Region: string;
  readonly TableName?: string;
  readonly GlobalSecondaryIndexName?: string;
  readonly Operation?: string;
  /** ReplicationLatency: the region a change was applied in. */
  readonly ReceivingRegion?: string;
}

/** CloudWatch's dimensions, in this order (Region is the API's region, not a dimension). */
const cloudWatchDimensionNames = ['TableName', 'GlobalSecondaryIndexName', 'Operation', 'ReceivingRegion'] as const;

interface Stat {
  sum: number;
  count: number;
  min: number;
  max: number;
}

/** What every metric keeps per dimension set: its minutes (epoch minute → statistic set), oldest first. */
interface Kept {
  readonly dimensions: Dimensions;
  readonly cloudWatchDimensions: readonly MetricDimension[];
  readonly minutes: Map<number, Stat>;
}

export interface Counted extends Kept {
  value: number;
}

export interface Latency extends Kept {
  /** Per bucket (the last: above every bound). */
  readonly buckets: number[];
  sum: number;
  count: number;
}

/** The gauges' sources: provisioned capacity now, and each replication link's median latency. */
export interface GaugeSources {
  readonly provisioned: () => readonly { readonly dimensions: Dimensions; readonly read: number; readonly write: number }[];
  readonly replication: () => Promise<readonly { readonly table: string; readonly from: string; readonly to: string; readonly latencyP50Ms?: number }[]>;
}

/** One metric's values by their dimensions. */
class Series<T extends Kept> {
  readonly byKey = new Map<string, T>();
  constructor(
    readonly name: string,
    readonly unit: 'Count' | 'Milliseconds',
    private readonly make: (dimensions: Dimensions, kept: Kept) => T,
  ) {}

  at(dimensions: Dimensions): T {
    const key = `${dimensions.Region}\u0000${dimensions.TableName ?? ''}\u0000${dimensions.GlobalSecondaryIndexName ?? ''}\u0000${dimensions.Operation ?? ''}\u0000${dimensions.ReceivingRegion ?? ''}`;
    let entry = this.byKey.get(key);
    if (entry === undefined) {
      const cloudWatchDimensions: MetricDimension[] = [];
      for (const name of cloudWatchDimensionNames) {
        const value = dimensions[name];
        if (value !== undefined) cloudWatchDimensions.push({ Name: name, Value: value });
      }
      entry = this.make(dimensions, { dimensions, cloudWatchDimensions, minutes: new Map() });
      this.byKey.set(key, entry);
    }
    return entry;
  }
}

/** The limits a ThrottlingReason names. */
const throttleLimits = ['KeyRangeThroughputExceeded', 'ProvisionedThroughputExceeded', 'MaxOnDemandThroughputExceeded', 'AccountLimitExceeded'] as const;

const counter = (name: string): Series<Counted> => new Series(name, 'Count', (_, kept) => ({ ...kept, value: 0 }));
const gauge = (name: string, unit: 'Count' | 'Milliseconds'): Series<Kept> => new Series(name, unit, (_, kept) => kept);

export class TableMetrics implements MetricStore {
  readonly consumedRead = counter('ConsumedReadCapacityUnits');
  readonly consumedWrite = counter('ConsumedWriteCapacityUnits');
  readonly returnedItems = counter('ReturnedItemCount');
  readonly throttledRequests = counter('ThrottledRequests');
  readonly readThrottleEvents = counter('ReadThrottleEvents');
  readonly writeThrottleEvents = counter('WriteThrottleEvents');
  readonly userErrors = counter('UserErrors');
  readonly systemErrors = counter('SystemErrors');
  readonly conditionalCheckFailed = counter('ConditionalCheckFailedRequests');
  readonly transactionConflicts = counter('TransactionConflict');
  readonly ttlDeleted = counter('TimeToLiveDeletedItemCount');
  /** The throttle events by cause (Read/Write × KeyRangeThroughput, ProvisionedThroughput, MaxOnDemandThroughput, AccountLimit). */
  readonly throttleCauses: ReadonlyMap<string, Series<Counted>> = new Map(['Read', 'Write'].flatMap((kind) => throttleLimits.map((limit) =>
    [`${kind}${limit}`, counter(`${kind}${limit.replace(/Exceeded$/, '')}ThrottleEvents`)] as const)));
  readonly latency = new Series<Latency>('SuccessfulRequestLatency', 'Milliseconds', (_, kept) => ({ ...kept, buckets: new Array<number>(latencyBucketsMs.length + 1).fill(0), sum: 0, count: 0 }));
  readonly provisionedRead = gauge('ProvisionedReadCapacityUnits', 'Count');
  readonly provisionedWrite = gauge('ProvisionedWriteCapacityUnits', 'Count');
  readonly replicationLatency = gauge('ReplicationLatency', 'Milliseconds');
  readonly indexProgress = gauge('OnlineIndexPercentageProgress', 'Count');
  private readonly all: readonly Series<Kept>[] = [
    this.consumedRead, this.consumedWrite, this.provisionedRead, this.provisionedWrite, this.readThrottleEvents, this.writeThrottleEvents, ...this.throttleCauses.values(), this.throttledRequests,
    this.latency, this.returnedItems, this.userErrors, this.systemErrors, this.conditionalCheckFailed, this.transactionConflicts, this.ttlDeleted, this.replicationLatency, this.indexProgress,
  ];

  /** `retentionMinutes`: how many minutes of statistics each metric keeps. */
  constructor(private readonly retentionMinutes: number, private readonly gauges?: GaugeSources) {}

  /** What a successful request consumed and took, at `now` (the server's clock). */
  succeeded(region: string, operation: string, usage: readonly Usage[] | undefined, ms: number, returned: number | undefined, now: number): void {
    const minute = Math.floor(now / minuteMs);
    const table = usage?.[0]?.table;
    const at = this.latency.at({ Region: region, Operation: operation, ...(table === undefined ? {} : { TableName: table }) });
    let bucket = 0;
    while (bucket < latencyBucketsMs.length && ms > (latencyBucketsMs[bucket] as number)) bucket++;
    (at.buckets[bucket] as number)++;
    at.sum += ms;
    at.count++;
    this.add(at, minute, ms);
    if (returned !== undefined && table !== undefined) this.count(this.returnedItems.at({ Region: region, TableName: table, Operation: operation }), minute, returned);
    if (usage === undefined) return;
    for (const u of usage) {
      const series = u.kind === 'read' ? this.consumedRead : this.consumedWrite;
      if (u.tableUnits > 0) this.count(series.at({ Region: region, TableName: u.table }), minute, u.tableUnits);
      for (const index of u.globalIndexes) if (index.units > 0) this.count(series.at({ Region: region, TableName: u.table, GlobalSecondaryIndexName: index.name }), minute, index.units);
    }
  }

  /** A request answered with an exception at `now`: `table` when it named one; `throttled`: its ThrottlingReasons. */
  failed(region: string, operation: string, exception: string, status: number, table: string | undefined, throttled: readonly { readonly reason: string; readonly resource: string }[], now: number): void {
    const minute = Math.floor(now / minuteMs);
    const dims = { Region: region, ...(table === undefined ? {} : { TableName: table }) };
    if (status >= 500) this.count(this.systemErrors.at({ ...dims, Operation: operation }), minute, 1);
    else if (exception === 'ConditionalCheckFailedException') this.count(this.conditionalCheckFailed.at(dims), minute, 1);
    else if (exception === 'TransactionConflictException') this.count(this.transactionConflicts.at(dims), minute, 1);
    else if (throttled.length > 0) {
      this.count(this.throttledRequests.at({ ...dims, Operation: operation }), minute, 1);
      for (const { reason, resource } of throttled) {
        const named = tableOfResource(resource);
        if (named === undefined) continue;
        const events = reason.includes('Read') ? this.readThrottleEvents : this.writeThrottleEvents;
        const at: Dimensions = { Region: region, TableName: named.table, ...(named.index === undefined ? {} : { GlobalSecondaryIndexName: named.index }) };
        this.count(events.at(at), minute, 1);
        // <Table|Index><Read|Write><limit>: the cause's own metric.
        const cause = this.throttleCauses.get(reason.replace(/^(Table|Index)/, ''));
        if (cause !== undefined) this.count(cause.at(at), minute, 1);
      }
    } else this.count(this.userErrors.at({ Region: region }), minute, 1);
  }

  /** Items a TTL sweep deleted from a table at `now`. */
  expired(region: string, table: string, deleted: number, now: number): void {
    this.count(this.ttlDeleted.at({ Region: region, TableName: table }), Math.floor(now / minuteMs), deleted);
  }

  /** How far a GSI's backfill has gone at `now`, in percent. */
  indexBuilt(region: string, table: string, index: string, percent: number, now: number): void {
    this.set(this.indexProgress.at({ Region: region, TableName: table, GlobalSecondaryIndexName: index }), Math.floor(now / minuteMs), percent);
  }

  /** Sets this minute's gauges to their values now (the minutes before keep what they had). */
  async sample(now: number): Promise<void> {
    if (this.gauges === undefined) return;
    const minute = Math.floor(now / minuteMs);
    for (const p of this.gauges.provisioned()) {
      this.set(this.provisionedRead.at(p.dimensions), minute, p.read);
      this.set(this.provisionedWrite.at(p.dimensions), minute, p.write);
    }
    for (const link of await this.gauges.replication()) {
      if (link.latencyP50Ms !== undefined) this.set(this.replicationLatency.at({ Region: link.from, TableName: link.table, ReceivingRegion: link.to }), minute, link.latencyP50Ms);
    }
  }

  *series(region: string): Iterable<MetricSeries> {
    for (const series of this.all) {
      for (const entry of series.byKey.values()) {
        if (entry.dimensions.Region !== region || entry.minutes.size === 0) continue;
        yield { name: series.name, unit: series.unit, dimensions: entry.cloudWatchDimensions, minutes: entry.minutes as ReadonlyMap<number, MinuteStat> };
      }
    }
  }

  private count(entry: Counted, minute: number, value: number): void {
    entry.value += value;
    this.add(entry, minute, value);
  }

  /** One sample into its minute; a new minute drops those past the retention. */
  private add(entry: Kept, minute: number, value: number): void {
    const stat = entry.minutes.get(minute);
    if (stat !== undefined) {
      stat.sum += value;
      stat.count++;
      if (value < stat.min) stat.min = value;
      if (value > stat.max) stat.max = value;
      return;
    }
    entry.minutes.set(minute, { sum: value, count: 1, min: value, max: value });
    this.forget(entry, minute);
  }

  /** A gauge's value for its minute. */
  private set(entry: Kept, minute: number, value: number): void {
    const known = entry.minutes.has(minute);
    entry.minutes.set(minute, { sum: value, count: 1, min: value, max: value });
    if (!known) this.forget(entry, minute);
  }

  private forget(entry: Kept, minute: number): void {
    const oldest = minute - this.retentionMinutes;
    for (const kept of entry.minutes.keys()) {
      if (kept > oldest) break;
      entry.minutes.delete(kept);
    }
  }
}

interface Usage {
  readonly table: string;
  readonly kind: 'read' | 'write';
  readonly tableUnits: number;
  readonly globalIndexes: readonly { readonly name: string; readonly units: number }[];
}

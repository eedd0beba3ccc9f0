// DynamoDB's CloudWatch metrics, counted per region and table as requests pass (the metrics stage):
// consumed capacity (the table's and each GSI's), successful request latency, returned items,
// throttled requests and throttle events, user and system errors, conditional check failures and
// transaction conflicts. GET /metrics serves them with CloudWatch's names (http/prometheus.ts).
import { tableOfResource } from './resource-names.js';

/** Latency buckets, in milliseconds (CloudWatch's unit for SuccessfulRequestLatency). */
export const latencyBucketsMs = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] as const;

/** A metric's dimensions: the request's region, and DynamoDB's dimensions for it. */
export interface Dimensions {
  readonly Region: string;
  readonly TableName?: string;
  readonly GlobalSecondaryIndexName?: string;
  readonly Operation?: string;
}

export interface Counted {
  readonly dimensions: Dimensions;
  value: number;
}

export interface Latency {
  readonly dimensions: Dimensions;
  /** Per bucket (the last: above every bound). */
  readonly buckets: number[];
  sum: number;
  count: number;
}

/** A metric's values by their dimensions. */
class Series<T extends { readonly dimensions: Dimensions }> {
  readonly byKey = new Map<string, T>();
  constructor(private readonly make: (dimensions: Dimensions) => T) {}

  at(dimensions: Dimensions): T {
    const key = `${dimensions.Region}\u0000${dimensions.TableName ?? ''}\u0000${dimensions.GlobalSecondaryIndexName ?? ''}\u0000${dimensions.Operation ?? ''}`;
    let entry = this.byKey.get(key);
    if (entry === undefined) {
      entry = this.make(dimensions);
      this.byKey.set(key, entry);
    }
    return entry;
  }
}

const counter = (): Series<Counted> => new Series((dimensions) => ({ dimensions, value: 0 }));

export class TableMetrics {
  readonly consumedRead = counter();
  readonly consumedWrite = counter();
  readonly returnedItems = counter();
  readonly throttledRequests = counter();
  readonly readThrottleEvents = counter();
  readonly writeThrottleEvents = counter();
  readonly userErrors = counter();
  readonly systemErrors = counter();
  readonly conditionalCheckFailed = counter();
  readonly transactionConflicts = counter();
  readonly latency = new Series<Latency>((dimensions) => ({ dimensions, buckets: new Array<number>(latencyBucketsMs.length + 1).fill(0), sum: 0, count: 0 }));

  /** What a successful request consumed and took. */
  succeeded(region: string, operation: string, usage: readonly Usage[] | undefined, ms: number, returned: number | undefined): void {
    const table = usage?.[0]?.table;
    const at = this.latency.at({ Region: region, Operation: operation, ...(table === undefined ? {} : { TableName: table }) });
    let bucket = 0;
    while (bucket < latencyBucketsMs.length && ms > (latencyBucketsMs[bucket] as number)) bucket++;
    (at.buckets[bucket] as number)++;
    at.sum += ms;
    at.count++;
    if (returned !== undefined && table !== undefined) this.returnedItems.at({ Region: region, TableName: table, Operation: operation }).value += returned;
    if (usage === undefined) return;
    for (const u of usage) {
      const series = u.kind === 'read' ? this.consumedRead : this.consumedWrite;
      if (u.tableUnits > 0) series.at({ Region: region, TableName: u.table }).value += u.tableUnits;
      for (const index of u.globalIndexes) if (index.units > 0) series.at({ Region: region, TableName: u.table, GlobalSecondaryIndexName: index.name }).value += index.units;
    }
  }

  /** A request answered with an exception: `table` when it named one; `throttled`: its ThrottlingReasons. */
  failed(region: string, operation: string, exception: string, status: number, table: string | undefined, throttled: readonly { readonly reason: string; readonly resource: string }[]): void {
    const dims = { Region: region, ...(table === undefined ? {} : { TableName: table }) };
    if (status >= 500) this.systemErrors.at({ ...dims, Operation: operation }).value++;
    else if (exception === 'ConditionalCheckFailedException') this.conditionalCheckFailed.at(dims).value++;
    else if (exception === 'TransactionConflictException') this.transactionConflicts.at(dims).value++;
    else if (throttled.length > 0) {
      this.throttledRequests.at({ ...dims, Operation: operation }).value++;
      for (const { reason, resource } of throttled) {
        const named = tableOfResource(resource);
        if (named === undefined) continue;
        const events = reason.includes('Read') ? this.readThrottleEvents : this.writeThrottleEvents;
        events.at({ Region: region, TableName: named.table, ...(named.index === undefined ? {} : { GlobalSecondaryIndexName: named.index }) }).value++;
      }
    } else this.userErrors.at({ Region: region }).value++;
  }
}

interface Usage {
  readonly table: string;
  readonly kind: 'read' | 'write';
  readonly tableUnits: number;
  readonly globalIndexes: readonly { readonly name: string; readonly units: number }[];
}

// What the CloudWatch operations read: DynamoDB's metrics as CloudWatch keeps them, one statistic set
// per metric, dimensions and minute. The pipeline's metrics stage records them (pipeline/table-metrics.ts)
// and is handed to the operations as this interface, so the API layer never reaches up for it.

/** One minute of one metric: the statistic set CloudWatch keeps for it. */
export interface MinuteStat {
  readonly sum: number;
  readonly count: number;
  readonly min: number;
  readonly max: number;
}

export interface MetricDimension {
  readonly Name: string;
  readonly Value: string;
}

/** One metric (a name with one set of dimensions) of a region, and its minutes (epoch minute → statistics). */
export interface MetricSeries {
  readonly name: string;
  /** CloudWatch's unit: Count or Milliseconds. */
  readonly unit: string;
  readonly dimensions: readonly MetricDimension[];
  readonly minutes: ReadonlyMap<number, MinuteStat>;
}

export interface MetricStore {
  /** Records this minute's gauges (provisioned capacity, replication latency) if not yet recorded. */
  sample(now: number): Promise<void>;
  /** Every metric of the region that has a minute kept. */
  series(region: string): Iterable<MetricSeries>;
}

/** The namespace of DynamoDB's metrics. */
export const dynamoDbNamespace = 'AWS/DynamoDB';

export const minuteMs = 60_000;

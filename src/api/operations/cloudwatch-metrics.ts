// CloudWatch's metric reads on the same endpoint, for DynamoDB's metrics (namespace AWS/DynamoDB):
// ListMetrics, GetMetricStatistics and GetMetricData (MetricStat queries). The SDKs speak JSON 1.0
// (X-Amz-Target GraniteServiceVersion20100801.*), newer AWS CLIs CBOR and older ones the query
// protocol; the pipeline reads and writes each, the operations here see one input. The values are
// the metrics stage's (pipeline/table-metrics.ts), kept per minute of the server's clock.
import { CloudWatchError } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { dynamoDbNamespace, type MetricDimension, type MetricSeries, type MetricStore } from '../metric-store.js';
import { findSeries, isStatistic, periods, statistic, type StatisticName } from '../metric-statistics.js';
import type { Services } from '../operation.js';
import { checkDimensions, checkPeriod, checkTimes, cloudWatchOperation, required } from '../cloudwatch-input.js';
import { bool, integer, list, members, str, struct, timestamp } from '../validate/shape.js';

/** ListMetrics answers 500 metrics a page. */
const listPageSize = 500;
/** GetMetricStatistics answers at most 1,440 datapoints. */
const datapointsMax = 1440;
const queriesMax = 500;
/** RecentlyActive PT3H: metrics with data in the last three hours. */
const recentMinutes = 180;

const dimension = struct('Dimension', [['Name', str()], ['Value', str()]]);
const metric = struct('Metric', [['Namespace', str()], ['MetricName', str()], ['Dimensions', list(dimension)]]);

function store(services: Services): MetricStore {
  const metrics = services.metrics;
  if (metrics === undefined) throw new Error('the CloudWatch operations need the metrics stage');
  return metrics;
}

/** The region's series of `namespace` (DynamoDB's only), this minute's gauges recorded first. */
async function seriesOf(services: Services, region: string, now: number, namespace: string): Promise<MetricSeries[]> {
  if (namespace !== dynamoDbNamespace) return [];
  const metrics = store(services);
  await metrics.sample(now);
  return [...metrics.series(region)];
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const dimensionText = (dimensions: readonly MetricDimension[]): string => dimensions.map((d) => `${d.Name}=${d.Value}`).join(',');

const listMembers = members([
  ['Namespace', str()], ['MetricName', str()], ['Dimensions', list(struct('DimensionFilter', [['Name', str()], ['Value', str()]]))],
  ['NextToken', str()], ['RecentlyActive', str()], ['IncludeLinkedAccounts', bool()], ['OwningAccount', str()],
]);

export const listMetrics = cloudWatchOperation('ListMetrics', listMembers, async (services, ctx, input) => {
  if (input.RecentlyActive !== undefined && input.RecentlyActive !== 'PT3H') throw new CloudWatchError('InvalidParameterValueException', messages.cloudWatchInvalidValue(input.RecentlyActive, 'RecentlyActive'));
  const filters = (input.Dimensions ?? []).map((f, i) => ({ Name: required(f.Name, `Dimensions.member.${i + 1}.Name`), Value: f.Value }));
  const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
  if (!Number.isSafeInteger(start) || start < 0) throw new CloudWatchError('InvalidNextToken', messages.cloudWatchBadToken);
  const recentFrom = Math.floor(ctx.now / 60_000) - recentMinutes;
  const all = (await seriesOf(services, ctx.region, ctx.now, input.Namespace ?? dynamoDbNamespace))
    .filter((s) => input.MetricName === undefined || s.name === input.MetricName)
    .filter((s) => filters.every((f) => s.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value))))
    .filter((s) => input.RecentlyActive === undefined || [...s.minutes.keys()].some((m) => m >= recentFrom))
    .map((s) => ({ Namespace: dynamoDbNamespace, MetricName: s.name, Dimensions: s.dimensions.map((d) => ({ Name: d.Name, Value: d.Value })) }))
    .sort((a, b) => compare(a.MetricName, b.MetricName) || a.Dimensions.length - b.Dimensions.length || compare(dimensionText(a.Dimensions), dimensionText(b.Dimensions)));
  const page = all.slice(start, start + listPageSize);
  return { body: { Metrics: page, NextToken: start + listPageSize < all.length ? String(start + listPageSize) : undefined } };
});

const statisticsMembers = members([
  ['Namespace', str()], ['MetricName', str()], ['Dimensions', list(dimension)], ['StartTime', timestamp()], ['EndTime', timestamp()],
  ['Period', integer()], ['Statistics', list(str())], ['ExtendedStatistics', list(str())], ['Unit', str()],
]);

export const getMetricStatistics = cloudWatchOperation('GetMetricStatistics', statisticsMembers, async (services, ctx, input) => {
  const namespace = required(input.Namespace, 'Namespace');
  const name = required(input.MetricName, 'MetricName');
  const dimensions = checkDimensions(input.Dimensions, 'Dimensions');
  const times = checkTimes(input.StartTime, input.EndTime, 'InvalidParameterValueException');
  const period = checkPeriod(input.Period, 'Period');
  const wanted = input.Statistics ?? [];
  if (wanted.length === 0 && (input.ExtendedStatistics ?? []).length === 0) throw new CloudWatchError('InvalidParameterCombinationException', messages.cloudWatchStatistics);
  const stats = wanted.map((s, i) => {
    if (!isStatistic(s)) throw new CloudWatchError('InvalidParameterValueException', messages.cloudWatchInvalidValue(s, `Statistics.member.${i + 1}`));
    return s;
  });
  const requested = Math.ceil((times.end - times.start) / period);
  if (requested > datapointsMax) throw new CloudWatchError('InvalidParameterCombinationException', messages.cloudWatchTooManyDatapoints(requested));
  const series = findSeries(await seriesOf(services, ctx.region, ctx.now, namespace), name, dimensions);
  const datapoints = series === undefined || (input.Unit !== undefined && input.Unit !== series.unit) ? [] : periods(series, times.start, times.end, period).map((p) => {
    const point: Record<string, unknown> = { Timestamp: new Date(p.start) };
    for (const s of stats) point[s] = statistic(p, s);
    point['Unit'] = series.unit;
    return point;
  });
  return { body: { Label: name, Datapoints: datapoints } };
});

const queryMembers = members([
  ['Id', str()], ['MetricStat', struct('MetricStat', [['Metric', metric], ['Period', integer()], ['Stat', str()], ['Unit', str()]])],
  ['Expression', str()], ['Label', str()], ['ReturnData', bool()], ['Period', integer()], ['AccountId', str()],
]);
const dataMembers = members([
  ['MetricDataQueries', list(struct('MetricDataQuery', queryMembers))], ['StartTime', timestamp()], ['EndTime', timestamp()], ['NextToken', str()],
  ['ScanBy', str()], ['MaxDatapoints', integer()], ['LabelOptions', struct('LabelOptions', [['Timezone', str()]])],
]);
const queryId = /^[a-z][a-zA-Z0-9_]*$/;

export const getMetricData = cloudWatchOperation('GetMetricData', dataMembers, async (services, ctx, input) => {
  const queries = required(input.MetricDataQueries, 'MetricDataQueries');
  if (queries.length === 0) throw new CloudWatchError('MissingRequiredParameterException', messages.cloudWatchRequired('MetricDataQueries'));
  if (queries.length > queriesMax) throw new CloudWatchError('InvalidParameterValueException', messages.cloudWatchTooMany('MetricDataQueries', queriesMax));
  const times = checkTimes(input.StartTime, input.EndTime, 'ValidationError');
  if (input.ScanBy !== undefined && input.ScanBy !== 'TimestampDescending' && input.ScanBy !== 'TimestampAscending') throw new CloudWatchError('InvalidParameterValueException', messages.cloudWatchInvalidValue(input.ScanBy, 'ScanBy'));
  const ids = new Set<string>();
  const checkedQueries = queries.map((q, i) => {
    const path = `MetricDataQueries.member.${i + 1}`;
    const id = required(q.Id, `${path}.Id`);
    if (!queryId.test(id)) throw new CloudWatchError('InvalidParameterValueException', messages.cloudWatchInvalidValue(id, `${path}.Id`));
    if (ids.has(id)) throw new CloudWatchError('InvalidParameterValueException', messages.cloudWatchDuplicateIds);
    ids.add(id);
    if (q.Expression !== undefined) throw new CloudWatchError('InvalidParameterValueException', messages.cloudWatchExpression);
    const stat = required(q.MetricStat, `${path}.MetricStat`);
    const m = required(stat.Metric, `${path}.MetricStat.Metric`);
    const statName = required(stat.Stat, `${path}.MetricStat.Stat`);
    if (!isStatistic(statName)) throw new CloudWatchError('InvalidParameterValueException', messages.cloudWatchInvalidValue(statName, `${path}.MetricStat.Stat`));
    return {
      id, label: q.Label, returnData: q.ReturnData ?? true, stat: statName as StatisticName, unit: stat.Unit,
      namespace: required(m.Namespace, `${path}.MetricStat.Metric.Namespace`), name: required(m.MetricName, `${path}.MetricStat.Metric.MetricName`),
      dimensions: checkDimensions(m.Dimensions, `${path}.MetricStat.Metric.Dimensions`), period: checkPeriod(stat.Period, `${path}.MetricStat.Period`),
    };
  });
  const descending = input.ScanBy !== 'TimestampAscending';
  const bySpace = new Map<string, MetricSeries[]>();
  const results = [];
  for (const q of checkedQueries) {
    if (!q.returnData) continue;
    let all = bySpace.get(q.namespace);
    if (all === undefined) {
      all = await seriesOf(services, ctx.region, ctx.now, q.namespace);
      bySpace.set(q.namespace, all);
    }
    const series = findSeries(all, q.name, q.dimensions);
    const points = series === undefined || (q.unit !== undefined && q.unit !== series.unit) ? [] : periods(series, times.start, times.end, q.period);
    if (descending) points.reverse();
    results.push({ Id: q.id, Label: q.label ?? q.name, Timestamps: points.map((p) => new Date(p.start)), Values: points.map((p) => statistic(p, q.stat)), StatusCode: 'Complete' });
  }
  return { body: { MetricDataResults: results, Messages: [] } };
});

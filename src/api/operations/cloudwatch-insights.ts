// CloudWatch's GetInsightRuleReport for the Contributor Insights rules DynamoDB manages (the names
// DescribeContributorInsights lists): the top contributors — partition keys, or partition and sort
// keys — of a table or GSI by requests, each with its requests per period, and the rule's own
// per-period metrics. Every request is one event of value 1, so a contributor's value is its count.
import { CloudWatchError } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { checkPeriod, checkTimes, cloudWatchOperation, required } from '../cloudwatch-input.js';
import { integer, list, members, str, timestamp } from '../validate/shape.js';

/** GetInsightRuleReport's default and largest MaxContributorCount. */
const contributorsDefault = 10;
const contributorsMax = 100;
const ruleMetrics = ['UniqueContributors', 'MaxContributorValue', 'SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
type RuleMetric = (typeof ruleMetrics)[number];

const reportMembers = members([
  ['RuleName', str()], ['StartTime', timestamp()], ['EndTime', timestamp()], ['Period', integer()],
  ['MaxContributorCount', integer()], ['Metrics', list(str())], ['OrderBy', str()],
]);

export const getInsightRuleReport = cloudWatchOperation('GetInsightRuleReport', reportMembers, async ({ engine }, ctx, input) => {
  const name = required(input.RuleName, 'RuleName');
  const times = checkTimes(input.StartTime, input.EndTime, 'InvalidParameterValueException');
  const period = checkPeriod(input.Period, 'Period');
  const max = input.MaxContributorCount ?? contributorsDefault;
  if (max < 1 || max > contributorsMax) throw new CloudWatchError('InvalidParameterValueException', messages.cloudWatchInvalidValue(String(max), 'MaxContributorCount'));
  const wanted = (input.Metrics ?? []).map((m, i) => {
    if (!(ruleMetrics as readonly string[]).includes(m)) throw new CloudWatchError('InvalidParameterValueException', messages.cloudWatchInvalidValue(m, `Metrics.member.${i + 1}`));
    return m as RuleMetric;
  });
  const orderBy = input.OrderBy ?? 'Sum';
  if (orderBy !== 'Sum' && orderBy !== 'Maximum') throw new CloudWatchError('InvalidParameterValueException', messages.cloudWatchInvalidValue(orderBy, 'OrderBy'));
  const rule = engine.insights.rule(ctx.region, name);
  if (rule === undefined) throw new CloudWatchError('ResourceNotFoundException', messages.insightsNoRule(name));

  // Each contributor's requests per period, and each period's requests and contributors.
  const first = Math.floor(times.start / 60) * 60;
  const periodOf = (minute: number): number => first + Math.floor((minute * 60 - first) / period) * period;
  const byContributor = new Map<string, Map<number, number>>();
  const byPeriod = new Map<number, Map<string, number>>();
  for (const [minute, keys] of engine.insights.minutes(name, times.start * 1000, times.end * 1000)) {
    const at = periodOf(minute);
    let inPeriod = byPeriod.get(at);
    if (inPeriod === undefined) {
      inPeriod = new Map();
      byPeriod.set(at, inPeriod);
    }
    for (const [contributor, count] of keys) {
      let points = byContributor.get(contributor);
      if (points === undefined) {
        points = new Map();
        byContributor.set(contributor, points);
      }
      points.set(at, (points.get(at) ?? 0) + count);
      inPeriod.set(contributor, (inPeriod.get(contributor) ?? 0) + count);
    }
  }
  const ranked = [...byContributor].map(([contributor, points]) => {
    const values = [...points.values()];
    return { contributor, points, sum: values.reduce((a, b) => a + b, 0), max: Math.max(...values) };
  }).sort((a, b) => (orderBy === 'Sum' ? b.sum - a.sum : b.max - a.max) || (a.contributor < b.contributor ? -1 : 1));
  const periods = [...byPeriod].sort(([a], [b]) => a - b);
  return {
    body: {
      KeyLabels: rule.keyLabels,
      AggregationStatistic: 'Sum',
      AggregateValue: ranked.reduce((n, c) => n + c.sum, 0),
      ApproximateUniqueCount: ranked.length,
      Contributors: ranked.slice(0, max).map((c) => ({
        Keys: JSON.parse(c.contributor) as string[],
        ApproximateAggregateValue: c.sum,
        Datapoints: [...c.points].sort(([a], [b]) => a - b).map(([at, value]) => ({ Timestamp: new Date(at * 1000), ApproximateValue: value })),
      })),
      MetricDatapoints: wanted.length === 0 ? undefined : periods.map(([at, keys]) => {
        const counts = [...keys.values()];
        const events = counts.reduce((a, b) => a + b, 0);
        const values: Record<RuleMetric, number> = {
          UniqueContributors: keys.size, MaxContributorValue: Math.max(...counts), SampleCount: events, Sum: events, Average: 1, Minimum: 1, Maximum: 1,
        };
        const point: Record<string, unknown> = { Timestamp: new Date(at * 1000) };
        for (const m of wanted) point[m] = values[m];
        return point;
      }),
    },
  };
});

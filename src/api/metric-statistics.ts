// CloudWatch's statistics over a metric's minutes: the minutes from StartTime (rounded down to the
// minute, as CloudWatch rounds a start within fifteen days) up to EndTime (exclusive) are gathered
// into periods, and each period that has data gives one datapoint.
import type { MetricDimension, MetricSeries, MinuteStat } from './metric-store.js';

export const statisticNames = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type StatisticName = (typeof statisticNames)[number];

export const isStatistic = (name: string): name is StatisticName => (statisticNames as readonly string[]).includes(name);

/** A period's statistic set and the epoch ms it starts at. */
export interface PeriodStat extends MinuteStat {
  readonly start: number;
}

/** The periods of `series` between `startSeconds` and `endSeconds`, oldest first. */
export function periods(series: MetricSeries, startSeconds: number, endSeconds: number, periodSeconds: number): PeriodStat[] {
  const first = Math.floor(startSeconds / 60) * 60;
  const byPeriod = new Map<number, { sum: number; count: number; min: number; max: number }>();
  for (const [minute, stat] of series.minutes) {
    const at = minute * 60;
    if (at < first || at >= endSeconds) continue;
    const index = Math.floor((at - first) / periodSeconds);
    const into = byPeriod.get(index);
    if (into === undefined) byPeriod.set(index, { ...stat });
    else {
      into.sum += stat.sum;
      into.count += stat.count;
      into.min = Math.min(into.min, stat.min);
      into.max = Math.max(into.max, stat.max);
    }
  }
  return [...byPeriod].sort(([a], [b]) => a - b).map(([index, stat]) => ({ ...stat, start: (first + index * periodSeconds) * 1000 }));
}

export function statistic(stat: MinuteStat, name: StatisticName): number {
  switch (name) {
    case 'SampleCount': return stat.count;
    case 'Average': return stat.sum / stat.count;
    case 'Sum': return stat.sum;
    case 'Minimum': return stat.min;
    case 'Maximum': return stat.max;
  }
}

/** The series of `all` named `name` whose dimensions are exactly `dimensions` (in any order). */
export function findSeries(all: Iterable<MetricSeries>, name: string, dimensions: readonly MetricDimension[]): MetricSeries | undefined {
  for (const series of all) {
    if (series.name !== name || series.dimensions.length !== dimensions.length) continue;
    if (dimensions.every((d) => series.dimensions.some((s) => s.Name === d.Name && s.Value === d.Value))) return series;
  }
  return undefined;
}

/** CloudWatch's periods: 1, 5, 10 or 30 seconds (high resolution), or a multiple of 60. */
export const validPeriod = (seconds: number): boolean => seconds > 0 && (seconds % 60 === 0 || [1, 5, 10, 30].includes(seconds));

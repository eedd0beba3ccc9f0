// CloudWatch Contributor Insights for DynamoDB: per table and per GSI, ENABLE creates DynamoDB's
// managed rules — most accessed partition keys (PKC) and, with a sort key, items (SKC); most
// throttled partition keys (PKT) and items (SKT); THROTTLED_KEYS mode only the throttled ones — at
// most 100 rules in a region (past that the state is FAILED, as AWS records it). The state is kept
// with the table (durable, shared by the nodes of one store). While a rule is on, each item read or
// written (a GSI's: each entry written), each Query's partition, and each request a hot key's
// partition throttled is counted per key and minute of the clock, in this process's memory, for CloudWatch's GetInsightRuleReport.
import type { AttributeValue } from '../model/attribute-value.js';
import type { Clock } from '../model/clock.js';
import { primaryKey, type ContributorInsightsMode, type ContributorInsightsState, type TableRecord } from '../model/table.js';
import { ResourceNotFoundException, ValidationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { TableService } from './table-service.js';

/** CloudWatch's quota of Contributor Insights rules in a region. */
export const rulesQuota = 100;
/** Minutes of key counts kept per rule. */
const minutesKept = 1440;
/** Distinct keys counted per rule and minute; past it, new keys of that minute go uncounted (CloudWatch's counts are approximate too). */
const keysPerMinuteMax = 10_000;
const minuteMs = 60_000;

export type RuleKind = 'PKC' | 'SKC' | 'PKT' | 'SKT';
const rulePrefix = 'DynamoDBContributorInsights-';

/** What UpdateContributorInsights answers: the state now and the status it reports for the change. */
export interface InsightsChange {
  readonly table: TableRecord;
  readonly state: ContributorInsightsState;
  readonly status: 'ENABLING' | 'ENABLED' | 'DISABLING';
}

/** One rule's counts: per minute, per contributor (its keys as JSON), how many requests. */
type Counts = Map<number, Map<string, number>>;

/** The rule a name names: its table, its index, its kind and the key attributes it counts by. */
export interface RuleTarget {
  readonly table: TableRecord;
  readonly index?: string;
  readonly kind: RuleKind;
  readonly keyLabels: readonly string[];
}

export class ContributorInsights {
  private readonly counts = new Map<string, Counts>();

  constructor(private readonly tables: TableService, private readonly clock: Clock) {}

  /** The state of the table's (or its GSI's) insights; undefined when never configured. */
  stateOf(table: TableRecord, index: string | undefined): ContributorInsightsState | undefined {
    return table.contributorInsights?.find((s) => s.index === index);
  }

  /** The table's states, a deleted GSI's left out (its rules went with it, as on AWS). */
  statesOf(table: TableRecord): readonly ContributorInsightsState[] {
    return (table.contributorInsights ?? []).filter((s) => s.index === undefined || table.GlobalSecondaryIndexes.some((g) => g.IndexName === s.index));
  }

  /** The table (and GSI) Update/DescribeContributorInsights name, refused as AWS refuses them. */
  target(region: string, tableName: string, index: string | undefined): TableRecord {
    const table = this.tables.require(region, tableName);
    if (index !== undefined && !table.GlobalSecondaryIndexes.some((g) => g.IndexName === index)) throw new ResourceNotFoundException(messages.insightsIndexNotFound(index, table.TableName));
    return table;
  }

  /** ENABLE (in `mode`, ACCESSED_AND_THROTTLED_KEYS unless given) or DISABLE the insights of a table or GSI. */
  async update(region: string, tableName: string, index: string | undefined, action: 'ENABLE' | 'DISABLE', mode: ContributorInsightsMode | undefined): Promise<InsightsChange> {
    const named = this.target(region, tableName, index);
    const now = this.clock.now();
    // The rules the region's other tables and indexes have (read before the decide, which reads its table only).
    const elsewhere = this.tables.all().filter((t) => t.region === named.region).reduce((n, t) => n + this.statesOf(t)
      .filter((s) => s.status === 'ENABLED' && !(t.id === named.id && s.index === index)).reduce((m, s) => m + s.rules.length, 0), 0);
    let change: InsightsChange | undefined;
    const table = await this.tables.revise(region, tableName, (latest) => {
      if (latest.TableStatus === 'CREATING') throw new ValidationException(messages.insightsNotActive('TableStatus'));
      const gsi = index === undefined ? undefined : latest.GlobalSecondaryIndexes.find((g) => g.IndexName === index);
      if (index !== undefined && gsi === undefined) throw new ResourceNotFoundException(messages.insightsIndexNotFound(index, latest.TableName));
      if (gsi !== undefined && gsi.IndexStatus === 'CREATING') throw new ValidationException(messages.insightsNotActive('IndexStatus'));
      const current = this.stateOf(latest, index);
      let next: ContributorInsightsState;
      let status: InsightsChange['status'];
      if (action === 'DISABLE') {
        next = { ...(index === undefined ? {} : { index }), mode: current?.mode ?? 'ACCESSED_AND_THROTTLED_KEYS', status: 'DISABLED', rules: [], changedAt: now };
        status = 'DISABLING';
      } else {
        const wanted = mode ?? 'ACCESSED_AND_THROTTLED_KEYS';
        // Enabling what is enabled, in the same mode, changes nothing (recorded from AWS).
        if (current?.status === 'ENABLED' && current.mode === wanted) {
          change = { table: latest, state: current, status: 'ENABLED' };
          return latest;
        }
        const rules = ruleNames(latest, index, wanted, now);
        next = elsewhere + rules.length > rulesQuota
          ? { ...(index === undefined ? {} : { index }), mode: wanted, status: 'FAILED', rules: [], changedAt: now, failure: { ExceptionName: 'LimitExceededException', ExceptionDescription: messages.insightsRuleLimit } }
          : { ...(index === undefined ? {} : { index }), mode: wanted, status: 'ENABLED', rules, changedAt: now };
        status = 'ENABLING';
      }
      change = { table: latest, state: next, status };
      return { ...latest, contributorInsights: [...this.statesOf(latest).filter((s) => s.index !== index), next] };
    }, () => new ResourceNotFoundException(messages.tableNotFound(tableName)));
    if (change === undefined) throw new Error('the insights change was not decided');
    // The counts of rules that are gone go with them.
    const kept = new Set(change.state.rules);
    for (const rule of this.stateOf(named, index)?.rules ?? []) if (!kept.has(rule)) this.counts.delete(rule);
    return { ...change, table };
  }

  /** Counts an item read or written (or a Query's partition) for the table's or GSI's accessed-key rules. */
  accessed(table: TableRecord, index: string | undefined, hash: readonly AttributeValue[], range: AttributeValue | undefined): void {
    const state = this.stateOf(table, index);
    if (state?.status !== 'ENABLED' || state.mode !== 'ACCESSED_AND_THROTTLED_KEYS') return;
    this.count(state, 'PKC', 'SKC', hash, range);
  }

  /** Counts a request a hot key's partition throttled, for the throttled-key rules. */
  throttled(table: TableRecord, index: string | undefined, hash: readonly AttributeValue[], range: AttributeValue | undefined): void {
    const state = this.stateOf(table, index);
    if (state?.status !== 'ENABLED') return;
    this.count(state, 'PKT', 'SKT', hash, range);
  }

  /** The rule of the region named `name`, or undefined. */
  rule(region: string, name: string): RuleTarget | undefined {
    if (!name.startsWith(rulePrefix)) return undefined;
    for (const table of this.tables.all()) {
      if (table.region !== region) continue;
      for (const state of this.statesOf(table)) {
        if (!state.rules.includes(name)) continue;
        const kind = name.slice(rulePrefix.length, rulePrefix.length + 3) as RuleKind;
        return { table, ...(state.index === undefined ? {} : { index: state.index }), kind, keyLabels: keyNames(table, state.index, kind.startsWith('S')) };
      }
    }
    return undefined;
  }

  /** A rule's counts per minute from `fromMs` up to `toMs` (exclusive): minute → contributor (keys) → requests. */
  minutes(rule: string, fromMs: number, toMs: number): [number, ReadonlyMap<string, number>][] {
    const counts = this.counts.get(rule);
    if (counts === undefined) return [];
    return [...counts].filter(([minute]) => minute * minuteMs >= Math.floor(fromMs / minuteMs) * minuteMs && minute * minuteMs < toMs);
  }

  private count(state: ContributorInsightsState, partitionKind: RuleKind, itemKind: RuleKind, hash: readonly AttributeValue[], range: AttributeValue | undefined): void {
    const minute = Math.floor(this.clock.now() / minuteMs);
    const partition = hash.map(keyText);
    for (const rule of state.rules) {
      const kind = rule.slice(rulePrefix.length, rulePrefix.length + 3);
      if (kind === partitionKind) this.add(rule, minute, JSON.stringify(partition));
      else if (kind === itemKind && range !== undefined) this.add(rule, minute, JSON.stringify([...partition, keyText(range)]));
    }
  }

  private add(rule: string, minute: number, contributor: string): void {
    let counts = this.counts.get(rule);
    if (counts === undefined) {
      counts = new Map();
      this.counts.set(rule, counts);
    }
    let keys = counts.get(minute);
    if (keys === undefined) {
      keys = new Map();
      counts.set(minute, keys);
      for (const kept of counts.keys()) {
        if (kept > minute - minutesKept) break;
        counts.delete(kept);
      }
    }
    const known = keys.get(contributor);
    if (known !== undefined) keys.set(contributor, known + 1);
    else if (keys.size < keysPerMinuteMax) keys.set(contributor, 1);
  }
}

/** A key value as a contributor's key: a string's or number's text, a binary's base64 (as the wire carries each). */
function keyText(value: AttributeValue): string {
  const v: unknown = Object.values(value)[0];
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The key attributes a rule counts by: the partition key's (and the sort key's). */
function keyNames(table: TableRecord, index: string | undefined, withSort: boolean): string[] {
  const gsi = index === undefined ? undefined : table.GlobalSecondaryIndexes.find((g) => g.IndexName === index);
  const schema = gsi?.KeySchema ?? table.KeySchema;
  const hash = schema.filter((k) => k.KeyType === 'HASH').map((k) => k.AttributeName);
  const range = schema.filter((k) => k.KeyType === 'RANGE').map((k) => k.AttributeName);
  return withSort ? [...hash, ...range] : hash;
}

/** The managed rules of a table or GSI in a mode: DynamoDBContributorInsights-<kind>-<table>[-<index>]-<epoch ms>. */
function ruleNames(table: TableRecord, index: string | undefined, mode: ContributorInsightsMode, now: number): string[] {
  const gsi = index === undefined ? undefined : table.GlobalSecondaryIndexes.find((g) => g.IndexName === index);
  const sorted = gsi !== undefined ? gsi.KeySchema.some((k) => k.KeyType === 'RANGE') : primaryKey(table).range !== undefined;
  const kinds: RuleKind[] = mode === 'THROTTLED_KEYS' ? ['PKT', ...(sorted ? ['SKT' as const] : [])] : ['PKC', ...(sorted ? ['SKC' as const] : []), 'PKT', ...(sorted ? ['SKT' as const] : [])];
  const subject = index === undefined ? table.TableName : `${table.TableName}-${index}`;
  return kinds.map((kind) => `${rulePrefix}${kind}-${subject}-${now}`);
}

// Capacity, enforced (--enforce-capacity): a token bucket per table and per global secondary index,
// for reads and for writes — filled at the provisioned rate and keeping up to 300 seconds of unused
// capacity (DynamoDB's burst), or, for an on-demand table or GSI with a maximum throughput, at that
// maximum with a second's worth. A request is admitted while every bucket it draws on has something
// left, and what it consumed is taken from them once it has run (the units of a read are known only
// then, as on DynamoDB, which lets a bucket go below zero and the next requests wait for it to
// refill). A throttled request has done nothing. The units consumed are also counted per minute,
// enforced or not (auto scaling and the cost meter read them).
import { ProvisionedThroughputExceededException, RequestLimitExceeded, ThrottlingException, type DynamoDbError } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { Clock } from '../model/clock.js';
import { partitionDigestBytes } from '../model/key-encoding.js';
import type { TableRecord } from '../model/table.js';

/** DynamoDB keeps up to five minutes of unused capacity for bursts. */
export const burstSeconds = 300;

export type CapacityKind = 'read' | 'write';

/** One of DynamoDB's ThrottlingReasons: `Table|Index` + `Read|Write` + the limit, and the resource's ARN. */
export interface ThrottlingReason {
  readonly reason: string;
  readonly resource: string;
}

/** Units a GSI consumed. */
export interface IndexUnits {
  readonly name: string;
  readonly units: number;
}

interface Bucket {
  tokens: number;
  /** Clock ms of the last refill. */
  at: number;
  /** Units this process took from it since it started (what the other nodes of a shared store are told). */
  taken: number;
}

/** A table's (or GSI's) buckets, made when first drawn on. */
interface Pair {
  read: Bucket | undefined;
  write: Bucket | undefined;
}

/** An on-demand table's or GSI's traffic: the units of the current second, each minute's busiest second (oldest first), the peak credited. */
interface Peak {
  second: number;
  units: number;
  readonly busiest: Map<number, number>;
  credited: number;
}

/** A table's buckets: its own, and its GSIs' by name. */
interface TableBuckets extends Pair {
  readonly indexes: Map<string, Pair>;
}

/** What limits a table or GSI: a rate, the seconds of it a bucket keeps, and the reason a throttle names. */
interface Limit {
  readonly rate: number;
  readonly burstSeconds: number;
  readonly reason: 'ProvisionedThroughputExceeded' | 'MaxOnDemandThroughputExceeded' | 'AccountLimitExceeded' | 'KeyRangeThroughputExceeded';
}

/** On-demand's initial throughput: what a new on-demand table (or GSI) is warm for, units a second. */
export const onDemandWarmRead = 12000;
export const onDemandWarmWrite = 4000;
/** On-demand serves up to double a peak once it is this old (DynamoDB: "twice the previous peak within the same 30 minutes"). */
const peakRipeMinutes = 30;

/**
 * The limit on a table's (or its GSI `index`'s) reads or writes: its provisioned capacity with 300 s
 * of burst; on-demand, what it has scaled to — its warm throughput, or double the peak it reached at
 * least 30 minutes ago, whichever is more — within the maximum set on it or the account's per-table
 * quota (a second's worth, no burst). `peak`: the on-demand peak credited so far (units a second).
 */
function limitOf(table: TableRecord, index: string | undefined, kind: CapacityKind, peak: number): Limit | undefined {
  const gsi = index === undefined ? undefined : table.GlobalSecondaryIndexes.find((g) => g.IndexName === index);
  if (index !== undefined && gsi === undefined) return undefined;
  if (table.BillingMode === 'PROVISIONED') {
    const throughput = gsi === undefined ? table.ProvisionedThroughput : gsi.ProvisionedThroughput;
    return { rate: kind === 'read' ? throughput.ReadCapacityUnits : throughput.WriteCapacityUnits, burstSeconds, reason: 'ProvisionedThroughputExceeded' };
  }
  const max = (gsi === undefined ? table.OnDemandThroughput : gsi.OnDemandThroughput)?.[kind === 'read' ? 'MaxReadRequestUnits' : 'MaxWriteRequestUnits'];
  // Without a maximum of its own (or with one above it), the account's per-table quota (DescribeLimits).
  const cap: Limit = max === undefined || max <= 0 || max > onDemandTableQuota
    ? { rate: onDemandTableQuota, burstSeconds: 1, reason: 'AccountLimitExceeded' }
    : { rate: max, burstSeconds: 1, reason: 'MaxOnDemandThroughputExceeded' };
  const warmSet = (gsi === undefined ? table.WarmThroughput : gsi.WarmThroughput)?.[kind === 'read' ? 'ReadUnitsPerSecond' : 'WriteUnitsPerSecond'] ?? 0;
  const scaled = Math.max(warmSet, kind === 'read' ? onDemandWarmRead : onDemandWarmWrite, 2 * peak);
  // Past what its partitions have scaled to, a request is throttled as a key range's.
  return scaled < cap.rate ? { rate: scaled, burstSeconds: 1, reason: 'KeyRangeThroughputExceeded' } : cap;
}

/** The tag that turns enforcement on ("true") or off ("false") for one table, whatever --enforce-capacity says. */
export const enforceCapacityTag = 'stratusdb:enforce-capacity';

/** What one partition holds at most: a table past it splits (DynamoDB's documented 10 GB). */
const partitionBytes = 10 * 1024 ** 3;
/** What one partition serves a second at most (DynamoDB's documented partition limits). */
export const partitionReadUnits = 3000;
export const partitionWriteUnits = 1000;
/** Partition buckets kept before the full ones are dropped. */
const partitionsKept = 100_000;
/** The account's per-table quota for an on-demand table or GSI, units a second (DescribeLimits' TableMax…CapacityUnits). */
export const onDemandTableQuota = 40_000;
/** On-demand tables start with the throughput of four partitions (12,000 reads, 4,000 writes). */
const onDemandPartitions = 4;

/** Minutes of consumption kept per table, index and kind (auto scaling looks back 15). */
const minutesKept = 20;
const minuteMs = 60_000;

export class CapacityMeter {
  /** By table id: a table keeps its buckets across changes of its record (UpdateTable). */
  private readonly buckets = new Map<string, TableBuckets>();
  /** Units consumed per minute of the clock, by table id, index ('' for the table) and kind. */
  private readonly minutes = new Map<string, Map<number, number>>();
  /** Per partition (by table id and mode, partition number and kind): what it has left this second. */
  private readonly partitions = new Map<string, Bucket>();
  /** Units consumed since the start, by table id (indexes included). */
  private readonly sums = new Map<string, { read: number; write: number }>();

  /** Units other nodes of a shared store took from each bucket (by slot) that this process's copy has not paid yet. */
  private readonly owed = new Map<string, number>();
  /** On-demand scaling, by table id, index and kind: this second's units, each minute's busiest second, and the peak credited. */
  private readonly peaks = new Map<string, Peak>();
  /** The catalog version `tagged` was worked out at. */
  private seenVersion = -1;
  private tagged = false;

  constructor(
    private readonly clock: Clock,
    /** Whether tables are throttled unless their tag says otherwise (--enforce-capacity; off: DynamoDB Local's behaviour, the default). */
    readonly enforcedByDefault: boolean,
    /** The tables, the catalog's version (which changes with any of them), and each table's size as last measured. */
    private readonly catalog: { readonly version: () => number; readonly tables: () => readonly TableRecord[]; readonly sizeOf: (tableId: string) => number },
  ) {}

  /** Whether `table` is throttled: --enforce-capacity, unless its stratusdb:enforce-capacity tag says true or false. */
  enforcedOn(table: Pick<TableRecord, 'Tags'>): boolean {
    if (table.Tags.length === 0) return this.enforcedByDefault;
    const tag = table.Tags.find((t) => t.Key === enforceCapacityTag)?.Value;
    return tag === undefined ? this.enforcedByDefault : tag === 'true';
  }

  /** Whether any table may be throttled (a cheap test before anything is looked up). */
  get anyEnforced(): boolean {
    if (this.enforcedByDefault) return true;
    const version = this.catalog.version();
    if (version !== this.seenVersion) {
      this.seenVersion = version;
      this.tagged = this.catalog.tables().some((t) => this.enforcedOn(t));
    }
    return this.tagged;
  }

  /**
   * Why `table` would throttle a request of `kind` now: its own bucket (or, for a read of a GSI,
   * that index's) and, for a write, each GSI's; empty when it may run.
   */
  throttled(table: TableRecord, kind: CapacityKind, index?: string): readonly ThrottlingReason[] {
    if (!this.enforcedOn(table)) return none;
    const gsi = index === undefined ? undefined : table.GlobalSecondaryIndexes.find((g) => g.IndexName === index);
    let reasons: ThrottlingReason[] | undefined;
    const check = (name: string | undefined, arn: string): void => {
      const limit = limitOf(table, name, kind, this.peakOf(table, name, kind));
      if (limit !== undefined && this.bucket(table, name, kind, limit).tokens <= 0) (reasons ??= []).push(throttling(name === undefined ? 'Table' : 'Index', kind, limit.reason, arn));
    };
    // A read of a GSI draws on the index; any other request on the table, and a write on every GSI too.
    if (gsi === undefined) check(undefined, table.TableArn);
    const indexes = kind === 'write' ? table.GlobalSecondaryIndexes : gsi === undefined ? [] : [gsi];
    for (const g of indexes) check(g.IndexName, `${table.TableArn}/index/${g.IndexName}`);
    return reasons ?? none;
  }

  /**
   * Why the partition holding `key` (a storage key of the table, or of its GSI `index`: both begin with
   * the partition key's digest) may not take a read or write now: each partition serves at most 3,000
   * read or 1,000 write units a second, however much the table has, so a hot key throttles while
   * others proceed. Empty: it may.
   */
  partitionThrottled(table: TableRecord, key: Uint8Array, kind: CapacityKind, index?: string): readonly ThrottlingReason[] {
    if (!this.enforcedOn(table)) return none;
    if (this.partitionBucket(table, key, kind, index).tokens > 0) return none;
    const reason = `${index === undefined ? 'Table' : 'Index'}${kind === 'read' ? 'Read' : 'Write'}KeyRangeThroughputExceeded`;
    return [{ reason, resource: index === undefined ? table.TableArn : `${table.TableArn}/index/${index}` }];
  }

  /** Takes what a request consumed from the partition holding `key` (of the table, or of its GSI `index`). */
  chargePartition(table: TableRecord, key: Uint8Array, kind: CapacityKind, units: number, index?: string): void {
    if (units > 0 && this.enforcedOn(table)) this.partitionBucket(table, key, kind, index).tokens -= units;
  }

  private partitionBucket(table: TableRecord, key: Uint8Array, kind: CapacityKind, index: string | undefined): Bucket {
    // Provisioned: the partitions its capacity needs, each a range of the key digests (a GSI's by its
    // own capacity). On-demand: DynamoDB splits partitions as traffic grows, until a hot key has one of
    // its own — each key is its own here.
    let partition: string;
    if (table.BillingMode === 'PROVISIONED') {
      const gsi = index === undefined ? undefined : table.GlobalSecondaryIndexes.find((g) => g.IndexName === index);
      const throughput = gsi?.ProvisionedThroughput ?? table.ProvisionedThroughput;
      partition = String(partitionOf(partitionCount({ BillingMode: 'PROVISIONED', ProvisionedThroughput: throughput }, this.catalog.sizeOf(table.id)), key));
    } else partition = Buffer.from(key.buffer, key.byteOffset, Math.min(key.length, partitionDigestBytes)).toString('latin1');
    const rate = kind === 'read' ? partitionReadUnits : partitionWriteUnits;
    const id = `${table.id}/${table.BillingMode}/${index ?? ''}/${kind}/${partition}`;
    const now = this.clock.now();
    let bucket = this.partitions.get(id);
    if (bucket === undefined) {
      // A bucket not touched for a second is full again, as if new: those go when there are many.
      if (this.partitions.size >= partitionsKept) for (const [k, b] of this.partitions) if (now - b.at >= 1000) this.partitions.delete(k);
      bucket = { tokens: rate, at: now, taken: 0 };
      this.partitions.set(id, bucket);
    } else if (now > bucket.at) {
      // A second's worth at most: a partition keeps no burst of its own here.
      bucket.tokens = Math.min(rate, bucket.tokens + (rate * (now - bucket.at)) / 1000);
      bucket.at = now;
    }
    return bucket;
  }

  /**
   * What a request consumed: counted per minute (auto scaling and metrics read it back), and, when
   * enforced, taken from the table's bucket and its GSIs'.
   */
  charge(table: TableRecord, kind: CapacityKind, tableUnits: number, indexes: readonly IndexUnits[]): void {
    const minute = Math.floor(this.clock.now() / minuteMs);
    let sum = this.sums.get(table.id);
    if (sum === undefined) {
      sum = { read: 0, write: 0 };
      this.sums.set(table.id, sum);
    }
    sum[kind] += tableUnits;
    for (const { units } of indexes) sum[kind] += units;
    if (tableUnits > 0) this.count(table.id, '', kind, minute, tableUnits);
    for (const { name, units } of indexes) if (units > 0) this.count(table.id, name, kind, minute, units);
    if (!this.enforcedOn(table)) return;
    const debit = (name: string | undefined, units: number): void => {
      if (table.BillingMode === 'PAY_PER_REQUEST') this.traffic(table, name, kind).units += units;
      const limit = limitOf(table, name, kind, this.peakOf(table, name, kind));
      if (limit === undefined || units <= 0) return;
      const bucket = this.bucket(table, name, kind, limit);
      bucket.tokens -= units;
      bucket.taken += units;
    };
    debit(undefined, tableUnits);
    for (const { name, units } of indexes) if (table.GlobalSecondaryIndexes.some((g) => g.IndexName === name)) debit(name, units);
  }

  /**
   * The on-demand peak credited to a table or GSI (units a second): its busiest second at least 30
   * minutes ago. Each call closes the second it counted in, once the clock has moved past it.
   */
  private peakOf(table: TableRecord, index: string | undefined, kind: CapacityKind): number {
    return table.BillingMode === 'PAY_PER_REQUEST' ? this.traffic(table, index, kind).credited : 0;
  }

  /** An on-demand table's or GSI's traffic, its past seconds closed and ripened as of now. */
  private traffic(table: TableRecord, index: string | undefined, kind: CapacityKind): Peak {
    const key = `${table.id}\u0000${index ?? ''}\u0000${kind}`;
    const now = this.clock.now();
    const second = Math.floor(now / 1000);
    let peak = this.peaks.get(key);
    if (peak === undefined) {
      peak = { second, units: 0, busiest: new Map(), credited: 0 };
      this.peaks.set(key, peak);
    } else if (second !== peak.second) {
      const minute = Math.floor(peak.second / 60);
      if (peak.units > (peak.busiest.get(minute) ?? 0)) peak.busiest.set(minute, peak.units);
      peak.second = second;
      peak.units = 0;
      const ripe = Math.floor(now / minuteMs) - peakRipeMinutes;
      for (const [m, busiest] of peak.busiest) {
        if (m > ripe) break;
        peak.credited = Math.max(peak.credited, busiest);
        peak.busiest.delete(m);
      }
    }
    return peak;
  }

  /** The units of `kind` the table (or `index`) consumed in the clock's minute `minute` (epoch ms / 60,000). */
  consumedIn(tableId: string, index: string | undefined, kind: CapacityKind, minute: number): number {
    return this.minutes.get(`${tableId}\u0000${index ?? ''}\u0000${kind}`)?.get(minute) ?? 0;
  }

  /** Units consumed by the table (its indexes included) since the start. */
  totals(tableId: string): { readonly read: number; readonly write: number } {
    return this.sums.get(tableId) ?? { read: 0, write: 0 };
  }

  /** Units consumed by the table (its indexes included) in the `minutes` whole minutes before `minute`. */
  recent(tableId: string, minute: number, minutes: number): { read: number; write: number } {
    const out = { read: 0, write: 0 };
    for (const [key, perMinute] of this.minutes) {
      if (!key.startsWith(`${tableId}\u0000`)) continue;
      const kind = key.endsWith('\u0000read') ? 'read' : 'write';
      for (const [m, units] of perMinute) if (m < minute && m >= minute - minutes) out[kind] += units;
    }
    return out;
  }

  private count(tableId: string, index: string, kind: CapacityKind, minute: number, units: number): void {
    const key = `${tableId}\u0000${index}\u0000${kind}`;
    let perMinute = this.minutes.get(key);
    if (perMinute === undefined) {
      perMinute = new Map();
      this.minutes.set(key, perMinute);
    }
    const before = perMinute.get(minute);
    perMinute.set(minute, (before ?? 0) + units);
    // A new minute: the ones too old to matter go.
    if (before === undefined) for (const old of perMinute.keys()) if (old <= minute - minutesKept) perMinute.delete(old);
  }

  /** Units this process took from each table and GSI bucket since it started, by slot (what the other nodes of a shared store are told). */
  debitedTotals(): ReadonlyMap<string, number> {
    const totals = new Map<string, number>();
    const add = (tableKey: string, index: string | undefined, pair: Pair): void => {
      if (pair.read !== undefined && pair.read.taken > 0) totals.set(slotOf(tableKey, index, 'read'), pair.read.taken);
      if (pair.write !== undefined && pair.write.taken > 0) totals.set(slotOf(tableKey, index, 'write'), pair.write.taken);
    };
    for (const [tableKey, own] of this.buckets) {
      add(tableKey, undefined, own);
      for (const [index, pair] of own.indexes) add(tableKey, index, pair);
    }
    return totals;
  }

  /** Units another node of the store took from a bucket: this process's copy of it pays them too. */
  owe(slot: string, units: number): void {
    if (units > 0) this.owed.set(slot, (this.owed.get(slot) ?? 0) + units);
  }

  /** The bucket, refilled at the limit's rate up to the burst it may keep, charged what other nodes took from it. */
  private bucket(table: TableRecord, index: string | undefined, kind: CapacityKind, limit: Limit): Bucket {
    const now = this.clock.now();
    const cap = limit.rate * limit.burstSeconds;
    // By table and mode: a table switched between on-demand and provisioned starts afresh.
    const key = `${table.id}/${table.BillingMode}`;
    let own = this.buckets.get(key);
    if (own === undefined) {
      own = { read: undefined, write: undefined, indexes: new Map() };
      this.buckets.set(key, own);
    }
    let pair: Pair = own;
    if (index !== undefined) {
      let indexed = own.indexes.get(index);
      if (indexed === undefined) {
        indexed = { read: undefined, write: undefined };
        own.indexes.set(index, indexed);
      }
      pair = indexed;
    }
    let bucket = pair[kind];
    if (bucket === undefined) {
      // A new table (or index) starts with its whole burst.
      bucket = { tokens: cap, at: now, taken: 0 };
      pair[kind] = bucket;
    } else if (now > bucket.at) {
      bucket.tokens = Math.min(cap, bucket.tokens + (limit.rate * (now - bucket.at)) / 1000);
      bucket.at = now;
    }
    if (this.owed.size > 0) {
      const slot = slotOf(key, index, kind);
      const owed = this.owed.get(slot);
      if (owed !== undefined) {
        bucket.tokens -= owed;
        this.owed.delete(slot);
      }
    }
    return bucket;
  }

}

const none: readonly ThrottlingReason[] = [];

/** A bucket's name, the same in every node: the table's id and billing mode, the index ('' for the table), the kind. */
function slotOf(tableKey: string, index: string | undefined, kind: CapacityKind): string {
  return `${tableKey}\u0000${index ?? ''}\u0000${kind}`;
}

function throttling(resource: 'Table' | 'Index', kind: CapacityKind, limit: Limit['reason'], arn: string): ThrottlingReason {
  return { reason: `${resource}${kind === 'read' ? 'Read' : 'Write'}${limit}`, resource: arn };
}

/**
 * The exception for `reasons`: past the account's quota, RequestLimitExceeded; past an on-demand
 * maximum, ThrottlingException; past provisioned capacity, ProvisionedThroughputExceededException with
 * the table's text when the table itself is throttled, the GSIs' otherwise.
 */
export function throughputExceeded(reasons: readonly ThrottlingReason[]): DynamoDbError {
  if (reasons.some((r) => r.reason.endsWith('AccountLimitExceeded'))) return new RequestLimitExceeded(messages.accountThroughputExceeded, reasons);
  // A key range here is an on-demand table past what it has scaled to (a provisioned hot key throws at its partition).
  if (reasons.some((r) => r.reason.endsWith('MaxOnDemandThroughputExceeded') || r.reason.endsWith('KeyRangeThroughputExceeded'))) return new ThrottlingException(messages.onDemandThroughputExceeded, reasons);
  const table = reasons.some((r) => r.reason.startsWith('Table'));
  return new ProvisionedThroughputExceededException(table ? messages.tableThroughputExceeded : messages.indexThroughputExceeded, reasons);
}

/** What DynamoDB answers a request to a hot partition: ProvisionedThroughputExceededException (the table's or the GSIs' text), or ThrottlingException on-demand. */
export function keyRangeExceeded(table: Pick<TableRecord, 'BillingMode'>, reasons: readonly ThrottlingReason[]): DynamoDbError {
  if (table.BillingMode !== 'PROVISIONED') return new ThrottlingException(messages.onDemandThroughputExceeded, reasons);
  return new ProvisionedThroughputExceededException(reasons.some((r) => r.reason.startsWith('Table')) ? messages.tableThroughputExceeded : messages.indexThroughputExceeded, reasons);
}

/** A hot partition's reason in a cancelled transaction: as keyRangeExceeded words it. */
export function keyRangeCancellation(table: Pick<TableRecord, 'BillingMode'>, reasons: readonly ThrottlingReason[]): { readonly Code: string; readonly Message: string } {
  if (table.BillingMode !== 'PROVISIONED') return { Code: 'ThrottlingError', Message: messages.onDemandThroughputExceeded };
  return { Code: 'ProvisionedThroughputExceeded', Message: reasons.some((r) => r.reason.startsWith('Table')) ? messages.tableThroughputExceeded : messages.indexThroughputExceeded };
}

/** A throttled action's reason in a cancelled transaction. */
export function cancellationReason(reasons: readonly ThrottlingReason[]): { readonly Code: string; readonly Message: string } {
  if (reasons.some((r) => !r.reason.endsWith('ProvisionedThroughputExceeded'))) return { Code: 'ThrottlingError', Message: messages.onDemandThroughputExceeded };
  return { Code: 'ProvisionedThroughputExceeded', Message: reasons.some((r) => r.reason.startsWith('Table')) ? messages.tableThroughputExceeded : messages.indexThroughputExceeded };
}

/**
 * How many partitions DynamoDB would give the table: enough for its provisioned capacity at 3,000
 * reads and 1,000 writes each (on-demand: four, before it splits for traffic), and one per 10 GB of
 * its items (`sizeBytes`, as last measured).
 */
export function partitionCount(table: Pick<TableRecord, 'BillingMode' | 'ProvisionedThroughput'>, sizeBytes = 0): number {
  const byThroughput = table.BillingMode === 'PROVISIONED'
    ? Math.ceil(table.ProvisionedThroughput.ReadCapacityUnits / partitionReadUnits + table.ProvisionedThroughput.WriteCapacityUnits / partitionWriteUnits)
    : onDemandPartitions;
  return Math.max(1, byThroughput, Math.ceil(sizeBytes / partitionBytes));
}

/**
 * Which of `count` partitions holds `key` (a storage key, which begins with its partition key's
 * digest): partitions are equal ranges of the digests, as DynamoDB's are ranges of its key hashes.
 */
export function partitionOf(count: number, key: Uint8Array): number {
  if (count === 1) return 0;
  const head = (((key[0] ?? 0) << 24) | ((key[1] ?? 0) << 16) | ((key[2] ?? 0) << 8) | (key[3] ?? 0)) >>> 0;
  return Math.floor((head * count) / 2 ** 32);
}

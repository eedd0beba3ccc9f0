// One trigger: follows its table's streams from the committed stream log and delivers their records
// with the semantics of Lambda's DynamoDB event source mapping — per-shard order, batches of up to
// batchSize (or what the batching window gathers), at-least-once, retries with backoff until success,
// maximumRetryAttempts or maximumRecordAgeInSeconds, bisection, partial batch responses, filtering,
// and discarded batches sent to the on-failure destination. The checkpoint moves only after a chunk
// is fully delivered or discarded, so a crash redelivers and never skips.
import { createHash, randomUUID } from 'node:crypto';
import type { Engine } from '../engine/engine.js';
import { sequenceNumber, shardId, type StreamInfo } from '../engine/streams/stream-info.js';
import type { Checkpoints, StreamCheckpoint } from '../engine/streams/checkpoints.js';
import type { SendFailure } from './failure-destination.js';
import type { InvocationOutcome, Invoker } from './invoker.js';
import {
  createdSeconds, eventPayload, failureRecord, firstFailedIndex, keysText, lambdaRecordJson, type DiscardCondition, type TriggerRecord,
} from './lambda-event.js';
import type { TriggerDefinition } from './trigger-config.js';

/** Lambda's limit on a synchronous invocation's payload. */
const payloadBytesMax = 6 * 1024 * 1024;
/** How long a caught-up trigger sleeps before looking again when no commit wakes it. */
const idleWaitMs = 1000;
/** How often a trigger whose table has no stream (yet) looks for one: a new table's first writes
 * should not wait long. A catalog lookup in memory and a checkpoint read per stream. */
const noStreamPollMs = 50;
/** A batching window is checked against the clock at least this often. */
const windowRecheckMs = 1000;
/** How often a trigger another process runs checks whether it may take the trigger over. */
const leasePollMs = 1000;
/** Retry backoff: doubling from the base, capped. */
const retryBackoffMaxMs = 5000;

export interface TriggerStats {
  invocations: number;
  errors: number;
  retries: number;
  recordsDelivered: number;
  recordsFiltered: number;
  recordsDiscarded: number;
}

export interface RunnerOptions {
  readonly engine: Engine;
  readonly checkpoints: Checkpoints;
  readonly functionArn: string;
  /** An invoker per lane (parallelizationFactor lanes), made on first use. */
  readonly invoker: (lane: number) => Invoker;
  readonly sendFailure?: SendFailure;
  readonly log: (line: string) => void;
  readonly retryBaseMs: number;
}

class Stopped extends Error {}

/** A failed invocation or a discarded batch, as the status page lists it. */
export interface TriggerFailure {
  /** Epoch ms on the engine's clock. */
  readonly at: number;
  readonly records: number;
  readonly firstSequenceNumber: string;
  readonly error: string;
}
/** Failures kept per trigger for its status (the newest). */
const failuresKept = 20;

export class TriggerRunner {
  readonly stats: TriggerStats = { invocations: 0, errors: 0, retries: 0, recordsDelivered: 0, recordsFiltered: 0, recordsDiscarded: 0 };
  lastProcessingResult = 'No records processed';
  /** The latest failures, newest first. */
  readonly recentFailures: TriggerFailure[] = [];
  streamArn: string | undefined;
  /** Creation time (epoch s) of the oldest record read and not yet finished; undefined when caught up. */
  private oldestPendingSeconds: number | undefined;
  private readonly invokers = new Map<number, Invoker>();
  private stopped = false;
  private running: Promise<void> | undefined;
  /** Wakers of the sleeps in progress (stop() ends them at once). */
  private readonly sleepers = new Set<() => void>();
  /** When the trigger's lease is next renewed (undefined: not held). */
  private leaseRenewAt: number | undefined;

  constructor(readonly def: TriggerDefinition, private readonly options: RunnerOptions) {}

  get state(): 'Enabled' | 'Disabled' {
    return this.def.enabled ? 'Enabled' : 'Disabled';
  }

  /** Milliseconds between now and the oldest record not yet delivered (0 when caught up). */
  iteratorAgeMs(): number {
    if (this.oldestPendingSeconds === undefined) return 0;
    return Math.max(0, this.options.engine.options.clock.now() - this.oldestPendingSeconds * 1000);
  }

  start(): void {
    if (!this.def.enabled || this.running !== undefined) return;
    this.lane(0);
    this.running = this.run().catch((error: unknown) => {
      if (!(error instanceof Stopped)) this.options.log(`stopped on an internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of [...this.sleepers]) wake();
    await Promise.all([...this.invokers.values()].map((i) => i.close()));
    await this.running;
  }

  private lane(index: number): Invoker {
    let invoker = this.invokers.get(index);
    if (invoker === undefined) {
      invoker = this.options.invoker(index);
      this.invokers.set(index, invoker);
    }
    return invoker;
  }

  private async run(): Promise<void> {
    while (!this.stopped && !(await this.holding())) await this.sleep(leasePollMs);
    await this.register();
    while (!this.stopped) {
      if (!(await this.holding())) {
        await this.sleep(leasePollMs);
        continue;
      }
      const info = await this.nextStream();
      if (info === undefined) {
        await this.sleep(noStreamPollMs);
        continue;
      }
      await this.follow(info);
    }
  }

  /**
   * Whether this process runs the trigger: with several processes on one store, the one holding its
   * lease does (renewed at a third of the term). On a store of its own a process always holds it.
   */
  private async holding(): Promise<boolean> {
    const { engine } = this.options;
    const now = engine.options.clock.now();
    if (this.leaseRenewAt !== undefined && now < this.leaseRenewAt) return true;
    const held = await engine.leases.hold(`trigger/${this.def.name}`);
    this.leaseRenewAt = held ? now + engine.leases.termMs / 3 : undefined;
    return held;
  }

  private streams(): StreamInfo[] {
    const { engine } = this.options;
    return engine.streams.of(engine.tables.namespaceOf(this.def.region)).filter((s) => s.TableName === this.def.table);
  }

  /**
   * On its first run against this data the trigger starts at startingPosition in the table's newest
   * stream; older streams are not its business. Every stream enabled later is read from its start.
   */
  private async register(): Promise<void> {
    const { checkpoints, engine } = this.options;
    if ((await checkpoints.registration(this.def.name)) !== undefined) return;
    const existing = this.streams();
    const initial = new Map<string, StreamCheckpoint>();
    existing.forEach((info, i) => {
      if (i < existing.length - 1) initial.set(info.storageId, { done: true });
    });
    const newest = existing[existing.length - 1];
    if (newest !== undefined && this.def.startingPosition === 'LATEST') {
      const state = await engine.streams.state(newest);
      const last = state.shards[state.shards.length - 1];
      initial.set(newest.storageId, last === undefined ? { done: true } : { shard: last.index, next: last.last === undefined ? state.head.n : last.last + 1 });
    }
    await checkpoints.register(this.def.name, engine.options.clock.now(), initial);
  }

  /** The oldest stream of the table this trigger has not finished. */
  private async nextStream(): Promise<StreamInfo | undefined> {
    for (const info of this.streams()) {
      const checkpoint = await this.options.checkpoints.get(this.def.name, info.storageId);
      if (checkpoint === undefined || !('done' in checkpoint)) return info;
    }
    return undefined;
  }

  private async startOf(info: StreamInfo): Promise<{ shard: number; next: number } | undefined> {
    const { engine } = this.options;
    const state = await engine.streams.state(info);
    const first = state.shards[0];
    return first === undefined ? undefined : { shard: first.index, next: Math.max(first.first, state.trim.n + 1) };
  }

  /** Delivers one stream until it is closed and drained (or the trigger stops). */
  private async follow(initial: StreamInfo): Promise<void> {
    const { engine, checkpoints } = this.options;
    const id = initial.storageId;
    this.streamArn = initial.StreamArn;
    const saved = await checkpoints.get(this.def.name, id);
    const start = saved !== undefined && !('done' in saved) ? saved : await this.startOf(initial);
    if (start === undefined) {
      await checkpoints.save(this.def.name, id, { done: true });
      return;
    }
    let position: { shard: number; next: number } = start;
    while (!this.stopped) {
      // Another process took the trigger over (this one stopped renewing in time): it resumes from the checkpoint.
      if (!(await this.holding())) return;
      const info = engine.streams.info(id) ?? initial;
      const chunk = await this.gather(info, position);
      if (chunk === 'trimmed') {
        this.options.log(`records of ${info.StreamArn} were trimmed before they were delivered; resuming at the trim horizon`);
        position = (await this.startOf(info)) ?? position;
        continue;
      }
      if (chunk.records.length > 0) {
        await this.process(info, chunk.records);
        this.oldestPendingSeconds = undefined;
      }
      if (chunk.next !== undefined) {
        if (chunk.next !== position.next) {
          position = { shard: position.shard, next: chunk.next };
          await checkpoints.save(this.def.name, id, position);
        }
        if (chunk.records.length === 0) await this.waitForCommit(id, idleWaitMs);
        continue;
      }
      // The shard is closed and drained: on to its child, or the stream is finished.
      const state = await engine.streams.state(info);
      const child = state.shards.find((s) => s.index > position.shard);
      if (child !== undefined) {
        position = { shard: child.index, next: Math.max(child.first, state.trim.n + 1) };
        await checkpoints.save(this.def.name, id, position);
      } else if (info.closedAt !== undefined) {
        await checkpoints.save(this.def.name, id, { done: true });
        return;
      } else {
        await this.waitForCommit(id, idleWaitMs);
      }
    }
  }

  /** Reads up to a chunk of records from the position, waiting out the batching window if one is set. */
  private async gather(info: StreamInfo, from: { shard: number; next: number }): Promise<{ records: TriggerRecord[]; next: number | undefined } | 'trimmed'> {
    const { engine } = this.options;
    const limit = this.def.batchSize * this.def.parallelizationFactor;
    const windowMs = this.def.maximumBatchingWindowInSeconds * 1000;
    const records: TriggerRecord[] = [];
    let next: number | undefined = from.next;
    let windowEnd = 0;
    while (next !== undefined && records.length < limit && !this.stopped) {
      const page = await engine.streams.records(info, from.shard, next, limit - records.length);
      if (page === 'trimmed') return records.length > 0 ? { records, next } : 'trimmed';
      for (let i = 0; i < page.records.length; i++) {
        const stored = page.records[i] as string;
        const counter = page.counters[i] as number;
        records.push({ json: lambdaRecordJson(stored, info.StreamArn), shard: from.shard, counter, sequenceNumber: sequenceNumber(from.shard, counter), createdSeconds: createdSeconds(stored) });
      }
      next = page.next;
      if (records.length === 0 || windowMs === 0 || next === undefined) break;
      // The window runs on the server's clock (a test moves it with --test-clock), looked at again at least once a second.
      const now = engine.options.clock.now();
      if (windowEnd === 0) windowEnd = now + windowMs;
      if (now >= windowEnd) break;
      if (page.records.length === 0 || records.length < limit) await this.waitForCommit(info.storageId, Math.min(windowEnd - now, windowRecheckMs));
    }
    const first = records[0];
    if (first !== undefined) this.oldestPendingSeconds = first.createdSeconds;
    return { records, next };
  }

  /** Filters a chunk, spreads it over lanes by item, and delivers every lane's batches. */
  private async process(info: StreamInfo, chunk: readonly TriggerRecord[]): Promise<void> {
    let records = chunk;
    const filter = this.def.filter;
    if (filter !== undefined) {
      records = chunk.filter((r) => filter(JSON.parse(r.json)));
      this.stats.recordsFiltered += chunk.length - records.length;
    }
    if (records.length === 0) return;
    const factor = this.def.parallelizationFactor;
    const lanes: TriggerRecord[][] = Array.from({ length: factor }, () => []);
    for (const r of records) {
      const lane = factor === 1 ? 0 : createHash('md5').update(keysText(r.json)).digest().readUInt32BE(0) % factor;
      (lanes[lane] as TriggerRecord[]).push(r);
    }
    await Promise.all(lanes.map((lane, i) => this.deliverLane(info, i, lane)));
  }

  private async deliverLane(info: StreamInfo, lane: number, records: readonly TriggerRecord[]): Promise<void> {
    let i = 0;
    while (i < records.length) {
      const batch: TriggerRecord[] = [];
      let bytes = 20;
      while (i < records.length && batch.length < this.def.batchSize) {
        const r = records[i] as TriggerRecord;
        if (batch.length > 0 && bytes + r.json.length + 1 > payloadBytesMax) break;
        bytes += r.json.length + 1;
        batch.push(r);
        i++;
      }
      await this.deliver(info, lane, batch);
    }
  }

  /** Delivers one batch until every record is delivered or discarded. */
  private async deliver(info: StreamInfo, lane: number, batch: TriggerRecord[]): Promise<void> {
    const queue: TriggerRecord[][] = [batch];
    const maxAgeSeconds = this.def.maximumRecordAgeInSeconds;
    while (queue.length > 0) {
      let current = queue.shift() as TriggerRecord[];
      let invokes = 0;
      let retries = 0;
      let failedByFunction = false;
      for (;;) {
        if (this.stopped) throw new Stopped();
        if (maxAgeSeconds >= 0) {
          const cutoff = this.options.engine.options.clock.now() / 1000 - maxAgeSeconds;
          const expired = current.findIndex((r) => r.createdSeconds >= cutoff);
          const count = expired === -1 ? current.length : expired;
          if (count > 0) {
            await this.discard(info, current.slice(0, count), 'RecordAgeExceeded', invokes, failedByFunction);
            current = current.slice(count);
            if (current.length === 0) break;
          }
        }
        invokes++;
        const outcome = await this.invoke(lane, current);
        if (this.stopped) throw new Stopped();
        if (outcome.ok) {
          const failed = this.def.reportBatchItemFailures ? firstFailedIndex(outcome.response, current) : current.length;
          if (failed === current.length) {
            this.stats.recordsDelivered += current.length;
            this.lastProcessingResult = 'OK';
            break;
          }
          if (failed !== 'invalid') {
            this.stats.recordsDelivered += failed;
            current = current.slice(failed);
          }
          failedByFunction = false;
          this.lastProcessingResult = 'PROBLEM: Function reported batch item failures';
        } else {
          this.stats.errors++;
          failedByFunction = true;
          this.lastProcessingResult = 'PROBLEM: Function call failed';
          this.options.log(`invocation failed (${current.length} records from ${current[0]?.sequenceNumber}): ${outcome.errorType}: ${outcome.errorMessage}`);
          this.noteFailure(current, `${outcome.errorType}: ${outcome.errorMessage}`);
          if (this.def.bisectBatchOnFunctionError && current.length > 1) {
            // Splitting does not count against the retry quota (Lambda).
            const half = Math.ceil(current.length / 2);
            queue.unshift(current.slice(0, half), current.slice(half));
            break;
          }
        }
        retries++;
        if (this.def.maximumRetryAttempts >= 0 && retries > this.def.maximumRetryAttempts) {
          await this.discard(info, current, 'RetryAttemptsExhausted', invokes, failedByFunction);
          break;
        }
        this.stats.retries++;
        await this.sleep(Math.min(this.options.retryBaseMs * 2 ** (retries - 1), retryBackoffMaxMs));
      }
    }
  }

  private noteFailure(records: readonly TriggerRecord[], error: string): void {
    this.recentFailures.unshift({ at: this.options.engine.options.clock.now(), records: records.length, firstSequenceNumber: records[0]?.sequenceNumber ?? '', error });
    this.recentFailures.length = Math.min(this.recentFailures.length, failuresKept);
  }

  private async invoke(lane: number, batch: readonly TriggerRecord[]): Promise<InvocationOutcome> {
    this.stats.invocations++;
    const requestId = randomUUID();
    return this.lane(lane).invoke({ requestId, payload: eventPayload(batch), timeoutMs: this.def.timeoutSeconds * 1000 });
  }

  private async discard(info: StreamInfo, records: readonly TriggerRecord[], condition: DiscardCondition, invokes: number, functionError: boolean): Promise<void> {
    const first = records[0] as TriggerRecord;
    const last = records[records.length - 1] as TriggerRecord;
    this.options.log(`discarded ${records.length} records (${first.sequenceNumber}..${last.sequenceNumber}): ${condition}`);
    this.noteFailure(records, `discarded: ${condition}`);
    const send = this.options.sendFailure;
    if (send === undefined) {
      this.stats.recordsDiscarded += records.length;
      return;
    }
    const { engine } = this.options;
    const state = await engine.streams.state(info);
    const shard = state.shards.find((s) => s.index === first.shard);
    const record = failureRecord(records, {
      requestId: randomUUID(),
      functionArn: this.options.functionArn,
      condition,
      invokeCount: invokes,
      ...(functionError ? { functionError: 'Unhandled' as const } : {}),
      now: engine.options.clock.now(),
      shardId: shard?.id ?? shardId(info, first.shard, info.createdAt),
      streamArn: info.StreamArn,
    });
    try {
      await send(record);
    } catch (error) {
      this.options.log(`could not send the discarded batch to its destination: ${(error as Error).message}`);
    }
    // Counted once the destination has it, so the status never runs ahead of the destination.
    this.stats.recordsDiscarded += records.length;
  }

  private waitForCommit(storageId: string, ms: number): Promise<unknown> {
    if (this.stopped) return Promise.resolve();
    return Promise.race([this.options.engine.streams.nextCommit(storageId, ms), this.sleep(ms)]);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}

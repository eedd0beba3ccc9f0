// The streams of the engine's tables: which exist (ListStreams, DescribeStream, a trigger following
// its table), their shards as of now, their records, waiting for the next commit of one, and where
// each consumer (trigger) stands in each — everything a reader of the committed stream log needs.
import type { Clock } from '../model/clock.js';
import type { Storage } from '../storage/storage.js';
import type { Catalog } from './catalog.js';
import { Checkpoints } from './streams/checkpoints.js';
import type { StreamInfo } from './streams/stream-info.js';
import { readRecords, readStreamState, type RecordsPage, type StreamState } from './streams/stream-reader.js';
import type { StreamWaiters } from './streams/stream-waiters.js';

export class StreamService {
  /** Each trigger's position in each stream, kept in storage. */
  readonly checkpoints: Checkpoints;

  constructor(
    private readonly catalog: Catalog,
    private readonly storage: Storage,
    private readonly waiters: StreamWaiters,
    private readonly clock: Clock,
    /** How long records are kept (AWS: 24 hours). */
    readonly retentionMs: number,
  ) {
    this.checkpoints = new Checkpoints(storage);
  }

  /** Every stream of a namespace, open or closed and not yet aged out, oldest first. */
  of(namespace: string): StreamInfo[] {
    return this.catalog.streamsOf(namespace);
  }

  byArn(namespace: string, arn: string): StreamInfo | undefined {
    return this.catalog.streamByArn(namespace, arn);
  }

  /** A stream as last saved (a reader's view of whether it has closed). */
  info(storageId: string): StreamInfo | undefined {
    return this.catalog.stream(storageId);
  }

  /** The stream's shards as DescribeStream lists them at `now` (default: the clock's now). */
  state(info: StreamInfo, now = this.clock.now()): Promise<StreamState> {
    return readStreamState(this.storage, info, now, this.retentionMs);
  }

  /** Up to `limit` records of a shard from counter `from`; 'trimmed' when some of them are gone. */
  records(info: StreamInfo, shard: number, from: number, limit: number): Promise<RecordsPage | 'trimmed'> {
    return readRecords(this.storage, info, shard, from, limit);
  }

  /** Resolves at the stream's next commit, or after `ms`. */
  nextCommit(storageId: string, ms: number): Promise<unknown> {
    return this.waiters.wait(storageId, ms);
  }
}

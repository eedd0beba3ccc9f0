// Where a link reads the log (and, to fill a new replica, the items) of the replica it applies: a
// table of this server (its storage), or one another server serves (--peer: over HTTP, the peer
// waiting for the next commit before it answers an empty read).
import type { StoredItem, Storage } from '../../storage/storage.js';
import type { Catalog } from '../catalog.js';
import { rangePages } from '../range-pages.js';
import { headKey } from '../recovery/recovery-log.js';
import type { StreamWaiters } from '../streams/stream-waiters.js';
import type { PeerClient } from './peer-client.js';
import { changeCounter, changesAfter, decodeChange, parseHead, type ReplicatedChange } from './replication-log.js';

/** How long a woken read lets changes gather before it reads them: the writes that follow join the batch. */
const gatherMs = 1;

export interface LogPage {
  /** The source's log now: a checkpoint of another log means nothing against it. */
  readonly logId: string;
  readonly changes: readonly { readonly counter: number; readonly change: ReplicatedChange }[];
  /** The last change the log holds. */
  readonly last: number;
}

export interface SourceItem {
  readonly key: Buffer;
  readonly item: StoredItem;
}

export interface LogSource {
  /**
   * Up to `limit` changes after `after`, waiting up to `waitMs` for one when there is none; undefined
   * when the source is no replica (any more). `applied`: what the reader has applied (less than
   * `after` when it reads ahead of changes it is still applying), which the source may trim up to.
   */
  read(after: number, limit: number, waitMs: number, applied?: number): Promise<LogPage | undefined>;
  /** The source's items, page by page, to fill a new replica. */
  items(pageSize: number): AsyncGenerator<SourceItem[]>;
}

/** A replica of this server. */
export class LocalLogSource implements LogSource {
  constructor(
    private readonly parts: { readonly catalog: Catalog; readonly storage: Storage; readonly waiters: StreamWaiters },
    private readonly region: string,
    private readonly table: string,
  ) {}

  async read(after: number, limit: number, waitMs: number): Promise<LogPage | undefined> {
    const { catalog, storage, waiters } = this.parts;
    const logId = catalog.get(this.region, this.table)?.replication?.logId;
    if (logId === undefined) return undefined;
    let entries = await storage.readRange(logId, changesAfter(after), limit);
    if (entries.length === 0 && waitMs > 0) {
      if (await waiters.wait(logId, waitMs)) await sleep(gatherMs);
      entries = await storage.readRange(logId, changesAfter(after), limit);
    }
    const head = parseHead(await storage.getItem({ tableId: logId, key: headKey }));
    return { logId, changes: entries.map((e) => ({ counter: changeCounter(e.key), change: decodeChange(e.item) })), last: head.n - 1 };
  }

  async *items(pageSize: number): AsyncGenerator<SourceItem[]> {
    const table = this.parts.catalog.get(this.region, this.table);
    if (table === undefined) return;
    for await (const page of rangePages(this.parts.storage, table.id, {}, pageSize)) yield page.map((e) => ({ key: Buffer.from(e.key), item: e.item }));
  }
}

/** What a peer answers for a read of a log: the changes as the log stores them. */
export interface PeerLogPage {
  readonly logId: string;
  readonly last: number;
  readonly changes: readonly { readonly n: number; readonly text: string; readonly size: number }[];
}

/** A replica another server serves (--peer). `reader`: the region this server reads it for. */
export class PeerLogSource implements LogSource {
  constructor(
    private readonly peers: PeerClient,
    private readonly region: string,
    private readonly table: string,
    private readonly reader: string,
  ) {}

  async read(after: number, limit: number, waitMs: number, applied = after): Promise<LogPage | undefined> {
    const page = await this.peers.call<PeerLogPage | { readonly missing: true }>(this.region, 'changes', { table: this.table, region: this.region, after, applied, limit, waitMs, reader: this.reader });
    if ('missing' in page) return undefined;
    return { logId: page.logId, last: page.last, changes: page.changes.map((c) => ({ counter: c.n, change: decodeChange({ json: c.text, sizeBytes: c.size }) })) };
  }

  async *items(pageSize: number): AsyncGenerator<SourceItem[]> {
    let after: string | undefined;
    for (;;) {
      const page = await this.peers.call<{ items: { key: string; json: string; size: number }[] }>(this.region, 'items', { table: this.table, region: this.region, after, limit: pageSize });
      if (page.items.length > 0) yield page.items.map((i) => ({ key: Buffer.from(i.key, 'base64'), item: { json: i.json, sizeBytes: i.size } }));
      if (page.items.length < pageSize) return;
      after = page.items[page.items.length - 1]?.key;
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

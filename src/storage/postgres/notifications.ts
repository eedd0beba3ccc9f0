// What the nodes sharing one PostgreSQL tell each other, over LISTEN/NOTIFY: catalog changes (a
// table created, changed or deleted; sent inside the catalog change's own transaction) and streams
// given new records (sent after the writes' commits, merged per event-loop turn: a NOTIFY inside a
// write's transaction would take a database-wide lock at its commit and serialise every such commit).
// Each node keeps one connection listening and reconnects after losing it. Payloads name the schema,
// so several StratusDB databases can share one PostgreSQL database, and the sending node, which
// ignores its own.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { textLiteral } from './sql-literals.js';

/** The channel catalog changes are announced on. */
const catalogChannel = 'stratusdb_catalog';
/** The channel streams' new records are announced on. */
const commitsChannel = 'stratusdb_commits';
/** Stream ids per announcement: a NOTIFY payload holds under 8,000 bytes. */
const idsPerAnnouncement = 300;
/** Catalog keys per announcement (more: the receivers read the whole catalog again anyway). */
const keysPerAnnouncement = 100;
/** Pause before listening again after the connection was lost. */
const reconnectMs = 500;

export class Notifications {
  /** Tells this process's announcements from other nodes'. */
  private readonly nodeId = randomUUID();
  private readonly catalogWatchers: ((keys: readonly string[]) => void)[] = [];
  private readonly commitWatchers: ((storageId: string) => void)[] = [];
  /** Streams with records committed in this event-loop turn, announced together after it. */
  private readonly toAnnounce = new Set<string>();
  private listener: pg.Client | undefined;
  private listening = false;
  private closed = false;

  constructor(
    private readonly schema: string,
    /** Where to listen now (the primary, after a failover). */
    private readonly config: () => pg.ClientConfig,
    /** Runs a statement on a pooled connection. */
    private readonly query: (config: pg.QueryConfig) => Promise<unknown>,
  ) {}

  /** The statement that announces changed catalog keys, to run inside the change's transaction. */
  catalogStatement(keys: readonly string[]): string {
    const payload = JSON.stringify({ schema: this.schema, node: this.nodeId, keys: keys.slice(0, keysPerAnnouncement) });
    return `SELECT pg_notify(${textLiteral(catalogChannel)}, ${textLiteral(payload)})`;
  }

  /** Calls `changed` with the keys of each catalog change another node commits; with none after the connection was lost (anything may have changed). */
  watchCatalog(changed: (keys: readonly string[]) => void): void {
    this.catalogWatchers.push(changed);
    this.startListening();
  }

  /** Announces, once the current event-loop turn is over, every stream given new records in it. */
  announceCommit(storageId: string): void {
    if (this.toAnnounce.size === 0) setImmediate(() => this.flush());
    this.toAnnounce.add(storageId);
  }

  watchCommits(heard: (storageId: string) => void): void {
    this.commitWatchers.push(heard);
    this.startListening();
  }

  async close(): Promise<void> {
    this.closed = true;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  private flush(): void {
    const ids = [...this.toAnnounce];
    this.toAnnounce.clear();
    if (this.closed) return;
    for (let i = 0; i < ids.length; i += idsPerAnnouncement) {
      const payload = JSON.stringify({ schema: this.schema, node: this.nodeId, streams: ids.slice(i, i + idsPerAnnouncement) });
      // Best effort: a reader that misses it finds the records at its next poll.
      this.query({ name: 'announce', text: 'SELECT pg_notify($1, $2)', values: [commitsChannel, payload] }).catch(() => undefined);
    }
  }

  private startListening(): void {
    if (this.listening) return;
    this.listening = true;
    void this.listen();
  }

  private async listen(): Promise<void> {
    while (!this.closed) {
      const client = new pg.Client(this.config());
      const lost = new Promise<void>((resolve) => {
        client.on('error', () => resolve());
        client.on('end', () => resolve());
      });
      client.on('notification', (message) => this.heard(message.channel, message.payload));
      try {
        await client.connect();
        await client.query(`LISTEN ${catalogChannel}; LISTEN ${commitsChannel}`);
        this.listener = client;
        if (this.closed) await client.end();
        // Whatever changed while not listening is unknown: say so with no keys (read everything again).
        else for (const watcher of this.catalogWatchers) watcher([]);
        await lost;
      } catch {
        await client.end().catch(() => undefined);
      }
      if (!this.closed) await new Promise((resolve) => setTimeout(resolve, reconnectMs).unref());
    }
  }

  private heard(channel: string, payload: string | undefined): void {
    let message: { schema?: unknown; node?: unknown; keys?: unknown; streams?: unknown };
    try {
      message = JSON.parse(payload ?? '') as typeof message;
    } catch {
      return;
    }
    if (message.schema !== this.schema || message.node === this.nodeId) return;
    const texts = (list: unknown): string[] => (Array.isArray(list) ? list.filter((k): k is string => typeof k === 'string') : []);
    if (channel === catalogChannel) {
      const keys = texts(message.keys);
      for (const watcher of this.catalogWatchers) watcher(keys);
    } else if (channel === commitsChannel) {
      for (const id of texts(message.streams)) for (const heard of this.commitWatchers) heard(id);
    }
  }
}

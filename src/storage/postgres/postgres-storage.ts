// StratusDB's data on PostgreSQL, shared by any number of StratusDB processes (nodes). Each write is
// one SQL transaction. Usually it is one round trip and one statement: decide runs on the items as
// this node last saw them (last-seen.ts), and stratusdb_write_guessed (migrations.ts) takes the locks,
// checks that the items are still so and applies the writes — or, when they are not, writes nothing
// and returns them to decide on again. After two such misses, and for items too large to remember,
// it takes two: begin, lock and read the items; then apply decide's writes and commit.
//
// Concurrency: a write takes a transaction-scoped advisory lock per item it reads (sorted, so two
// writes never wait on each other in a cycle), which serialises writes of one item across nodes —
// also of an item that does not exist yet, where a row lock would have nothing to lock. A catalog
// guard is a shared advisory lock on the entry, taken before the item locks; a catalog change takes
// it exclusively before it writes the entry, so a write planned on a table's old record cannot
// commit after the record changed (advisory-locks.ts). Statistics live in per-table shards
// (write-statements.ts). A serialization failure or deadlock reruns the transaction from the start
// (decide is pure). Nodes tell each other of catalog changes and new stream records
// (notifications.ts); with several hosts named, a node follows the primary across a failover.
import pg from 'pg';
import type { PoolClient, QueryResult } from 'pg';
import { StorageFailure } from '../../errors/storage-failure.js';
import type { CatalogEntry, CatalogGuard, Decide, DecideCatalog, ItemRef, KeyRange, RangeEntry, Storage, StoredItem, TableStats, WriteDecision, WriteOptions } from '../storage.js';
import { CatalogConflict, emptyStats, ItemBusy } from '../storage.js';
import { TableIdBytes } from '../table-id-bytes.js';
import { parsePostgresUrl } from './connection-url.js';
import { migrate } from './migrations.js';
import { catalogEntryLockId, itemLockId, itemLockPlan, itemLockStatement, lockIds } from './advisory-locks.js';
import { Notifications } from './notifications.js';
import { byteaLiteral, textLiteral } from './sql-literals.js';
import { applyArrays, applyStatement, byStatsRow, planned, type PlannedWrite } from './write-statements.js';
import { LastSeen } from './last-seen.js';

/** Rows removed per statement when a table is dropped, so a huge table never holds locks long. */
const dropBatchRows = 1000;
/** Round trips a write makes on guessed items (each guess after the first: the items the last one found) before it reads them first. */
const guessesMax = 2;
/** GetItems read by one statement at most. */
const readsPerStatement = 100;
/** Reruns of a transaction PostgreSQL aborted for a serialization failure or a deadlock. */
const retriesMax = 20;
/** The advisory lock every catalog change holds: catalog changes run one at a time. */
const catalogLock = '6004791035';
/** SQLSTATE of a write refused by a server in recovery or read-only (a standby, a demoted primary). */
const readOnlyTransaction = '25006';
/** SQLSTATEs after which the whole transaction may simply run again. */
const retryable = new Set(['40001', '40P01']);

interface ItemRow {
  readonly key: Buffer;
  readonly json: string;
  readonly size_bytes: number;
}

/** What a transaction's body decided: its result, or the error to throw once it has rolled back. */
type Outcome<T> = { readonly value: T } | { readonly error: unknown };

/** A write's request, as the steps of its transaction share it. */
interface PendingWrite<T> {
  readonly refs: readonly ItemRef[];
  /** Each ref's table id as bytes. */
  readonly tables: readonly Buffer[];
  /** Each ref's key in lastSeen. */
  readonly seen: readonly string[];
  readonly decide: Decide<T>;
  readonly guards: readonly CatalogGuard[];
  /** The guards' lock ids, ascending. */
  readonly guardLocks: readonly string[];
  readonly itemLocks: { readonly ids: readonly string[]; readonly tried: readonly number[] };
}

interface PendingRead {
  readonly table: Buffer;
  readonly key: Uint8Array;
  resolve(item: StoredItem | undefined): void;
  reject(error: unknown): void;
}

/** stratusdb_write_guessed's answer (migrations.ts). */
interface GuessedRow {
  readonly busy: number | null;
  readonly holds: boolean | null;
  readonly found_jsons: (string | null)[] | null;
  readonly found_sizes: (number | null)[] | null;
  readonly found_values: (string | null)[] | null;
}

export class PostgresStorage implements Storage {
  readonly exclusive = false;
  /** Which of the hosts is the primary, the one the pool connects to. */
  private current = 0;
  /** A search for the primary under way (after a failure that may mean a failover). */
  private finding: Promise<void> | undefined;
  private readonly tableIds = new TableIdBytes();
  private readonly lastSeen = new LastSeen();
  /** GetItems asked for in this turn of the event loop, read together at its end. */
  private pendingReads: PendingRead[] = [];
  private readonly notifications: Notifications;
  private closed = false;
  /** The migrations this process applied when it opened the store (none: the schema was current). */
  migrated: readonly number[] = [];

  private pool: pg.Pool;

  private constructor(
    /** One per host: a replicated PostgreSQL names its primary and standbys. */
    private readonly configs: readonly pg.ClientConfig[],
    private readonly poolSize: number,
    schema: string,
    readonly description: string,
  ) {
    this.pool = this.newPool();
    this.notifications = new Notifications(schema, () => this.configs[this.current] as pg.ClientConfig, (config) => this.pool.query(config));
  }

  /** Connects (to the primary, when several hosts are named), creates the schema when missing and applies the migrations the database lacks. */
  static async open(url: string): Promise<PostgresStorage> {
    const location = parsePostgresUrl(url);
    const configs = location.connectionStrings.map((connectionString): pg.ClientConfig => ({
      connectionString,
      // Literals are written with doubled quotes only (sql-literals.ts): backslashes must stay literal.
      options: `-c search_path=${location.schema} -c standard_conforming_strings=on`,
      application_name: 'stratusdb',
    }));
    const storage = new PostgresStorage(configs, location.poolSize, location.schema, location.description);
    try {
      if (configs.length > 1) await storage.findPrimary();
      const client = await storage.pool.connect();
      try {
        storage.migrated = await migrate(client, location.schema);
      } finally {
        client.release();
      }
    } catch (error) {
      // (A pool findPrimary replaced, it ended.)
      await storage.pool.end().catch(() => undefined);
      throw failure(`cannot open ${location.description}`, error);
    }
    return storage;
  }

  private newPool(): pg.Pool {
    const pool = new pg.Pool({ ...this.configs[this.current], max: this.poolSize });
    // An idle connection the server closed (a restart, a failover) is dropped and replaced; it must not crash the process.
    pool.on('error', () => undefined);
    // Nor may one that dies while checked out: pg emits 'error' on the client even when the query it
    // was running fails with the same error (which is how this process learns of it), and the pool
    // listens only while the client is idle.
    pool.on('connect', (client) => client.on('error', () => undefined));
    return pool;
  }

  /**
   * Finds which host is the primary now (the first that is not in recovery) and points the pool at
   * it. Concurrent calls share one search. Used at open and after a failure that may be a failover:
   * the request that met the failure has already been answered with a retryable error.
   */
  private findPrimary(): Promise<void> {
    this.finding ??= (async () => {
      for (let i = 0; i < this.configs.length; i++) {
        const client = new pg.Client({ ...this.configs[i], connectionTimeoutMillis: 2000 });
        client.on('error', () => undefined);
        try {
          await client.connect();
          const { rows } = await client.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
          if (rows[0]?.standby !== false) continue;
          if (i !== this.current) {
            this.current = i;
            const old = this.pool;
            this.pool = this.newPool();
            void old.end().catch(() => undefined);
          }
          return;
        } catch {
          // Down or unreachable: try the next host.
        } finally {
          await client.end().catch(() => undefined);
        }
      }
      throw new StorageFailure(`no primary among the hosts of ${this.description}`);
    })().finally(() => (this.finding = undefined));
    return this.finding;
  }

  /** After a failure: with several hosts, one that may be a failover (the primary gone or demoted) starts a search for the new primary. */
  private failed(error: unknown): void {
    if (this.configs.length < 2 || this.closed) return;
    // Lost connections, shutdowns and recovery, and read-only transactions (a demoted primary).
    if (connectionLost(error) || (error instanceof pg.DatabaseError && error.code === readOnlyTransaction)) void this.findPrimary().catch(() => undefined);
  }

  async readCatalog(): Promise<CatalogEntry[]> {
    const { rows } = await this.query<CatalogEntry>({ name: 'catalog', text: 'SELECT key, value FROM catalog ORDER BY key' });
    return rows.map((r) => ({ key: r.key, value: r.value }));
  }

  async updateCatalog<T>(keys: readonly string[], decide: DecideCatalog<T>): Promise<T> {
    return this.transaction(async (client) => {
      const head = ['BEGIN', `SELECT pg_advisory_xact_lock(${catalogLock})`];
      if (keys.length > 0) head.push(`SELECT key, value FROM catalog WHERE key IN (${keys.map(textLiteral).join(', ')})`);
      const results = await multi(client, head);
      const found = new Map<string, string>();
      if (keys.length > 0) for (const row of (results.at(-1) as QueryResult<CatalogEntry>).rows) found.set(row.key, row.value);
      let decision: ReturnType<DecideCatalog<T>>;
      try {
        decision = decide(keys.map((key) => found.get(key)));
      } catch (error) {
        await client.query('ROLLBACK');
        return { error };
      }
      const { changes, result } = decision;
      if (changes.length === 0) {
        await client.query('ROLLBACK');
        return { value: result };
      }
      const changed = [...new Set(changes.map((c) => c.key))];
      const tail = [`SELECT ${lockIds(changed.map(catalogEntryLockId)).map((id) => `pg_advisory_xact_lock(${id})`).join(', ')}`];
      for (const { key, value } of changes) {
        tail.push(value === undefined
          ? `DELETE FROM catalog WHERE key = ${textLiteral(key)}`
          : `INSERT INTO catalog (key, value) VALUES (${textLiteral(key)}, ${textLiteral(value)}) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`);
      }
      tail.push(this.notifications.catalogStatement(changed));
      tail.push('COMMIT');
      await multi(client, tail);
      return { value: result };
    });
  }

  /**
   * Reads asked for in one turn of the event loop go to PostgreSQL together: one statement for all
   * (each an index lookup), so that concurrent GetItems share a round trip and a statement's costs.
   * Each still reads what was committed when it was asked (the statement runs after that).
   */
  getItem(ref: ItemRef): Promise<StoredItem | undefined> {
    return new Promise((resolve, reject) => {
      this.pendingReads.push({ table: this.tableId(ref.tableId), key: ref.key, resolve, reject });
      if (this.pendingReads.length === 1) setImmediate(() => this.readPending());
    });
  }

  private readPending(): void {
    const reads = this.pendingReads.splice(0, readsPerStatement);
    if (this.pendingReads.length > 0) setImmediate(() => this.readPending());
    const settle = (rows: readonly (ItemRow & { n: number })[]): void => {
      const found: (StoredItem | undefined)[] = [];
      for (const row of rows) found[row.n] = { json: row.json, sizeBytes: row.size_bytes };
      reads.forEach((read, i) => read.resolve(found[i]));
    };
    const only = reads[0];
    const query = reads.length === 1 && only !== undefined
      ? this.query<ItemRow & { n: number }>({ name: 'item', text: 'SELECT 0 AS n, json, size_bytes FROM items WHERE table_id = $1 AND key = $2', values: [only.table, only.key] })
      : this.query<ItemRow & { n: number }>({
        name: 'items',
        // LIMIT keeps the lookup a subquery PostgreSQL runs per key (an index lookup), not a join it may plan as a scan.
        text: 'SELECT r.n - 1 AS n, i.json, i.size_bytes FROM unnest($1::bytea[], $2::bytea[]) WITH ORDINALITY AS r(t, k, n) '
          + 'CROSS JOIN LATERAL (SELECT json, size_bytes FROM items WHERE table_id = r.t AND key = r.k LIMIT 1) i',
        values: [reads.map((r) => r.table), reads.map((r) => r.key)],
      });
    query.then(({ rows }) => settle(rows), (error: unknown) => {
      for (const read of reads) read.reject(error);
    });
  }

  async readRange(tableId: string, range: KeyRange, limit: number): Promise<RangeEntry[]> {
    if (limit <= 0) return [];
    const values: unknown[] = [this.tableId(tableId)];
    let where = 'table_id = $1';
    if (range.start !== undefined) {
      values.push(range.start);
      where += ` AND key >= $${values.length}`;
    }
    if (range.end !== undefined) {
      values.push(range.end);
      where += ` AND key < $${values.length}`;
    }
    values.push(limit);
    const order = range.reverse === true ? 'DESC' : 'ASC';
    const name = `range-${range.start === undefined ? '' : 's'}${range.end === undefined ? '' : 'e'}-${order}`;
    const text = `SELECT key, json, size_bytes FROM items WHERE ${where} ORDER BY key ${order} LIMIT $${values.length}`;
    const { rows } = await this.query<ItemRow>({ name, text, values });
    return rows.map((r) => ({ key: r.key, item: { json: r.json, sizeBytes: r.size_bytes } }));
  }

  async write<T>(refs: readonly ItemRef[], decide: Decide<T>, guards: readonly CatalogGuard[] = [], options: WriteOptions = {}): Promise<T> {
    const tables = refs.map((ref) => this.tableId(ref.tableId));
    const seen = refs.map((ref, i) => LastSeen.key(tables[i] as Buffer, ref.key));
    // Guards first, then items: the order every transaction takes its locks in.
    const guardLocks = lockIds(guards.map((g) => catalogEntryLockId(g.key)));
    const itemLocks = itemLockPlan(refs.map((ref, i) => itemLockId(tables[i] as Buffer, ref.key)), options.failFastRefs ?? 0);
    const write: PendingWrite<T> = { refs, tables, seen, decide, guards, guardLocks, itemLocks };
    try {
      return await this.transaction(async (client) => {
        let guess = refs.length === 0 ? undefined : this.lastSeen.guess(seen);
        for (let attempt = 0; guess !== undefined && attempt < guessesMax; attempt++) {
          const sent = await this.writeOnGuess(client, write, guess);
          if ('outcome' in sent) return sent.outcome;
          guess = sent.found;
        }
        return this.writeOnRead(client, write);
      });
    } catch (error) {
      // PostgreSQL or the connection failed: whether it committed may be unknown. (What decide threw
      // and the write's own refusals leave the items as they were seen.)
      if (error instanceof StorageFailure) this.lastSeen.forget(seen);
      throw error;
    }
  }

  /**
   * One round trip, one statement (stratusdb_write_guessed, migrations.ts): decide on the guessed
   * items; lock; apply the writes only if the items (and the catalog guards) are as guessed. When they
   * were, the outcome — decide's result, or the error it threw, now confirmed on the real items;
   * otherwise nothing was written and the items as they are come back, to decide on again (or the
   * catalog entry that changed, as a CatalogConflict; or the item another write holds, as ItemBusy).
   */
  private async writeOnGuess<T>(client: PoolClient, w: PendingWrite<T>, guess: readonly (StoredItem | undefined)[]): Promise<{ outcome: Outcome<T> } | { found: (StoredItem | undefined)[] }> {
    let decided: Outcome<WriteDecision<T>>;
    try {
      decided = { value: w.decide(guess) };
    } catch (error) {
      decided = { error };
    }
    const writes = 'value' in decided ? this.plannedWrites(w, decided.value) : [];
    const { rows } = await client.query<GuessedRow>({
      name: 'write-guessed',
      text: 'SELECT busy, holds, found_jsons, found_sizes, found_values FROM stratusdb_write_guessed($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)',
      values: [
        w.guardLocks, w.guards.map((g) => g.key), w.guards.map((g) => g.value),
        w.itemLocks.ids, w.itemLocks.tried,
        w.tables, w.refs.map((ref) => ref.key), guess.map((item) => item?.json ?? null),
        ...applyArrays(writes),
      ],
    });
    const row = rows[0] as GuessedRow;
    if (row.busy !== null) return { outcome: { error: new ItemBusy(row.busy) } };
    if (row.holds === true) {
      this.remember(w.seen, guess, 'value' in decided ? decided.value.writes : []);
      return { outcome: 'value' in decided ? { value: decided.value.result } : decided };
    }
    const broken = w.guards.find((g, i) => row.found_values?.[i] !== g.value);
    if (broken !== undefined) return { outcome: { error: new CatalogConflict(broken.key) } };
    return { found: w.refs.map((_, i) => {
      const json = row.found_jsons?.[i];
      return json === null || json === undefined ? undefined : { json, sizeBytes: row.found_sizes?.[i] ?? 0 };
    }) };
  }

  /** Two round trips: begin, lock and read the items; decide on them; apply the writes and commit. */
  private async writeOnRead<T>(client: PoolClient, w: PendingWrite<T>): Promise<Outcome<T>> {
    const head = ['BEGIN'];
    if (w.guardLocks.length > 0) head.push(`SELECT ${w.guardLocks.map((id) => `pg_advisory_xact_lock_shared(${id})`).join(', ')}`);
    const itemLocks = w.refs.length === 0 ? undefined : itemLockStatement(w.itemLocks);
    if (itemLocks !== undefined) head.push(itemLocks.sql);
    const locked = head.length;
    if (w.guards.length > 0) head.push(catalogSelect(w.guards));
    if (w.refs.length > 0) head.push(this.itemsSelect(w));
    const results = await multi(client, head);
    if (itemLocks !== undefined && itemLocks.tried.length > 0) {
      const taken = (results[locked - 1] as QueryResult<Record<string, unknown>>).rows[0] ?? {};
      const busy = itemLocks.tried.find((t) => taken[t.column] === false);
      if (busy !== undefined) {
        await client.query('ROLLBACK');
        return { error: new ItemBusy(busy.index) };
      }
    }
    if (w.guards.length > 0) {
      const catalog = new Map((results[locked] as QueryResult<CatalogEntry>).rows.map((r) => [r.key, r.value]));
      const broken = w.guards.find((g) => catalog.get(g.key) !== g.value);
      if (broken !== undefined) {
        await client.query('ROLLBACK');
        return { error: new CatalogConflict(broken.key) };
      }
    }
    const current = w.refs.length === 0 ? [] : this.foundItems(w, results.at(-1) as QueryResult<ItemRow & { table_id: Buffer }>);
    let decision: WriteDecision<T>;
    try {
      decision = w.decide(current);
    } catch (error) {
      await client.query('ROLLBACK');
      this.remember(w.seen, current, []);
      return { error };
    }
    const writes = this.plannedWrites(w, decision);
    if (writes.length > 0) await multi(client, [applyStatement(writes), 'COMMIT']);
    else await client.query('ROLLBACK');
    this.remember(w.seen, current, decision.writes);
    return { value: decision.result };
  }

  /** The statement reading the write's items (table_id, key, json, size_bytes). */
  private itemsSelect(w: PendingWrite<unknown>): string {
    const pairs = w.refs.map((ref, i) => `(${byteaLiteral(w.tables[i] as Buffer)}, ${byteaLiteral(ref.key)})`);
    return `SELECT table_id, key, json, size_bytes FROM items WHERE (table_id, key) IN (${pairs.join(', ')})`;
  }

  /** The write's items in the order of its refs, from the rows itemsSelect returned (undefined: absent). */
  private foundItems(w: PendingWrite<unknown>, result: QueryResult<ItemRow & { table_id: Buffer }>): (StoredItem | undefined)[] {
    const found = new Map<string, StoredItem>();
    for (const row of result.rows) found.set(LastSeen.key(row.table_id, row.key), { json: row.json, sizeBytes: row.size_bytes });
    return w.seen.map((key) => found.get(key));
  }

  /** decide's writes and derived writes as rows to write, in the order their statistics rows are locked. */
  private plannedWrites<T>(w: PendingWrite<T>, decision: WriteDecision<T>): PlannedWrite[] {
    const writes: PlannedWrite[] = [];
    decision.writes.forEach((item, i) => {
      if (item !== undefined) writes.push(planned(w.tables[i] as Buffer, (w.refs[i] as ItemRef).key, item));
    });
    for (const { ref, next: item } of decision.derived ?? []) writes.push(planned(this.tableId(ref.tableId), ref.key, item));
    return writes.sort(byStatsRow);
  }

  /** Notes the items' states after a write that committed `writes` (none: it rolled back) on `before`. */
  private remember(seen: readonly string[], before: readonly (StoredItem | undefined)[], writes: WriteDecision<unknown>['writes']): void {
    seen.forEach((key, i) => {
      const next = writes[i];
      this.lastSeen.saw(key, next === undefined ? before[i] : (next ?? undefined));
    });
  }

  async tableStats(tableId: string): Promise<TableStats> {
    const { rows } = await this.query<{ items: number; bytes: number }>({
      name: 'stats',
      text: 'SELECT coalesce(sum(item_count), 0)::float8 AS items, coalesce(sum(size_bytes), 0)::float8 AS bytes FROM table_stats WHERE table_id = $1',
      values: [this.tableId(tableId)],
    });
    const row = rows[0];
    return row === undefined ? emptyStats : { itemCount: row.items, sizeBytes: row.bytes };
  }

  async dropTable(tableId: string): Promise<void> {
    const table = this.tableId(tableId);
    for (;;) {
      const { rowCount } = await this.query({
        name: 'drop-items',
        text: 'DELETE FROM items WHERE ctid IN (SELECT ctid FROM items WHERE table_id = $1 LIMIT $2)',
        values: [table, dropBatchRows],
      });
      if ((rowCount ?? 0) === 0) break;
    }
    await this.query({ name: 'drop-stats', text: 'DELETE FROM table_stats WHERE table_id = $1', values: [table] });
    this.tableIds.forget(tableId);
  }

  async ping(): Promise<void> {
    await this.query({ name: 'ping', text: 'SELECT 1' });
  }

  /** Calls `changed` with the keys of each catalog change another node commits (LISTEN/NOTIFY). */
  watchCatalog(changed: (keys: readonly string[]) => void): void {
    this.notifications.watchCatalog(changed);
  }

  announceCommit(storageId: string): void {
    this.notifications.announceCommit(storageId);
  }

  watchCommits(heard: (storageId: string) => void): void {
    this.notifications.watchCommits(heard);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.notifications.close();
    await this.pool.end();
  }

  private tableId(id: string): Buffer {
    return this.tableIds.of(id);
  }

  /** One statement on any pooled connection; PostgreSQL's failures become StorageFailures. */
  private async query<R extends object>(config: pg.QueryConfig): Promise<QueryResult<R>> {
    try {
      return await this.pool.query<R>(config);
    } catch (error) {
      this.failed(error);
      throw failure(`query failed on ${this.description}`, error);
    }
  }

  /**
   * Runs `body` on one connection inside the transaction it begins, again from the start when
   * PostgreSQL aborts it for a serialization failure or a deadlock. What `body` decides (a result, or
   * an error of decide's or a CatalogConflict, after it rolled back) is returned or thrown as it is;
   * whatever PostgreSQL or the connection says becomes a StorageFailure.
   */
  private async transaction<T>(body: (client: PoolClient) => Promise<Outcome<T>>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let client: PoolClient;
      try {
        client = await this.pool.connect();
      } catch (error) {
        this.failed(error);
        throw failure(`cannot reach ${this.description}`, error);
      }
      let outcome: Outcome<T>;
      // A connection whose failure PostgreSQL did not report (it broke) is not handed out again.
      let broken = false;
      try {
        outcome = await body(client);
      } catch (error) {
        broken = connectionLost(error);
        if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
        client.release(broken);
        if (error instanceof pg.DatabaseError && retryable.has(error.code ?? '') && attempt < retriesMax) continue;
        this.failed(error);
        throw failure(`transaction failed on ${this.description}`, error);
      }
      client.release();
      if ('error' in outcome) throw outcome.error;
      return outcome.value;
    }
  }
}

function catalogSelect(guards: readonly CatalogGuard[]): string {
  return `SELECT key, value FROM catalog WHERE key IN (${guards.map((g) => textLiteral(g.key)).join(', ')})`;
}

/** Sends statements as one simple query: one round trip, one result per statement. */
async function multi(client: PoolClient, statements: readonly string[]): Promise<QueryResult[]> {
  const out = (await client.query(statements.join(';\n'))) as unknown as QueryResult | QueryResult[];
  return Array.isArray(out) ? out : [out];
}

/**
 * The connection is gone or going: no answer from PostgreSQL at all (a broken socket), a connection
 * exception (class 08), or the server shutting down or not yet up (class 57).
 */
function connectionLost(error: unknown): boolean {
  if (!(error instanceof pg.DatabaseError)) return true;
  const code = error.code ?? '';
  return code === '' || code.startsWith('08') || code.startsWith('57');
}

function failure(context: string, error: unknown): StorageFailure {
  if (error instanceof StorageFailure) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new StorageFailure(`${context}: ${detail}`);
}

// Composition root: options → storage → engine → pipeline → HTTP server. No logic of its own.
import type { AddressInfo } from 'node:net';
import { AdjustableClock, systemClock } from './model/clock.js';
import { Engine } from './engine/engine.js';
import { engineOptionsOf, withDefaults } from './config/option-table.js';
import type { ServerOptions } from './config/options.js';
import { FaultyStorage, parseStorageFaults } from './storage/faulty/faulty-storage.js';
import { createHttpServer } from './http/server.js';
import { Pipeline } from './pipeline/pipeline.js';
import { browserAccess } from './http/browser-access.js';
import { openStorage } from './storage/open-storage.js';
import { readProjectFile } from './config/project-file.js';
import { backupDirFor } from './config/backup-dir.js';
import { decodeImportedItem } from './api/validate/imported-item.js';
import { applyReplicaSettings } from './api/replica-settings.js';
import { scaleCapacity } from './api/capacity-changes.js';
import { pricesFrom, type Prices } from './engine/cost-meter.js';
import type { ProvisionedCapacity } from './http/prometheus.js';
import type { TableRecord } from './model/table.js';
import { rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { TriggerService } from './triggers/trigger-service.js';
import { SignatureAuthenticator } from './pipeline/authenticate.js';
import { iamAuthorizer, tablePolicies } from './pipeline/authorize.js';
import { AuditLog } from './pipeline/audit-log.js';
import { isLoopbackName } from './http/browser-access.js';
import { consolePath, loadConsoleAssets, type ConsoleAssets } from './http/console-assets.js';
import { fileURLToPath } from 'node:url';
import type { AuthMode } from './config/options.js';

export interface RunningServer {
  /** http://host:port — pass it to an SDK client as `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** Where the data lives (storage URL). */
  readonly data: string;
  /**
   * Stops accepting connections before it returns, lets running requests finish for up to
   * `graceMs` (default: the server's shutdown grace), closes idle and stalled connections, stops
   * triggers, closes storage.
   */
  close(graceMs?: number): Promise<void>;
}

export async function startServer(given: ServerOptions = {}): Promise<RunningServer> {
  const options = withDefaults(given);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // Authentication first: a server that would be open to the network without credentials does not start.
  const auth = authSettings(options.auth, options.host, options.rootAccessKeyId, options.rootSecretAccessKey);
  const tls = tlsFiles(options.tlsCert, options.tlsKey);
  // The project file first: a mistake in it should stop the start before anything is opened.
  const project = options.configFile === undefined ? undefined : readProjectFile(options.configFile, options.python);
  const prices = options.prices === undefined ? undefined : readPricesFile(options.prices);
  const opened = await openStorage(options.data);
  const faults = options.storageFaults === undefined ? undefined : parseStorageFaults(options.storageFaults);
  const storage = faults === undefined ? opened : new FaultyStorage(opened, faults);
  if (faults !== undefined) log(`storage faults (--storage-faults): every decision checked; commits fail: writes ${faults.writeFailures}, catalog ${faults.catalogFailures}, seed ${faults.seed}`);
  // An embedder's own clock wins over --test-clock.
  const speed = options.clockSpeed ?? 1;
  const testClock = options.testClock === true && options.clock === undefined ? new AdjustableClock(speed) : undefined;
  const clock = options.clock ?? testClock ?? (speed === 1 ? systemClock : new AdjustableClock(speed));
  const backupDir = backupDirFor(options.data, options.backupDir);
  const s3Dir = backupDirFor(options.data, options.s3Dir, 's3');
  const removeTemporary = async (): Promise<void> => {
    for (const dir of [backupDir, s3Dir]) if (dir.temporary) await rm(dir.path, { recursive: true, force: true });
  };
  // TTL's deletions and index backfills are counted by the metrics stage, made after the engine.
  let expired: ((table: TableRecord, deleted: number) => void) | undefined;
  let indexProgress: ((table: TableRecord, index: string, percent: number) => void) | undefined;
  const engine = new Engine(storage, { clock, onExpired: (table, deleted) => expired?.(table, deleted), onIndexProgress: (table, index, percent) => indexProgress?.(table, index, percent), ...(speed === 1 ? {} : { leaseClock: systemClock }), ...engineOptionsOf(options), backupDir: backupDir.path, s3Dir: s3Dir.path, decodeImportedItem, applyReplicaSettings, scaleCapacity, ...(prices === undefined ? {} : { prices }),
    ...(options.s3Endpoint === undefined ? {} : { s3Endpoint: options.s3Endpoint, s3Region: process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1' }),
    ...(auth.root === undefined ? {} : { root: auth.root }),
  });
  await engine.start();
  // Users the project file declares, made (or brought up to date) before the first request.
  if (project !== undefined && project.identities.users.length > 0) {
    try {
      await engine.identities.declare(project.identities);
    } catch (error) {
      await engine.close();
      throw error;
    }
    log(`${project.identities.users.length} IAM user(s) from ${project.path}: ${project.identities.users.map((u) => u.name).join(', ')}`);
  }
  // Made before the server listens (deployments may arrive with the first requests), started once it does.
  let endpoint = '';
  const triggers = new TriggerService(project?.triggers ?? [], { engine, endpoint: () => endpoint, log, retryBaseMs: options.triggerRetryBaseMs, python: options.python });
  const host = options.host;
  const access = browserAccess({ listenHost: host, authenticated: auth.mode !== 'none', ...(options.cors === undefined ? {} : { cors: options.cors }), ...(options.allowedHosts === undefined ? {} : { allowedHosts: options.allowedHosts }) });
  // The console (dist/console, next to dist/bin and dist/src): on by default while on loopback.
  let consoleAssets: ConsoleAssets | undefined;
  if ((options.console ?? (isLoopbackName(host) ? 'on' : 'off')) === 'on') {
    const loaded = await loadConsoleAssets(fileURLToPath(new URL('../console/', import.meta.url)));
    consoleAssets = loaded.assets;
    if (loaded.missing !== undefined) log(`console: not served, ${loaded.missing}`);
  }
  const gauges = { provisioned: () => provisionedCapacity(engine.tables.all()), replication: () => engine.replication.status() };
  const audit = options.auditLog === undefined ? undefined : new AuditLog(options.auditLog, (error) => log(`audit log ${options.auditLog}: ${error.message}`));
  const verified = auth.mode === 'none' ? {} : { authenticator: new SignatureAuthenticator(engine.identities, clock), ...(auth.mode === 'iam' ? { authorizer: iamAuthorizer(clock, tablePolicies(engine.tables)) } : {}) };
  const pipeline = new Pipeline({ engine, clock, accountId: options.accountId, log, debug: options.logLevel === 'debug', metricsRetentionMinutes: options.metricsRetentionMinutes, gauges, noMetrics: options.noMetrics === true, triggers, ...verified, ...(audit === undefined ? {} : { audit }) });
  if (auth.mode !== 'none') log(`authentication: --auth ${auth.mode} (root access key ${auth.root?.accessKeyId ?? ''})`);
  expired = (table, deleted) => pipeline.tableMetrics.expired(table.region, table.TableName, deleted, clock.now());
  indexProgress = (table, index, percent) => pipeline.tableMetrics.indexBuilt(table.region, table.TableName, index, percent, clock.now());
  // The gauges are read into each minute of the clock's (every ten seconds, or each minute at --clock-speed).
  const sampler = setInterval(() => {
    pipeline.tableMetrics.sample(clock.now()).catch((error: unknown) => log(`metrics: ${(error as Error).message}`));
  }, Math.max(250, Math.min(gaugeSampleMs, 60_000 / speed)));
  sampler.unref();
  const http = createHttpServer({ pipeline, log, triggerStatus: () => triggers.status(), backgroundRuns: () => engine.backgroundRuns(),
    replication: { status: () => engine.replication.status(), outage: auth.mode !== 'none' ? undefined : (region: string, on: boolean, refuse: boolean) => {
      engine.replication.outage(region, on, refuse);
      return engine.replication.outages();
    }, heldWrites: () => engine.strong.heldWrites },
    cost: () => ({ prices: engine.cost.prices, tables: engine.cost.report(engine.tables.all()) }),
    prometheus: { tables: pipeline.tableMetrics, ...gauges },
    peers: { key: options.replicationKey, handle: (operation: string, body: unknown) => engine.peers.handle(operation, body) },
    ready: () => engine.ready(), access, ...(tls === undefined ? {} : { tls }), ...(consoleAssets === undefined ? {} : { console: consoleAssets }), ...(testClock === undefined ? {} : { testControls: { clock: testClock, holdJobs: (held: boolean) => engine.holdJobs(held) } }) });
  const server = http.server;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await engine.close(); // e.g. the port is taken: release the store before reporting
    await audit?.close();
    await removeTemporary();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  endpoint = `${tls === undefined ? 'http' : 'https'}://${urlHost}:${port}`;
  triggers.start();
  if (consoleAssets !== undefined) log(`console: ${endpoint}${consolePath}`);
  if (project !== undefined && project.triggers.length > 0) {
    log(`${project.triggers.length} trigger(s) from ${project.path}: ${project.triggers.map((t) => `${t.name} on ${t.table}`).join(', ')}`);
  }
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    port,
    data: storage.description,
    close(graceMs = options.shutdownGraceMs) {
      closing ??= (async () => {
        clearInterval(sampler);
        await Promise.all([http.drain(graceMs), triggers.close()]); // drain stops listening synchronously
        await engine.close();
        await audit?.close();
        await removeTemporary();
      })();
      return closing;
    },
  };
}

/**
 * The authentication mode and the root credentials: --auth, or none on loopback and iam elsewhere;
 * verifying signatures needs the root's credentials (the secret is never logged).
 */
function authSettings(given: AuthMode | undefined, host: string, accessKeyId: string | undefined, secretAccessKey: string | undefined): { readonly mode: AuthMode; readonly root?: { readonly accessKeyId: string; readonly secretAccessKey: string } } {
  const mode = given ?? (isLoopbackName(host) ? 'none' : 'iam');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new Error('root credentials need both --root-access-key-id and --root-secret-access-key (or STRATUSDB_ROOT_ACCESS_KEY_ID and STRATUSDB_ROOT_SECRET_ACCESS_KEY)');
  }
  const root = accessKeyId === undefined || secretAccessKey === undefined ? undefined : { accessKeyId, secretAccessKey };
  if (mode !== 'none' && root === undefined) {
    const why = given === undefined ? `listening on ${host}, beyond loopback, StratusDB verifies every request (--auth iam) and` : `--auth ${mode}`;
    throw new Error(`${why} needs the account root's credentials: set STRATUSDB_ROOT_ACCESS_KEY_ID and STRATUSDB_ROOT_SECRET_ACCESS_KEY (or --root-access-key-id and --root-secret-access-key); `
      + 'or listen on 127.0.0.1; or pass --auth none to serve anyone who can reach the port');
  }
  return { mode, ...(root === undefined ? {} : { root }) };
}

/** --tls-cert and --tls-key read at start: both or neither, and a file that cannot be read stops the start. */
function tlsFiles(cert: string | undefined, key: string | undefined): { readonly cert: Buffer; readonly key: Buffer } | undefined {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) throw new Error('HTTPS needs both --tls-cert and --tls-key');
  const read = (path: string, what: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`${what} ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  };
  const files = { cert: read(cert, '--tls-cert'), key: read(key, '--tls-key') };
  try {
    createSecureContext(files);
  } catch (error) {
    throw new Error(`--tls-cert ${cert} / --tls-key ${key}: ${(error as Error).message}`);
  }
  return files;
}

/** How often the metrics' gauges are read at the real clock's speed. */
const gaugeSampleMs = 10_000;

/** Each PROVISIONED table's and GSI's capacity now, for GET /metrics and CloudWatch. */
function provisionedCapacity(tables: readonly TableRecord[]): ProvisionedCapacity[] {
  return tables.filter((t) => t.BillingMode === 'PROVISIONED' && t.replication?.witness !== true).flatMap((t) => [
    { dimensions: { Region: t.region, TableName: t.TableName }, read: t.ProvisionedThroughput.ReadCapacityUnits, write: t.ProvisionedThroughput.WriteCapacityUnits },
    ...t.GlobalSecondaryIndexes.map((g) => ({
      dimensions: { Region: t.region, TableName: t.TableName, GlobalSecondaryIndexName: g.IndexName },
      read: g.ProvisionedThroughput?.ReadCapacityUnits ?? 0, write: g.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
    })),
  ]);
}

/** --prices PATH: a JSON file of prices the cost meter uses instead of DynamoDB's list prices; a mistake stops the start. */
function readPricesFile(path: string): Partial<Prices> {
  try {
    return pricesFrom(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new Error(`--prices ${path}: ${(error as Error).message}`);
  }
}

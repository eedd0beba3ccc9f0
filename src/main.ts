// Composition root: options → storage → engine → HTTP server. No logic of its own.
import type { AddressInfo } from 'node:net';
import { systemClock } from './model/clock.js';
import { Engine } from './engine/engine.js';
import { defaults, type ServerOptions } from './config/options.js';
import { createHttpServer } from './http/server.js';
import { browserAccess } from './http/browser-access.js';
import { openStorage } from './storage/open-storage.js';
import { readProjectFile } from './config/project-file.js';
import { TriggerService } from './triggers/trigger-service.js';

export interface RunningServer {
  /** http://host:port — pass it to an SDK client as `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** Where the data lives (storage URL). */
  readonly data: string;
  /**
   * Stops accepting connections at once, lets running requests finish for up to `graceMs` (default:
   * the server's shutdown grace), closes idle and stalled connections, stops triggers, closes storage.
   */
  close(graceMs?: number): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // The project file first: a mistake in it should stop the start before anything is opened.
  const project = options.configFile === undefined ? undefined : readProjectFile(options.configFile, options.python ?? defaults.python);
  const storage = await openStorage(options.data ?? defaults.data);
  const engine = new Engine(storage, {
    clock: options.clock ?? systemClock,
    accountId: options.accountId ?? defaults.accountId,
    tableStatusDelayMs: options.tableStatusDelayMs ?? defaults.tableStatusDelayMs,
    sharedDb: options.sharedDb ?? defaults.sharedDb,
    gsiPropagationDelayMs: options.gsiPropagationDelayMs ?? defaults.gsiPropagationDelayMs,
    itemCollectionSizeLimitBytes: options.itemCollectionSizeLimitBytes ?? defaults.itemCollectionSizeLimitBytes,
    injectTransactionConflicts: options.injectTransactionConflicts ?? defaults.injectTransactionConflicts,
    ttlTransitionMs: options.ttlTransitionMs ?? defaults.ttlTransitionMs,
    ttlChangeIntervalMs: options.ttlChangeIntervalMs ?? defaults.ttlChangeIntervalMs,
    ttlSweepIntervalMs: options.ttlSweepIntervalMs ?? defaults.ttlSweepIntervalMs,
    streamShardRolloverMs: options.streamShardRolloverMs ?? defaults.streamShardRolloverMs,
    streamRetentionMs: options.streamRetentionMs ?? defaults.streamRetentionMs,
    streamTrimIntervalMs: options.streamTrimIntervalMs ?? defaults.streamTrimIntervalMs,
  });
  await engine.start();
  let triggers: TriggerService | undefined;
  const host = options.host ?? defaults.host;
  const access = browserAccess({ listenHost: host, ...(options.cors === undefined ? {} : { cors: options.cors }), ...(options.allowedHosts === undefined ? {} : { allowedHosts: options.allowedHosts }) });
  const http = createHttpServer({ engine, logLevel: options.logLevel ?? defaults.logLevel, log, triggerStatus: () => triggers?.status() ?? [], access });
  const server = http.server;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? defaults.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await engine.close(); // e.g. the port is taken: release the store before reporting
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const endpoint = `http://${urlHost}:${port}`;
  if (project !== undefined && project.triggers.length > 0) {
    triggers = new TriggerService(project.triggers, { engine, endpoint, log, retryBaseMs: options.triggerRetryBaseMs ?? defaults.triggerRetryBaseMs });
    triggers.start();
    log(`${project.triggers.length} trigger(s) from ${project.path}: ${project.triggers.map((t) => `${t.name} on ${t.table}`).join(', ')}`);
  }
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    port,
    data: storage.description,
    close(graceMs = options.shutdownGraceMs ?? defaults.shutdownGraceMs) {
      closing ??= (async () => {
        await Promise.all([triggers?.close(), http.drain(graceMs)]);
        await engine.close();
      })();
      return closing;
    },
  };
}

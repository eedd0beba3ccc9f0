// Composition root: options → storage → engine → HTTP server. No logic of its own.
import type { AddressInfo } from 'node:net';
import { systemClock } from './engine/clock.js';
import { Engine } from './engine/engine.js';
import { defaults, type ServerOptions } from './config/options.js';
import { createHttpServer } from './http/server.js';
import { openStorage } from './storage/open-storage.js';

export interface RunningServer {
  /** http://host:port — pass it to an SDK client as `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** Where the data lives (storage URL). */
  readonly data: string;
  /** Stops accepting, finishes in-flight requests, closes storage. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
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
  const server = createHttpServer({ engine, logLevel: options.logLevel ?? defaults.logLevel, log });
  const host = options.host ?? defaults.host;
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
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${urlHost}:${port}`,
    port,
    data: storage.description,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await engine.close();
      })();
      return closing;
    },
  };
}

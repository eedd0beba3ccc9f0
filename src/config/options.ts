// Typed server options: what startServer() and the CLI accept. Their flags, defaults and help are
// in option-table.ts.
import type { Clock } from '../model/clock.js';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export const authModes = ['none', 'sigv4', 'iam'] as const;
export type AuthMode = (typeof authModes)[number];
export const consoleModes = ['on', 'off'] as const;
export type ConsoleMode = (typeof consoleModes)[number];

export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 8000 (DynamoDB Local's). */
  readonly port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  readonly host?: string;
  /** Storage URL: lmdb://PATH (default lmdb://./.stratusdb) or memory://. */
  readonly data?: string;
  /** How long tables stay CREATING / UPDATING / DELETING. Default 0 (immediately ACTIVE). */
  readonly tableStatusDelayMs?: number;
  /** One namespace for every region, like DynamoDB Local's -sharedDb. */
  readonly sharedDb?: boolean;
  /** Simulated GSI lag: GSI reads see a write only this many ms after it. Default 0 (at once). */
  readonly gsiPropagationDelayMs?: number;
  /** Largest item collection (a partition key's items and LSI entries) of a table with LSIs. Default 10 GiB. */
  readonly itemCollectionSizeLimitBytes?: number;
  /** Fraction (0–1) of transactions that fail as if they had met a conflicting one. Default 0. */
  readonly injectTransactionConflicts?: number;
  /** How long TTL stays ENABLING / DISABLING after UpdateTimeToLive. Default 1 s. */
  readonly ttlTransitionMs?: number;
  /** UpdateTimeToLive refuses a second change this soon after the last. Default 1 hour, as on AWS. */
  readonly ttlChangeIntervalMs?: number;
  /** How often expired items are looked for and deleted. Default 10 s; 0 turns deletion off. */
  readonly ttlSweepIntervalMs?: number;
  /** Streams: a write this long after its shard opened opens a child shard. Default 4 h, like AWS. */
  readonly streamShardRolloverMs?: number;
  /** Streams: how long change records are kept. Default 24 h, as on AWS. */
  readonly streamRetentionMs?: number;
  /** Streams: how often records past retention are trimmed. Default 60 s; 0 turns trimming off. */
  readonly streamTrimIntervalMs?: number;
  /** Point-in-time recovery: how often changes older than a table's window are folded into its base. Default 60 s; 0 never. */
  readonly pitrPruneIntervalMs?: number;
  /** Where on-demand backups are kept. Default: PATH-backups beside lmdb://PATH, ./.stratusdb-backups with PostgreSQL, a temporary directory in memory. */
  readonly backupDir?: string;
  /** A directory standing in for S3 (a bucket is a subdirectory): exports go there, imports come from there. Default: beside the data, as backups. */
  readonly s3Dir?: string;
  /** An S3-compatible endpoint for exports and imports instead of the directory. */
  readonly s3Endpoint?: string;
  /** Point-in-time recovery: LatestRestorableDateTime lags now by this much. Default 0 (AWS: about 5 minutes). */
  readonly pitrLatestLagMs?: number;
  /** Global tables: the regions other StratusDB servers serve, as REGION=URL. Default: none. */
  readonly peers?: readonly string[];
  /** Global tables: the secret the servers named by --peer share, to sign their requests to each other. Default: none (''). */
  readonly replicationKey?: string;
  /** Global tables: a replica applies another's change once the clock is this far past it. Default 0. */
  readonly replicationDelayMs?: number;
  /** Tests: the server's clock runs this many times faster than real time. Default 1. */
  readonly clockSpeed?: number;
  /** A JSON file of prices for the cost meter. Default: DynamoDB's list prices. */
  readonly prices?: string;
  /** Keep no metrics (GET /metrics and CloudWatch answer nothing). Default false. */
  readonly noMetrics?: boolean;
  /** Minutes of one-minute CloudWatch statistics kept per metric. Default 1440 (a day). */
  readonly metricsRetentionMinutes?: number;
  /** Throttle PROVISIONED tables and GSIs past their capacity, with DynamoDB's burst. Default off (as DynamoDB Local). */
  readonly enforceCapacity?: boolean;
  /** Project file (stratusdb.config.json / YAML) whose triggers run on table streams. Default: none. */
  readonly configFile?: string;
  /** Python interpreter for `"runtime": "python3"` triggers. Default python3. */
  readonly python?: string;
  /** Triggers: the first retry of a failed batch waits this long, doubling per retry. Default 100 ms. */
  readonly triggerRetryBaseMs?: number;
  /**
   * Authentication: none (any signature's structure is enough), sigv4 (signatures verified, every
   * valid key allowed everything) or iam (verified, and authorized by IAM policies). Default: none on
   * loopback, iam elsewhere.
   */
  readonly auth?: AuthMode;
  /** The account root's access key id (--auth sigv4 | iam), allowed everything. */
  readonly rootAccessKeyId?: string;
  /** The account root's secret access key. */
  readonly rootSecretAccessKey?: string;
  /** Append a JSON line per request (principal, actions, decision) to this file. Default: none. */
  readonly auditLog?: string;
  /** Serve HTTPS: the certificate chain (PEM file); needs tlsKey. */
  readonly tlsCert?: string;
  /** The certificate's private key (PEM file). */
  readonly tlsKey?: string;
  /** Origins granted CORS ('*': every origin but "null"). Default: loopback origins only. */
  readonly cors?: readonly string[];
  /** Serve the web console at /console (default: on while listening on loopback). */
  readonly console?: ConsoleMode;
  /** Host names answered besides local ones while listening on loopback (DNS rebinding guard). */
  readonly allowedHosts?: readonly string[];
  /** On shutdown, requests already running get this long to finish. Default 5 s. */
  readonly shutdownGraceMs?: number;
  /** Tests: POST /stratusdb/clock {"advanceMs": N} moves the server's clock forward; POST /stratusdb/jobs {"hold": bool} holds jobs. Default: off. */
  readonly testClock?: boolean;
  /** Tests: check that storage decisions are pure and fail commits at a seeded rate ('write=0.2,seed=7'). Default: off. */
  readonly storageFaults?: string;
  /** The account in ARNs. Default 000000000000. */
  readonly accountId?: string;
  readonly logLevel?: LogLevel;
  /** Injected time source (tests). Default: the system clock. */
  readonly clock?: Clock;
  /** Where log lines go. Default: stderr. */
  readonly log?: (line: string) => void;
}

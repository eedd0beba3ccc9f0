// Every server option, once: its flag and DynamoDB Local aliases, how its value is read, its default,
// its help line, and whether the engine takes it. Flag parsing, --help, the defaults, the STRATUSDB_*
// environment variables and the engine's options are all derived from this table.
import { authModes, consoleModes, type LogLevel, type ServerOptions } from './options.js';

/** How an option's text becomes its value (an option without an argument is a switch). */
export interface ValueReader<T> {
  /** The argument's name in --help ('' for a switch). */
  readonly placeholder: string;
  /** The value, or an error text naming what was expected ('needs …'). */
  read(text: string): T | { readonly error: string };
}

const integer: ValueReader<number> = {
  placeholder: 'N',
  read: (text) => {
    const n = Number(text);
    return text.trim() !== '' && Number.isInteger(n) && n >= 0 ? n : { error: `needs a whole number, got '${text}'` };
  },
};

const minutes: ValueReader<number> = {
  placeholder: 'MINUTES',
  read: (text) => {
    const n = Number(text);
    return text.trim() !== '' && Number.isSafeInteger(n) && n >= 1 ? n : { error: `needs a whole number of minutes from 1, got '${text}'` };
  },
};

const fraction: ValueReader<number> = {
  placeholder: 'RATE',
  read: (text) => {
    const n = Number(text);
    return text.trim() !== '' && n >= 0 && n <= 1 ? n : { error: `needs a fraction from 0 to 1, got '${text}'` };
  },
};

const positiveNumber: ValueReader<number> = {
  placeholder: 'N',
  read: (text) => {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) && n > 0 && n <= 1_000_000 ? n : { error: `needs a number above 0 (at most 1000000), got '${text}'` };
  },
};

const text = (placeholder: string): ValueReader<string> => ({ placeholder, read: (value) => value });

const list = (placeholder: string): ValueReader<readonly string[]> => ({
  placeholder,
  read: (value) => {
    const entries = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
    return entries.length > 0 ? entries : { error: `needs a comma-separated list, got '${value}'` };
  },
});

/** A switch: present on the command line means true; in the environment true/1 or false/0. */
/** REGION=URL pairs: the regions other servers serve (--peer). */
const peerList: ValueReader<readonly string[]> = {
  placeholder: 'REGION=URL',
  read(value) {
    const entries = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
    const bad = entries.find((e) => !/^[a-z0-9-]+=https?:\/\/[^\s]+$/.test(e));
    if (entries.length === 0 || bad !== undefined) return { error: `needs REGION=URL (e.g. eu-west-1=http://10.0.0.2:8000), got '${bad ?? value}'` };
    return entries;
  },
};

const on: ValueReader<boolean> = {
  placeholder: '',
  read: (value) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : { error: `needs true or false, got '${value}'` }),
};

const choice = <const T extends string>(values: readonly T[]): ValueReader<T> => ({
  placeholder: 'LEVEL',
  read: (value) => ((values as readonly string[]).includes(value) ? (value as T) : { error: `must be one of ${values.join(', ')}` }),
});

/** Another name for an option: taking the same argument, or setting a value of its own (with or without an argument). */
export type Alias<T> =
  | { readonly flag: string }
  | { readonly flag: string; readonly sets: T }
  | { readonly flag: string; readonly placeholder: string; readonly maps: (text: string) => T };

export interface OptionSpec<T> {
  readonly flag: `--${string}`;
  readonly value: ValueReader<T>;
  readonly default: T | undefined;
  readonly help: string;
  /** How --help shows the default, when not the value itself (e.g. "4 h"); '' shows none. */
  readonly shownDefault?: string;
  readonly aliases?: readonly Alias<T>[];
  /** The engine takes this option under the same name. */
  readonly engine?: true;
  /** The flag may be given again: each time's list adds to the last (lists only). */
  readonly repeatable?: true;
}

/** The options the command line sets: all but the embedder's clock and log sink. */
export type CliKey = Exclude<keyof ServerOptions, 'clock' | 'log'>;

type OptionTable = { readonly [K in CliKey]-?: OptionSpec<NonNullable<ServerOptions[K]>> };

const logLevels: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];
/** What -delayTransientStatuses means here: DynamoDB Local-like transient states of half a second. */
export const dynamoDbLocalTransientDelayMs = 500;
const hours = 60 * 60 * 1000;

export const optionTable = {
  port: { flag: '--port', value: integer, default: 8000, help: 'port to listen on; 0 = any free port', aliases: [{ flag: '-port' }] },
  host: { flag: '--host', value: text('HOST'), default: '127.0.0.1', help: 'interface to listen on' },
  data: {
    flag: '--data', value: text('URL'), default: 'lmdb://./.stratusdb', help: 'where the data lives: lmdb://PATH, postgres://USER:PASSWORD@HOST:PORT/DATABASE (several nodes may share it) or memory://',
    aliases: [
      { flag: '--in-memory', sets: 'memory://' }, { flag: '-inMemory', sets: 'memory://' },
      { flag: '-dbPath', placeholder: 'DIR', maps: (dir: string) => `lmdb://${dir}` },
    ],
  },
  tableStatusDelayMs: {
    flag: '--table-status-delay-ms', value: integer, default: 0, engine: true, help: 'keep tables CREATING/UPDATING/DELETING for N ms',
    aliases: [{ flag: '-delayTransientStatuses', sets: dynamoDbLocalTransientDelayMs }],
  },
  gsiPropagationDelayMs: { flag: '--gsi-propagation-delay-ms', value: integer, default: 0, engine: true, help: 'GSI reads see writes N ms late, as on AWS; 0 = at once' },
  itemCollectionSizeLimitBytes: {
    flag: '--item-collection-size-limit-bytes', value: integer, default: 10 * 1024 ** 3, shownDefault: '10 GiB, as on AWS', engine: true, help: 'largest item collection of a table with LSIs',
  },
  injectTransactionConflicts: {
    flag: '--inject-transaction-conflicts', value: fraction, default: 0, engine: true, help: 'fail this fraction (0-1) of transactions as if a conflicting one ran',
  },
  ttlSweepIntervalMs: { flag: '--ttl-sweep-interval-ms', value: integer, default: 10_000, engine: true, help: 'look for and delete expired TTL items every N ms; 0 = never' },
  ttlTransitionMs: { flag: '--ttl-transition-ms', value: integer, default: 0, engine: true, help: 'TTL stays ENABLING/DISABLING for N ms' },
  ttlChangeIntervalMs: { flag: '--ttl-change-interval-ms', value: integer, default: hours, shownDefault: '1 h, as on AWS', engine: true, help: 'refuse another UpdateTimeToLive within N ms' },
  streamShardRolloverMs: { flag: '--stream-shard-rollover-ms', value: integer, default: 4 * hours, shownDefault: '4 h, as on AWS', engine: true, help: 'a stream shard closes and a child opens after N ms' },
  streamRetentionMs: { flag: '--stream-retention-ms', value: integer, default: 24 * hours, shownDefault: '24 h, as on AWS', engine: true, help: 'keep stream records N ms' },
  streamTrimIntervalMs: { flag: '--stream-trim-interval-ms', value: integer, default: 60_000, engine: true, help: 'trim stream records past retention every N ms; 0 = never' },
  pitrPruneIntervalMs: {
    flag: '--pitr-prune-interval-ms', value: integer, default: 60_000, engine: true, help: 'point-in-time recovery: fold changes older than a table\'s window into its base, and remove expired SYSTEM backups, every N ms; 0 = never',
  },
  backupDir: {
    flag: '--backup-dir', value: text('PATH'), default: undefined, shownDefault: 'PATH-backups beside lmdb://PATH; ./.stratusdb-backups with postgres://; a temporary directory with memory://',
    help: 'where on-demand backups are kept (DynamoDB\'s export layout)',
  },
  s3Dir: {
    flag: '--s3-dir', value: text('PATH'), default: undefined, shownDefault: 'PATH-s3 beside lmdb://PATH; ./.stratusdb-s3 with postgres://; a temporary directory with memory://',
    help: 'a directory standing in for S3 (a bucket is a subdirectory): exports are written there, imports read from there',
  },
  s3Endpoint: {
    flag: '--s3-endpoint', value: text('URL'), default: undefined, shownDefault: 'none: --s3-dir stands in for S3',
    help: 'an S3-compatible endpoint for exports and imports (credentials and region from the AWS environment variables); --s3-dir then keeps import error logs',
  },
  pitrLatestLagMs: {
    flag: '--pitr-latest-lag-ms', value: integer, default: 0, shownDefault: '0 (AWS: about 5 minutes)', engine: true, help: 'LatestRestorableDateTime is N ms before now',
  },
  peers: {
    flag: '--peer', value: peerList, default: undefined, shownDefault: 'none', engine: true, repeatable: true,
    help: 'global tables: another StratusDB serves REGION at URL (repeat, or a comma-separated list); replicas there replicate over HTTP',
  },
  replicationKey: {
    flag: '--replication-key', value: text('KEY'), default: '', shownDefault: 'none', engine: true,
    help: 'global tables: the secret servers given each other as --peer share; their requests to each other are signed with it',
  },
  replicationDelayMs: {
    flag: '--replication-delay-ms', value: integer, default: 0, shownDefault: '0 (AWS: about a second)', engine: true, help: 'global tables: replicas apply each other\'s writes N ms late',
  },
  clockSpeed: {
    flag: '--clock-speed', value: positiveNumber, default: 1, shownDefault: '1 (real time)',
    help: 'tests: the server\'s clock runs N times faster — capacity refill and burst, TTL, stream retention, point-in-time windows (60: a minute a second)',
  },
  prices: {
    flag: '--prices', value: text('PATH'), default: undefined, shownDefault: 'DynamoDB\'s list prices (us-east-1)',
    help: 'a JSON file of the prices `stratusdb cost` uses (readRequestUnitsPerMillion, writeRequestUnitsPerMillion, readCapacityUnitHour, writeCapacityUnitHour, storageGbMonth; USD)',
  },
  noMetrics: {
    flag: '--no-metrics', value: on, default: false, shownDefault: 'off (metrics kept)',
    help: 'keep no metrics: GET /metrics and the CloudWatch operations answer nothing (the leanest request path)',
  },
  metricsRetentionMinutes: {
    flag: '--metrics-retention', value: minutes, default: 1440, shownDefault: '1440 (a day)',
    help: 'minutes of one-minute statistics each CloudWatch metric keeps (in memory) for get-metric-statistics and get-metric-data',
  },
  enforceCapacity: {
    flag: '--enforce-capacity', value: on, default: false, shownDefault: 'off (as DynamoDB Local)', engine: true,
    help: 'throttle PROVISIONED tables and their GSIs past their read and write capacity (with 300 s of burst), as DynamoDB does',
  },
  configFile: {
    flag: '--config', value: text('PATH'), default: undefined, shownDefault: './stratusdb.config.json|yaml|yml if present', help: 'project file with triggers',
  },
  python: { flag: '--python', value: text('PATH'), default: 'python3', help: 'Python interpreter for python3 triggers' },
  triggerRetryBaseMs: { flag: '--trigger-retry-base-ms', value: integer, default: 100, help: 'first retry of a failed trigger batch after N ms, doubling' },
  auth: {
    flag: '--auth', value: choice(authModes), default: undefined, shownDefault: 'none on loopback, iam elsewhere',
    help: 'none: any signature\'s structure is enough; sigv4: signatures verified; iam: verified and authorized by IAM policies (needs root credentials)',
  },
  rootAccessKeyId: {
    flag: '--root-access-key-id', value: text('ID'), default: undefined, shownDefault: 'none', help: 'the account root\'s access key id (--auth sigv4 | iam)',
  },
  rootSecretAccessKey: {
    flag: '--root-secret-access-key', value: text('SECRET'), default: undefined, shownDefault: 'none',
    help: 'the account root\'s secret access key; prefer the environment variable (a command line is visible to other users)',
  },
  auditLog: { flag: '--audit-log', value: text('PATH'), default: undefined, shownDefault: 'none', help: 'append a JSON line per request: principal, actions and resources, decision (allow, deny, unauthenticated)' },
  tlsCert: { flag: '--tls-cert', value: text('PATH'), default: undefined, shownDefault: 'none (HTTP)', help: 'serve HTTPS with this certificate chain (PEM); needs --tls-key' },
  tlsKey: { flag: '--tls-key', value: text('PATH'), default: undefined, shownDefault: 'none', help: 'the private key (PEM) of --tls-cert' },
  cors: {
    flag: '--cors', value: list('ORIGINS'), default: undefined, shownDefault: 'loopback origins', help: 'origins browsers may call from, comma-separated; * for any',
    aliases: [{ flag: '-cors' }],
  },
  console: {
    flag: '--console', value: choice(consoleModes), default: undefined, shownDefault: 'on on loopback, off elsewhere',
    help: 'serve the web console at /console (on | off); its API calls are signed like any client\'s',
  },
  allowedHosts: { flag: '--allowed-hosts', value: list('NAMES'), default: undefined, shownDefault: '', help: 'Host names answered besides local ones while on loopback (DNS rebinding guard)' },
  shutdownGraceMs: { flag: '--shutdown-grace-ms', value: integer, default: 5000, help: 'on SIGTERM/SIGINT, running requests get N ms to finish' },
  sharedDb: { flag: '--shared-db', value: on, default: false, shownDefault: '', engine: true, help: 'one set of tables for every region', aliases: [{ flag: '-sharedDb' }] },
  accountId: { flag: '--account-id', value: text('ID'), default: '000000000000', engine: true, help: 'account id in ARNs' },
  logLevel: { flag: '--log-level', value: choice(logLevels), default: 'info', help: 'error | warn | info | debug' },
  testClock: {
    flag: '--test-clock', value: on, default: false, shownDefault: '', help: 'tests: POST /stratusdb/clock {"advanceMs": N} moves the server\'s clock forward; POST /stratusdb/jobs {"hold": true|false} holds or lets go backups, restores, exports and imports',
  },
  storageFaults: {
    flag: '--storage-faults', value: text('SPEC'), default: undefined, shownDefault: '',
    help: 'tests: check that every storage decision is pure and fail commits, e.g. write=0.2,catalog=0,seed=7',
  },
} as const satisfies OptionTable;

/** DynamoDB Local flags accepted and ignored. */
export const ignoredFlags: readonly string[] = ['-disableTelemetry', '-optimizeDbBeforeStartup'];

/** An option's environment variable: STRATUSDB_ and its flag in capitals (--gsi-propagation-delay-ms → STRATUSDB_GSI_PROPAGATION_DELAY_MS). */
export function environmentName(flag: string): string {
  return `STRATUSDB_${flag.replace(/^--/, '').replace(/-/g, '_').toUpperCase()}`;
}

export const cliKeys = Object.keys(optionTable) as CliKey[];

type Defaults = { readonly [K in CliKey]: (typeof optionTable)[K]['default'] };

export const defaults = Object.fromEntries(cliKeys.map((key) => [key, optionTable[key].default])) as Defaults;

/** Options with every default filled in (an option without a default stays undefined). */
export type ResolvedOptions = Required<Pick<ServerOptions, { [K in CliKey]: undefined extends Defaults[K] ? never : K }[CliKey]>> & ServerOptions;

export function withDefaults(options: ServerOptions): ResolvedOptions {
  const out: Record<string, unknown> = { ...options };
  for (const key of cliKeys) if (out[key] === undefined && optionTable[key].default !== undefined) out[key] = optionTable[key].default;
  return out as unknown as ResolvedOptions;
}

type EngineKey = { [K in CliKey]: (typeof optionTable)[K] extends { readonly engine: true } ? K : never }[CliKey];

/** The options the engine takes, by their names in the table. */
export function engineOptionsOf(options: ResolvedOptions): Pick<ResolvedOptions, EngineKey> {
  const out: Record<string, unknown> = {};
  for (const key of cliKeys) if ((optionTable[key] as OptionSpec<unknown>).engine === true) out[key] = options[key];
  return out as unknown as Pick<ResolvedOptions, EngineKey>;
}

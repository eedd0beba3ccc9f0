// Command-line flags (and STRATUSDB_* environment variables) → ServerOptions. DynamoDB Local's
// single-dash flags are accepted as aliases so scripts written for it run unchanged.
import { defaults, logLevels, type LogLevel, type ServerOptions } from './options.js';

/** What -delayTransientStatuses means here: DynamoDB Local-like transient states of half a second. */
export const dynamoDbLocalTransientDelayMs = 500;

export type CliCommand =
  | { kind: 'serve'; options: ServerOptions }
  | { kind: 'triggers'; endpoint: string; json: boolean }
  | { kind: 'check'; data: string; json: boolean; inProcess: boolean }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'error'; message: string };

export const helpText = `Usage: stratusdb [options]
       stratusdb triggers [--endpoint URL] [--json]
       stratusdb check [--data URL] [--json]

Serves the DynamoDB API and the DynamoDB Streams API on one HTTP endpoint, and runs the stream
triggers of the project file. \`stratusdb triggers\` lists a running server's triggers with their
state and iterator age (default endpoint http://127.0.0.1:8000). \`stratusdb check\` verifies a stopped
server's store: every item readable and under its own key, statistics and indexes matching the items.

Options:
  --port N                    port to listen on (default 8000; 0 = any free port)
  --host HOST                 interface to listen on (default 127.0.0.1)
  --data URL                  lmdb://PATH (default lmdb://./.stratusdb) or memory://
  --in-memory                 same as --data memory://
  --table-status-delay-ms N   keep tables CREATING/UPDATING/DELETING for N ms (default 0)
  --gsi-propagation-delay-ms N  GSI reads see writes N ms late, as on AWS (default 0: at once)
  --item-collection-size-limit-bytes N  largest LSI item collection (default 10 GiB, as on AWS)
  --inject-transaction-conflicts RATE  fail this fraction (0-1) of transactions with a conflict
  --ttl-sweep-interval-ms N   look for and delete expired TTL items every N ms (default 10000; 0 = never)
  --ttl-transition-ms N       TTL stays ENABLING/DISABLING for N ms (default 1000)
  --ttl-change-interval-ms N  refuse another UpdateTimeToLive within N ms (default 3600000, as on AWS)
  --stream-shard-rollover-ms N  a stream shard closes and a child opens after N ms (default 14400000, 4 h)
  --stream-retention-ms N     keep stream records N ms (default 86400000, 24 h, as on AWS)
  --stream-trim-interval-ms N trim stream records past retention every N ms (default 60000; 0 = never)
  --config PATH               project file with triggers (default: ./stratusdb.config.json|yaml|yml if present)
  --python PATH               Python interpreter for python3 triggers (default python3)
  --trigger-retry-base-ms N   first retry of a failed trigger batch after N ms, doubling (default 100)
  --cors ORIGINS              origins browsers may call from, comma-separated; * for any (default: loopback origins)
  --allowed-hosts NAMES       Host names answered besides local ones while on loopback (DNS rebinding guard)
  --shutdown-grace-ms N       on SIGTERM/SIGINT, running requests get N ms to finish (default 5000)
  --shared-db                 one set of tables for every region
  --account-id ID             account id in ARNs (default 000000000000)
  --log-level LEVEL           error | warn | info | debug (default info)
  --help, --version

DynamoDB Local aliases: -port N, -inMemory, -dbPath DIR, -sharedDb, -delayTransientStatuses,
  -cors ORIGINS, -disableTelemetry, -optimizeDbBeforeStartup, -help

Environment: STRATUSDB_PORT, STRATUSDB_HOST, STRATUSDB_DATA, STRATUSDB_LOG_LEVEL, STRATUSDB_CONFIG, STRATUSDB_CORS.
`;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  if (argv[0] === 'triggers') return parseTriggersCommand(argv.slice(1), env);
  if (argv[0] === 'check') return parseCheckCommand(argv.slice(1), env);
  const options: Mutable<ServerOptions> = {};
  if (env['STRATUSDB_CONFIG'] !== undefined) options.configFile = env['STRATUSDB_CONFIG'];
  if (env['STRATUSDB_PORT'] !== undefined) options.port = Number(env['STRATUSDB_PORT']);
  if (env['STRATUSDB_HOST'] !== undefined) options.host = env['STRATUSDB_HOST'];
  if (env['STRATUSDB_DATA'] !== undefined) options.data = env['STRATUSDB_DATA'];
  if (env['STRATUSDB_LOG_LEVEL'] !== undefined) options.logLevel = env['STRATUSDB_LOG_LEVEL'] as LogLevel;
  if (env['STRATUSDB_CORS'] !== undefined) options.cors = env['STRATUSDB_CORS'].split(',').map((e) => e.trim()).filter((e) => e !== '');
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    try {
      switch (flag) {
        case '--help': case '-h': case '-help':
          return { kind: 'help' };
        case '--version': case '-v': case '-version':
          return { kind: 'version' };
        case '--port': case '-port':
          options.port = integerFlag(flag, value());
          break;
        case '--host':
          options.host = value();
          break;
        case '--data':
          options.data = value();
          break;
        case '--in-memory': case '-inMemory':
          options.data = 'memory://';
          break;
        case '-dbPath':
          options.data = `lmdb://${value()}`;
          break;
        case '--table-status-delay-ms':
          options.tableStatusDelayMs = integerFlag(flag, value());
          break;
        case '--gsi-propagation-delay-ms':
          options.gsiPropagationDelayMs = integerFlag(flag, value());
          break;
        case '--item-collection-size-limit-bytes':
          options.itemCollectionSizeLimitBytes = integerFlag(flag, value());
          break;
        case '--inject-transaction-conflicts': {
          const text = value();
          const rate = Number(text);
          if (text.trim() === '' || !(rate >= 0 && rate <= 1)) throw new Error(`${flag} needs a fraction from 0 to 1, got '${text}'`);
          options.injectTransactionConflicts = rate;
          break;
        }
        case '--ttl-sweep-interval-ms':
          options.ttlSweepIntervalMs = integerFlag(flag, value());
          break;
        case '--ttl-transition-ms':
          options.ttlTransitionMs = integerFlag(flag, value());
          break;
        case '--ttl-change-interval-ms':
          options.ttlChangeIntervalMs = integerFlag(flag, value());
          break;
        case '--stream-shard-rollover-ms':
          options.streamShardRolloverMs = integerFlag(flag, value());
          break;
        case '--stream-retention-ms':
          options.streamRetentionMs = integerFlag(flag, value());
          break;
        case '--stream-trim-interval-ms':
          options.streamTrimIntervalMs = integerFlag(flag, value());
          break;
        case '--config':
          options.configFile = value();
          break;
        case '--python':
          options.python = value();
          break;
        case '--shutdown-grace-ms':
          options.shutdownGraceMs = integerFlag(flag, value());
          break;
        case '--trigger-retry-base-ms':
          options.triggerRetryBaseMs = integerFlag(flag, value());
          break;
        case '-delayTransientStatuses':
          options.tableStatusDelayMs = dynamoDbLocalTransientDelayMs;
          break;
        case '--shared-db': case '-sharedDb':
          options.sharedDb = true;
          break;
        case '--account-id':
          options.accountId = value();
          break;
        case '--log-level': {
          const level = value();
          if (!logLevels.includes(level as LogLevel)) throw new Error(`--log-level must be one of ${logLevels.join(', ')}`);
          options.logLevel = level as LogLevel;
          break;
        }
        case '--cors': case '-cors':
          options.cors = listFlag(flag, value());
          break;
        case '--allowed-hosts':
          options.allowedHosts = listFlag(flag, value());
          break;
        case '-disableTelemetry': case '-optimizeDbBeforeStartup':
          break;
        default:
          return { kind: 'error', message: `unknown option ${flag} (see --help)` };
      }
    } catch (error) {
      return { kind: 'error', message: (error as Error).message };
    }
  }
  return { kind: 'serve', options };
}

function parseTriggersCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  let endpoint = `http://127.0.0.1:${env['STRATUSDB_PORT'] ?? 8000}`;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    if (flag === '--endpoint' || flag === '--endpoint-url') {
      const next = argv[++i];
      if (next === undefined) return { kind: 'error', message: `${flag} needs a value` };
      endpoint = next.replace(/\/+$/, '');
    } else if (flag === '--json') json = true;
    else if (flag === '--help' || flag === '-h') return { kind: 'help' };
    else return { kind: 'error', message: `unknown option ${flag} for triggers (see --help)` };
  }
  return { kind: 'triggers', endpoint, json };
}

/** A comma-separated list of at least one entry. */
function listFlag(flag: string, text: string): string[] {
  const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
  if (entries.length === 0) throw new Error(`${flag} needs a comma-separated list, got '${text}'`);
  return entries;
}

function parseCheckCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  let data = env['STRATUSDB_DATA'] ?? defaults.data;
  let json = false;
  let inProcess = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    if (flag === '--data' || flag === '-dbPath') {
      const next = argv[++i];
      if (next === undefined) return { kind: 'error', message: `${flag} needs a value` };
      data = flag === '-dbPath' ? `lmdb://${next}` : next;
    } else if (flag === '--json') json = true;
    else if (flag === '--in-process') inProcess = true; // the isolated child's own flag
    else if (flag === '--help' || flag === '-h') return { kind: 'help' };
    else return { kind: 'error', message: `unknown option ${flag} for check (see --help)` };
  }
  return { kind: 'check', data, json, inProcess };
}

function integerFlag(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a whole number, got '${text}'`);
  return n;
}

// Flag parsing (including DynamoDB Local's aliases), environment variables, --help and defaults, all
// from the option table.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { helpText, parseCli } from './cli-args.js';
import { cliKeys, engineOptionsOf, optionTable, withDefaults } from './option-table.js';

describe('parseCli', () => {
  const cases: readonly [string, string[], Record<string, string>, unknown][] = [
    ['no flags', [], {}, { kind: 'serve', options: {} }],
    ['our flags', ['--port', '9000', '--host', '0.0.0.0', '--data', 'memory://', '--table-status-delay-ms', '250', '--shared-db', '--log-level', 'debug'], {},
      { kind: 'serve', options: { port: 9000, host: '0.0.0.0', data: 'memory://', tableStatusDelayMs: 250, sharedDb: true, logLevel: 'debug' } }],
    ['DynamoDB Local flags', ['-port', '8001', '-dbPath', '/tmp/x', '-sharedDb', '-delayTransientStatuses', '-cors', '*', '-disableTelemetry'], {},
      { kind: 'serve', options: { port: 8001, data: 'lmdb:///tmp/x', sharedDb: true, tableStatusDelayMs: 500, cors: ['*'] } }],
    ['browser access', ['--cors', 'https://a.example, http://b.example:8080', '--allowed-hosts', 'dev.internal'], {},
      { kind: 'serve', options: { cors: ['https://a.example', 'http://b.example:8080'], allowedHosts: ['dev.internal'] } }],
    ['empty cors list', ['--cors', ','], {}, { kind: 'error', message: "--cors needs a comma-separated list, got ','" }],
    ['-inMemory', ['-inMemory'], {}, { kind: 'serve', options: { data: 'memory://' } }],
    ['environment', [], { STRATUSDB_PORT: '7000', STRATUSDB_DATA: 'memory://' }, { kind: 'serve', options: { port: 7000, data: 'memory://' } }],
    ['flags beat environment', ['--port', '1'], { STRATUSDB_PORT: '7000' }, { kind: 'serve', options: { port: 1 } }],
    ['help', ['-help'], {}, { kind: 'help' }],
    ['version', ['--version'], {}, { kind: 'version' }],
    ['unknown flag', ['--nope'], {}, { kind: 'error', message: 'unknown option --nope (see --help)' }],
    ['missing value', ['--port'], {}, { kind: 'error', message: '--port needs a value' }],
    ['bad number', ['--port', 'x'], {}, { kind: 'error', message: "--port needs a whole number, got 'x'" }],
    ['bad log level', ['--log-level', 'loud'], {}, { kind: 'error', message: '--log-level must be one of error, warn, info, debug' }],
    ['--in-memory', ['--in-memory'], {}, { kind: 'serve', options: { data: 'memory://' } }],
    ['every option has a variable', [], { STRATUSDB_GSI_PROPAGATION_DELAY_MS: '250', STRATUSDB_SHARED_DB: 'true', STRATUSDB_ALLOWED_HOSTS: 'a.test,b.test' }, {
      kind: 'serve', options: { gsiPropagationDelayMs: 250, sharedDb: true, allowedHosts: ['a.test', 'b.test'] },
    }],
    ['a bad variable names itself', [], { STRATUSDB_TTL_SWEEP_INTERVAL_MS: 'soon' }, { kind: 'error', message: "STRATUSDB_TTL_SWEEP_INTERVAL_MS needs a whole number, got 'soon'" }],
    ['a bad switch variable', [], { STRATUSDB_SHARED_DB: 'yes' }, { kind: 'error', message: "STRATUSDB_SHARED_DB needs true or false, got 'yes'" }],
    ['fraction', ['--inject-transaction-conflicts', '1.5'], {}, { kind: 'error', message: "--inject-transaction-conflicts needs a fraction from 0 to 1, got '1.5'" }],
    ['ignored DynamoDB Local flags', ['-optimizeDbBeforeStartup', '-port', '9'], {}, { kind: 'serve', options: { port: 9 } }],
    ['backup', ['backup', '--table', 'Orders'], { STRATUSDB_PORT: '9001' }, { kind: 'work', endpoint: 'http://127.0.0.1:9001', work: { verb: 'backup', table: 'Orders', name: undefined } }],
    ['restore to a moment', ['restore', '--table', 'Orders', '--target', 'Copy', '--time', '2026-12-06T14:02:09Z', '--endpoint', 'http://h:1/'], {},
      { kind: 'work', endpoint: 'http://h:1', work: { verb: 'restore', target: 'Copy', backupArn: undefined, source: 'Orders', time: '2026-12-06T14:02:09Z' } }],
    ['restore needs one source', ['restore', '--target', 'Copy'], {}, { kind: 'error', message: 'restore needs either --backup-arn or --table' }],
    ['export needs a bucket', ['export', '--table', 'Orders'], {}, { kind: 'error', message: 'export needs --bucket' }],
    ['import needs a table', ['import', '--bucket', 'b'], {}, { kind: 'error', message: 'import needs --table and --key, or --table-creation-parameters' }],
    ['import', ['import', '--bucket', 'b', '--prefix', 'p/', '--format', 'CSV', '--compression', 'GZIP', '--table', 'T', '--key', 'id:S'], {}, {
      kind: 'work', endpoint: 'http://127.0.0.1:8000',
      work: { verb: 'import', bucket: 'b', prefix: 'p/', format: 'CSV', compression: 'GZIP', table: 'T', key: 'id:S', parameters: undefined },
    }],
    ['a long-work flag of another command', ['backup', '--bucket', 'b'], {}, { kind: 'error', message: 'unknown option --bucket for backup (see --help)' }],
  ];
  for (const [name, argv, env, expected] of cases) it(name, () => assert.deepEqual(parseCli(argv, env), expected));
});

describe('--help', () => {
  it('lists every option of the table with its default, and the DynamoDB Local aliases', () => {
    for (const key of cliKeys) assert.ok(helpText.includes(`  ${optionTable[key].flag}`), optionTable[key].flag);
    assert.match(helpText, /\n  --port N +port to listen on; 0 = any free port \(default 8000\)\n/);
    assert.match(helpText, /\n  --stream-retention-ms N +keep stream records N ms \(default 24 h, as on AWS\)\n/);
    assert.match(helpText, /\n  --in-memory +same as --data memory:\/\/\n/);
    assert.match(helpText, /DynamoDB Local aliases: -port N, -inMemory, -dbPath DIR, -delayTransientStatuses, -cors ORIGINS, -sharedDb, -disableTelemetry, -optimizeDbBeforeStartup, -help\n/);
  });

  it('fills every default in, and hands the engine exactly the options it takes', () => {
    const resolved = withDefaults({ port: 1 });
    assert.equal(resolved.port, 1);
    assert.equal(resolved.streamRetentionMs, 24 * 60 * 60 * 1000);
    assert.equal(resolved.configFile, undefined);
    assert.deepEqual(Object.keys(engineOptionsOf(resolved)).sort(), [
      'accountId', 'enforceCapacity', 'gsiPropagationDelayMs', 'injectTransactionConflicts', 'itemCollectionSizeLimitBytes', 'peers', 'pitrLatestLagMs', 'pitrPruneIntervalMs', 'replicationDelayMs', 'replicationKey', 'sharedDb', 'streamRetentionMs',
      'streamShardRolloverMs', 'streamTrimIntervalMs', 'tableStatusDelayMs', 'ttlChangeIntervalMs', 'ttlSweepIntervalMs', 'ttlTransitionMs',
    ]);
  });
});

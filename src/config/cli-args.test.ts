// Flag parsing, including DynamoDB Local's aliases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCli } from './cli-args.js';

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
  ];
  for (const [name, argv, env, expected] of cases) it(name, () => assert.deepEqual(parseCli(argv, env), expected));
});

// A handler's Lambda environment: placeholder credentials by default, and a key of the trigger's own
// (to sign as an IAM user under --auth sigv4 | iam) without the placeholder session token.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lambdaEnvironment } from './invoker.js';
import { parseTriggers } from './trigger-config.js';

const paths = { baseDir: '/project', python: 'python3', pythonBootstrap: '/opt/stratusdb/lambda_bootstrap.py' };
const minimal = { name: 'sync', table: 'Inventory', handler: './handlers/sync.ts#handler', startingPosition: 'LATEST' };

describe('lambdaEnvironment', () => {
  it('gives placeholder credentials, or the trigger\'s own key without the placeholder token', () => {
    const [plain] = parseTriggers([minimal], paths);
    const env = lambdaEnvironment(plain as NonNullable<typeof plain>, 'http://127.0.0.1:8000', { AWS_PROFILE: 'prod', HOME: '/home/u' });
    assert.deepEqual([env['AWS_ACCESS_KEY_ID'], env['AWS_SESSION_TOKEN'], env['AWS_PROFILE'], env['HOME']], ['AKIASTRATUSDBLOCAL00', 'stratusdb-local-session', undefined, '/home/u']);
    const [keyed] = parseTriggers([{ ...minimal, environment: { AWS_ACCESS_KEY_ID: 'AKIATRIGGER000000001', AWS_SECRET_ACCESS_KEY: 'trigger-secret' } }], paths);
    const own = lambdaEnvironment(keyed as NonNullable<typeof keyed>, 'http://127.0.0.1:8000', {});
    assert.deepEqual([own['AWS_ACCESS_KEY_ID'], own['AWS_SECRET_ACCESS_KEY'], 'AWS_SESSION_TOKEN' in own], ['AKIATRIGGER000000001', 'trigger-secret', false]);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseTriggers } from './trigger-config.js';

const paths = { baseDir: '/project', python: 'python3', pythonBootstrap: '/opt/stratusdb/lambda_bootstrap.py' };
const minimal = { name: 'sync', table: 'Inventory', handler: './handlers/sync.ts#handler', startingPosition: 'LATEST' };
const refusal = (entry: object, message: string) => assert.throws(() => parseTriggers([entry], paths), (e: unknown) => e instanceof ConfigError && e.message === message);

describe('parseTriggers', () => {
  it("fills in Lambda's defaults", () => {
    assert.deepEqual(parseTriggers([minimal], paths), [{
      name: 'sync', table: 'Inventory', region: 'us-east-1', handler: { kind: 'module', file: '/project/handlers/sync.ts', exportName: 'handler' },
      enabled: true, batchSize: 100, maximumBatchingWindowInSeconds: 0, startingPosition: 'LATEST', maximumRetryAttempts: -1,
      maximumRecordAgeInSeconds: -1, bisectBatchOnFunctionError: false, reportBatchItemFailures: false, parallelizationFactor: 1,
      timeoutSeconds: 3, environment: {},
    }]);
    assert.deepEqual(parseTriggers(undefined, paths), []);
  });

  it('reads every handler kind', () => {
    const [py, provided, hook, js] = parseTriggers([
      { ...minimal, name: 'a', runtime: 'python3', handler: 'fns/index.py#on_change' },
      { ...minimal, name: 'b', runtime: 'provided.al2023', bootstrap: ['./bin/bootstrap', '--fast'], handler: 'index.handler' },
      { ...minimal, name: 'c', handler: 'http://127.0.0.1:9000/hook' },
      { ...minimal, name: 'd', handler: 'lib/audit.mjs' },
    ], paths);
    assert.deepEqual(py?.handler, { kind: 'process', runtime: 'python3', command: ['python3', '-u', '/opt/stratusdb/lambda_bootstrap.py'], handler: '/project/fns/index.py#on_change', cwd: '/project/fns' });
    assert.deepEqual(provided?.handler, { kind: 'process', runtime: 'provided.al2023', command: ['/project/bin/bootstrap', '--fast'], handler: 'index.handler', cwd: '/project' });
    assert.deepEqual(hook?.handler, { kind: 'webhook', url: 'http://127.0.0.1:9000/hook' });
    assert.deepEqual(js?.handler, { kind: 'module', file: '/project/lib/audit.mjs', exportName: 'handler' });
  });

  it('reads destinations and filters', () => {
    const [t] = parseTriggers([{ ...minimal, destinationOnFailure: 'arn:aws:dynamodb:eu-west-1:123456789012:table/Failed', filterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] } }], paths);
    assert.deepEqual(t?.destinationOnFailure, { kind: 'table', arn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/Failed', region: 'eu-west-1', tableName: 'Failed' });
    assert.equal(t?.filter?.({ eventName: 'INSERT' }), true);
    assert.equal(t?.filter?.({ eventName: 'REMOVE' }), false);
    const [f] = parseTriggers([{ ...minimal, destinationOnFailure: 'out/failed.jsonl' }], paths);
    assert.deepEqual(f?.destinationOnFailure, { kind: 'file', path: '/project/out/failed.jsonl' });
  });

  it('names the field of every mistake', () => {
    assert.throws(() => parseTriggers({}, paths), /^ConfigError: triggers: must be a list$/);
    refusal({ ...minimal, batchSize: 0 }, 'triggers[0].batchSize: must be an integer from 1 to 10000 (got 0)');
    refusal({ ...minimal, batchSize: '10' }, 'triggers[0].batchSize: must be an integer from 1 to 10000 (got "10")');
    refusal({ ...minimal, maximumBatchingWindowInSeconds: 301 }, 'triggers[0].maximumBatchingWindowInSeconds: must be an integer from 0 to 300 (got 301)');
    refusal({ ...minimal, maximumRetryAttempts: -2 }, 'triggers[0].maximumRetryAttempts: must be an integer from -1 to 10000 (got -2)');
    refusal({ ...minimal, maximumRecordAgeInSeconds: 30 }, 'triggers[0].maximumRecordAgeInSeconds: must be -1 (forever) or from 60 to 604800 (got 30)');
    refusal({ ...minimal, parallelizationFactor: 11 }, 'triggers[0].parallelizationFactor: must be an integer from 1 to 10 (got 11)');
    refusal({ ...minimal, timeoutSeconds: 901 }, 'triggers[0].timeoutSeconds: must be an integer from 1 to 900 (got 901)');
    refusal({ ...minimal, startingPosition: 'AT_TIMESTAMP' }, "triggers[0].startingPosition: must be TRIM_HORIZON or LATEST (got 'AT_TIMESTAMP')");
    refusal({ name: 'x', table: 'T', handler: 'a.js' }, 'triggers[0].startingPosition: is required');
    refusal({ ...minimal, table: undefined }, 'triggers[0].table: is required');
    refusal({ ...minimal, name: 'no spaces' }, "triggers[0].name: must be 1-64 letters, digits, hyphens or underscores (got 'no spaces')");
    refusal({ ...minimal, bisectBatchOnFunctionError: 'yes' }, 'triggers[0].bisectBatchOnFunctionError: must be true or false (got "yes")');
    refusal({ ...minimal, functionResponseTypes: ['ReportBatchFailures'] }, "triggers[0].functionResponseTypes: the only value is ReportBatchItemFailures (got 'ReportBatchFailures')");
    refusal({ ...minimal, batchsize: 10 }, 'triggers[0].batchsize: unknown field (known: name, table, region, handler, runtime, bootstrap, enabled, batchSize, maximumBatchingWindowInSeconds, startingPosition, filterCriteria, maximumRetryAttempts, maximumRecordAgeInSeconds, bisectBatchOnFunctionError, functionResponseTypes, parallelizationFactor, destinationOnFailure, timeoutSeconds, environment, codeSha256)');
    refusal({ ...minimal, runtime: 'java21' }, "triggers[0].runtime: must be nodejs, python3 or provided (got 'java21')");
    refusal({ ...minimal, runtime: 'python3', handler: 'index.handler' }, "triggers[0].handler: a Python handler is \"path/to/module.py#function\" (got 'index.handler')");
    refusal({ ...minimal, handler: 'index.handler' }, "triggers[0].handler: a JavaScript/TypeScript handler is \"path/to/file.ts#export\" (got 'index.handler'); set runtime for other languages");
    refusal({ ...minimal, runtime: 'provided' }, 'triggers[0].bootstrap: a "provided" runtime needs the program that speaks the Lambda Runtime API');
    refusal({ ...minimal, destinationOnFailure: 'arn:aws:sqs:us-east-1:123456789012:dlq' }, "triggers[0].destinationOnFailure: an ARN must be a DynamoDB table's (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME), got 'arn:aws:sqs:us-east-1:123456789012:dlq'");
    refusal({ ...minimal, environment: { 'BAD-NAME': 'x' } }, 'triggers[0].environment.BAD-NAME: not a valid environment variable name');
    refusal({ ...minimal, filterCriteria: { filters: [{ pattern: '{"eventName":"INSERT"}' }] } }, 'triggers[0].filterCriteria.filters[0].pattern.eventName: match values must be in a list, e.g. ["INSERT"]');
    refusal({ ...minimal, filterCriteria: { filters: [{ pattern: '{oops' }] } }, 'triggers[0].filterCriteria.filters[0].pattern: is not valid JSON');
    assert.throws(() => parseTriggers([minimal, minimal], paths), /^ConfigError: triggers\[1\]\.name: 'sync' is used by an earlier trigger$/);
  });
});

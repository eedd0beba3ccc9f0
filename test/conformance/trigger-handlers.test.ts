// The other handler kinds — a webhook, a custom runtime speaking the Lambda Runtime API, a failing and
// a slow Python handler — plus the project file in YAML, its refusals, and `stratusdb triggers`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { BatchWriteItemCommand, CreateTableCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';
import { batches, fixturesDir, invocations, noBoto3, pythonWithBoto3, writeProject, type Project } from '../helpers/trigger-project.js';
import { until } from '../helpers/until.js';

const run = promisify(execFile);
const cli = new URL('../../bin/stratusdb.mjs', import.meta.url).pathname;

describe('handler kinds', localOnly, () => {
  const python = pythonWithBoto3();
  let server: ServerProcess;
  let client: DynamoDBClient;
  let project: Project;
  let hook: Server;
  const received: { headers: Record<string, string | string[] | undefined>; body: { Records: { eventName: string; dynamodb: { Keys: { id: { S: string } } } }[] } }[] = [];

  before(async () => {
    hook = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof received)[number]['body'];
        received.push({ headers: req.headers, body });
        const poisoned = body.Records.some((r) => r.dynamodb.Keys.id.S.startsWith('poison'));
        res.writeHead(poisoned ? 500 : 200, { 'Content-Type': 'application/json' });
        res.end(poisoned ? 'index unavailable' : '{"batchItemFailures":[]}');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/stream`;
    // YAML this time; relative paths (the failure file) are relative to the project file.
    project = writeProject('', 'stratusdb.config.yaml');
    writeFileSync(project.configFile, `triggers:
  - name: hook
    table: T-hook
    handler: ${hookUrl}
    startingPosition: TRIM_HORIZON
    maximumRetryAttempts: 1
    destinationOnFailure: hook-failures.jsonl
  - name: custom
    table: T-custom
    runtime: provided.al2023
    bootstrap: [${JSON.stringify(process.execPath)}, ${JSON.stringify(`${fixturesDir}runtime-api-client.mjs`)}]
    handler: index.handler
    startingPosition: TRIM_HORIZON
    maximumRetryAttempts: 0
    environment: { OUT_FILE: ${project.file('custom.jsonl')} }
  - name: python
    table: T-python
    runtime: python3.12
    handler: ${fixturesDir}recording_handler.py#handler
    startingPosition: TRIM_HORIZON
    timeoutSeconds: 1
    maximumRetryAttempts: 1
    environment: { OUT_FILE: ${project.file('python.jsonl')}, STATE_DIR: ${project.file('python-state')} }
  - name: paused
    table: T-hook
    handler: ${fixturesDir}recording-handler.mjs
    startingPosition: LATEST
    enabled: false
`);
    mkdirSync(project.file('python-state'));
    server = await startServerProcess({ args: ['--config', project.configFile, '--python', python ?? 'python3', '--trigger-retry-base-ms', '20'] });
    client = server.client();
    for (const name of ['hook', 'custom', 'python']) {
      await client.send(new CreateTableCommand({ ...onDemandTable(`T-${name}`, ['id', 'S']), StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    }
  });
  after(async () => {
    await server.dispose();
    hook.close();
  });

  const writeBatch = (table: string, ids: readonly string[]) =>
    client.send(new BatchWriteItemCommand({ RequestItems: { [table]: ids.map((id) => ({ PutRequest: { Item: { id: { S: id } } } })) } }));

  it('POSTs events to a webhook; a 5xx is a function error, retried then discarded', async () => {
    await writeBatch('T-hook', ['a', 'b']);
    await until(async () => received.length >= 1, 'the first POST');
    await writeBatch('T-hook', ['poison-1']);
    await until(async () => received.length >= 3, 'three POSTs');
    await client.send(new PutItemCommand({ TableName: 'T-hook', Item: { id: { S: 'c' } } }));
    await until(async () => received.length >= 4, 'the record after the discarded one');
    assert.deepEqual(received.map((r) => r.body.Records.map((x) => x.dynamodb.Keys.id.S)), [['a', 'b'], ['poison-1'], ['poison-1'], ['c']]);
    assert.equal(received[0]?.headers['content-type'], 'application/json');
    assert.match(String(received[0]?.headers['lambda-runtime-aws-request-id']), /^[0-9a-f-]{36}$/);
    assert.equal(received[0]?.headers['lambda-runtime-invoked-function-arn'], 'arn:aws:lambda:us-east-1:000000000000:function:hook');
    assert.match(server.output(), /\[trigger hook\] invocation failed \(1 records from \d+\): Webhook\.HttpError: HTTP 500: index unavailable/);
    await until(async () => { try { return readFileSync(project.file('hook-failures.jsonl'), 'utf8').includes('RetryAttemptsExhausted'); } catch { return false; } }, 'failure record');
    const failure = JSON.parse(readFileSync(project.file('hook-failures.jsonl'), 'utf8')) as { requestContext: { approximateInvokeCount: number } };
    assert.equal(failure.requestContext.approximateInvokeCount, 2);
  });

  it('runs a custom runtime that speaks the Lambda Runtime API itself', async () => {
    const seen = (n: number) => until(async () => invocations(project.file('custom.jsonl')).length >= n, `${n} invocations`);
    await writeBatch('T-custom', ['x', 'y']);
    await seen(1);
    await writeBatch('T-custom', ['poison-2']);
    await seen(2);
    await writeBatch('T-custom', ['z']);
    await seen(3);
    assert.deepEqual(batches(project.file('custom.jsonl')), [['x', 'y'], ['poison-2'], ['z']]);
    assert.equal(invocations(project.file('custom.jsonl'))[0]?.function, 'index.handler');
    assert.match(server.output(), /\[trigger custom\] invocation failed \(1 records from \d+\): PoisonError: cannot process poison-2/);
  });

  it('reports a Python exception as the function error, and kills and restarts a Python handler past its timeout', { skip: python === undefined ? noBoto3 : false }, async () => {
    await writeBatch('T-python', ['poison-3']);
    await until(async () => invocations(project.file('python.jsonl')).length >= 2, 'both attempts');
    await writeBatch('T-python', ['slow-1']);
    await until(async () => invocations(project.file('python.jsonl')).length >= 4, 'the retry after the timeout');
    await writeBatch('T-python', ['done']);
    await until(async () => invocations(project.file('python.jsonl')).length >= 5, 'the next record');
    assert.deepEqual(batches(project.file('python.jsonl')), [['poison-3'], ['poison-3'], ['slow-1'], ['slow-1'], ['done']]);
    assert.match(server.output(), /\[trigger python\] invocation failed \(1 records from \d+\): ValueError: cannot process poison-3/);
    assert.match(server.output(), /\[trigger python\] invocation failed \(1 records from \d+\): Sandbox\.Timedout: Task timed out after 1\.00 seconds/);
    assert.match(server.output(), /\[trigger python\] \[ERROR\] ValueError: cannot process poison-3/);
    const remaining = invocations(project.file('python.jsonl'))[0]?.remainingMs ?? 0;
    assert.ok(remaining > 0 && remaining <= 1000, `get_remaining_time_in_millis within the 1 s timeout: ${remaining}`);
  });

  it('`stratusdb triggers` lists the triggers with state and iterator age', async () => {
    await until(async () => {
      const body = (await (await fetch(`${server.endpoint}/stratusdb/triggers`)).json()) as { triggers: { iteratorAgeMs: number }[] };
      return body.triggers.every((t) => t.iteratorAgeMs === 0);
    }, 'every trigger caught up');
    const { stdout } = await run(process.execPath, [cli, 'triggers', '--endpoint', server.endpoint]);
    const lines = stdout.trimEnd().split('\n');
    assert.match(lines[0] as string, /^NAME +TABLE +STATE +ITERATOR AGE +INVOCATIONS +ERRORS +RETRIES +DELIVERED +FILTERED +DISCARDED +LAST RESULT$/);
    assert.deepEqual(lines.slice(1).map((l) => l.split(/ {2,}/).slice(0, 4)), [
      ['hook', 'T-hook', 'Enabled', '0 ms'], ['custom', 'T-custom', 'Enabled', '0 ms'], ['python', 'T-python', 'Enabled', '0 ms'], ['paused', 'T-hook', 'Disabled', '0 ms'],
    ]);
    const json = JSON.parse((await run(process.execPath, [cli, 'triggers', '--endpoint', server.endpoint, '--json'])).stdout) as { name: string; handler: string; invocations: number }[];
    assert.equal(json[3]?.invocations, 0, 'a disabled trigger never runs');
    assert.deepEqual(json.map((t) => t.name), ['hook', 'custom', 'python', 'paused']);
    assert.equal(json[2]?.handler, `python3.12 ${fixturesDir}recording_handler.py#handler`);
  });
});

describe('project file refusals', () => {
  const refusal = async (config: string, fileName: string, message: string) => {
    const project = writeProject(config, fileName);
    await assert.rejects(run(process.execPath, [cli, '--port', '0', '--in-memory', '--config', project.configFile]), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 2);
      assert.equal(error.stderr, `stratusdb: ${project.configFile}: ${message}\n`);
      return true;
    });
  };

  it('stops the start with a message naming the field', async () => {
    await refusal('{"triggers":[{"name":"t","table":"T","handler":"h.js","startingPosition":"LATEST","batchSize":20000}]}', 'stratusdb.config.json',
      'triggers[0].batchSize: must be an integer from 1 to 10000 (got 20000)');
    await refusal('triggers:\n  - name: t\n    table: T\n    handler: h.js\n', 'stratusdb.config.yml', 'triggers[0].startingPosition: is required');
    await refusal('{"trigers":[]}', 'stratusdb.config.json', 'trigers: unknown section (known: triggers, iam)');
    await refusal('{"triggers":', 'stratusdb.config.json', 'not valid JSON: Unexpected end of JSON input');
  });

  it('fails `stratusdb triggers` plainly when no server answers', async () => {
    await assert.rejects(run(process.execPath, [cli, 'triggers', '--endpoint', 'http://127.0.0.1:9']), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /^stratusdb: cannot read triggers from http:\/\/127\.0\.0\.1:9: /);
      return true;
    });
  });
});

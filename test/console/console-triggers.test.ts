// The console's Triggers screen against a server running a project file's trigger: a delivered
// record and a poisoned one (retried once, then discarded) shown with the counters the status page
// has, and both failures listed with the handler's error.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Page } from 'playwright-core';
import { accessibilityViolations, browserMissing, launchBrowser, type ConsoleBrowser } from '../helpers/browser.js';
import { rawRequest } from '../helpers/raw-request.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';
import { fixturesDir, writeProject, type Project } from '../helpers/trigger-project.js';
import { until } from '../helpers/until.js';

describe('web console: triggers', { skip: browserMissing() }, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  let chrome: ConsoleBrowser;
  let page: Page;
  let project: Project;

  before(async () => {
    project = writeProject({});
    mkdirSync(project.file('state'), { recursive: true });
    writeFileSync(project.configFile, JSON.stringify({
      triggers: [{
        name: 'audit', table: 'Audited', handler: `${fixturesDir}recording-handler.mjs#handler`, startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 1,
        environment: { OUT_FILE: project.file('audit.jsonl'), STATE_DIR: project.file('state') },
      }],
    }));
    server = await startServerProcess({ args: ['--config', project.configFile, '--trigger-retry-base-ms', '1'] });
    db = server.client();
    await db.send(new CreateTableCommand({ ...onDemandTable('Audited', ['id', 'S']), StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
    chrome = await launchBrowser();
    page = await chrome.page();
  });
  after(async () => {
    await chrome?.close();
    await server?.dispose();
  });

  it('shows each trigger\'s counters and its latest failures', async () => {
    const status = async (): Promise<Record<string, unknown>> => ((await rawRequest(server.endpoint, { method: 'GET', path: '/stratusdb/triggers' })).json()['triggers'] as Record<string, unknown>[])[0] ?? {};
    // One record delivered before the poisoned one is written: two batches, not one.
    await db.send(new PutItemCommand({ TableName: 'Audited', Item: { id: { S: 'fine' } } }));
    await until(async () => (await status())['recordsDelivered'] === 1, 'the first record to be delivered');
    await db.send(new PutItemCommand({ TableName: 'Audited', Item: { id: { S: 'poison-1' } } }));
    await until(async () => (await status())['recordsDiscarded'] === 1, 'the poisoned record to be discarded');
    await page.goto(`${server.endpoint}/console#/triggers`);
    const row = page.getByRole('table', { name: 'Triggers' }).locator('tbody tr');
    await row.locator('td', { hasText: 'audit' }).first().waitFor();
    const cells = await row.locator('td').allTextContents();
    assert.deepEqual([cells[0], cells[1], cells[2], cells[4]], ['audit', 'Audited', 'us-east-1', 'Enabled']);
    const s = await status();
    // Invocations, errors, retries, delivered, filtered, discarded: as the status page counts them.
    assert.deepEqual(cells.slice(6, 12), ['3', '2', '1', '1', '0', '1']);
    assert.deepEqual([s['invocations'], s['errors'], s['retries'], s['recordsDelivered'], s['recordsFiltered'], s['recordsDiscarded']], [3, 2, 1, 1, 0, 1]);
    const failures = page.getByRole('table', { name: 'Recent failures' }).locator('tbody tr');
    assert.deepEqual(await failures.locator('td:nth-child(4)').allTextContents(), ['discarded: RetryAttemptsExhausted', 'Error: cannot process poison-1', 'Error: cannot process poison-1']);
    assert.deepEqual(await accessibilityViolations(page), []);
    assert.deepEqual(chrome.errors, []);
  });
});

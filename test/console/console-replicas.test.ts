// The console's replicas pane: a replica added in another region from a table's overview, shown
// ACTIVE with its replication link's pending count and lag, a write reaching it, then removed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Page } from 'playwright-core';
import { accessibilityViolations, browserMissing, launchBrowser, type ConsoleBrowser } from '../helpers/browser.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';
import { until } from '../helpers/until.js';

describe('web console: replicas', { skip: browserMissing() }, () => {
  let server: ServerProcess;
  let east: DynamoDBClient;
  let west: DynamoDBClient;
  let chrome: ConsoleBrowser;
  let page: Page;

  before(async () => {
    server = await startServerProcess();
    east = server.client('us-east-1');
    west = server.client('us-west-2');
    await east.send(new CreateTableCommand({ ...onDemandTable('Global', ['id', 'S']), StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
    chrome = await launchBrowser();
    page = await chrome.page();
  });
  after(async () => {
    await chrome?.close();
    await server?.dispose();
  });

  it('adds a replica, shows its link, and removes it', async () => {
    await page.goto(`${server.endpoint}/console#/tables/Global`);
    await page.getByText('Not a global table: no replicas').waitFor();
    await page.getByLabel('Replica region').selectOption('us-west-2');
    await page.getByRole('button', { name: 'Add replica' }).click();
    const replicas = page.getByRole('table', { name: 'Replicas' });
    // The page follows the table while a replica is not ACTIVE.
    await replicas.locator('tbody tr', { hasText: 'us-west-2' }).locator('td', { hasText: 'ACTIVE' }).waitFor();
    assert.deepEqual((await east.send(new DescribeTableCommand({ TableName: 'Global' }))).Table?.Replicas?.map((r) => [r.RegionName, r.ReplicaStatus]), [['us-west-2', 'ACTIVE']]);
    await east.send(new PutItemCommand({ TableName: 'Global', Item: { id: { S: 'hello' } } }));
    await until(async () => (await west.send(new GetItemCommand({ TableName: 'Global', Key: { id: { S: 'hello' } } }))).Item !== undefined, 'the write to reach us-west-2');
    await page.reload();
    const link = replicas.locator('tbody tr', { hasText: 'us-west-2' }).locator('td:nth-child(3)');
    await link.filter({ hasText: /^0 pending, p50 \d+ ms, p99 \d+ ms$/ }).waitFor();
    assert.equal(await replicas.locator('tbody tr', { hasText: 'us-east-1' }).locator('td:nth-child(3)').textContent(), 'this region');
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.getByRole('button', { name: 'Remove replica us-west-2' }).click();
    await replicas.locator('tbody tr', { hasText: 'us-west-2' }).waitFor({ state: 'detached' });
    await until(async () => ((await east.send(new DescribeTableCommand({ TableName: 'Global' }))).Table?.Replicas ?? []).every((r) => r.RegionName !== 'us-west-2'), 'the replica to go');
    assert.deepEqual(chrome.errors, []);
  });
});

// The web console end to end in headless Chromium against a real server process: a table made with
// a GSI and a stream, an item added, refused (DynamoDB's message at the editor) and edited, paged
// through, queried by key and by index, a PartiQL SELECT, a stream record appearing after an SDK
// write, a chart with data, the table deleted; every screen checked by axe-core, in both themes.
// STRATUSDB_CONSOLE_SCREENSHOTS=DIR saves the screenshots docs/console holds.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BatchWriteItemCommand, DeleteTableCommand, DescribeContinuousBackupsCommand, DescribeExportCommand, DescribeImportCommand, ExportTableToPointInTimeCommand, ImportTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, GetItemCommand,
  ListTagsOfResourceCommand, PutItemCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Page } from 'playwright-core';
import { accessibilityViolations, browserMissing, launchBrowser, type ConsoleBrowser } from '../helpers/browser.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { until } from '../helpers/until.js';

const shots = process.env['STRATUSDB_CONSOLE_SCREENSHOTS'];

async function screen(page: Page, name: string): Promise<void> {
  assert.deepEqual(await accessibilityViolations(page), [], `accessibility of ${name}`);
  if (shots !== undefined && shots !== '') await page.screenshot({ path: join(shots, `${name}.png`) });
}

describe('web console in Chromium', { skip: browserMissing() }, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  let chrome: ConsoleBrowser;
  let page: Page;

  before(async () => {
    server = await startServerProcess();
    db = server.client();
    chrome = await launchBrowser();
    page = await chrome.page();
  });
  after(async () => {
    await chrome?.close();
    await server?.dispose();
  });

  it('creates a table with a GSI and a stream from the form', async () => {
    await page.goto(`${server.endpoint}/console`);
    await page.getByText('No tables in this region yet').waitFor();
    await screen(page, 'tables-empty');
    await page.getByRole('button', { name: 'Create table' }).click();
    await page.getByLabel('Table name').fill('Orders');
    await page.getByLabel('Partition key', { exact: true }).fill('customer');
    await page.getByLabel('Sort key (optional)', { exact: true }).fill('order');
    await page.getByRole('button', { name: 'Add global secondary index' }).click();
    await page.getByLabel('GSI 1 name').fill('byStatus');
    await page.getByLabel('GSI 1 partition key', { exact: true }).fill('status');
    await page.getByRole('button', { name: 'Add local secondary index' }).click();
    await page.getByLabel('LSI 1 name').fill('byTotal');
    await page.getByLabel('LSI 1 sort key', { exact: true }).fill('total');
    await page.getByLabel('LSI 1 sort key type', { exact: true }).selectOption('N');
    await page.getByLabel('Stream', { exact: true }).selectOption('NEW_AND_OLD_IMAGES');
    await screen(page, 'create-table');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.waitForURL(/#\/tables\/Orders$/);
    await page.getByRole('cell', { name: 'byStatus', exact: true }).waitFor();
    const table = (await db.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table;
    assert.deepEqual(table?.KeySchema, [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'order', KeyType: 'RANGE' }]);
    assert.deepEqual(table?.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.KeySchema, g.Projection]), [['byStatus', [{ AttributeName: 'status', KeyType: 'HASH' }], { ProjectionType: 'ALL' }]]);
    assert.deepEqual(table?.LocalSecondaryIndexes?.map((l) => [l.IndexName, l.KeySchema]), [['byTotal', [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'total', KeyType: 'RANGE' }]]]);
    assert.deepEqual(table?.AttributeDefinitions?.find((a) => a.AttributeName === 'total'), { AttributeName: 'total', AttributeType: 'N' });
    assert.deepEqual(table?.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    assert.equal(table?.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    await page.getByText('On: NEW_AND_OLD_IMAGES').waitFor();
    await screen(page, 'table-overview');
  });

  it('changes what DynamoDB lets change: TTL, PITR, deletion protection, tags, a GSI added and removed', async () => {
    await page.getByLabel('TTL attribute').fill('expiresAt');
    await page.getByRole('button', { name: 'Turn TTL on' }).click();
    await page.getByText('On: attribute expiresAt').waitFor();
    assert.deepEqual((await db.send(new DescribeTimeToLiveCommand({ TableName: 'Orders' }))).TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    await page.getByRole('button', { name: 'Turn PITR on' }).click();
    await page.getByRole('button', { name: 'Turn PITR off' }).waitFor();
    assert.equal((await db.send(new DescribeContinuousBackupsCommand({ TableName: 'Orders' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'ENABLED');
    await page.getByRole('button', { name: 'Turn deletion protection on' }).click();
    await page.getByRole('button', { name: 'Turn deletion protection off' }).waitFor();
    assert.equal((await db.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table?.DeletionProtectionEnabled, true);
    await page.getByRole('button', { name: 'Turn deletion protection off' }).click();
    await page.getByRole('button', { name: 'Turn deletion protection on' }).waitFor();
    await page.getByLabel('Tag key').fill('team');
    await page.getByLabel('Tag value').fill('orders');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByRole('button', { name: 'Remove tag team' }).waitFor();
    const arn = (await db.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table?.TableArn;
    assert.deepEqual((await db.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'team', Value: 'orders' }]);

    await page.getByRole('button', { name: 'Add global secondary index' }).click();
    await page.getByLabel('Index name').fill('byTotalAll');
    await page.getByLabel('Index partition key', { exact: true }).fill('total');
    await page.getByLabel('Index partition key type', { exact: true }).selectOption('N');
    await page.getByRole('button', { name: 'Add index' }).click();
    const removeIt = page.getByRole('button', { name: 'Delete byTotalAll' });
    await removeIt.waitFor(); // shown once the index is ACTIVE
    assert.deepEqual((await db.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table?.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.IndexStatus]).sort(), [['byStatus', 'ACTIVE'], ['byTotalAll', 'ACTIVE']]);
    page.once('dialog', (dialog) => void dialog.accept());
    await removeIt.click();
    await page.getByRole('cell', { name: 'byTotalAll', exact: true }).waitFor({ state: 'detached' });
    assert.deepEqual((await db.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName), ['byStatus']);
  });

  it('works from the keyboard: Enter opens and submits a form, Escape closes a dialog', async () => {
    await page.goto(`${server.endpoint}/console#/tables`);
    const create = page.getByRole('button', { name: 'Create table' });
    await create.focus();
    await page.keyboard.press('Enter');
    // The dialog takes the focus once it is drawn, which a loaded machine may take a while to do: wait
    // for it to land on the field (a field that never gets it times the test out).
    const isActive = (el: unknown): boolean => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement;
    const focused = async (name: string): Promise<boolean> => {
      const field = await page.getByLabel(name, { exact: true }).elementHandle();
      await page.waitForFunction(isActive, field);
      return field?.evaluate(isActive) ?? false;
    };
    assert.equal(await focused('Table name'), true);
    await page.keyboard.type('Keyboard');
    await page.keyboard.press('Tab');
    assert.equal(await focused('Partition key'), true);
    await page.keyboard.type('id');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/tables\/Keyboard$/);
    assert.deepEqual((await db.send(new DescribeTableCommand({ TableName: 'Keyboard' }))).Table?.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }]);
    await page.goto(`${server.endpoint}/console#/tables`);
    await page.getByRole('button', { name: 'Create table' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await db.send(new DeleteTableCommand({ TableName: 'Keyboard' }));
    await page.goto(`${server.endpoint}/console#/tables/Orders`);
    await page.getByRole('cell', { name: 'byStatus', exact: true }).waitFor();
  });

  it('adds an item, shows DynamoDB\'s refusal at the editor, edits and duplicates it', async () => {
    await page.getByRole('link', { name: 'Items', exact: true }).click();
    await page.getByText('No items').waitFor();
    await page.getByRole('button', { name: 'Create item' }).click();
    const editor = page.getByLabel('Item', { exact: true });
    await editor.fill(JSON.stringify({ customer: 'c1', order: 'o1', status: 'open', total: 12.5, lines: ['a', 'b'] }));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'open', exact: true }).waitFor();
    const stored = await db.send(new GetItemCommand({ TableName: 'Orders', Key: { customer: { S: 'c1' }, order: { S: 'o1' } } }));
    assert.deepEqual(stored.Item, { customer: { S: 'c1' }, order: { S: 'o1' }, status: { S: 'open' }, total: { N: '12.5' }, lines: { L: [{ S: 'a' }, { S: 'b' }] } });

    // A key attribute missing: DynamoDB's own message, tied to the editor.
    await page.getByRole('button', { name: 'Create item' }).click();
    await editor.fill(JSON.stringify({ customer: 'c2', status: 'open' }));
    await page.getByRole('button', { name: 'Save' }).click();
    const refusal = page.getByRole('dialog').getByRole('alert');
    assert.equal(await refusal.textContent(), 'ValidationException: One or more parameter values were invalid: Missing the key order in the item');
    assert.equal(await editor.getAttribute('aria-invalid'), 'true');
    assert.equal(await editor.getAttribute('aria-describedby'), await refusal.getAttribute('id'));
    // The same key again: refused by the create's condition, the stored item unchanged.
    await editor.fill(JSON.stringify({ customer: 'c1', order: 'o1', status: 'overwritten' }));
    await page.getByRole('button', { name: 'Save' }).click();
    assert.equal(await refusal.textContent(), 'ConditionalCheckFailedException: The conditional request failed');
    await screen(page, 'item-editor-error');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Edit c1 / o1' }).click();
    await page.getByRole('radio', { name: 'DynamoDB JSON' }).check();
    assert.deepEqual(JSON.parse(await editor.inputValue()), stored.Item);
    await editor.fill(JSON.stringify({ ...stored.Item, status: { S: 'shipped' }, tags: { SS: ['gift'] } }));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'shipped', exact: true }).waitFor();
    const edited = await db.send(new GetItemCommand({ TableName: 'Orders', Key: { customer: { S: 'c1' }, order: { S: 'o1' } } }));
    assert.deepEqual(edited.Item?.['status'], { S: 'shipped' });
    assert.deepEqual(edited.Item?.['tags'], { SS: ['gift'] });

    await page.getByRole('button', { name: 'Duplicate c1 / o1' }).click();
    // A set cannot be plain JSON: the duplicate opens in DynamoDB JSON.
    assert.equal(await page.getByRole('radio', { name: 'DynamoDB JSON' }).isChecked(), true);
    const copy = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
    await editor.fill(JSON.stringify({ ...copy, order: { S: 'o2' } }));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Edit c1 / o2' }).waitFor();
    const duplicate = await db.send(new GetItemCommand({ TableName: 'Orders', Key: { customer: { S: 'c1' }, order: { S: 'o2' } } }));
    assert.deepEqual(duplicate.Item, { ...edited.Item, order: { S: 'o2' } });
    await screen(page, 'items');
  });

  it('pages through items one Scan page at a time', async () => {
    const writes = Array.from({ length: 118 }, (_, i) => ({ PutRequest: { Item: { customer: { S: `p${String(i).padStart(3, '0')}` }, order: { S: 'o' }, status: { S: i % 2 === 0 ? 'open' : 'closed' } } } }));
    for (let i = 0; i < writes.length; i += 25) await db.send(new BatchWriteItemCommand({ RequestItems: { Orders: writes.slice(i, i + 25) } }));
    await page.getByRole('button', { name: 'Refresh' }).click();
    const status = page.getByText(/^Page \d+:/);
    await page.getByText('Page 1: 50 items, 50 read').waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2: 50 items, 50 read').waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 3: 20 items, 20 read').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 2: 50 items, 50 read').waitFor();
    assert.match((await status.textContent()) ?? '', /^Page 2: 50 items, 50 read, [\d.]+ read units$/);
  });

  it('queries by key and by index', async () => {
    await page.getByRole('link', { name: 'Query', exact: true }).click();
    await page.getByLabel('Partition key', { exact: true }).fill('c1');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByText('2 returned, 2 read, 0.5 read units consumed').waitFor();
    assert.deepEqual(await page.getByRole('table', { name: 'Results' }).locator('tbody tr td:nth-child(2)').allTextContents(), ['o1', 'o2']);
    await page.getByLabel('Descending order').check();
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByRole('table', { name: 'Results' }).locator('tbody tr:first-child td:nth-child(2)', { hasText: 'o2' }).waitFor();

    await page.getByLabel('Table or index').selectOption('byStatus');
    await page.getByLabel('Partition key', { exact: true }).fill('shipped');
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByLabel('Filter 1 attribute').fill('order');
    await page.getByLabel('Filter 1 value').fill('o2');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByText('1 returned, 2 read').waitFor();
    assert.deepEqual(await page.getByRole('table', { name: 'Results' }).locator('tbody tr td:nth-child(1)').allTextContents(), ['shipped']);
    await screen(page, 'query');
  });

  it('runs a PartiQL SELECT, highlighted as typed', async () => {
    await page.getByRole('link', { name: 'PartiQL' }).click();
    const statement = page.getByRole('textbox', { name: 'Statement' });
    await statement.fill('SELECT customer, "order", total FROM "Orders" WHERE customer = \'c1\' AND "order" = \'o1\'');
    assert.deepEqual(await page.locator('.t-keyword').allTextContents(), ['SELECT', 'FROM', 'WHERE', 'AND']);
    assert.deepEqual(await page.locator('.t-string').allTextContents(), ["'c1'", "'o1'"]);
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByText('1 items, 0.5 capacity units consumed').waitFor();
    const grid = page.getByRole('table', { name: 'Statement results' });
    assert.deepEqual(await grid.locator('thead th').allTextContents(), ['customerS', 'orderS', 'totalN']);
    assert.deepEqual(await grid.locator('tbody td').allTextContents(), ['c1', 'o1', '12.5']);
    await statement.fill('SELECT * FROM "Nope"');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByRole('alert').filter({ hasText: 'ResourceNotFoundException' }).waitFor();
    await statement.fill('SELECT * FROM "Orders" WHERE customer = \'c1\'');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByText('2 items').waitFor();
    await screen(page, 'partiql');
  });

  it('shows a stream record as it arrives after an SDK write, with the images\' difference', async () => {
    await page.goto(`${server.endpoint}/console#/tables/Orders/stream`);
    // Shown once every open shard has its LATEST iterator: a write from now on is seen.
    await page.getByText('Waiting for changes… (following 1 shard)').waitFor();
    await db.send(new PutItemCommand({ TableName: 'Orders', Item: { customer: { S: 'live' }, order: { S: 'o9' }, status: { S: 'new' } } }));
    const records = page.getByRole('list', { name: 'Stream records' }).locator('> li');
    await records.filter({ hasText: 'INSERT' }).waitFor();
    assert.equal(await records.first().locator('.record-head .mono').textContent(), 'customer=live, order=o9');
    await db.send(new UpdateItemCommand({ TableName: 'Orders', Key: { customer: { S: 'live' }, order: { S: 'o9' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'paid' } } }));
    await records.filter({ hasText: 'MODIFY' }).waitFor();
    assert.equal(await records.count(), 2);
    assert.deepEqual(await records.first().locator('.diff li').allTextContents(), ['status: new → paid']);
    await screen(page, 'stream');
  });

  it('charts the table\'s metrics', async () => {
    await page.getByRole('link', { name: 'Metrics' }).click();
    const capacity = page.getByRole('img', { name: /^Consumed capacity \(units per minute\): \d+ points; latest read [\d.]+, write [\d.]+$/ });
    await capacity.waitFor();
    assert.equal(await page.locator('figure.chart canvas').count() >= 3, true);
    const latency = await page.getByRole('img', { name: /^Latency/ }).getAttribute('aria-label');
    assert.match(latency ?? '', /PutItem [\d.]+/);
    await screen(page, 'metrics');
  });

  it('lists triggers and backups, and passes the accessibility check in the dark theme', async () => {
    await page.getByRole('link', { name: 'Triggers' }).click();
    await page.getByText('No triggers on this server').waitFor();
    await screen(page, 'triggers');
    await page.getByRole('link', { name: 'Backups' }).click();
    await page.getByLabel('Backup name').fill('before-delete');
    await page.getByRole('button', { name: 'Create backup' }).click();
    await page.getByRole('cell', { name: 'before-delete', exact: true }).waitFor();
    // Point in time: the slider's second, restored into a new table.
    await page.getByLabel('Table to restore').selectOption('Orders');
    const second = page.getByRole('slider');
    await second.waitFor();
    const chosen = Number(await second.inputValue());
    await page.getByLabel('New table name').fill('OrdersAsOf');
    await screen(page, 'backups');
    await page.getByRole('button', { name: 'Restore to this second' }).click();
    await page.getByRole('status').filter({ hasText: 'Restoring Orders as of' }).waitFor();
    await until(async () => (await db.send(new DescribeTableCommand({ TableName: 'OrdersAsOf' }))).Table?.TableStatus === 'ACTIVE', 'the restored table');
    const summary = (await db.send(new DescribeTableCommand({ TableName: 'OrdersAsOf' }))).Table?.RestoreSummary;
    assert.equal(summary?.SourceTableArn, (await db.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table?.TableArn);
    assert.equal(summary?.RestoreDateTime?.getTime(), chosen * 1000);
    await db.send(new DeleteTableCommand({ TableName: 'OrdersAsOf' }));
    // An export made through the SDK, and an import of its data into a new table: listed with their progress once finished.
    const orders = (await db.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table?.TableArn as string;
    const exportArn = (await db.send(new ExportTableToPointInTimeCommand({ TableArn: orders, S3Bucket: 'console-exports' }))).ExportDescription?.ExportArn as string;
    await until(async () => (await db.send(new DescribeExportCommand({ ExportArn: exportArn }))).ExportDescription?.ExportStatus !== 'IN_PROGRESS', 'the export to finish');
    const exported = (await db.send(new DescribeExportCommand({ ExportArn: exportArn }))).ExportDescription;
    assert.equal(exported?.ExportStatus, 'COMPLETED');
    const importArn = (await db.send(new ImportTableCommand({
      S3BucketSource: { S3Bucket: 'console-exports', S3KeyPrefix: `${exported?.ExportManifest?.replace(/manifest-summary\.json$/, '')}data/` }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP',
      TableCreationParameters: {
        TableName: 'Imported', BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'customer', AttributeType: 'S' }, { AttributeName: 'order', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'order', KeyType: 'RANGE' }],
      },
    }))).ImportTableDescription?.ImportArn as string;
    await until(async () => (await db.send(new DescribeImportCommand({ ImportArn: importArn }))).ImportTableDescription?.ImportStatus !== 'IN_PROGRESS', 'the import to finish');
    const imported = (await db.send(new DescribeImportCommand({ ImportArn: importArn }))).ImportTableDescription;
    assert.deepEqual([imported?.ImportStatus, imported?.ImportedItemCount], ['COMPLETED', exported?.ItemCount]);
    await page.reload();
    const exportRow = page.getByRole('table', { name: 'Exports' }).locator('tbody tr');
    await exportRow.locator('td', { hasText: 'COMPLETED' }).waitFor();
    const exportCells = await exportRow.locator('td').allTextContents();
    assert.deepEqual(exportCells.slice(0, 3), [exportArn.split('/').pop(), 'FULL_EXPORT', 'COMPLETED']);
    assert.match(exportCells[3] ?? '', new RegExp(`^Orders: ${exported?.ItemCount} items, `));
    const importCells = await page.getByRole('table', { name: 'Imports' }).locator('tbody tr td').allTextContents();
    assert.deepEqual([importCells[0], importCells[2], importCells[3]], ['Imported', 'COMPLETED', `${imported?.ProcessedItemCount} processed, ${exported?.ItemCount} imported, 0 errors`]);
    assert.deepEqual(await accessibilityViolations(page), []);
    await db.send(new DeleteTableCommand({ TableName: 'Imported' }));
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    assert.equal(await page.getByRole('button', { name: 'Dark theme' }).getAttribute('aria-pressed'), 'true');
    await page.getByRole('link', { name: 'Tables', exact: true }).click();
    await page.getByRole('link', { name: 'Orders' }).waitFor();
    await screen(page, 'tables-dark');
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await page.locator('html[data-theme="light"]').waitFor({ state: 'attached' });
  });

  it('deletes an item, then the table after its name is typed', async () => {
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('link', { name: 'Items', exact: true }).click();
    await page.getByLabel('Items per page').selectOption('250');
    await page.getByText('Page 1: 121 items, 121 read').waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete c1 / o2' }).click();
    await page.getByRole('button', { name: 'Delete c1 / o2' }).waitFor({ state: 'detached' });
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Orders', Key: { customer: { S: 'c1' }, order: { S: 'o2' } } }))).Item, undefined);
    assert.notEqual((await db.send(new GetItemCommand({ TableName: 'Orders', Key: { customer: { S: 'c1' }, order: { S: 'o1' } } }))).Item, undefined);
    await page.getByRole('button', { name: 'Delete table' }).click();
    const confirm = page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true });
    assert.equal(await confirm.isDisabled(), true);
    await page.getByLabel('Type the table name to confirm').fill('Orders');
    await confirm.click();
    await page.waitForURL(/#\/tables$/);
    await page.getByText('No tables in this region yet').waitFor();
    await assert.rejects(db.send(new DescribeTableCommand({ TableName: 'Orders' })), { name: 'ResourceNotFoundException' });
    assert.deepEqual(chrome.errors, []);
  });
});

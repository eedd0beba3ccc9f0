// The console on a server that verifies requests (--auth iam): a sign-in with access keys, a wrong
// secret refused with AWS's exception, the root making a user, an access key and the user's policies
// on the Users page (a malformed one refused with IAM's message; a managed one attached and detached),
// and that user — allowed to read only — refused CreateTable with IAM's message.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListAttachedUserPoliciesCommand, ListUserPoliciesCommand } from '@aws-sdk/client-iam';
import type { Page } from 'playwright-core';
import { destroyClients, iam, root, startAuthServer } from '../helpers/auth.js';
import { accessibilityViolations, browserMissing, launchBrowser, type ConsoleBrowser } from '../helpers/browser.js';
import type { ServerProcess } from '../helpers/server-process.js';

async function signIn(page: Page, accessKeyId: string, secret: string): Promise<void> {
  await page.getByLabel('Access key ID').fill(accessKeyId);
  await page.getByLabel('Secret access key').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('web console with --auth iam', { skip: browserMissing() }, () => {
  let server: ServerProcess;
  let chrome: ConsoleBrowser;
  let page: Page;

  before(async () => {
    server = await startAuthServer('iam');
    chrome = await launchBrowser();
    page = await chrome.page();
  });
  after(async () => {
    destroyClients();
    await chrome?.close();
    await server?.dispose();
  });

  it('asks for access keys, and refuses a wrong secret with AWS\'s exception', async () => {
    await page.goto(`${server.endpoint}/console`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    await signIn(page, root.accessKeyId, 'not-the-secret');
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    assert.match((await refusal.textContent()) ?? '', /^InvalidSignatureException: The request signature we calculated does not match the signature you provided\./);
    await signIn(page, root.accessKeyId, root.secretAccessKey);
    await page.getByText('No tables in this region yet').waitFor();
  });

  it('makes a user and an access key on the Users page; that user signs in and is refused what its policy does not allow', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('New user name').fill('reader');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('button', { name: 'Create access key for reader' }).click();
    const shown = page.getByRole('status');
    await shown.waitFor();
    const [accessKeyId, secret] = await shown.locator('.mono').allTextContents();
    assert.match(accessKeyId ?? '', /^AKIA[A-Z0-9]{16}$/);
    // The key is shown as soon as it is made; the users' list is read again after it.
    const keyCells = page.getByRole('table', { name: 'Users' }).locator('tbody td:nth-child(2)');
    await keyCells.filter({ hasText: accessKeyId ?? '' }).waitFor();
    assert.deepEqual(await keyCells.allTextContents(), [`${accessKeyId} (Active)`]);
    assert.deepEqual(await accessibilityViolations(page), []);
    // A policy for the user, written on the page: IAM's refusal of a malformed one first.
    const users = page.getByRole('table', { name: 'Users' });
    await page.getByLabel('User', { exact: true }).selectOption('reader');
    await page.getByLabel('Policy name').fill('read-only');
    await page.getByLabel('Policy document').fill('{"Version": "2012-10-17", "Statement": [');
    await page.getByRole('button', { name: 'Put inline policy' }).click();
    const malformed = page.getByRole('alert');
    await malformed.waitFor();
    assert.equal(await malformed.textContent(), 'MalformedPolicyDocument: Syntax errors in policy.');
    await page.getByLabel('Policy document').fill(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:List*', 'dynamodb:Describe*'], Resource: '*' }] }));
    await page.getByRole('button', { name: 'Put inline policy' }).click();
    await users.locator('tbody td:nth-child(4)', { hasText: 'read-only' }).waitFor();
    // A managed policy made and attached here, then detached: the user keeps only the inline one.
    await page.getByLabel('Policy name').fill('no-deletes');
    await page.getByLabel('Policy document').fill(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'dynamodb:DeleteTable', Resource: '*' }] }));
    await page.getByRole('button', { name: 'Create managed policy and attach' }).click();
    await users.locator('tbody td:nth-child(3)', { hasText: 'no-deletes' }).waitFor();
    assert.deepEqual((await iam(server).send(new ListAttachedUserPoliciesCommand({ UserName: 'reader' }))).AttachedPolicies?.map((p) => p.PolicyArn), ['arn:aws:iam::000000000000:policy/no-deletes']);
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.getByLabel('Managed policy').selectOption({ label: 'no-deletes' });
    await page.getByRole('button', { name: 'Detach policy' }).click();
    await users.locator('tbody td:nth-child(3)', { hasText: '—' }).waitFor();
    assert.deepEqual((await iam(server).send(new ListUserPoliciesCommand({ UserName: 'reader' }))).PolicyNames, ['read-only']);
    assert.deepEqual((await iam(server).send(new ListAttachedUserPoliciesCommand({ UserName: 'reader' }))).AttachedPolicies, []);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, accessKeyId ?? '', secret ?? '');
    // Still on the Users page, which this user may not read: IAM's refusal is shown there.
    const denied = page.getByRole('alert');
    await denied.waitFor();
    assert.equal(await denied.textContent(), 'AccessDeniedException: User: arn:aws:iam::000000000000:user/reader is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::000000000000:user/ because no identity-based policy allows the iam:ListUsers action');
    await page.getByRole('link', { name: 'Tables' }).click();
    await page.getByText('No tables in this region yet').waitFor();
    await page.getByRole('button', { name: 'Create table' }).click();
    await page.getByLabel('Table name').fill('Nope');
    await page.getByLabel('Partition key', { exact: true }).fill('id');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const refusal = page.getByRole('dialog').getByRole('alert');
    await refusal.waitFor();
    assert.equal(await refusal.textContent(), 'AccessDeniedException: User: arn:aws:iam::000000000000:user/reader is not authorized to perform: dynamodb:CreateTable on resource: arn:aws:dynamodb:us-east-1:000000000000:table/Nope because no identity-based policy allows the dynamodb:CreateTable action');
    assert.deepEqual(chrome.errors, []);
  });
});

// The console's three numbers, in headless Chromium (Debian's, or STRATUSDB_CHROMIUM) against a
// real server:
//  1. first load: a fresh browser profile opening /console until the tables list is drawn, and the
//     bytes that crossed the wire for it (compressed, as sent);
//  2. the items page of a 100,000-item table: from clicking "Items" until its first row is drawn, and
//     the Scan requests the page sent (one, with Limit 50 — never the whole table);
//  3. a stream record written through the SDK until it is drawn in the live view (the arrival is
//     stamped in the page by a MutationObserver; the write's acknowledgement in Node, same clock).
// Each for `rounds` rounds; medians and worst reported. Baseline in the same run: the same write
// read back by a plain GetRecords loop (what any consumer sees), so the view's own cost is apparent.
//   npm run bench -- --console [--rounds 5] [--records 100000]
import { existsSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { quantile } from './background-load.js';
import { Client, waitActive } from './client.js';
import { startTarget } from './targets.js';

const big = 'BigTable';
const live = 'LiveTable';
const streams = 'DynamoDBStreams_20120810';

function chromiumPath(): string {
  const path = [process.env['STRATUSDB_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p !== undefined && p !== '' && existsSync(p));
  if (path === undefined) throw new Error('no Chromium: apt-get install chromium, or set STRATUSDB_CHROMIUM');
  return path;
}

async function fill(client: Client, records: number): Promise<void> {
  await client.call('CreateTable', JSON.stringify({
    TableName: big, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
  await waitActive(client, big);
  const batches = Math.ceil(records / 25);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches) {
      const b = next++;
      const items = Array.from({ length: Math.min(25, records - b * 25) }, (_, i) => {
        const n = b * 25 + i;
        return { PutRequest: { Item: { pk: { S: `user-${String(n).padStart(7, '0')}` }, name: { S: `Name ${n}` }, age: { N: String(n % 90) }, active: { BOOL: n % 3 === 0 }, tags: { SS: ['a', `t${n % 7}`] } } } };
      });
      const res = await client.call('BatchWriteItem', JSON.stringify({ RequestItems: { [big]: items } }));
      if (res.status !== 200 || !res.text.includes('"UnprocessedItems":{}')) throw new Error(`BatchWriteItem: ${res.status} ${res.text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

const ms = (values: readonly number[]): string => `median ${Number(quantile(values, 0.5)).toFixed(0)} ms, worst ${Math.max(...values).toFixed(0)} ms`;

export async function runConsoleBench(rounds: number, records: number): Promise<void> {
  const target = await startTarget('stratusdb', 18_900);
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  try {
    const client = new Client(target.endpoint, 16);
    const started = performance.now();
    await fill(client, records);
    console.log(`${records} items written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await client.call('CreateTable', JSON.stringify({
      TableName: live, BillingMode: 'PAY_PER_REQUEST', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }));
    await waitActive(client, live);

    // 1. First load, each round in a fresh profile (nothing cached).
    const loads: number[] = [];
    let shipped = 0;
    let files = 0;
    for (let round = 0; round < rounds; round++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      const sizes: Promise<number>[] = [];
      page.on('requestfinished', (request) => {
        if (request.url().includes('/console')) sizes.push(request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize));
      });
      const t0 = performance.now();
      await page.goto(`${target.endpoint}/console`);
      await page.getByRole('link', { name: big }).waitFor();
      loads.push(performance.now() - t0);
      const all = await Promise.all(sizes);
      shipped = all.reduce((a, b) => a + b, 0);
      files = all.length;
      await context.close();
    }
    console.log(`first load (fresh profile, until the tables list is drawn): ${ms(loads)}; ${files} files, ${(shipped / 1024).toFixed(1)} KB on the wire`);

    // 2. The items page of the big table.
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const scans: string[] = [];
    page.on('request', (request) => {
      if (request.headers()['x-amz-target'] === 'DynamoDB_20120810.Scan') scans.push(request.postData() ?? '');
    });
    const itemsTimes: number[] = [];
    const inPage: number[] = [];
    const scansPerPage: number[] = [];
    let limits = '';
    for (let round = 0; round < rounds; round++) {
      await page.goto(`${target.endpoint}/console#/tables/${big}/overview`);
      await page.getByRole('heading', { name: 'Indexes' }).waitFor();
      // In the page: from the click's event to the 50th row in the DOM (no driver overhead).
      await page.evaluate(() => {
        const g = globalThis as unknown as { document: { addEventListener(t: string, f: () => void, c: boolean): void; querySelector(s: string): unknown; body: unknown }; MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void; disconnect(): void }; performance: { now(): number }; itemsTiming: { clicked?: number; drawn?: number } };
        g.itemsTiming = {};
        g.document.addEventListener('click', () => (g.itemsTiming.clicked ??= g.performance.now()), true);
        const observer = new g.MutationObserver(() => {
          if (g.document.querySelector('table[aria-label="Items"] tbody tr:nth-child(50)') !== null) {
            g.itemsTiming.drawn ??= g.performance.now();
            observer.disconnect();
          }
        });
        observer.observe(g.document.body, { childList: true, subtree: true });
      });
      scans.length = 0;
      const t0 = performance.now();
      await page.getByRole('link', { name: 'Items', exact: true }).click();
      await page.getByRole('table', { name: 'Items' }).locator('tbody tr:nth-child(50)').waitFor();
      itemsTimes.push(performance.now() - t0);
      const timing = await page.evaluate(() => (globalThis as unknown as { itemsTiming: { clicked: number; drawn: number } }).itemsTiming);
      inPage.push(timing.drawn - timing.clicked);
      scansPerPage.push(scans.length);
      limits = scans.map((body) => `Limit ${(JSON.parse(body) as { Limit?: number }).Limit ?? 'none'}`).join(', ');
    }
    const status = page.getByText(/^Page 1: 50 items/);
    await status.waitFor();
    const read = /Page 1: (\d+) items, (\d+) read/.exec((await status.textContent()) ?? '')?.[2] ?? '?';
    console.log(`items page of a ${records}-item table, click to first page drawn: in the page ${ms(inPage)}; as the driver sees it ${ms(itemsTimes)}; Scan requests per page: ${scansPerPage.join(', ')} (${limits}), items read for the page: ${read}`);

    // 3. Stream records into the live view, against a plain GetRecords loop.
    await page.goto(`${target.endpoint}/console#/tables/${live}/stream`);
    await page.getByText(/^Waiting for changes… \(following/).waitFor();
    await page.evaluate(() => {
      const g = globalThis as unknown as { document: { querySelector(s: string): unknown }; MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void }; performance: { timeOrigin: number; now(): number }; arrivals: Record<string, number> };
      g.arrivals = {};
      const list = g.document.querySelector('ol.records') as { querySelectorAll(s: string): { textContent: string }[] };
      new g.MutationObserver(() => {
        for (const head of list.querySelectorAll('.record-head .mono')) {
          const key = head.textContent.replace('pk=', '');
          g.arrivals[key] ??= g.performance.timeOrigin + g.performance.now();
        }
      }).observe(list, { childList: true, subtree: true });
    });
    const arn = (JSON.parse((await client.call('DescribeTable', JSON.stringify({ TableName: live }))).text) as { Table: { LatestStreamArn: string } }).Table.LatestStreamArn;
    const shard = (JSON.parse((await client.call(`${streams}.DescribeStream`, JSON.stringify({ StreamArn: arn }))).text) as { StreamDescription: { Shards: { ShardId: string }[] } }).StreamDescription.Shards.at(-1)?.ShardId;
    let iterator = (JSON.parse((await client.call(`${streams}.GetShardIterator`, JSON.stringify({ StreamArn: arn, ShardId: shard, ShardIteratorType: 'LATEST' }))).text) as { ShardIterator: string }).ShardIterator;
    const viewLags: number[] = [];
    const pollLags: number[] = [];
    const samples = Math.max(10, rounds * 4);
    for (let i = 0; i < samples; i++) {
      const key = `w${i}`;
      await client.call('PutItem', JSON.stringify({ TableName: live, Item: { pk: { S: key }, n: { N: String(i) } } }));
      const acked = performance.timeOrigin + performance.now();
      // The plain consumer: GetRecords until the record is there.
      for (;;) {
        const page2 = JSON.parse((await client.call(`${streams}.GetRecords`, JSON.stringify({ ShardIterator: iterator }))).text) as { Records: unknown[]; NextShardIterator: string };
        iterator = page2.NextShardIterator;
        if (page2.Records.length > 0) break;
      }
      pollLags.push(performance.timeOrigin + performance.now() - acked);
      const arrived = await waitArrival(page, key);
      viewLags.push(arrived - acked);
      // Writes spaced out, so each lands at a random point of the view's poll cycle.
      await new Promise((resolve) => setTimeout(resolve, 137 + (i * 53) % 200));
    }
    console.log(`stream record, SDK write acknowledged → drawn in the live view (${samples} writes): ${ms(viewLags)}; baseline, a GetRecords loop: ${ms(pollLags)}`);
    await context.close();
  } finally {
    await browser.close();
    await target.stop();
  }
}

async function waitArrival(page: Page, key: string): Promise<number> {
  const handle = await page.waitForFunction((k) => (globalThis as unknown as { arrivals: Record<string, number> }).arrivals[k], key, { polling: 20 });
  return (await handle.jsonValue()) as number;
}

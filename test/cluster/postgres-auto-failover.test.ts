// The HA recipe of docs/deploy.md, automated: pg_auto_failover's monitor and two PostgreSQL servers
// (primary and synchronous standby, each run by its keeper); two StratusDB nodes on the URL naming
// both take writes; once a fixed number has been acknowledged the primary's keeper and PostgreSQL are
// killed (-9) and nothing else is done — the monitor promotes the standby by itself. Writers retry
// what is refused meanwhile (InternalServerError, which SDKs retry). Afterwards every acknowledged
// write is there, read through both nodes; the write outage is printed, not asserted. Skipped, with
// the reason, without pg_autoctl (.ci/run installs it).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startAutoFailover, type AutoFailover } from '../helpers/auto-failover.js';
import { assertAllPresent, runLedger } from '../helpers/ledger-workload.js';
import { startNodes, type ServerProcess } from '../helpers/server-process.js';
import { until } from '../helpers/until.js';

const cluster = await startAutoFailover();
const skip = typeof cluster === 'string' ? cluster : false;
if (skip !== false) console.log(`# ${skip}`);

describe('automatic failover with pg_auto_failover', { skip }, () => {
  const nodes: ServerProcess[] = [];
  after(async () => {
    await Promise.all(nodes.map((n) => n.dispose()));
    if (typeof cluster !== 'string') cluster.stop();
  });

  it('keeps every acknowledged write when the primary dies and the monitor promotes the standby', { timeout: 300_000 }, async () => {
    const ha = cluster as AutoFailover;
    const [first, second] = await ha.states();
    nodes.push(...(await startNodes(2, { data: ha.url })));
    const db = nodes.map((n) => n.client());
    const run = await runLedger(db, { writers: 8, writesPerWriter: 60, failAfter: 150, attemptsMax: 4800, fail: () => ha.killPrimary() });
    await assertAllPresent(db, run.acknowledged);
    // The standby is the primary now (wait_primary until the old primary comes back as its standby).
    const promoted = (second ?? '').split(':')[0];
    await until(async () => (await ha.states()).some((s) => s.startsWith(`${promoted}:wait_primary/`) || s.startsWith(`${promoted}:primary/`)), 'the monitor to report the promotion');
    assert.match(first ?? '', /:primary\/primary$/);
    console.log(`pg_auto_failover: ${run.acknowledged.size} writes acknowledged, all present; ${run.refused} refused while failing over; write outage ${run.outageSeconds.toFixed(2)} s`);
  });
});

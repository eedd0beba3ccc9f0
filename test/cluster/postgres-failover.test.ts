// Failover without losing an acknowledged write: two StratusDB nodes on a replicated PostgreSQL (a
// primary and a synchronous standby, named together in the --data URL) take writes; once a fixed
// number has been acknowledged the primary is stopped as a crash would stop it, and the standby is
// promoted (what a failover manager such as pg_auto_failover or Patroni does). Writers retry what is
// refused meanwhile (InternalServerError, which SDKs retry). Afterwards every acknowledged write is
// there, read through both nodes. The write outage is measured and printed, not asserted.
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { startReplicatedPostgres, type ReplicatedPostgres } from '../helpers/postgres-cluster.js';
import { startNodes, type ServerProcess } from '../helpers/server-process.js';
import { assertAllPresent, runLedger } from '../helpers/ledger-workload.js';
import { until } from '../helpers/until.js';

const pair = await startReplicatedPostgres();
const skip = typeof pair === 'string' ? pair : false;
if (skip !== false) console.log(`# ${skip}`);

const writers = 8;
const writesPerWriter = 60;
/** The primary goes down once this many writes have been acknowledged. */
const failAfter = 150;
/** Attempts of one write before the test gives up on it (with a pause between them: a safety net). */
const attemptsMax = 600;

describe('failover to a synchronous standby', { skip }, () => {
  const nodes: ServerProcess[] = [];
  after(async () => {
    await Promise.all(nodes.map((n) => n.dispose()));
    if (typeof pair !== 'string') pair.stop();
  });

  it('keeps every acknowledged write when the primary dies and the standby takes over', { timeout: 240_000 }, async () => {
    const { primary, standby } = pair as ReplicatedPostgres;
    // The standby is synchronous: the primary acknowledges a commit only once the standby has it.
    const check = new pg.Client({ connectionString: primary.url });
    await check.connect();
    try {
      await until(async () => (await check.query<{ sync_state: string }>('SELECT sync_state FROM pg_stat_replication')).rows[0]?.sync_state === 'sync', 'a synchronous standby');
    } finally {
      await check.end();
    }
    const data = `postgres://stratusdb@127.0.0.1:${primary.port},127.0.0.1:${standby.port}/postgres?schema=failover`;
    nodes.push(...(await startNodes(2, { data })));
    const db = nodes.map((n) => n.client());
    const run = await runLedger(db, {
      writers, writesPerWriter, failAfter, attemptsMax,
      fail: () => {
        primary.crash();
        (pair as ReplicatedPostgres).promote();
      },
    });
    await assertAllPresent(db, run.acknowledged);
    console.log(`failover: ${run.acknowledged.size} writes acknowledged, all present; ${run.refused} refused while the primary was down; write outage ${run.outageSeconds.toFixed(2)} s`);
  });
});

// A capacity change auto scaling asks for, made as an UpdateTable of the table's (or a GSI's)
// provisioned throughput — with UpdateTable's checks, so DynamoDB's decrease limits hold. The engine
// calls it (injected by main.ts).
import type { CapacityChange } from '../engine/auto-scaling.js';
import type { Engine } from '../engine/engine.js';
import type { TableRecord } from '../model/table.js';
import { applyReplicatedUpdate } from './operations/update-table.js';

export async function scaleCapacity(engine: Engine, table: TableRecord, change: CapacityChange): Promise<void> {
  const current = change.index === undefined ? table.ProvisionedThroughput : table.GlobalSecondaryIndexes.find((g) => g.IndexName === change.index)?.ProvisionedThroughput;
  if (current === undefined) return;
  const throughput = {
    ReadCapacityUnits: change.kind === 'read' ? change.units : current.ReadCapacityUnits,
    WriteCapacityUnits: change.kind === 'write' ? change.units : current.WriteCapacityUnits,
  };
  const body = change.index === undefined ? { ProvisionedThroughput: throughput } : { GlobalSecondaryIndexUpdates: [{ Update: { IndexName: change.index, ProvisionedThroughput: throughput } }] };
  await applyReplicatedUpdate(engine, table.region, table.TableName, body);
}

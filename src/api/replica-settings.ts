// A settings change another replica of a global table made — an UpdateTable (GSIs, capacity, billing,
// encryption, class) or an UpdateTimeToLive — or replica auto scaling set in another region, applied to
// this server's replica in `region`, with the operation's own checks. The engine calls it (injected by
// main.ts) for its replicas and for its peers'.
import type { Engine } from '../engine/engine.js';
import type { ReplicaSettings } from '../engine/global-table-service.js';
import { updateTimeToLive } from './operations/time-to-live.js';
import { applyReplicatedUpdate } from './operations/update-table.js';
import { applyReplicaAutoScaling } from './operations/replica-auto-scaling.js';

export async function applyReplicaSettings(engine: Engine, region: string, table: string, settings: ReplicaSettings): Promise<void> {
  if (settings.operation === 'UpdateTable') return applyReplicatedUpdate(engine, region, table, settings.input);
  if (settings.operation === 'UpdateTableReplicaAutoScaling') return applyReplicaAutoScaling(engine, region, table, settings.input);
  const spec = updateTimeToLive.decode({ ...settings.input, TableName: table }).TimeToLiveSpecification;
  await engine.tables.updateTimeToLive(region, table, spec.Enabled, spec.AttributeName);
}

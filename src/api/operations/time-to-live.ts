// UpdateTimeToLive and DescribeTimeToLive. A change shows ENABLING / DISABLING for a moment
// (--ttl-transition-ms), and DynamoDB refuses another change to the same table within an hour
// (--ttl-change-interval-ms); the table service decides both. Expired items are deleted by the
// engine's sweeper (engine/ttl-sweep.ts).
import { onTable, operation } from '../operation.js';
import { bool, members, str, struct, tableName } from '../validate/shape.js';
import { decodeTableName, tableNameOnly } from './describe-table.js';

export const updateTimeToLive = operation({
  name: 'UpdateTimeToLive',
  kind: 'control',
  members: members([
    ['TableName', tableName({ notNull: true })],
    ['TimeToLiveSpecification', struct('TimeToLiveSpecification', [
      // AWS reports a missing AttributeName before a missing Enabled (recorded in 2026).
      ['AttributeName', str({ notNull: true, lengthMin: 1, lengthMax: 255 })],
      ['Enabled', bool({ notNull: true })],
    ], { notNull: true })],
  ]),
  permissions: (input, ctx) => onTable('UpdateTimeToLive', input.TableName, ctx),
  async execute({ engine }, ctx, input) {
    const spec = input.TimeToLiveSpecification;
    engine.tables.requireUsable(ctx.region, input.TableName);
    const updated = await engine.tables.updateTimeToLive(ctx.region, input.TableName, spec.Enabled, spec.AttributeName);
    // A global table's other replicas take it too, as on AWS.
    if (updated.replication !== undefined) await engine.globalTables.propagate(updated, { operation: 'UpdateTimeToLive', input: { TimeToLiveSpecification: { AttributeName: spec.AttributeName, Enabled: spec.Enabled } } });
    return { body: { TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName } } };
  },
});

export const describeTimeToLive = operation({
  name: 'DescribeTimeToLive',
  kind: 'control',
  members: tableNameOnly,
  decode: decodeTableName(false),
  permissions: (input, ctx) => onTable('DescribeTimeToLive', input.TableName, ctx),
  async execute({ engine }, ctx, input) {
    const table = engine.tables.require(ctx.region, input.TableName);
    const status = engine.tables.ttlStatus(table);
    const attribute = status === 'DISABLED' ? undefined : table.TimeToLive?.AttributeName;
    return { body: { TimeToLiveDescription: { TimeToLiveStatus: status, AttributeName: attribute } } };
  },
});

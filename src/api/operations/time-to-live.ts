// UpdateTimeToLive and DescribeTimeToLive. A change shows ENABLING / DISABLING for a moment
// (--ttl-transition-ms), and DynamoDB refuses another change to the same table within an hour
// (--ttl-change-interval-ms). Expired items are deleted by the engine's sweeper (engine/ttl.ts).
import type { Operation } from '../context.js';
import { ResourceNotFoundException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { bool, str, struct, tableName, type Members } from '../validate/shape.js';
import { validateInput } from '../validate/validate-input.js';
import { tableNameInput } from './describe-table.js';

const shape: Members = [
  ['TableName', tableName({ notNull: true })],
  ['TimeToLiveSpecification', struct('TimeToLiveSpecification', [
    ['Enabled', bool({ notNull: true })],
    ['AttributeName', str({ notNull: true, lengthMin: 1, lengthMax: 255 })],
  ], { notNull: true })],
];

interface UpdateTimeToLiveInput {
  readonly TableName: string;
  readonly TimeToLiveSpecification: { readonly Enabled: boolean; readonly AttributeName: string };
}

export const updateTimeToLive: Operation = async (engine, ctx, body) => {
  const input = validateInput<UpdateTimeToLiveInput>(body, shape);
  const spec = input.TimeToLiveSpecification;
  engine.requireUsableTable(ctx.region, input.TableName);
  const now = engine.options.clock.now();
  const gone = () => new ResourceNotFoundException(messages.resourceNotFound);
  await engine.reviseTable(ctx.region, input.TableName, (latest) => {
    if (latest.TableStatus === 'CREATING' || latest.TableStatus === 'DELETING') throw gone();
    const current = latest.TimeToLive;
    if (spec.Enabled && current?.Enabled === true) throw new ValidationException(messages.ttlAlreadyEnabled);
    if (!spec.Enabled && current?.Enabled !== true) throw new ValidationException(messages.ttlAlreadyDisabled);
    if (current !== undefined && now < current.ChangedAt + (engine.options.ttlChangeIntervalMs ?? 0)) throw new ValidationException(messages.ttlChangedTooOften);
    // Disabling keeps the attribute's name: DISABLING still shows it.
    const attribute = spec.Enabled || current === undefined ? spec.AttributeName : current.AttributeName;
    return { ...latest, TimeToLive: { AttributeName: attribute, Enabled: spec.Enabled, ChangedAt: now } };
  }, gone);
  return JSON.stringify({ TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName } });
};

export const describeTimeToLive: Operation = async (engine, ctx, body) => {
  const table = engine.requireTable(ctx.region, tableNameInput(body));
  const status = engine.ttlStatus(table);
  const attribute = status === 'DISABLED' ? undefined : table.TimeToLive?.AttributeName;
  return JSON.stringify({ TimeToLiveDescription: { TimeToLiveStatus: status, ...(attribute === undefined ? {} : { AttributeName: attribute }) } });
};

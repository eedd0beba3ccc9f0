// CloudWatch's operations on this endpoint, and the input checks they share: each member's type (an
// InvalidParameterValue naming the member's path), required members (MissingParameter), StartTime
// and EndTime, periods and dimensions, in CloudWatch's words (errors/messages.ts).
import { CloudWatchError } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { MetricDimension } from './metric-store.js';
import { validPeriod } from './metric-statistics.js';
import { operation, type OperationDefinition, type OperationResult, type RequestContext, type Services } from './operation.js';
import type { InputOfMembers, Members, Shape } from './validate/shape.js';

const dimensionsMax = 30;

/** The members' types as CloudWatch checks them (InvalidParameterValue naming the member's path). */
export function checked<const M extends Members>(members: M): (body: unknown) => InputOfMembers<M> {
  return (body) => {
    checkStructure(body ?? {}, members, '');
    return (body ?? {}) as InputOfMembers<M>;
  };
}

function checkStructure(value: unknown, members: Members, path: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CloudWatchError('InvalidParameterValueException', messages.cloudWatchInvalidValue(JSON.stringify(value), path || 'request'));
  const record = value as Record<string, unknown>;
  for (const [name, shape] of members) {
    const member = record[name];
    if (member !== undefined && member !== null) checkValue(member, shape, path === '' ? name : `${path}.${name}`);
  }
}

function checkValue(value: unknown, shape: Shape, path: string): void {
  const invalid = (): CloudWatchError => new CloudWatchError('InvalidParameterValueException', messages.cloudWatchInvalidValue(typeof value === 'string' ? value : JSON.stringify(value), path));
  switch (shape.kind) {
    case 'string':
      if (typeof value !== 'string') throw invalid();
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid();
      return;
    case 'timestamp':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid();
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid();
      return;
    case 'list':
      if (!Array.isArray(value)) throw invalid();
      value.forEach((element, i) => checkValue(element, shape.member, `${path}.member.${i + 1}`));
      return;
    case 'structure':
      checkStructure(value, shape.members, path);
      return;
    default:
      throw invalid();
  }
}

export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined || value === '') throw new CloudWatchError('MissingRequiredParameterException', messages.cloudWatchRequired(name));
  return value;
}

export function checkDimensions(dimensions: readonly { readonly Name?: string; readonly Value?: string }[] | undefined, path: string): MetricDimension[] {
  if (dimensions === undefined) return [];
  if (dimensions.length > dimensionsMax) throw new CloudWatchError('InvalidParameterValueException', messages.cloudWatchTooMany(path, dimensionsMax));
  return dimensions.map((d, i) => ({ Name: required(d.Name, `${path}.member.${i + 1}.Name`), Value: required(d.Value, `${path}.member.${i + 1}.Value`) }));
}

export function checkPeriod(period: number | undefined, name: string): number {
  const seconds = required(period, name);
  if (!validPeriod(seconds)) throw new CloudWatchError('InvalidParameterValueException', messages.cloudWatchPeriod);
  return seconds;
}

/** StartTime and EndTime as CloudWatch checks them (GetMetricData answers ValidationError where GetMetricStatistics answers InvalidParameterValue). */
export function checkTimes(start: number | undefined, end: number | undefined, code: 'InvalidParameterValueException' | 'ValidationError'): { start: number; end: number } {
  const s = required(start, 'StartTime');
  const e = required(end, 'EndTime');
  if (s === e) throw new CloudWatchError(code, messages.cloudWatchTimesEqual);
  if (s > e) throw new CloudWatchError(code, messages.cloudWatchTimesOrder);
  return { start: s, end: e };
}

/** A CloudWatch read (X-Amz-Target GraniteServiceVersion20100801.<name>): its members checked as CloudWatch checks them, `cloudwatch:<name>` on any resource. */
export function cloudWatchOperation<const M extends Members>(
  name: string, members: M, execute: (services: Services, ctx: RequestContext, input: InputOfMembers<M>) => Promise<OperationResult>,
): OperationDefinition<InputOfMembers<M>> {
  return operation({ name, target: 'GraniteServiceVersion20100801', kind: 'read', members, decode: checked(members), permissions: () => [{ action: `cloudwatch:${name}`, resource: '*' }], execute });
}

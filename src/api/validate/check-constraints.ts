// Second validation pass: member constraints, reported together as DynamoDB reports them
// ("2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: …").
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { isArn, tableArnLengthMax, type Constraints, type Members, type Shape } from './shape.js';

/** DynamoDB lists at most this many violations in one message. */
export const reportedViolationsMax = 10;

export function checkConstraints(input: Readonly<Record<string, unknown>>, members: Members): void {
  const errors: string[] = [];
  walkStructure(input, members, '', errors);
  if (errors.length > 0) throw new ValidationException(messages.validationErrors(errors));
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function walkStructure(value: Readonly<Record<string, unknown>>, members: Members, parent: string, errors: string[]): void {
  for (const [name, shape] of members) {
    if (shape.kind === 'attributeValue') continue; // attribute values have their own semantic checks
    walk(value[name], shape, parent + lowerFirst(name), errors);
  }
}

function walk(value: unknown, shape: Shape, path: string, errors: string[]): void {
  checkOne(value, shape, path, errors);
  if (value === undefined) return;
  switch (shape.kind) {
    case 'list':
      (value as unknown[]).forEach((member, i) => {
        if (shape.member.kind === 'structure') walkStructure(member as Record<string, unknown>, shape.member.members, `${path}.${i + 1}.member.`, errors);
        else walk(member, shape.member, `${path}.${i + 1}.member`, errors);
      });
      return;
    case 'map':
      for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
        if (shape.value.kind === 'structure') walkStructure(member as Record<string, unknown>, shape.value.members, `${path}.${key}.member.`, errors);
        else if (shape.value.kind !== 'attributeValue') walk(member, shape.value, `${path}.${key}.member`, errors);
      }
      return;
    case 'structure':
      walkStructure(value as Record<string, unknown>, shape.members, `${path}.`, errors);
      return;
    default:
      return;
  }
}

const compiledPatterns = new Map<string, RegExp>();
function matches(pattern: string, text: string): boolean {
  let regex = compiledPatterns.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(`^${pattern}$`);
    compiledPatterns.set(pattern, regex);
  }
  return regex.test(text);
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  return `'${render(value)}'`;
}

function render(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function sizeOf(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  return Object.keys(value as object).length;
}

function checkOne(value: unknown, c: Constraints, path: string, errors: string[]): void {
  const fail = (rule: string): void => {
    if (errors.length < reportedViolationsMax) errors.push(messages.constraint(describe(value), path, rule));
  };
  if (value === undefined) {
    if (c.notNull) fail(messages.notNull);
    return;
  }
  if (c.orTableArn && isArn(value as string)) {
    // An ARN is held to its own length; table-arn.ts checks its parts once the request is in context.
    if ((value as string).length > tableArnLengthMax) fail(messages.lengthAtMost(tableArnLengthMax));
    return;
  }
  if (c.min !== undefined && (value as number) < c.min) fail(messages.valueAtLeast(c.min));
  if (c.max !== undefined && (value as number) > c.max) fail(messages.valueAtMost(c.max));
  if (c.oneOf !== undefined && !c.oneOf.includes(value as string)) fail(messages.enumValue(c.oneOf));
  const patternFirst = c.lengthFirst !== true;
  if (patternFirst && c.pattern !== undefined && !matches(c.pattern, value as string)) fail(messages.pattern(c.pattern));
  if (c.lengthMin !== undefined && sizeOf(value) < c.lengthMin) fail(messages.lengthAtLeast(c.lengthMin));
  if (c.lengthMax !== undefined && sizeOf(value) > c.lengthMax) fail(messages.lengthAtMost(c.lengthMax));
  if (!patternFirst && c.pattern !== undefined && !matches(c.pattern, value as string)) fail(messages.pattern(c.pattern));
  if (c.keyLengthMin !== undefined || c.keyLengthMax !== undefined || c.keyPattern !== undefined) {
    const bad = Object.keys(value as object).some((k) => c.keysOrTableArn && isArn(k) ? k.length > tableArnLengthMax :
      (c.keyLengthMax !== undefined && k.length > c.keyLengthMax) || (c.keyLengthMin !== undefined && k.length < c.keyLengthMin) ||
      (c.keyPattern !== undefined && !matches(c.keyPattern, k)));
    if (bad) {
      // DynamoDB lists every rule on map keys, in this order.
      const rules: string[] = [];
      if (c.keyLengthMax !== undefined) rules.push(messages.lengthAtMost(c.keyLengthMax));
      if (c.keyLengthMin !== undefined) rules.push(messages.lengthAtLeast(c.keyLengthMin));
      if (c.keyPattern !== undefined) rules.push(messages.pattern(c.keyPattern));
      fail(messages.mapKeysConstraint(rules));
    }
  }
}

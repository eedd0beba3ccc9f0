// Applies resolved update actions to an item, as DynamoDB does: every SET value is computed from
// the item as it was; then SETs, ADDs and DELETEs apply in order and REMOVEs last (list elements
// from the highest index down, so each index means what it meant in the original list).
import type { AttributeMap, AttributeValue } from '../model/attribute-value.js';
import { addNumbers, compareNumbers, formatNumber, numberProblem, parseNumber, type DecimalNumber, type NumberProblem } from '../model/number.js';
import type { Path, SetValue, UpdateAction, UpdateOperand } from './ast.js';
import { valuesEqual } from './compare.js';
import { readPath } from './document-path.js';
import { ownValue, setOwn } from '../model/own-properties.js';

export type UpdateFailure = 'missing-attribute' | 'invalid-path' | 'operand-type' | NumberProblem;

/** A runtime failure of an update; the API layer turns `reason` into DynamoDB's message. */
export class UpdateError extends Error {
  constructor(readonly reason: UpdateFailure) {
    super(reason);
  }
}

type Mutable = Record<string, AttributeValue>;

/**
 * `working` is the caller's own deep copy of `original` (a second JSON.parse is cheaper than
 * structuredClone); it is changed in place and returned. `original` is only read.
 */
export function applyUpdate(original: AttributeMap, working: AttributeMap, actions: readonly UpdateAction[]): AttributeMap {
  const values = actions.map((a) => (a.kind === 'set' ? setValue(a.value, original) : undefined));
  const item = working as Mutable;
  actions.forEach((action, i) => {
    switch (action.kind) {
      case 'set':
        writePath(item, action.path, values[i] as AttributeValue);
        return;
      case 'add':
        add(item, action.path, action.value);
        return;
      case 'delete':
        remove(item, action.path, action.value);
        return;
      case 'remove':
        return;
    }
  });
  const removals = actions.filter((a): a is Extract<UpdateAction, { kind: 'remove' }> => a.kind === 'remove').map((a) => a.path);
  removals.sort((a, b) => {
    const x = a[a.length - 1];
    const y = b[b.length - 1];
    return typeof x === 'number' && typeof y === 'number' ? y - x : 0;
  });
  for (const path of removals) deletePath(item, path);
  return item;
}

function number(value: AttributeValue): DecimalNumber {
  if (!('N' in value)) throw new UpdateError('operand-type');
  return parseNumber(value.N) as DecimalNumber;
}

function checked(n: DecimalNumber): AttributeValue {
  const problem = numberProblem(n);
  if (problem !== undefined) throw new UpdateError(problem);
  return { N: formatNumber(n) };
}

function setValue(value: SetValue, item: AttributeMap): AttributeValue {
  if (value.kind !== 'arithmetic') return operand(value, item);
  const left = number(operand(value.left, item));
  const right = number(operand(value.right, item));
  return checked(addNumbers(left, right, value.op === '-'));
}

function operand(o: UpdateOperand, item: AttributeMap): AttributeValue {
  switch (o.kind) {
    case 'value':
      return o.value;
    case 'path': {
      const value = readPath(item, o.path);
      if (value === undefined) throw new UpdateError('missing-attribute');
      return value;
    }
    case 'if_not_exists':
      return readPath(item, o.path) ?? operand(o.fallback, item);
    case 'list_append': {
      const first = operand(o.first, item);
      const second = operand(o.second, item);
      if (!('L' in first) || !('L' in second)) throw new UpdateError('operand-type');
      return { L: [...first.L, ...second.L] };
    }
  }
}

/** The container that holds the path's last step, or undefined when a step on the way is missing or of the wrong kind. */
function parentOf(item: Mutable, path: Path): Mutable | AttributeValue[] | undefined {
  let container: Mutable | AttributeValue[] = item;
  for (let i = 0; i < path.length - 1; i++) {
    const step = path[i] as string | number;
    const next: AttributeValue | undefined = typeof step === 'number'
      ? (Array.isArray(container) ? container[step] : undefined)
      : (Array.isArray(container) ? undefined : ownValue(container, step));
    const nextIsIndex = typeof path[i + 1] === 'number';
    if (next === undefined) return undefined;
    if (nextIsIndex && 'L' in next) container = next.L as AttributeValue[];
    else if (!nextIsIndex && 'M' in next) container = next.M as Mutable;
    else return undefined;
  }
  return container;
}

function writePath(item: Mutable, path: Path, value: AttributeValue): void {
  const parent = parentOf(item, path);
  const last = path[path.length - 1] as string | number;
  if (parent === undefined) throw new UpdateError('invalid-path');
  if (typeof last === 'number') {
    if (!Array.isArray(parent)) throw new UpdateError('invalid-path');
    if (last < parent.length) parent[last] = value;
    else parent.push(value); // beyond the end: DynamoDB appends
  } else {
    if (Array.isArray(parent)) throw new UpdateError('invalid-path');
    setOwn(parent, last, value);
  }
}

function deletePath(item: Mutable, path: Path): void {
  const parent = parentOf(item, path);
  const last = path[path.length - 1] as string | number;
  if (parent === undefined) throw new UpdateError('invalid-path');
  if (typeof last === 'number') {
    if (!Array.isArray(parent)) throw new UpdateError('invalid-path');
    if (last < parent.length) parent.splice(last, 1);
  } else {
    if (Array.isArray(parent)) throw new UpdateError('invalid-path');
    delete parent[last];
  }
}

function add(item: Mutable, path: Path, value: AttributeValue): void {
  const current = readPath(item, path);
  if (current === undefined) return writePath(item, path, value);
  if ('N' in value) {
    if (!('N' in current)) throw new UpdateError('operand-type');
    return writePath(item, path, checked(addNumbers(number(current), number(value))));
  }
  writePath(item, path, union(current, value));
}

function remove(item: Mutable, path: Path, value: AttributeValue): void {
  const current = readPath(item, path);
  if (current === undefined) {
    if (parentOf(item, path) === undefined && path.length > 1) throw new UpdateError('invalid-path');
    return;
  }
  const left = setMembers(current);
  const gone = setMembers(value);
  if (left === undefined || gone === undefined || left.type !== gone.type) throw new UpdateError('operand-type');
  const kept = left.members.filter((m) => !gone.members.some((g) => valuesEqual(scalar(left.type, m), scalar(left.type, g))));
  if (kept.length === 0) deletePath(item, path);
  else writePath(item, path, makeSet(left.type, kept));
}

type SetType = 'SS' | 'NS' | 'BS';

function setMembers(value: AttributeValue): { type: SetType; members: readonly string[] } | undefined {
  if ('SS' in value) return { type: 'SS', members: value.SS };
  if ('NS' in value) return { type: 'NS', members: value.NS };
  if ('BS' in value) return { type: 'BS', members: value.BS };
  return undefined;
}

function scalar(type: SetType, member: string): AttributeValue {
  return type === 'SS' ? { S: member } : type === 'NS' ? { N: member } : { B: member };
}

function union(current: AttributeValue, added: AttributeValue): AttributeValue {
  const a = setMembers(current);
  const b = setMembers(added);
  if (a === undefined || b === undefined || a.type !== b.type) throw new UpdateError('operand-type');
  const members = [...a.members];
  for (const m of b.members) if (!members.some((x) => valuesEqual(scalar(a.type, x), scalar(a.type, m)))) members.push(m);
  return makeSet(a.type, sortSet(a.type, members));
}

function makeSet(type: SetType, members: string[]): AttributeValue {
  return type === 'SS' ? { SS: members } : type === 'NS' ? { NS: members } : { BS: members };
}

/** Sets are kept in the order DynamoDB returns them: S and B by bytes, N numerically. */
function sortSet(type: SetType, members: string[]): string[] {
  if (type === 'NS') return members.sort((x, y) => compareNumbers(parseNumber(x) as DecimalNumber, parseNumber(y) as DecimalNumber));
  const encoding = type === 'SS' ? 'utf8' : 'base64';
  return members.sort((x, y) => Buffer.compare(Buffer.from(x, encoding), Buffer.from(y, encoding)));
}

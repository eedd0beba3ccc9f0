// First validation pass: JSON types against the shape, as DynamoDB's (Java) deserializer reports
// them — SerializationException with its texts. Unknown members and nulls are dropped.
import { SerializationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { setOwn } from '../../model/own-properties.js';
import { attributeValueMembers, type Members, type Shape } from './shape.js';

/** DynamoDB: attribute values nest at most 32 levels; deeper input is refused before it is walked. */
export { nestingDepthMax } from '../../model/nesting-depth.js';
/**
 * How deep this pass walks. Each attribute level is two levels here (the AttributeValue and its map
 * or list), and no request shape but an attribute value nests this deep: what lies below is left
 * unwalked, for the attribute value checks refuse it at 32 levels with DynamoDB's nesting message
 * (which DynamoDB answers whatever the depth) — and a walk that deep could exhaust the stack.
 */
const walkDepthMax = 100;

type Position = 'field' | 'value';

export function checkTypes(body: unknown, members: Members): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new SerializationException(messages.startOfStructure);
  return checkStructure(body as Record<string, unknown>, members, 0);
}

function checkStructure(value: Record<string, unknown>, members: Members, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, shape] of members) {
    const member = value[name];
    if (member === undefined || member === null) continue;
    out[name] = check(member, shape, 'field', depth + 1);
  }
  return out;
}

function check(value: unknown, shape: Shape, position: Position, depth: number): unknown {
  if (depth > walkDepthMax) return value;
  switch (shape.kind) {
    case 'string':
      return checkString(value);
    case 'long':
    case 'integer':
      return checkInteger(value, shape.kind === 'long' ? 'Long' : 'Integer');
    case 'double':
      return checkDouble(value);
    case 'boolean':
      return checkBoolean(value);
    case 'blob':
      return checkBlob(value);
    case 'timestamp':
      return checkTimestamp(value);
    case 'list': {
      if (typeof value !== 'object') throw new SerializationException(messages.unexpectedField);
      if (!Array.isArray(value)) throw new SerializationException(messages.startOfStructure);
      return value.filter((v) => v !== null).map((v) => check(v, shape.member, 'value', depth + 1));
    }
    case 'map': {
      if (typeof value !== 'object') throw new SerializationException(messages.unexpectedField);
      if (Array.isArray(value)) throw new SerializationException(messages.unrecognizedCollection(`java.util.Map<java.lang.String, ${shape.javaValue}>`));
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === null) continue;
        setOwn(out, key, check(v, shape.value, 'value', depth + 1));
      }
      return out;
    }
    case 'structure':
      return checkStructValue(value, shape.name, shape.members, position, depth);
    case 'attributeValue':
      return checkStructValue(value, 'AttributeValue', attributeValueMembers, position, depth);
  }
}

function checkStructValue(value: unknown, name: string, members: Members, position: Position, depth: number): unknown {
  if (typeof value !== 'object') {
    throw new SerializationException(position === 'value' ? messages.unexpectedValueType : messages.unexpectedField);
  }
  if (Array.isArray(value)) throw new SerializationException(messages.unrecognizedCollection(`class com.amazonaws.dynamodb.v20120810.${name}`));
  return checkStructure(value as Record<string, unknown>, members, depth);
}

function scalarToken(value: boolean | number): string {
  if (typeof value === 'boolean') return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
  return Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
}

function checkString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') throw new SerializationException(messages.cannotConvert(scalarToken(value), 'String'));
  if (Array.isArray(value)) throw new SerializationException(messages.unrecognizedCollection('class java.lang.String'));
  throw new SerializationException(messages.startOfStructure);
}

function checkInteger(value: unknown, type: 'Long' | 'Integer'): number {
  if (typeof value === 'number') return Math.floor(value);
  if (typeof value === 'boolean') throw new SerializationException(messages.cannotConvert(scalarToken(value), type));
  if (typeof value === 'string') throw new SerializationException(messages.cannotConvert('STRING_VALUE', type));
  if (Array.isArray(value)) throw new SerializationException(messages.unrecognizedCollection(`class java.lang.${type}`));
  throw new SerializationException(messages.startOfStructure);
}

function checkDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') throw new SerializationException(messages.cannotConvert(scalarToken(value), 'Double'));
  if (typeof value === 'string') throw new SerializationException(messages.cannotConvert('STRING_VALUE', 'Double'));
  if (Array.isArray(value)) throw new SerializationException(messages.unrecognizedCollection('class java.lang.Double'));
  throw new SerializationException(messages.startOfStructure);
}

/** Epoch seconds (the SDKs send a number; a numeric string is taken too) as epoch milliseconds. */
function checkTimestamp(value: unknown): number {
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof seconds === 'number' && Number.isFinite(seconds)) return Math.round(seconds * 1000);
  if (typeof value === 'boolean') throw new SerializationException(messages.cannotConvert(scalarToken(value), 'Date'));
  if (typeof value === 'string') throw new SerializationException(messages.cannotConvert('STRING_VALUE', 'Date'));
  if (Array.isArray(value)) throw new SerializationException(messages.unrecognizedCollection('class java.util.Date'));
  throw new SerializationException(messages.startOfStructure);
}

const trueWords = new Set(['TRUE', '1', 'YES']);
const falseWords = new Set(['FALSE', '0', 'NO']);

function checkBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') throw new SerializationException(messages.cannotConvert(scalarToken(value), 'Boolean'));
  if (typeof value === 'string') {
    const word = value.toUpperCase();
    if (trueWords.has(word)) return true;
    if (falseWords.has(word)) return false;
    throw new SerializationException(messages.unexpectedToken);
  }
  if (Array.isArray(value)) throw new SerializationException(messages.unrecognizedCollection('class java.lang.Boolean'));
  throw new SerializationException(messages.startOfStructure);
}

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

function checkBlob(value: unknown): string {
  if (typeof value === 'boolean' || typeof value === 'number') throw new SerializationException(messages.base64Only);
  if (typeof value !== 'string') {
    if (Array.isArray(value)) throw new SerializationException(messages.unrecognizedCollection('class java.nio.ByteBuffer'));
    throw new SerializationException(messages.startOfStructure);
  }
  if (value.length % 4 !== 0) throw new SerializationException(messages.base64Length(value.length));
  if (!base64Pattern.test(value) || Buffer.from(value, 'base64').toString('base64') !== value) {
    throw new SerializationException(messages.base64LastChar);
  }
  return value;
}

// KeyConditionExpression: what DynamoDB accepts, and its exact refusals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue } from '../model/attribute-value.js';
import { resolveKeyCondition, type KeyCondition } from './key-condition.js';
import { parseConditionText } from './parser.js';

const values: Record<string, AttributeValue> = { ':h': { S: 'user#1' }, ':lo': { N: '1' }, ':hi': { N: '9' }, ':p': { S: 'ord' } };
const resolve = (text: string, names: Record<string, string> = {}) =>
  resolveKeyCondition(parseConditionText(text).condition, { names, values, usedNames: new Set(), usedValues: new Set() });

describe('resolveKeyCondition', () => {
  const accepted: readonly [string, KeyCondition[]][] = [
    ['pk = :h', [{ name: 'pk', operator: 'EQ', values: [{ S: 'user#1' }] }]],
    ['pk = :h AND sk < :hi', [{ name: 'pk', operator: 'EQ', values: [{ S: 'user#1' }] }, { name: 'sk', operator: 'LT', values: [{ N: '9' }] }]],
    [':h = pk AND :lo < sk', [{ name: 'pk', operator: 'EQ', values: [{ S: 'user#1' }] }, { name: 'sk', operator: 'GT', values: [{ N: '1' }] }]],
    ['pk = :h AND sk BETWEEN :lo AND :hi', [{ name: 'pk', operator: 'EQ', values: [{ S: 'user#1' }] }, { name: 'sk', operator: 'BETWEEN', values: [{ N: '1' }, { N: '9' }] }]],
    ['pk = :h AND begins_with(sk, :p)', [{ name: 'pk', operator: 'EQ', values: [{ S: 'user#1' }] }, { name: 'sk', operator: 'BEGINS_WITH', values: [{ S: 'ord' }] }]],
    ['(pk = :h) AND (sk >= :lo)', [{ name: 'pk', operator: 'EQ', values: [{ S: 'user#1' }] }, { name: 'sk', operator: 'GE', values: [{ N: '1' }] }]],
  ];
  for (const [text, expected] of accepted) it(`accepts ${text}`, () => assert.deepEqual(resolve(text), expected));

  it('resolves #names', () => assert.deepEqual(resolve('#k = :h', { '#k': 'pk' }), [{ name: 'pk', operator: 'EQ', values: [{ S: 'user#1' }] }]));

  const refused: readonly [string, string, boolean][] = [
    ['pk = :h OR sk = :lo', 'Invalid operator used in KeyConditionExpression: OR', true],
    ['NOT pk = :h', 'Invalid operator used in KeyConditionExpression: NOT', true],
    ['pk IN (:h)', 'Invalid operator used in KeyConditionExpression: IN', true],
    ['pk <> :h', 'Invalid operator used in KeyConditionExpression: <>', true],
    ['attribute_exists(pk)', 'Invalid operator used in KeyConditionExpression: attribute_exists', true],
    ['contains(pk, :h)', 'Invalid operator used in KeyConditionExpression: contains', true],
    ['size(pk) = :lo', 'KeyConditionExpressions cannot contain nested operations', false],
    [':lo BETWEEN sk AND :hi', 'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand', true],
    ['begins_with(:p, sk)', 'Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand', true],
    ['pk = sk', 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition', true],
    ['pk.a = :h', 'KeyConditionExpressions cannot have conditions on nested attributes', false],
    [':h = :lo', 'Invalid condition in KeyConditionExpression: No key attribute specified', true],
    ['pk = :h AND pk = :h', 'KeyConditionExpressions must only contain one condition per key', false],
    ['#missing = :h', 'An expression attribute name used in the document path is not defined; attribute name: #missing', true],
    ['pk = :missing', 'An expression attribute value used in expression is not defined; attribute value: :missing', true],
    ['name = :h', 'Attribute name is a reserved keyword; reserved keyword: name', true],
    ['pk = :h AND begins_with(sk, :lo)', 'Incorrect operand type for operator or function; operator or function: begins_with, operand type: N', true],
    ['pk = :h AND begins_with(sk, :missing)', 'An expression attribute value used in expression is not defined; attribute value: :missing', true],
  ];
  for (const [text, message, prefixed] of refused) it(`refuses ${text}`, () => assert.deepEqual(resolve(text), { message, prefixed }));
});

// The legacy condition parameters: translation into the condition AST and DynamoDB's refusals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateCondition } from '../../expressions/evaluate.js';
import type { AttributeMap } from '../../model/attribute-value.js';
import { expectedCondition, filterCondition, keyConditions, type LegacyCondition } from './legacy-conditions.js';

const item: AttributeMap = { n: { N: '5' }, s: { S: 'abc' }, tags: { SS: ['x', 'y'] } };

describe('filterCondition (QueryFilter / ScanFilter)', () => {
  const cases: readonly [Record<string, LegacyCondition>, 'AND' | 'OR' | undefined, boolean][] = [
    [{ n: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '5' }] } }, undefined, true],
    [{ n: { ComparisonOperator: 'NE', AttributeValueList: [{ N: '5' }] } }, undefined, false],
    [{ n: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '5' }] }, s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'ab' }] } }, 'AND', true],
    [{ n: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '5' }] }, s: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ S: 'bc' }] } }, 'OR', true],
    [{ tags: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ S: 'y' }] } }, undefined, true],
    [{ tags: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'y' }] } }, undefined, false],
    [{ missing: { ComparisonOperator: 'NULL' } }, undefined, true],
    [{ n: { ComparisonOperator: 'NOT_NULL' } }, undefined, true],
    [{ n: { ComparisonOperator: 'IN', AttributeValueList: [{ N: '1' }, { N: '5' }] } }, undefined, true],
    [{ n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '6' }, { N: '9' }] } }, undefined, false],
  ];
  cases.forEach(([filter, operator, expected], i) => {
    it(`case ${i} is ${expected}`, () => {
      const condition = filterCondition(filter, operator);
      assert.ok(condition !== undefined);
      assert.equal(evaluateCondition(condition, item), expected);
    });
  });

  const refused: readonly [Record<string, LegacyCondition>, string][] = [
    [{ n: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ N: '5' }] } }, 'One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type'],
    [{ n: { ComparisonOperator: 'LT', AttributeValueList: [{ SS: ['a'] }] } }, 'One or more parameter values were invalid: ComparisonOperator LT is not valid for SS AttributeValue type'],
    [{ n: { ComparisonOperator: 'EQ' } }, 'One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator'],
    [{ n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ S: 'b' }, { S: 'a' }] } }, 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
  ];
  for (const [filter, message] of refused) it(`refuses with "${message.slice(45, 90)}…"`, () => assert.throws(() => filterCondition(filter, undefined), { message }));
});

describe('expectedCondition', () => {
  it('reads Exists false as attribute_not_exists and a bare Value as equality', () => {
    const condition = expectedCondition({ gone: { Exists: false }, n: { Value: { N: '5.00' } } }, undefined);
    assert.ok(condition !== undefined);
    assert.equal(evaluateCondition(condition, item), true);
  });
});

describe('keyConditions', () => {
  it('translates the indexable operators', () => {
    assert.deepEqual(keyConditions({ pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] }, sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }, { N: '2' }] } }), [
      { name: 'pk', operator: 'EQ', values: [{ S: 'a' }] },
      { name: 'sk', operator: 'BETWEEN', values: [{ N: '1' }, { N: '2' }] },
    ]);
  });
  it('refuses the others', () => {
    assert.throws(() => keyConditions({ pk: { ComparisonOperator: 'NE', AttributeValueList: [{ S: 'a' }] } }), { message: 'Attempted conditional constraint is not an indexable operation' });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue } from './attribute-value.js';
import { nestingDepth, nestingDepthMax } from './nesting-depth.js';

function wrap(levels: number, leaf: AttributeValue, kind: 'M' | 'L'): AttributeValue {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = kind === 'M' ? { M: { n: value } } : { L: [value] };
  return value;
}

describe('nestingDepth', () => {
  it('counts a scalar or a set as one level', () => {
    assert.equal(nestingDepth({ S: 'x' }), 1);
    assert.equal(nestingDepth({ SS: ['a', 'b'] }), 1);
    assert.equal(nestingDepth({ M: {} }), 1);
    assert.equal(nestingDepth({ L: [] }), 1);
  });

  it('adds one level per enclosing map or list and follows the deepest branch', () => {
    assert.equal(nestingDepth(wrap(31, { S: 'leaf' }, 'M')), nestingDepthMax);
    assert.equal(nestingDepth(wrap(32, { N: '1' }, 'L')), nestingDepthMax + 1);
    const mixed: AttributeValue = { M: { shallow: { S: 'a' }, deep: { L: [{ N: '1' }, wrap(3, { BOOL: true }, 'M')] } } };
    assert.equal(nestingDepth(mixed), 6);
  });
});

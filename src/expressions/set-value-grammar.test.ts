// The SET-value grammar as DynamoDB has it: value ::= operand | operand '+' operand | operand '-'
// operand, an operand being a path, a placeholder, if_not_exists(path, operand) or list_append(…),
// any of them (and the whole value) in one pair of parentheses. A property test draws expressions
// from that grammar and checks each is accepted and evaluates as a small reference model says;
// one operator too many is a syntax error wherever it stands.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AttributeMap, AttributeValue } from '../model/attribute-value.js';
import { applyUpdate, UpdateError } from './apply-update.js';
import { ExpressionError } from './lexer.js';
import { parseUpdateText } from './parser.js';
import { resolveUpdate } from './resolve-update.js';

/** What an operand is in the model: the text, and its number (undefined: a missing attribute). */
interface Term {
  readonly text: string;
  readonly value: (item: Readonly<Record<string, number>>) => number | undefined;
}

const item: Readonly<Record<string, number>> = { a: 7, b: -3 };
const values: Readonly<Record<string, number>> = { ':x': 2, ':y': 10 };
const names: Readonly<Record<string, string>> = { '#a': 'a', '#c': 'c' };

const pathTerm: fc.Arbitrary<Term> = fc.constantFrom('a', 'b', 'c', '#a', '#c').map((text) => ({ text, value: (i) => i[names[text] ?? text] }));
const valueTerm: fc.Arbitrary<Term> = fc.constantFrom(':x', ':y').map((text) => ({ text, value: () => values[text] }));
const ifNotExists: fc.Arbitrary<Term> = fc.tuple(fc.constantFrom('a', 'c', '#a', '#c'), fc.oneof(valueTerm, pathTerm)).map(([path, fallback]) => ({
  text: `if_not_exists(${path}, ${fallback.text})`,
  value: (i) => i[names[path] ?? path] ?? fallback.value(i),
}));
const parenthesised = (term: Term): Term => ({ text: `(${term.text})`, value: term.value });
const operand: fc.Arbitrary<Term> = fc.tuple(fc.oneof(pathTerm, valueTerm, ifNotExists), fc.boolean()).map(([t, parens]) => (parens ? parenthesised(t) : t));
const spacing = fc.constantFrom(' ', '', '  ');

const setValue: fc.Arbitrary<Term> = fc.oneof(
  operand,
  fc.tuple(operand, fc.constantFrom('+', '-'), operand, spacing).map(([left, op, right, s]) => ({
    text: `${left.text}${s}${op}${s}${right.text}`,
    value: (i: Readonly<Record<string, number>>) => {
      const l = left.value(i);
      const r = right.value(i);
      return l === undefined || r === undefined ? undefined : op === '+' ? l + r : l - r;
    },
  })),
).chain((term) => fc.boolean().map((parens) => (parens && !term.text.startsWith('(') ? parenthesised(term) : term)));

function run(expression: string): AttributeMap | string {
  const resolved = resolveUpdate(parseUpdateText(expression), {
    names,
    values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { N: String(v) } as AttributeValue])),
    usedNames: new Set(),
    usedValues: new Set(),
  });
  if (typeof resolved === 'string') return resolved;
  const original: AttributeMap = Object.fromEntries(Object.entries(item).map(([k, v]) => [k, { N: String(v) } as AttributeValue]));
  try {
    return applyUpdate(original, structuredClone(original), resolved);
  } catch (error) {
    if (error instanceof UpdateError) return error.reason;
    throw error;
  }
}

describe('the SET-value grammar', () => {
  it('accepts every value the grammar makes and evaluates it as the model does (fast-check)', () => {
    fc.assert(fc.property(setValue, (term) => {
      const expected = term.value(item);
      const outcome = run(`SET r = ${term.text}`);
      if (expected === undefined) assert.equal(outcome, 'missing-attribute', term.text);
      else assert.deepEqual(typeof outcome === 'string' ? outcome : outcome['r'], { N: String(expected) }, term.text);
    }), { seed: 17, numRuns: 2000 });
  });

  it('takes the counter-with-default forms ORMs write', () => {
    assert.deepEqual(run('SET #c = if_not_exists(#c, :y) - :x'), { a: { N: '7' }, b: { N: '-3' }, c: { N: '8' } });
    assert.deepEqual(run('SET #c = (if_not_exists(#c, :y) - :x)'), { a: { N: '7' }, b: { N: '-3' }, c: { N: '8' } });
    assert.deepEqual(run('SET #a = (if_not_exists(#a, :y) + :x)'), { a: { N: '9' }, b: { N: '-3' } });
    assert.deepEqual(run('SET #c = :x + if_not_exists(#c, :y)'), { a: { N: '7' }, b: { N: '-3' }, c: { N: '12' } });
    assert.deepEqual(run('SET #c = if_not_exists(#c, :y) + if_not_exists(b, :x)'), { a: { N: '7' }, b: { N: '-3' }, c: { N: '7' } });
  });

  it('refuses a second operator, with or without parentheses, as a syntax error', () => {
    const cases: readonly [string, string][] = [
      ['SET r = a + b - :x', 'Syntax error; token: "-", near: "b - :x"'],
      ['SET r = (a + b) - :x', 'Syntax error; token: "-", near: ") - :x"'],
      ['SET r = a + (b - :x)', 'Syntax error; token: "-", near: "b - :x"'],
      ['SET r = if_not_exists(a, :x + :y)', 'Syntax error; token: "+", near: ":x + :y"'],
      ['SET r = (a + b', 'Syntax error; token: "<EOF>", near: "b"'],
    ];
    for (const [expression, message] of cases) {
      assert.throws(() => parseUpdateText(expression), (error: unknown) => error instanceof ExpressionError && error.message === message, expression);
    }
  });

  it('calls doubled parentheses redundant, as in conditions', () => {
    assert.equal(run('SET r = ((a - :x))'), 'The expression has redundant parentheses;');
  });
});

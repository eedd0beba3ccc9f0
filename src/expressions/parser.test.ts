// Table-driven tests of the expression phases: parse, resolve, evaluate, project; and a property:
// whatever the text, parsing ends in an AST or an ExpressionError — nothing else, no hang.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AttributeMap, AttributeValue } from '../model/attribute-value.js';
import { evaluateCondition } from './evaluate.js';
import { ExpressionError } from './lexer.js';
import { parseConditionText, parseProjectionText, parseUpdateText } from './parser.js';
import { resolveUpdate } from './resolve-update.js';
import { applyUpdate, UpdateError } from './apply-update.js';
import { projectItem } from './project.js';
import { resolveCondition, resolveProjection, type Substitutions } from './resolve.js';

const subs = (values: Record<string, AttributeValue> = {}, names: Record<string, string> = {}): Substitutions =>
  ({ names, values, usedNames: new Set(), usedValues: new Set() });

function condition(text: string, values: Record<string, AttributeValue> = {}, names: Record<string, string> = {}) {
  const parsed = parseConditionText(text);
  const resolved = resolveCondition(parsed.condition, parsed.redundantParentheses, subs(values, names));
  if (typeof resolved === 'string') throw new Error(resolved);
  return resolved;
}

describe('parseConditionText', () => {
  const shapes: readonly [string, string][] = [
    ['a = :v', 'compare'], ['a <> :v', 'compare'], ['NOT a = :v', 'not'], ['a = :v AND b = :v', 'and'], ['a = :v OR b = :v', 'or'],
    ['a BETWEEN :v AND :v', 'between'], ['a IN (:v, :v)', 'in'], ['attribute_exists(a)', 'call'], ['(a = :v)', 'compare'],
    ['a = :v or b = :v and c = :v', 'or'], ['not not a = :v', 'not'], ['(a) = :v', 'compare'], ['size(a) > :v', 'compare'],
    ['#a.b[1].#c = :v', 'compare'], ['a=:v', 'compare'], ['\ta\n=\r:v ', 'compare'],
  ];
  for (const [text, kind] of shapes) it(`parses ${JSON.stringify(text)} as ${kind}`, () => assert.equal(parseConditionText(text).condition.kind, kind));

  it('binds NOT tighter than AND, and AND tighter than OR', () => {
    const parsed = parseConditionText('NOT a = :v AND b = :v OR c = :v').condition;
    assert.equal(parsed.kind, 'or');
    assert.equal(parsed.kind === 'or' ? parsed.left.kind : '', 'and');
  });

  const syntax: readonly [string, string][] = [
    ['a', 'Syntax error; token: "<EOF>", near: "a"'],
    ['a = ', 'Syntax error; token: "<EOF>", near: "="'],
    ['= :v', 'Syntax error; token: "=", near: "= :v"'],
    ['a = :v AND', 'Syntax error; token: "<EOF>", near: "AND"'],
    ['a[] = :v', 'Syntax error; token: "]", near: "[] ="'],
    ['a BETWEEN :v :v', 'Syntax error; token: ":v", near: ":v :v"'],
    ['a IN :v', 'Syntax error; token: ":v", near: "IN :v"'],
    ['(a = :v', 'Syntax error; token: "<EOF>", near: ":v"'],
    ['a = :v)', 'Syntax error; token: ")", near: ":v)"'],
    ['a.1 = :v', 'Syntax error; token: "1", near: ".1 ="'],
    ['AND = :v', 'Syntax error; token: "AND", near: "AND ="'],
  ];
  for (const [text, message] of syntax) {
    it(`refuses ${JSON.stringify(text)}`, () => assert.throws(() => parseConditionText(text), (e: Error) => e instanceof ExpressionError && e.message === message));
  }

  it('flags redundant parentheses but not function or IN parentheses', () => {
    assert.equal(parseConditionText('((a = :v))').redundantParentheses, true);
    assert.equal(parseConditionText('((a)) = :v').redundantParentheses, true);
    assert.equal(parseConditionText('size((a)) = :v').redundantParentheses, false);
    assert.equal(parseConditionText('a IN ((:v))').redundantParentheses, false);
    assert.equal(parseConditionText('a IN (((:v)))').redundantParentheses, true);
    assert.equal(parseConditionText('(a = :v) AND (b = :v)').redundantParentheses, false);
  });

  // A parser that backtracks over each parenthesis would take 2^1000 steps here and never finish (the
  // test's timeout is the safety net); a linear one parses it at once.
  it('parses 1,000 nested parentheses (no exponential backtracking)', { timeout: 120_000 }, () => {
    const depth = 1000;
    const text = `${'('.repeat(depth)}a = :v${')'.repeat(depth)}`;
    assert.equal(parseConditionText(text).redundantParentheses, true);
  });

  it('never throws anything but ExpressionError (fast-check)', () => {
    const alphabet = fc.constantFrom('a', 'b', '#n', ':v', '(', ')', '[', ']', '0', '1', '.', ',', '=', '<>', '<', '>=', ' AND ', ' OR ', 'NOT ', ' BETWEEN ', ' IN ', 'size', 'contains', ' ', '$');
    fc.assert(fc.property(fc.oneof(fc.string(), fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join(''))), (text) => {
      try {
        const parsed = parseConditionText(text);
        const resolved = resolveCondition(parsed.condition, parsed.redundantParentheses, subs({ ':v': { S: 'x' } }, { '#n': 'n' }));
        if (typeof resolved !== 'string') evaluateCondition(resolved, { a: { S: 'x' } });
      } catch (error) {
        assert.ok(error instanceof ExpressionError, String(error));
      }
    }), { numRuns: 3000 });
  });
});

describe('parseUpdateText', () => {
  it('never throws anything but ExpressionError, and applies or refuses cleanly (fast-check)', () => {
    const piece = fc.constantFrom('SET ', 'REMOVE ', 'ADD ', 'DELETE ', 'a', 'b', 'l[0]', 'm.k', '#n', ':v', ':s', ' = ', ', ', ' + ', ' - ', 'if_not_exists(', 'list_append(', ')', '(');
    fc.assert(fc.property(fc.array(piece, { maxLength: 25 }).map((p) => p.join('')), (text) => {
      try {
        const parsed = parseUpdateText(text);
        const resolved = resolveUpdate(parsed, subs({ ':v': { N: '1' }, ':s': { SS: ['x'] } }, { '#n': 'n' }));
        if (typeof resolved !== 'string') {
          const item: AttributeMap = { a: { N: '1' }, l: { L: [{ N: '1' }] }, m: { M: { k: { S: 'v' } } } };
          try {
            applyUpdate(item, structuredClone(item), resolved);
          } catch (error) {
            assert.ok(error instanceof UpdateError, String(error));
          }
        }
      } catch (error) {
        assert.ok(error instanceof ExpressionError, String(error));
      }
    }), { numRuns: 3000 });
  });
});

describe('evaluateCondition', () => {
  const item: AttributeMap = { n: { N: '10' }, s: { S: 'abc' }, ns: { NS: ['1', '2'] }, l: { L: [{ S: 'x' }] } };
  const cases: readonly [string, Record<string, AttributeValue>, boolean][] = [
    ['n = :v', { ':v': { N: '10.0' } }, true],
    ['n > :v', { ':v': { N: '9' } }, true],
    ['n > :v', { ':v': { S: '9' } }, false],
    ['n <> :v', { ':v': { S: '9' } }, true],
    ['s BETWEEN :a AND :b', { ':a': { S: 'abb' }, ':b': { S: 'abd' } }, true],
    ['contains(ns, :v)', { ':v': { N: '2.0' } }, true],
    ['contains(l, :v)', { ':v': { S: 'x' } }, true],
    ['size(s) = :v', { ':v': { N: '3' } }, true],
    ['attribute_not_exists(zz)', {}, true],
    ['NOT attribute_exists(n)', {}, false],
  ];
  for (const [text, values, expected] of cases) it(`${text} is ${expected}`, () => assert.equal(evaluateCondition(condition(text, values), item), expected));

  it('sees no attributes on a missing item', () => {
    assert.equal(evaluateCondition(condition('attribute_not_exists(n)'), undefined), true);
  });
});

describe('resolveCondition', () => {
  it('reports the highest-priority problem', () => {
    const parsed = parseConditionText('views = :missing AND whatever(a)');
    assert.equal(resolveCondition(parsed.condition, false, subs()), 'Invalid function name; function: whatever');
  });
  it('records which placeholders were used', () => {
    const s = subs({ ':v': { S: 'x' }, ':w': { S: 'y' } }, { '#a': 'a' });
    const parsed = parseConditionText('#a = :v');
    resolveCondition(parsed.condition, false, s);
    assert.deepEqual([...s.usedNames], ['#a']);
    assert.deepEqual([...s.usedValues], [':v']);
  });
});

describe('projection', () => {
  it('projects maps and lists in index order', () => {
    const paths = resolveProjection(parseProjectionText('l[2], m.a, l[0]').paths, subs());
    assert.ok(Array.isArray(paths));
    const item: AttributeMap = { l: { L: [{ N: '0' }, { N: '1' }, { N: '2' }] }, m: { M: { a: { S: 'A' }, b: { S: 'B' } } }, z: { S: 'z' } };
    assert.deepEqual(projectItem(item, paths), { l: { L: [{ N: '0' }, { N: '2' }] }, m: { M: { a: { S: 'A' } } } });
  });
});

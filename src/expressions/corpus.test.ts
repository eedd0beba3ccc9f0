// A table-driven corpus of expressions: each row is an expression and either the value it has for a
// fixed item, or the exact message DynamoDB gives for it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeMap, AttributeValue } from '../model/attribute-value.js';
import { evaluateCondition } from './evaluate.js';
import { ExpressionError } from './lexer.js';
import { parseConditionText, parseUpdateText } from './parser.js';
import { resolveCondition } from './resolve.js';
import { resolveUpdate } from './resolve-update.js';
import { applyUpdate } from './apply-update.js';

const item: AttributeMap = {
  n: { N: '10' }, neg: { N: '-2.5' }, s: { S: 'hello' }, e: { S: '' }, b: { B: 'AQID' }, t: { BOOL: true }, z: { NULL: true },
  ss: { SS: ['a', 'b'] }, ns: { NS: ['1', '2'] }, bs: { BS: ['AQ=='] }, l: { L: [{ S: 'x' }, { N: '1' }, { L: [] }] },
  m: { M: { k: { S: 'v' }, nested: { M: { deep: { N: '1' } } } } },
};
const values: Record<string, AttributeValue> = {
  ':n10': { N: '10' }, ':n5': { N: '5' }, ':n20': { N: '20' }, ':nneg': { N: '-3' }, ':hello': { S: 'hello' }, ':he': { S: 'he' },
  ':x': { S: 'x' }, ':a': { S: 'a' }, ':one': { N: '1' }, ':b12': { B: 'AQI=' }, ':true': { BOOL: true }, ':null': { NULL: true },
  ':ss': { SS: ['b', 'a'] }, ':ns': { NS: ['2', '1'] }, ':list': { L: [{ S: 'x' }, { N: '1' }, { L: [] }] }, ':tS': { S: 'S' },
  ':tN': { S: 'N' }, ':tM': { S: 'M' }, ':tL': { S: 'L' }, ':tSS': { S: 'SS' }, ':empty': { S: '' }, ':five': { N: '5' },
};

function evaluate(text: string): boolean | string {
  try {
    const parsed = parseConditionText(text);
    const resolved = resolveCondition(parsed.condition, parsed.redundantParentheses, { names: { '#n': 'n', '#m': 'm' }, values, usedNames: new Set(), usedValues: new Set() });
    return typeof resolved === 'string' ? resolved : evaluateCondition(resolved, item);
  } catch (error) {
    if (error instanceof ExpressionError) return error.message;
    throw error;
  }
}

const conditionRows: readonly [string, boolean | string][] = [
  // comparisons by type
  ['n = :n10', true], ['n <> :n10', false], ['n < :n20', true], ['n <= :n10', true], ['n > :n5', true], ['n >= :n20', false],
  ['neg < :n5', true], ['neg > :nneg', true], ['s = :hello', true], ['s < :x', true], ['s > :he', true], ['e = :empty', true],
  ['b = :b12', false], ['b > :b12', true], ['t = :true', true], ['z = :null', true], ['ss = :ss', true], ['ns = :ns', true],
  ['l = :list', true], ['n = :hello', false], ['n < :hello', false], ['s > :n5', false], ['t < :true', false], ['ss < :ss', false],
  ['#n = :n10', true], ['#m.k = :x', false], ['m.nested.deep = :one', true], ['l[0] = :x', true], ['l[1] = :one', true], ['l[2] = :list', false],
  // missing attributes
  ['nope = :n10', false], ['nope <> :n10', true], ['nope < :n10', false], ['nope BETWEEN :n5 AND :n20', false], ['nope IN (:n10)', false],
  ['m.nope = :x', false], ['l[9] = :x', false], ['s.x = :x', false], ['n[0] = :x', false],
  // BETWEEN / IN
  ['n BETWEEN :n5 AND :n20', true], ['n BETWEEN :n10 AND :n10', true], ['s BETWEEN :he AND :x', true], ['n BETWEEN :hello AND :x', false],
  ['n IN (:n5, :n10, :n20)', true], ['s IN (:he, :x)', false], ['s IN (:n10, :hello)', true],
  // logic and precedence
  ['n = :n5 OR n = :n10', true], ['n = :n5 AND n = :n10', false], ['NOT n = :n5', true], ['NOT NOT n = :n5', false],
  ['n = :n5 OR n = :n10 AND s = :x', false], ['(n = :n5 OR n = :n10) AND s = :hello', true], ['NOT (n = :n5 OR s = :x)', true],
  ['n = :n10 and s = :hello', true], ['n = :n5 or s = :hello', true], ['not n = :n10', false],
  // functions
  ['attribute_exists(n)', true], ['attribute_exists(nope)', false], ['attribute_not_exists(nope)', true], ['attribute_exists(m.nested.deep)', true],
  ['attribute_exists(l[2])', true], ['attribute_exists(l[3])', false], ['attribute_exists(z)', true],
  ['attribute_type(n, :tN)', true], ['attribute_type(s, :tS)', true], ['attribute_type(m, :tM)', true], ['attribute_type(l, :tL)', true],
  ['attribute_type(ss, :tSS)', true], ['attribute_type(n, :tS)', false], ['attribute_type(nope, :tS)', false],
  ['begins_with(s, :he)', true], ['begins_with(s, :x)', false], ['begins_with(s, :empty)', true], ['begins_with(b, :b12)', true], ['begins_with(n, :he)', false],
  ['contains(s, :he)', true], ['contains(s, :x)', false], ['contains(ss, :a)', true], ['contains(ss, :x)', false], ['contains(ns, :one)', true],
  ['contains(l, :x)', true], ['contains(l, :one)', true], ['contains(n, :one)', false],
  ['size(s) = :n5', true], ['size(e) = :one', false], ['size(ss) > :one', true], ['size(l) = :n5', false], ['size(m) < :n5', true],
  ['size(b) = :n5', false], ['size(n) = :one', false], ['size(m.nested) = :one', true],
  // refusals
  ['', 'Syntax error; token: "<EOF>", near: ""'],
  ['n', 'Syntax error; token: "<EOF>", near: "n"'],
  ['n = ', 'Syntax error; token: "<EOF>", near: "="'],
  ['n == :n5', 'Syntax error; token: "=", near: "== :n5"'],
  ['n = :n5 AND OR', 'Syntax error; token: "OR", near: "AND OR"'],
  ['(n = :n5', 'Syntax error; token: "<EOF>", near: ":n5"'],
  ['n = :n5)', 'Syntax error; token: ")", near: ":n5)"'],
  ['n BETWEEN :n5', 'Syntax error; token: "<EOF>", near: ":n5"'],
  ['n IN ()', 'Syntax error; token: ")", near: "()"'],
  ['l[] = :x', 'Syntax error; token: "]", near: "[] ="'],
  ['l[a] = :x', 'Syntax error; token: "a", near: "[a]"'],
  ['n = :n5 @', 'Syntax error; token: "@", near: ":n5 @"'],
  ['((n = :n5))', 'The expression has redundant parentheses;'],
  ['foo(n)', 'Invalid function name; function: foo'],
  ['if_not_exists(n, :n5) = :n5', 'The function is not allowed in a condition expression; function: if_not_exists'],
  ['list_append(l, l) = l', 'The function is not allowed in a condition expression; function: list_append'],
  ['size(n)', 'The function is not allowed to be used this way in an expression; function: size'],
  ['attribute_exists(n) = :true', 'The function is not allowed to be used this way in an expression; function: attribute_exists'],
  ['n IN (contains(s, :x))', 'The function is not allowed to be used this way in an expression; function: contains'],
  ['attribute_exists(n, s)', 'Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2'],
  ['attribute_not_exists(n, s)', 'Incorrect number of operands for operator or function; operator or function: attribute_not_exists, number of operands: 2'],
  ['attribute_type(n)', 'Incorrect number of operands for operator or function; operator or function: attribute_type, number of operands: 1'],
  ['contains(s)', 'Incorrect number of operands for operator or function; operator or function: contains, number of operands: 1'],
  ['size(s, n) > :n5', 'Incorrect number of operands for operator or function; operator or function: size, number of operands: 2'],
  ['s = s', 'The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [s]'],
  ['m.k <> m.k', 'The first operand must be distinct from the remaining operands for this operator or function; operator: <>, first operand: [m, k]'],
  ['begins_with(s, s)', 'The first operand must be distinct from the remaining operands for this operator or function; operator: begins_with, first operand: [s]'],
  ['attribute_exists(:x)', 'Operator or function requires a document path; operator or function: attribute_exists'],
  ['attribute_not_exists(:x)', 'Operator or function requires a document path; operator or function: attribute_not_exists'],
  ['begins_with(s, :n5)', 'Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
  ['begins_with(s, :ss)', 'Incorrect operand type for operator or function; operator or function: begins_with, operand type: SS'],
  ['size(:n5) > n', 'Incorrect operand type for operator or function; operator or function: size, operand type: N'],
  ['size(:null) > n', 'Incorrect operand type for operator or function; operator or function: size, operand type: NULL'],
  ['attribute_type(n, :n5)', 'Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N'],
  ['attribute_type(n, s)', 'Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}'],
  ['attribute_type(n, :x)', 'Invalid attribute type name found; type: x, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}'],
  ['n BETWEEN :n20 AND :n5', 'The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:20}, upper bound operand: AttributeValue: {N:5}'],
  ['n BETWEEN :x AND :n5', 'The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {S:x}, upper bound operand: AttributeValue: {N:5}'],
  ['#nope = :n5', 'An expression attribute name used in the document path is not defined; attribute name: #nope'],
  ['n = :nope', 'An expression attribute value used in expression is not defined; attribute value: :nope'],
  // limits
  [`n IN (${Array.from({ length: 101 }, () => ':n5').join(', ')})`, 'The IN operator is provided with too many operands; number of operands: 101'],
  [`n IN (${Array.from({ length: 100 }, () => ':n5').join(', ')})`, false],
  [Array.from({ length: 151 }, () => 'n = :n5').join(' OR '), 'The expression contains too many operators; operator count: 301'],
  [Array.from({ length: 150 }, () => 'n = :n10').join(' OR '), true],
  // priorities: parens > unknown function > misused function > reserved word > path depth > the first predicate's problem
  ['((foo(n)))', 'The expression has redundant parentheses;'],
  ['size(n) AND foo(s)', 'Invalid function name; function: foo'],
  ['name = :n5 AND size(s)', 'The function is not allowed to be used this way in an expression; function: size'],
  ['#nope = :n5 AND name = :x', 'Attribute name is a reserved keyword; reserved keyword: name'],
  ['n = :nope AND s = s', 'An expression attribute value used in expression is not defined; attribute value: :nope'],
  // a document path has at most 32 levels; the depth is named after reserved words, before any predicate's problem
  [`m${'.k'.repeat(31)} = :x`, false],
  [`m${'.k'.repeat(32)} = :x`, 'The document path has too many nesting levels; nesting levels: 33'],
  [`l${'[0]'.repeat(32)} = :nope`, 'The document path has too many nesting levels; nesting levels: 33'],
  [`name = :x AND l${'[0]'.repeat(32)} = :x`, 'Attribute name is a reserved keyword; reserved keyword: name'],
  ['s = s AND n = :nope', 'The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [s]'],
  ['attribute_exists(n, s) AND s = s', 'Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2'],
];

const reservedSample = ['name', 'status', 'date', 'data', 'count', 'year', 'user', 'value', 'size', 'key', 'order', 'group', 'timestamp', 'comment', 'level', 'source', 'state', 'type', 'views', 'zone'];

describe('condition corpus', () => {
  for (const [text, expected] of conditionRows) it(`${JSON.stringify(text)} → ${expected}`, () => assert.equal(evaluate(text), expected));
  for (const word of reservedSample) {
    it(`refuses the reserved word ${word}`, () => assert.equal(evaluate(`${word} = :n5`), `Attribute name is a reserved keyword; reserved keyword: ${word}`));
    it(`accepts ${word} as a #placeholder`, () => {
      const parsed = parseConditionText('#w = :n5');
      assert.notEqual(typeof resolveCondition(parsed.condition, false, { names: { '#w': word }, values, usedNames: new Set(), usedValues: new Set() }), 'string');
    });
  }
});

function update(text: string, base: AttributeMap = item): AttributeMap | string {
  try {
    const resolved = resolveUpdate(parseUpdateText(text), { names: { '#n': 'n' }, values, usedNames: new Set(), usedValues: new Set() });
    return typeof resolved === 'string' ? resolved : applyUpdate(base, structuredClone(base), resolved);
  } catch (error) {
    if (error instanceof ExpressionError) return error.message;
    if (error instanceof Error) return `runtime: ${error.message}`;
    throw error;
  }
}

const updateRows: readonly [string, (result: AttributeMap) => AttributeValue | undefined, AttributeValue | undefined][] = [
  ['SET n = n + :n5', (r) => r['n'], { N: '15' }], ['SET n = n - :n20', (r) => r['n'], { N: '-10' }], ['SET #n = :n5', (r) => r['n'], { N: '5' }],
  ['SET neg = neg + :nneg', (r) => r['neg'], { N: '-5.5' }], ['SET made = :x', (r) => r['made'], { S: 'x' }], ['SET made = s', (r) => r['made'], { S: 'hello' }],
  ['SET made = if_not_exists(nope, :x)', (r) => r['made'], { S: 'x' }], ['SET made = if_not_exists(s, :x)', (r) => r['made'], { S: 'hello' }],
  ['SET l = list_append(l, :list)', (r) => ('L' in (r['l'] ?? { L: [] }) ? { N: String((r['l'] as { L: unknown[] }).L.length) } : undefined), { N: '6' }],
  ['SET l = list_append(:list, l)', (r) => (r['l'] as { L: AttributeValue[] }).L[0], { S: 'x' }],
  ['SET m.k = :hello', (r) => (r['m'] as { M: AttributeMap }).M['k'], { S: 'hello' }], ['SET m.nested.deep = :n5', (r) => ((r['m'] as { M: AttributeMap }).M['nested'] as { M: AttributeMap }).M['deep'], { N: '5' }],
  ['SET l[0] = :one', (r) => (r['l'] as { L: AttributeValue[] }).L[0], { N: '1' }], ['SET l[7] = :one', (r) => (r['l'] as { L: AttributeValue[] }).L[3], { N: '1' }],
  ['REMOVE s', (r) => r['s'], undefined], ['REMOVE nope', (r) => r['nope'], undefined], ['REMOVE m.k', (r) => (r['m'] as { M: AttributeMap }).M['k'], undefined],
  ['REMOVE l[0]', (r) => (r['l'] as { L: AttributeValue[] }).L[0], { N: '1' }], ['REMOVE l[0], l[1]', (r) => (r['l'] as { L: AttributeValue[] }).L[0], { L: [] }],
  ['ADD n :n5', (r) => r['n'], { N: '15' }], ['ADD fresh :n5', (r) => r['fresh'], { N: '5' }], ['ADD ss :ss', (r) => r['ss'], { SS: ['a', 'b'] }],
  ['ADD ns :ns', (r) => r['ns'], { NS: ['1', '2'] }], ['DELETE ss :ss', (r) => r['ss'], undefined], ['DELETE ns :ns', (r) => r['ns'], undefined],
  ['DELETE nope :ss', (r) => r['nope'], undefined], ['SET a1 = :one, a2 = :n5 REMOVE s ADD n :one', (r) => r['n'], { N: '11' }],
  ['set n = :n5', (r) => r['n'], { N: '5' }], ['Set n = :n5 Remove s', (r) => r['s'], undefined],
];

const updateRefusals: readonly [string, string][] = [
  ['SET n = n + :x', 'Incorrect operand type for operator or function; operator or function: +, operand type: S'],
  ['SET n = :ss - n', 'Incorrect operand type for operator or function; operator or function: -, operand type: SS'],
  ['SET n = list_append(:x, l)', 'Incorrect operand type for operator or function; operator or function: list_append, operand type: S'],
  ['SET n = list_append(l, l) + :one', 'Incorrect operand type for operator or function; operator or function: +, operand type: L'],
  ['ADD n :x', 'Incorrect operand type for operator or function; operator: ADD, operand type: STRING'],
  ['ADD n :true', 'Incorrect operand type for operator or function; operator: ADD, operand type: BOOLEAN'],
  ['ADD n :null', 'Incorrect operand type for operator or function; operator: ADD, operand type: NULL'],
  ['ADD n :b12', 'Incorrect operand type for operator or function; operator: ADD, operand type: BINARY'],
  ['DELETE ss :x', 'Incorrect operand type for operator or function; operator: DELETE, operand type: STRING'],
  ['DELETE ss :list', 'Incorrect operand type for operator or function; operator: DELETE, operand type: LIST'],
  ['SET n = foo(s)', 'Invalid function name; function: foo'],
  ['SET n = size(s)', 'The function is not allowed in an update expression; function: size'],
  ['SET n = contains(s, :s)', 'The function is not allowed in an update expression; function: contains'],
  ['SET n = if_not_exists(n, attribute_exists(s))', 'The function is not allowed in an update expression; function: attribute_exists'],
  ['SET n = if_not_exists(s)', 'Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1'],
  ['SET n = list_append(l, l, l)', 'Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 3'],
  ['SET n = if_not_exists(:x, s)', 'Operator or function requires a document path; operator or function: if_not_exists'],
  ['SET n = :n5 REMOVE n', 'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [n], path two: [n]'],
  ['SET m.k = :x, m = :x', 'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m, k], path two: [m]'],
  ['SET l[0] = :x REMOVE l.a', 'Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [l, [0]], path two: [l, a]'],
  ['REMOVE s SET m = :x REMOVE n', 'The "REMOVE" section can only be used once in an update expression;'],
  ['ADD n :one ADD n :one', 'The "ADD" section can only be used once in an update expression;'],
  ['SET name = :x', 'Attribute name is a reserved keyword; reserved keyword: name'],
  [`SET m${'.k'.repeat(32)} = :nope`, 'The document path has too many nesting levels; nesting levels: 33'],
  ['SET n', 'Syntax error; token: "<EOF>", near: "n"'],
  ['SET = :x', 'Syntax error; token: "=", near: "SET = :x"'],
  ['UPSERT n = :x', 'Syntax error; token: "UPSERT", near: "UPSERT n"'],
  ['SET n = :x +', 'Syntax error; token: "<EOF>", near: "+"'],
  ['REMOVE', 'Syntax error; token: "<EOF>", near: "REMOVE"'],
  ['SET n = nope', 'runtime: missing-attribute'],
  ['SET n = s + :one', 'runtime: operand-type'],
  ['SET s.x = :one', 'runtime: invalid-path'],
  ['SET nope.x = :one', 'runtime: invalid-path'],
  ['ADD s :one', 'runtime: operand-type'],
  ['ADD ss :ns', 'runtime: operand-type'],
  ['REMOVE nope.x', 'runtime: invalid-path'],
  ['SET n = :n5 + :n5, l = list_append(s, l)', 'runtime: operand-type'],
];

describe('update corpus', () => {
  for (const [text, pick, expected] of updateRows) {
    it(`${text}`, () => {
      const result = update(text);
      assert.notEqual(typeof result, 'string', String(result));
      assert.deepEqual(pick(result as AttributeMap), expected);
    });
  }
  for (const [text, message] of updateRefusals) it(`refuses ${text}`, () => assert.equal(update(text), message));
});

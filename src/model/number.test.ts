// Table-driven tests of DynamoDB number parsing, normalisation, comparison and sizing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addNumbers, compareNumbers, formatNumber, numberProblem, numberSizeBytes, parseNumber, type DecimalNumber } from './number.js';

const parsed = (text: string): DecimalNumber => {
  const n = parseNumber(text);
  if (typeof n === 'string') throw new Error(`${text}: ${n}`);
  return n;
};

describe('parseNumber / formatNumber', () => {
  const normal: readonly [string, string][] = [
    ['0', '0'], ['-0', '0'], ['000', '0'], ['0.000', '0'], ['0E+99', '0'], ['01.50', '1.5'], ['+7', '7'], ['-7', '-7'],
    ['1E+2', '100'], ['1e2', '100'], ['1.5e1', '15'], ['-0001.2300E+2', '-123'], ['.5', '0.5'], ['5.', '5'],
    ['123.456', '123.456'], ['0.001', '0.001'], ['1E-3', '0.001'], ['1E-130', `0.${'0'.repeat(129)}1`],
    ['9.9999999999999999999999999999999999999E+125', `${'9'.repeat(38)}${'0'.repeat(88)}`],
    ['12345678901234567890123456789012345678', '12345678901234567890123456789012345678'],
    ['1000000000000000000000000000000000000000000', `1${'0'.repeat(42)}`],
  ];
  for (const [input, output] of normal) {
    it(`normalises ${input} → ${output}`, () => assert.equal(formatNumber(parsed(input)), output));
  }
  const problems: readonly [string, string][] = [
    ['abc', 'syntax'], ['', 'syntax'], ['1.2.3', 'syntax'], ['1e', 'syntax'], ['e5', 'syntax'], ['.', 'syntax'], [' 1', 'syntax'],
    ['NaN', 'syntax'], ['Infinity', 'syntax'], ['0x10', 'syntax'], ['1E126', 'overflow'], ['-1E+126', 'overflow'],
    ['1E-131', 'underflow'], ['0.1E-130', 'underflow'], ['1E999999999', 'overflow'], ['1'.repeat(39), 'precision'],
    ['1.00000000000000000000000000000000000001', 'precision'],
  ];
  for (const [input, problem] of problems) {
    it(`refuses ${JSON.stringify(input)} as ${problem}`, () => assert.equal(parseNumber(input), problem));
  }
});

describe('compareNumbers', () => {
  it('orders a table of numbers numerically', () => {
    const ordered = ['-1E+125', '-100', '-99.9', '-1', '-0.5', '-1E-130', '0', '1E-130', '0.5', '1', '9.99', '10', '100', '1E+125'];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        const c = compareNumbers(parsed(ordered[i] as string), parsed(ordered[j] as string));
        assert.equal(Math.sign(c), Math.sign(i - j), `${ordered[i]} vs ${ordered[j]}`);
      }
    }
  });

  it('matches a BigInt reference on integers', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 37n), max: 10n ** 37n }), fc.bigInt({ min: -(10n ** 37n), max: 10n ** 37n }), (a, b) => {
      const expected = a < b ? -1 : a > b ? 1 : 0;
      assert.equal(Math.sign(compareNumbers(parsed(a.toString()), parsed(b.toString()))), expected);
      assert.equal(formatNumber(parsed(a.toString())), a.toString());
    }));
  });
});

describe('numberSizeBytes', () => {
  // Sizes as DynamoDB charges them: base-100 digits aligned on the exponent, plus one byte, plus the sign.
  const sizes: readonly [string, number][] = [['0', 1], ['1', 2], ['12', 2], ['123', 3], ['1.2', 3], ['0.12', 2], ['100', 2], ['-1', 3], ['12345678901234567890123456789012345678', 20]];
  for (const [input, bytes] of sizes) it(`${input} is ${bytes} bytes`, () => assert.equal(numberSizeBytes(parsed(input)), bytes));
});

describe('addNumbers', () => {
  const sums: readonly [string, string, boolean, string][] = [
    ['1', '2', false, '3'], ['1.5', '-0.5', false, '1'], ['0.1', '0.2', false, '0.3'], ['1E+2', '1E-2', false, '100.01'],
    ['5', '7', true, '-2'], ['-1', '-1', false, '-2'], ['99999999999999999999999999999999999999', '1', false, '100000000000000000000000000000000000000'],
    ['0', '0', true, '0'],
  ];
  for (const [a, b, subtract, expected] of sums) {
    it(`${a} ${subtract ? '-' : '+'} ${b} = ${expected}`, () => assert.equal(formatNumber(addNumbers(parsed(a), parsed(b), subtract)), expected));
  }
  it('matches BigInt arithmetic on integers (fast-check)', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (a, b) => {
      assert.equal(formatNumber(addNumbers(parsed(a.toString()), parsed(b.toString()))), (a + b).toString());
      assert.equal(formatNumber(addNumbers(parsed(a.toString()), parsed(b.toString()), true)), (a - b).toString());
    }));
  });
  it('reports results outside the range', () => {
    assert.equal(numberProblem(addNumbers(parsed('9.9999999999999999999999999999999999999E+125'), parsed('1E+125'))), 'precision');
    assert.equal(numberProblem(addNumbers(parsed('9E+125'), parsed('9E+125'))), 'overflow');
    assert.equal(numberProblem(addNumbers(parsed('1E+20'), parsed('1E-20'))), 'precision');
    assert.equal(numberProblem(addNumbers(parsed('1'), parsed('1'))), undefined);
  });
});

// The PartiQL parser on its own: the statements it reads, the positions and texts of its refusals,
// and two properties — no input makes it throw anything but a ValidationException, and a number
// literal denotes exactly the number DynamoDB's number rules make of its text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ValidationException } from '../errors/errors.js';
import { formatNumber, parseNumber } from '../model/number.js';
import { literalValue, parseStatement } from './parser.js';

function refusal(text: string): string {
  try {
    parseStatement(text);
  } catch (error) {
    assert.ok(error instanceof ValidationException, String(error));
    return error.message;
  }
  assert.fail(`parsed: ${text}`);
}

describe('PartiQL parser', () => {
  it('reads each statement kind, keywords in any case', () => {
    const select = parseStatement(`select a, "b c".d[2] FROM "T"."I" where x = ? AND (y > 2 OR NOT z IN [1, 2]) ORDER BY x desc;`);
    assert.equal(select.parameters, 1);
    assert.equal(select.statement.kind, 'select');
    if (select.statement.kind !== 'select') return;
    assert.deepEqual(select.statement.target, { table: 'T', index: 'I' });
    assert.deepEqual(select.statement.projection?.map((p) => p.output), ['a', 'd[2]']);
    assert.equal(select.statement.descending, true);
    assert.equal(parseStatement(`INSERT INTO t VALUE {'k': ?, 'l': [?, 1]}`).parameters, 2);
    assert.equal(parseStatement(`UPDATE t SET a = a + 1, b = list_append(b, [1]) REMOVE c WHERE k = 1 RETURNING ALL OLD *`).statement.kind, 'update');
    assert.equal(parseStatement(`FROM t WHERE k = 1 SET a = 1`).statement.kind, 'update');
    assert.equal(parseStatement(`DELETE FROM t WHERE k = 1`).statement.kind, 'delete');
    assert.equal(parseStatement(`EXISTS(SELECT * FROM t WHERE k = 1 AND attribute_exists(a))`).statement.kind, 'exists');
  });

  it('folds constant collections into one value and keeps parameters in place', () => {
    const parsed = parseStatement(`INSERT INTO t VALUE {'k': 'x', 'n': -1.50, 's': <<'b', 'a'>>, 'p': [?, {'q': ?}]}`);
    assert.equal(parsed.statement.kind, 'insert');
    if (parsed.statement.kind !== 'insert') return;
    assert.deepEqual(literalValue(parsed.statement.item, [{ S: 'one' }, { N: '2' }]), {
      M: { k: { S: 'x' }, n: { N: '-1.5' }, s: { SS: ['b', 'a'] }, p: { L: [{ S: 'one' }, { M: { q: { N: '2' } } }] } },
    });
  });

  it('refuses with DynamoDB texts and positions', () => {
    assert.equal(refusal('SELECT * FROM t WHERE k = 1 foo'), "Statement wasn't well formed, can't be processed: Unexpected token after expression");
    assert.equal(refusal('SELECT * FROM t x WHERE k = 1'), 'Aliasing is not supported');
    assert.equal(refusal('SELECT * FROM t WHERE k = 1 # c'), "Statement wasn't well formed, can't be processed: ");
    assert.equal(refusal('SELECT * FROM t WHERE\n  nope(k)'), 'Unrecognized function: nope at 2:3:4');
    assert.equal(refusal('SELECT count(k) FROM t'), 'Unexpected path component at 1:8:5');
    assert.equal(refusal('SELECT * FROM t WHERE k = MISSING'), 'MISSING must be compared using IS operator');
    assert.equal(refusal('SELECT * FROM t WHERE k IS DATE'), 'Unsupported data type for IS operator: DATE. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]');
    assert.equal(refusal(`UPDATE t SET s = set_add(s) WHERE k = 1`), 'SET_ADD must have exactly two arguments at 1:18:7');
    assert.equal(refusal(`UPDATE t SET s = set_delete(s, 'a') WHERE k = 1`), 'The second argument to SET_DELETE must be a value with type SET at 1:29:1');
    assert.equal(refusal(`SELECT * FROM t WHERE k = 1.5e-2147483647`), "Statement wasn't well formed, can't be processed: ");
    assert.equal(refusal(`INSERT INTO t VALUE {'k': 1, 'k': 2}`), 'Duplicate keys in tuple. Key: k under root');
    assert.equal(refusal(`SELECT * FROM t WHERE ${'('.repeat(500)}k = 1${')'.repeat(500)}`), "Statement wasn't well formed, can't be processed: Statement is nested too deeply");
  });

  it('never throws anything but a ValidationException, whatever the text', () => {
    const pieces = ['SELECT', 'INSERT', 'INTO', 'UPDATE', 'DELETE', 'FROM', 'WHERE', 'SET', 'REMOVE', 'VALUE', 'AND', 'OR', 'NOT', 'IN', 'IS', 'BETWEEN', 'EXISTS',
      'RETURNING', 'ALL', 'NEW', '*', 't', '"q"', "'s'", '?', '1', '-', '.5e3', '1e99999999999', '(', ')', '[', ']', '{', '}', '<<', '>>', ',', '.', ':', '=', '<>', '<',
      'size', 'set_add', 'attribute_exists', 'MISSING', 'NULL', '--', '/*', '*/', '#', '\n', ';', 'ORDER', 'BY', 'DESC'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
      try {
        parseStatement(parts.join(' '));
      } catch (error) {
        if (!(error instanceof ValidationException)) throw error;
      }
    }), { numRuns: 3000 });
  });

  it('a number literal is the number DynamoDB makes of its text', () => {
    const literal = fc.tuple(fc.boolean(), fc.nat({ max: 99999 }), fc.nat({ max: 999 }), fc.integer({ min: -140, max: 140 }))
      .map(([negative, whole, fraction, exponent]) => `${negative ? '-' : ''}${whole}.${fraction}e${exponent}`);
    fc.assert(fc.property(literal, (text) => {
      const parsed = parseNumber(text);
      let got: string | undefined;
      try {
        const statement = parseStatement(`SELECT * FROM t WHERE k = ${text}`).statement;
        if (statement.kind === 'select' && statement.where?.kind === 'compare' && statement.where.right.kind === 'literal') {
          got = (literalValue(statement.where.right.literal, []) as { N: string }).N;
        }
      } catch (error) {
        assert.ok(error instanceof ValidationException);
        assert.ok(typeof parsed === 'string', `${text} refused: ${error.message}`);
        return;
      }
      assert.ok(typeof parsed !== 'string', `${text} accepted`);
      assert.equal(got, formatNumber(parsed));
    }), { numRuns: 2000 });
  });
});

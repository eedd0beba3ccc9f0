// Splits a PartiQL statement into tokens with their line and column (DynamoDB quotes positions as
// "at <line>:<column>:<length>"). Comments (-- … and /* … */) are whitespace; anything the
// statement language has no token for makes the statement not well formed.
import { ValidationException } from '../errors/errors.js';

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'param' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** A word as written; a quoted identifier or string without its quotes; the punctuation itself. */
  readonly text: string;
  readonly line: number;
  readonly column: number;
  /** Characters the token spans in the statement. */
  readonly length: number;
}

/** A statement DynamoDB refuses: a ValidationException with its whole text. */
export class StatementError extends ValidationException {}

export const notWellFormed = (detail = ''): StatementError => new StatementError(`Statement wasn't well formed, can't be processed: ${detail}`);

const punctuation = ['<<', '>>', '<>', '!=', '<=', '>=', '=', '<', '>', '(', ')', '[', ']', '{', '}', ',', '.', ':', '*', '+', '-', ';'];

function isWordStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
}
function isWordPart(c: string): boolean {
  return isWordStart(c) || (c >= '0' && c <= '9');
}
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const push = (kind: TokenKind, text: string, start: number, end: number): void => {
    tokens.push({ kind, text, line, column: start - lineStart + 1, length: end - start });
  };
  while (i < source.length) {
    const c = source[i] as string;
    if (c === '\n') {
      i += 1;
      line += 1;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i += 1;
      continue;
    }
    if (c === '-' && source[i + 1] === '-') {
      while (i < source.length && source[i] !== '\n') i += 1;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) throw notWellFormed();
      for (let j = i; j < end; j += 1) {
        if (source[j] === '\n') {
          line += 1;
          lineStart = j + 1;
        }
      }
      i = end + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= source.length) throw notWellFormed();
        const d = source[j] as string;
        if (d === c) {
          if (source[j + 1] === c) {
            text += c;
            j += 2;
            continue;
          }
          break;
        }
        text += d;
        j += 1;
      }
      push(c === "'" ? 'string' : 'quoted', text, i, j + 1);
      i = j + 1;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(source[i + 1]))) {
      let j = i;
      while (isDigit(source[j])) j += 1;
      if (source[j] === '.') {
        j += 1;
        while (isDigit(source[j])) j += 1;
      }
      if ((source[j] === 'e' || source[j] === 'E') && (isDigit(source[j + 1]) || ((source[j + 1] === '+' || source[j + 1] === '-') && isDigit(source[j + 2])))) {
        j += 2;
        while (isDigit(source[j])) j += 1;
      }
      push('number', source.slice(i, j), i, j);
      i = j;
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < source.length && isWordPart(source[j] as string)) j += 1;
      push('word', source.slice(i, j), i, j);
      i = j;
      continue;
    }
    if (c === '?') {
      push('param', '?', i, i + 1);
      i += 1;
      continue;
    }
    const p = punctuation.find((q) => source.startsWith(q, i));
    if (p === undefined) throw notWellFormed();
    push('punct', p, i, i + p.length);
    i += p.length;
  }
  tokens.push({ kind: 'eof', text: '', line, column: i - lineStart + 1, length: 0 });
  return tokens;
}

// Splits an expression into tokens with their offsets, so syntax errors can quote the source as
// DynamoDB does: `Syntax error; token: "<tok>", near: "<previous token … next token>"`.

export type TokenKind = 'name' | 'placeholder' | 'value' | 'number' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** An expression that cannot be parsed; message is DynamoDB's text after "Invalid XExpression: ". */
export class ExpressionError extends Error {}

const punctuation = ['<>', '<=', '>=', '=', '<', '>', '(', ')', '[', ']', ',', '.', '+', '-'];

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    const token = nextToken(source, i);
    if (token === undefined) break;
    tokens.push(token);
    i = token.end;
    if (token.kind === 'punct' && !punctuation.includes(token.text)) {
      // A character no expression uses: DynamoDB quotes it with a token right after it ("!!!"
      // gives near "!!"), not with one past whitespace ("a $ :v" gives near "a $").
      const following = nextToken(source, i);
      const adjacent = following !== undefined && following.start === i;
      if (adjacent) tokens.push(following);
      throw syntaxError(source, tokens, tokens.length - (adjacent ? 2 : 1));
    }
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: source.length, end: source.length });
  return tokens;
}

/** The token starting at or after `from` (past whitespace), or undefined at the end. */
function nextToken(source: string, from: number): Token | undefined {
  let i = from;
  while (i < source.length && isWhitespace(source.charCodeAt(i))) i++;
  if (i >= source.length) return undefined;
  const c = source.charCodeAt(i);
  const start = i;
  if (isNameStart(c) || c === 35 /* # */ || c === 58 /* : */) {
    i++;
    while (i < source.length && (isNameStart(source.charCodeAt(i)) || isDigit(source.charCodeAt(i)))) i++;
    const kind: TokenKind = c === 35 ? 'placeholder' : c === 58 ? 'value' : 'name';
    return { kind, text: source.slice(start, i), start, end: i };
  }
  if (isDigit(c)) {
    while (i < source.length && isDigit(source.charCodeAt(i))) i++;
    return { kind: 'number', text: source.slice(start, i), start, end: i };
  }
  const symbol = punctuation.find((p) => source.startsWith(p, i)) ?? String.fromCodePoint(source.codePointAt(i) ?? 0);
  return { kind: 'punct', text: symbol, start, end: start + symbol.length };
}

/** DynamoDB quotes the offending token and the source from the token before it to the one after. */
export function syntaxError(source: string, tokens: readonly Token[], at: number): ExpressionError {
  const token = tokens[at] as Token;
  const previous = tokens[at - 1];
  const next = tokens[at + 1];
  const from = previous?.start ?? token.start;
  const to = next !== undefined && next.kind !== 'eof' ? next.end : token.kind === 'eof' ? (previous?.end ?? token.start) : token.end;
  return new ExpressionError(`Syntax error; token: "${token.text}", near: "${source.slice(from, to)}"`);
}

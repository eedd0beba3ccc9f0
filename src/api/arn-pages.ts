// Paging of the lists whose next page starts at an ARN (ListExports, ListImports): the token is that
// ARN in hex, zero-padded to DynamoDB's token pattern (hex in groups of 16, at least 112), and a token
// that names nothing listed is refused in AWS's recorded words.
import { ValidationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';

function tokenOf(arn: string): string {
  const hex = Buffer.from(arn, 'utf8').toString('hex');
  return hex.padEnd(Math.max(112, Math.ceil(hex.length / 16) * 16), '0');
}

function arnOf(token: string): string {
  return Buffer.from(token.replace(/(00)+$/, ''), 'hex').toString('utf8');
}

/** The page of `items` (in list order) that `token` starts (undefined: the first), at most `limit`, and the token of the next. */
export function arnPage<T>(items: readonly T[], arnOfItem: (item: T) => string, token: string | undefined, limit: number): { page: T[]; nextToken: string | undefined } {
  const from = token === undefined ? 0 : items.findIndex((item) => arnOfItem(item) === arnOf(token));
  if (from < 0) throw new ValidationException(messages.invalidNextToken(token ?? ''));
  const next = items[from + limit];
  return { page: items.slice(from, from + limit), nextToken: next === undefined ? undefined : tokenOf(arnOfItem(next)) };
}

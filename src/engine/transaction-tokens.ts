// ClientRequestToken idempotency of TransactWriteItems: a token's record (the request's digest,
// when it committed, and how many items of each table it wrote) is written in the transaction it
// names, so a retry after a crash finds it exactly when the writes happened. Records count for ten
// minutes, as on DynamoDB, by the engine's (injectable) clock.
import { hash } from 'node:crypto';
import type { ItemRef, StoredItem } from '../storage/storage.js';

/** DynamoDB: a client request token is valid for 10 minutes after the request that used it. */
export const tokenWindowMs = 10 * 60 * 1000;

const tokensStorageId = hash('sha256', 'transaction-tokens', 'hex').slice(0, 16);

export interface TokenRecord {
  /** Digest of the request's TransactItems, in canonical form. */
  readonly digest: string;
  readonly at: number;
  /** Items written per table name, for the replay's consumed capacity. */
  readonly items: Readonly<Record<string, number>>;
}

export function tokenRef(namespace: string, token: string): ItemRef {
  return { tableId: tokensStorageId, key: hash('sha256', `${namespace}\n${token}`, 'buffer') };
}

/** The record of a token used less than ten minutes ago, if any. */
export function liveToken(stored: StoredItem | undefined, now: number): TokenRecord | undefined {
  if (stored === undefined) return undefined;
  const record = JSON.parse(stored.json) as TokenRecord;
  return now - record.at < tokenWindowMs ? record : undefined;
}

export function tokenItem(record: TokenRecord): StoredItem {
  return { json: JSON.stringify(record), sizeBytes: 0 };
}

/** JSON with object keys sorted: equal requests digest equally whatever order their members came in. */
export function canonicalDigest(value: unknown): string {
  return hash('sha256', canonical(value), 'hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

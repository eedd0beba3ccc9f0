// Time to live: the deletion of expired items. An item expires when its TTL attribute, a Number of
// epoch seconds, is at or before now; DynamoDB leaves alone items whose expiry is more than five
// years past. Each deletion re-checks expiry inside its own storage transaction, so a write that
// extended the TTL meanwhile wins.
import type { Condition } from '../expressions/ast.js';
import type { AttributeMap } from '../model/attribute-value.js';
import { ownValue } from '../model/own-properties.js';
import type { TableRecord } from '../model/table.js';
import type { Storage } from '../storage/storage.js';
import type { ItemService } from './item-service.js';

/** DynamoDB: "items with an expiration time older than five years" are not deleted. */
export const ttlMaxAgeSeconds = 5 * 365 * 24 * 60 * 60;

/** Items read per page while looking for expired ones. */
const sweepPageSize = 500;

/** True while the item's TTL attribute holds a Number between five years ago and now (epoch seconds). */
export function expiredCondition(attribute: string, now: number): Condition {
  const path = { kind: 'path', path: [attribute] } as const;
  const seconds = now / 1000;
  return {
    kind: 'and',
    left: { kind: 'compare', op: '<=', left: path, right: { kind: 'value', value: { N: String(seconds) } } },
    right: { kind: 'compare', op: '>=', left: path, right: { kind: 'value', value: { N: String(Math.floor(seconds) - ttlMaxAgeSeconds) } } },
  };
}

/**
 * Deletes a table's expired items as of `now`, page by page; resolves with how many it deleted.
 * Deletions consume no capacity: nobody is charged.
 */
export async function sweepExpired(storage: Storage, items: ItemService, table: TableRecord, attribute: string, now: number, stopping: () => boolean): Promise<number> {
  const condition = expiredCondition(attribute, now);
  let deleted = 0;
  // Cheap pre-check on the stored text before parsing: the attribute holds a number.
  const marker = `${JSON.stringify(attribute)}:{"N":`;
  let start: Uint8Array | undefined;
  for (;;) {
    if (stopping()) break;
    const page = await storage.readRange(table.id, start === undefined ? {} : { start }, sweepPageSize);
    for (const entry of page) {
      if (!entry.item.json.includes(marker)) continue;
      const item = JSON.parse(entry.item.json) as AttributeMap;
      const value = ownValue(item, attribute);
      if (value === undefined || !('N' in value)) continue;
      const expiry = Number(value.N);
      if (!(expiry <= now / 1000 && expiry >= Math.floor(now / 1000) - ttlMaxAgeSeconds)) continue;
      if (await items.deleteAsService(table, item, { condition, returnItemOnFailure: false })) deleted++;
    }
    const last = page[page.length - 1];
    if (last === undefined || page.length < sweepPageSize) break;
    start = Buffer.concat([last.key, Uint8Array.of(0)]);
  }
  return deleted;
}

// Tag rules shared by CreateTable, TagResource and UntagResource: DynamoDB's character set and
// lengths, its limit, the reserved prefix, duplicates. AWS checks tags with texts of its own
// ("The Tag Key provided is invalid, Key: …"), not as member constraints (recorded in 2026).
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import type { Tag } from '../../model/table.js';

/** DynamoDB: "The maximum number of tags per resource is 50". */
export const tagsPerResourceMax = 50;
/** AWS tag limits: keys of 1–128 characters, values of 0–256. */
const tagKeyLengthMax = 128;
const tagValueLengthMax = 256;
/** AWS tags: letters, separators and digits of any script, and `_ . : / = + - @`. */
const tagCharacters = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** DynamoDB: AWS-assigned tags carry this prefix, which users cannot assign. */
const reservedPrefix = 'aws:';

/** A tag as the request gives it: either member may be missing. */
export interface RequestedTag {
  readonly Key?: string;
  readonly Value?: string;
}

const validKey = (key: string | undefined): key is string =>
  key !== undefined && key.length >= 1 && key.length <= tagKeyLengthMax && tagCharacters.test(key);

/** A tag key an UntagResource names, held to the rules a key is created under. */
export function checkTagKeys(keys: readonly string[]): void {
  for (const key of keys) if (!validKey(key)) throw new ValidationException(messages.invalidTagKey(key));
  if (keys.length > tagsPerResourceMax) throw new ValidationException(messages.tooManyTags);
}

/** The request's tags, checked; `existing` are the resource's, which tags with the same key overwrite. */
export function checkTags(tags: readonly RequestedTag[], existing: readonly Tag[]): Tag[] {
  const checked = new Map<string, Tag>();
  for (const { Key: key, Value: value } of tags) {
    if (!validKey(key)) throw new ValidationException(messages.invalidTagKey(key));
    if (value === undefined || value.length > tagValueLengthMax || !tagCharacters.test(value)) throw new ValidationException(messages.invalidTagValue(value));
    if (key.startsWith(reservedPrefix)) throw new ValidationException(messages.reservedTagKey(key));
    if (checked.has(key)) throw new ValidationException(messages.duplicateTagKey(key));
    checked.set(key, { Key: key, Value: value });
  }
  const kept = existing.filter((t) => !checked.has(t.Key)).length;
  if (checked.size + kept > tagsPerResourceMax) throw new ValidationException(messages.tooManyTags);
  return [...checked.values()];
}

// Tag rules shared by CreateTable and TagResource: DynamoDB's limit, reserved prefix, duplicates.
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import type { Tag } from '../../model/table.js';

/** DynamoDB: "The maximum number of tags per resource is 50". */
export const tagsPerResourceMax = 50;
/** DynamoDB: AWS-assigned tags carry this prefix, which users cannot assign. */
const reservedPrefix = 'aws:';

/** `existing` are the resource's current tags; the request's tags overwrite those with the same key. */
export function checkTags(tags: readonly Tag[], existing: readonly Tag[]): void {
  const keys = new Set<string>();
  for (const tag of tags) {
    if (tag.Key.startsWith(reservedPrefix)) throw new ValidationException(messages.reservedTagKey(tag.Key));
    if (keys.has(tag.Key)) throw new ValidationException(messages.duplicateTagKey(tag.Key));
    keys.add(tag.Key);
  }
  const kept = existing.filter((t) => !keys.has(t.Key)).length;
  if (keys.size + kept > tagsPerResourceMax) throw new ValidationException(messages.tooManyTags);
}

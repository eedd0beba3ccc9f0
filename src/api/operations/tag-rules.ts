// Tag limits shared by CreateTable and TagResource.
import { ValidationException } from '../errors.js';
import { messages } from '../messages.js';
import type { Tag } from '../../model/table.js';

/** DynamoDB: "The maximum number of tags per resource is 50". */
export const tagsPerResourceMax = 50;

/** `existing` counts tags the resource keeps that the request does not overwrite. */
export function checkTags(tags: readonly Tag[], existing: number): void {
  const keys = new Set(tags.map((t) => t.Key));
  if (keys.size + existing > tagsPerResourceMax) throw new ValidationException(messages.tooManyTags);
}

// How deep an attribute value nests: DynamoDB stores values at most 32 levels deep, counting the
// attribute itself as level 1 (so a string inside 31 maps is the deepest legal leaf).
import type { AttributeValue } from './attribute-value.js';

export const nestingDepthMax = 32;

/** The levels of a value: 1 for a scalar or set, one more per enclosing map or list. */
export function nestingDepth(value: AttributeValue): number {
  let deepest = 0;
  if ('M' in value) {
    for (const name in value.M) deepest = Math.max(deepest, nestingDepth(value.M[name] as AttributeValue));
  } else if ('L' in value) {
    for (const element of value.L) deepest = Math.max(deepest, nestingDepth(element));
  }
  return deepest + 1;
}

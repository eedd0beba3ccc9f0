// Reading a document path (a.b[2].c) out of an item.
import type { AttributeMap, AttributeValue } from '../model/attribute-value.js';
import { ownValue } from '../model/own-properties.js';
import type { Path } from './ast.js';

export function readPath(item: AttributeMap, path: Path): AttributeValue | undefined {
  let current: AttributeValue | undefined;
  for (let i = 0; i < path.length; i++) {
    const step = path[i] as string | number;
    if (i === 0) {
      current = typeof step === 'string' ? ownValue(item, step) : undefined;
    } else if (current === undefined) {
      return undefined;
    } else if (typeof step === 'number') {
      current = 'L' in current ? current.L[step] : undefined;
    } else {
      current = 'M' in current ? ownValue(current.M, step) : undefined;
    }
  }
  return current;
}

// An imported record (`{"Item": …}`, a line of DynamoDB JSON or its Ion or CSV equivalent) checked as
// PutItem checks its Item: attribute types, then values, normalised for storage. The engine's import
// is given this (main.ts), so items are checked by the same code whichever way they arrive.
import type { AttributeMap } from '../../model/attribute-value.js';
import { normalizeItem } from './attribute-value.js';
import { attributeMap, members } from './shape.js';
import { validateInput } from './validate-input.js';

const importedRecord = members([['Item', attributeMap({ notNull: true })]]);

export function decodeImportedItem(record: unknown): AttributeMap {
  return normalizeItem(validateInput(record, importedRecord).Item);
}

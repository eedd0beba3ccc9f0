// ExclusiveStartKey's attribute values: checked like any value, but most problems are reported as
// "The provided starting key is invalid: …" — DynamoDB leaves the prefix off number and set texts.
import type { AttributeMap } from '../../model/attribute-value.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { normalizeAttributeMap } from './attribute-value.js';

const unprefixed = /contains duplicates|number set|numeric value|significant digits|number with magnitude/;

export function normalizeStartKey(startKey: Readonly<Record<string, unknown>> | undefined): AttributeMap | undefined {
  if (startKey === undefined) return undefined;
  try {
    return normalizeAttributeMap(startKey);
  } catch (error) {
    if (error instanceof ValidationException && !unprefixed.test(error.message)) throw new ValidationException(messages.invalidStartKey(error.message));
    throw error;
  }
}

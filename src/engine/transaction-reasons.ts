// TransactionCanceledException as DynamoDB words it: one reason per action in request order, and a
// message listing their codes. Also the reasons of an injected conflict (--inject-transaction-conflicts).
import { TransactionCanceledException, ValidationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';

export interface Reason {
  readonly Code: string;
  readonly Message?: string;
  readonly Item?: unknown;
}

export function cancellation(reasons: readonly Reason[]): TransactionCanceledException {
  return new TransactionCanceledException(messages.transactionCanceled(reasons.map((r) => r.Code)), reasons);
}

/** A conflict on one of the actions, chosen at random, the others None — as a real conflict reads. */
export function conflictReasons(count: number, random: () => number): Reason[] {
  const at = Math.min(count - 1, Math.floor(random() * count));
  return Array.from({ length: count }, (_, i): Reason => (i === at ? { Code: 'TransactionConflict', Message: messages.transactionConflict } : { Code: 'None' }));
}

const emptyKeyValue = /The AttributeValue for a key attribute cannot contain an empty (string|binary) value\. Key: (.*)$/;

/**
 * A key with an empty value is refused for the whole request (in the Item's wording, whether the
 * value came in an Item or a Key); other key problems become the action's ValidationError.
 */
export function throwIfRequestLevel(error: ValidationException): void {
  const empty = emptyKeyValue.exec(error.message);
  if (empty !== null) throw new ValidationException(messages.emptyKeyInItem(empty[2] as string, empty[1] as 'string' | 'binary'));
}

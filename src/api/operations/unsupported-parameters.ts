// Parameters whose semantics arrive in a later version are refused, never silently ignored: a
// condition that is not evaluated would make a write succeed that DynamoDB would refuse.
import { ValidationException } from '../errors.js';
import { messages } from '../messages.js';

export function refuseUnsupported(input: Readonly<Record<string, unknown>>, parameters: readonly string[]): void {
  for (const name of parameters) if (input[name] !== undefined) throw new ValidationException(messages.notYetSupported(name));
}

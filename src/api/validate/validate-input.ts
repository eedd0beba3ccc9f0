// Runs both generic validation passes of an operation's shape and hands back the typed input.
import { checkConstraints } from './check-constraints.js';
import { checkTypes } from './check-types.js';
import type { InputOfMembers, Members } from './shape.js';

export function validateInput<const M extends Members>(body: unknown, members: M): InputOfMembers<M> {
  const input = checkTypes(body, members);
  checkConstraints(input, members);
  return input as InputOfMembers<M>;
}

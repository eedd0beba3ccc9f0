// Runs both generic validation passes of an operation's shape and hands back the typed input.
import { checkConstraints } from './check-constraints.js';
import { checkTypes } from './check-types.js';
import type { Members } from './shape.js';

export function validateInput<T>(body: unknown, members: Members): T {
  const input = checkTypes(body, members);
  checkConstraints(input, members);
  return input as T;
}

// Control-plane operations check TableName before the other constraints, with their own texts.
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { tableNameLengthMax, tableNameLengthMin } from './shape.js';

export function checkTableNameParameter(input: Readonly<Record<string, unknown>>): void {
  const name = input['TableName'];
  if (name === undefined) throw new ValidationException(messages.parameterRequired('TableName'));
  const length = (name as string).length;
  if (length < tableNameLengthMin || length > tableNameLengthMax) throw new ValidationException(messages.tableNameLength);
}

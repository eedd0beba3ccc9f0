// Control-plane operations check TableName before the other constraints, with their own texts.
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { isArn, tableNameLengthMax, tableNameLengthMin } from './shape.js';

/**
 * A missing TableName is refused with the control plane's own text; with `lengthText`, so is a name
 * of the wrong length (CreateTable and DeleteTable; DescribeTable reports the length as a constraint).
 */
export function checkTableNameParameter(input: Readonly<Record<string, unknown>>, lengthText: boolean): void {
  const name = input['TableName'];
  if (name === undefined) throw new ValidationException(messages.parameterRequired('TableName'));
  if (!lengthText || isArn(name as string)) return;
  const length = (name as string).length;
  if (length < tableNameLengthMin || length > tableNameLengthMax) throw new ValidationException(messages.tableNameLength);
}

// A deployment's refusal: the message names the file, the resource's logical id and the property
// (`template.yaml: Orders (AWS::DynamoDB::Table): KeySchema: …`).

export class DeployError extends Error {
  override readonly name = 'DeployError';
}

/** Where in a file a problem is: the file, and the resource (logical id and type) when there is one. */
export interface Where {
  readonly file: string;
  readonly logicalId?: string;
  readonly type?: string;
}

export function refuse(where: Where, property: string | undefined, message: string): DeployError {
  const resource = where.logicalId === undefined ? '' : ` ${where.logicalId}${where.type === undefined ? '' : ` (${where.type})`}:`;
  return new DeployError(`${where.file}:${resource}${property === undefined ? '' : ` ${property}:`} ${message}`);
}

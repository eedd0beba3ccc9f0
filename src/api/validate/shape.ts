// Declarative request shapes: the members of each operation in AWS's own order, their wire types
// and constraints. check-types.ts and check-constraints.ts walk them; operations never see raw JSON.

export interface Constraints {
  readonly notNull?: true;
  readonly lengthMin?: number;
  readonly lengthMax?: number;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly oneOf?: readonly string[];
  /** Map-key constraint, reported as "Map keys must satisfy constraint: […]". */
  readonly keyLengthMin?: number;
  readonly keyLengthMax?: number;
  readonly keyPattern?: string;
}

export type Shape =
  | ({ readonly kind: 'string' } & Constraints)
  | ({ readonly kind: 'long' } & Constraints)
  | ({ readonly kind: 'integer' } & Constraints)
  | ({ readonly kind: 'boolean' } & Constraints)
  | ({ readonly kind: 'blob' } & Constraints)
  | ({ readonly kind: 'list'; readonly member: Shape } & Constraints)
  | ({ readonly kind: 'map'; readonly value: Shape; readonly javaValue: string } & Constraints)
  | ({ readonly kind: 'structure'; readonly name: string; readonly members: Members } & Constraints)
  | ({ readonly kind: 'attributeValue' } & Constraints);

/** Ordered: AWS reports constraint violations in its model's member order, not the request's. */
export type Members = readonly (readonly [string, Shape])[];

export const str = (c: Constraints = {}): Shape => ({ kind: 'string', ...c });
export const long = (c: Constraints = {}): Shape => ({ kind: 'long', ...c });
export const integer = (c: Constraints = {}): Shape => ({ kind: 'integer', ...c });
export const bool = (c: Constraints = {}): Shape => ({ kind: 'boolean', ...c });
export const blob = (c: Constraints = {}): Shape => ({ kind: 'blob', ...c });
export const list = (member: Shape, c: Constraints = {}): Shape => ({ kind: 'list', member, ...c });
export const map = (value: Shape, javaValue: string, c: Constraints = {}): Shape => ({ kind: 'map', value, javaValue, ...c });
export const struct = (name: string, members: Members, c: Constraints = {}): Shape => ({ kind: 'structure', name, members, ...c });
export const attributeValue = (c: Constraints = {}): Shape => ({ kind: 'attributeValue', ...c });

/** Names of tables and indexes: DynamoDB's naming rules. */
export const namePattern = '[a-zA-Z0-9_.-]+';
export const tableNameLengthMin = 3;
export const tableNameLengthMax = 255;
export const tableName = (c: Constraints = {}): Shape =>
  str({ pattern: namePattern, lengthMin: tableNameLengthMin, lengthMax: tableNameLengthMax, ...c });

export const attributeValueJava = 'com.amazonaws.dynamodb.v20120810.AttributeValue';
export const attributeMap = (c: Constraints = {}): Shape => map(attributeValue(), attributeValueJava, c);

/** The members of AttributeValue, used when type-checking one. */
export const attributeValueMembers: Members = [
  ['S', str()],
  ['N', str()],
  ['B', blob()],
  ['SS', list(str())],
  ['NS', list(str())],
  ['BS', list(blob())],
  ['M', { kind: 'map', value: { kind: 'attributeValue' }, javaValue: attributeValueJava }],
  ['L', { kind: 'list', member: { kind: 'attributeValue' } }],
  ['NULL', bool()],
  ['BOOL', bool()],
];

// Declarative request shapes: the members of each operation in AWS's own order, their wire types
// and constraints. check-types.ts and check-constraints.ts walk them; operations never see raw JSON.
// Each builder also carries the TypeScript type of what it accepts, so an operation's input type is
// derived from its shape (InputOf) and never written twice.

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
  /** A table name that may instead be the table's ARN (`arn:…`, up to 1,024 characters), as DynamoDB accepts. */
  readonly orTableArn?: true;
  /** The same for a map's keys (BatchGetItem's and BatchWriteItem's RequestItems). */
  readonly keysOrTableArn?: true;
  /** A length violation is reported before a pattern violation (table and index names, as AWS answered in 2026). */
  readonly lengthFirst?: true;
}

export type Shape =
  | ({ readonly kind: 'string' } & Constraints)
  | ({ readonly kind: 'long' } & Constraints)
  | ({ readonly kind: 'integer' } & Constraints)
  | ({ readonly kind: 'double' } & Constraints)
  | ({ readonly kind: 'boolean' } & Constraints)
  | ({ readonly kind: 'blob' } & Constraints)
  | ({ readonly kind: 'timestamp' } & Constraints)
  | ({ readonly kind: 'list'; readonly member: Shape } & Constraints)
  | ({ readonly kind: 'map'; readonly value: Shape; readonly javaValue: string } & Constraints)
  | ({ readonly kind: 'structure'; readonly name: string; readonly members: Members } & Constraints)
  | ({ readonly kind: 'attributeValue' } & Constraints);

/** Ordered: AWS reports constraint violations in its model's member order, not the request's. */
export type Members = readonly (readonly [string, Shape])[];

declare const accepts: unique symbol;
/** A shape that accepts JSON of type T (phantom: for the type checker only). */
export type Typed<T> = Shape & { readonly [accepts]?: T };

/** The type of what a shape accepts. */
export type InputOf<S> = S extends { readonly [accepts]?: infer T } ? T : unknown;

/** A member DynamoDB requires (notNull): present once the constraints are checked. */
type Required<S> = S extends { readonly notNull: true } ? true : false;

type Entry = readonly [string, Shape];

/** The structure a list of members accepts: required members present, the others optional. */
export type StructOf<M extends readonly Entry[]> = {
  readonly [E in M[number] as Required<E[1]> extends true ? E[0] : never]: InputOf<E[1]>;
} & {
  readonly [E in M[number] as Required<E[1]> extends true ? never : E[0]]?: InputOf<E[1]>;
};

/** What an operation whose members are `M` receives, once checked. */
export type InputOfMembers<M extends readonly Entry[]> = StructOf<M>;

type Literal<C> = C extends { readonly oneOf: readonly (infer L extends string)[] } ? L : string;
type WithConstraints<T, C> = Typed<T> & C;

export const str = <const C extends Constraints = {}>(c?: C): WithConstraints<Literal<C>, C> => ({ kind: 'string', ...c }) as WithConstraints<Literal<C>, C>;
export const long = <const C extends Constraints = {}>(c?: C): WithConstraints<number, C> => ({ kind: 'long', ...c }) as WithConstraints<number, C>;
export const integer = <const C extends Constraints = {}>(c?: C): WithConstraints<number, C> => ({ kind: 'integer', ...c }) as WithConstraints<number, C>;
export const double = <const C extends Constraints = {}>(c?: C): WithConstraints<number, C> => ({ kind: 'double', ...c }) as WithConstraints<number, C>;
export const bool = <const C extends Constraints = {}>(c?: C): WithConstraints<boolean, C> => ({ kind: 'boolean', ...c }) as WithConstraints<boolean, C>;
/** A timestamp: epoch seconds on the wire (fractions allowed), epoch milliseconds once checked. */
export const timestamp = <const C extends Constraints = {}>(c?: C): WithConstraints<number, C> => ({ kind: 'timestamp', ...c }) as WithConstraints<number, C>;
export const blob = <const C extends Constraints = {}>(c?: C): WithConstraints<string, C> => ({ kind: 'blob', ...c }) as WithConstraints<string, C>;
export const list = <const M extends Shape, const C extends Constraints = {}>(member: M, c?: C): WithConstraints<readonly InputOf<M>[], C> =>
  ({ kind: 'list', member, ...c }) as WithConstraints<readonly InputOf<M>[], C>;
export const map = <const V extends Shape, const C extends Constraints = {}>(value: V, javaValue: string, c?: C): WithConstraints<Readonly<Record<string, InputOf<V>>>, C> =>
  ({ kind: 'map', value, javaValue, ...c }) as WithConstraints<Readonly<Record<string, InputOf<V>>>, C>;
export const struct = <const M extends readonly Entry[], const C extends Constraints = {}>(name: string, members: M, c?: C): WithConstraints<StructOf<M>, C> =>
  ({ kind: 'structure', name, members, ...c }) as WithConstraints<StructOf<M>, C>;
/** An AttributeValue as the wire carries it; attribute-value.ts checks and normalises it. */
export const attributeValue = <const C extends Constraints = {}>(c?: C): WithConstraints<Readonly<Record<string, unknown>>, C> =>
  ({ kind: 'attributeValue', ...c }) as WithConstraints<Readonly<Record<string, unknown>>, C>;

/** An operation's members, kept as a tuple so their names and types are known to the type checker. */
export const members = <const M extends readonly Entry[]>(m: M): M => m;

/** Names of tables and indexes: DynamoDB's naming rules. */
export const namePattern = '[a-zA-Z0-9_.-]+';
export const tableNameLengthMin = 3;
export const tableNameLengthMax = 255;
/** A table ARN given where a table name goes: DynamoDB's TableArn length limit. */
export const tableArnLengthMax = 1024;
/** A table's name, or its ARN. */
export const tableName = <const C extends Constraints = {}>(c?: C) =>
  str({ pattern: namePattern, lengthMin: tableNameLengthMin, lengthMax: tableNameLengthMax, orTableArn: true, lengthFirst: true, ...(c as C) });
/** A table's name only, never an ARN (ListTables' ExclusiveStartTableName, DynamoDB Streams' ListStreams). */
export const plainTableName = () => str({ pattern: namePattern, lengthMin: tableNameLengthMin, lengthMax: tableNameLengthMax });
/** What tells a table ARN from a table name (which cannot hold a colon). */
export const isArn = (text: string): boolean => text.startsWith('arn:');

export const attributeValueJava = 'com.amazonaws.dynamodb.v20120810.AttributeValue';
export const attributeMap = <const C extends Constraints = {}>(c?: C) => map(attributeValue(), attributeValueJava, c);

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

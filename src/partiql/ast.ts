// A parsed PartiQL statement. Literals are converted to attribute values while parsing; a `?`
// stays a parameter slot, filled per request, so one parse serves every execution of a text.
import type { AttributeValue } from '../model/attribute-value.js';

/** Where a token sits, for DynamoDB's "at <line>:<column>:<length>". */
export interface Position {
  readonly line: number;
  readonly column: number;
  readonly length: number;
}

export type PathStep = { readonly kind: 'name'; readonly name: string } | { readonly kind: 'index'; readonly index: number };

/** A value as written: constant, a parameter, or a collection holding parameters. */
export type Literal =
  | { readonly kind: 'constant'; readonly value: AttributeValue }
  | { readonly kind: 'param'; readonly index: number }
  | { readonly kind: 'list'; readonly items: readonly Literal[] }
  | { readonly kind: 'map'; readonly entries: readonly (readonly [string, Literal])[] }
  | { readonly kind: 'bag'; readonly items: readonly Literal[] };

export type Operand =
  | { readonly kind: 'path'; readonly steps: readonly PathStep[]; readonly at: Position }
  | { readonly kind: 'literal'; readonly literal: Literal; readonly at: Position }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Operand[]; readonly at: Position };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** IS's types, as DynamoDB type names; MISSING is an absent attribute. */
export type IsType = 'MISSING' | 'NULL' | 'BOOL' | 'S' | 'N' | 'B' | 'L' | 'M';

export type Condition =
  | { readonly kind: 'compare'; readonly op: Comparator; readonly left: Operand; readonly right: Operand; readonly written: string }
  | { readonly kind: 'between'; readonly subject: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly kind: 'in'; readonly subject: Operand; readonly list: readonly Operand[] }
  | { readonly kind: 'is'; readonly subject: Operand; readonly type: IsType }
  | { readonly kind: 'call'; readonly call: Extract<Operand, { kind: 'call' }> }
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly operand: Condition };

export type SetValue = Operand | { readonly kind: 'arithmetic'; readonly op: '+' | '-'; readonly left: Operand; readonly right: Operand };

export type UpdateClause =
  | { readonly kind: 'set'; readonly path: Extract<Operand, { kind: 'path' }>; readonly value: SetValue }
  | { readonly kind: 'remove'; readonly path: Extract<Operand, { kind: 'path' }> };

/** RETURNING ALL|MODIFIED NEW|OLD *, as UpdateItem's ReturnValues. */
export type Returning = 'ALL_NEW' | 'ALL_OLD' | 'UPDATED_NEW' | 'UPDATED_OLD';

export interface Target {
  readonly table: string;
  readonly index: string | undefined;
}

export interface Projected {
  readonly path: Extract<Operand, { kind: 'path' }>;
  /** The attribute name the value comes back under: the path's last name and any indexes after it. */
  readonly output: string;
}

export type Statement =
  | { readonly kind: 'select'; readonly target: Target; readonly projection: readonly Projected[] | undefined; readonly where: Condition | undefined; readonly descending: boolean; readonly orderBy: string | undefined }
  | { readonly kind: 'insert'; readonly target: Target; readonly item: Literal }
  | { readonly kind: 'update'; readonly target: Target; readonly clauses: readonly UpdateClause[]; readonly where: Condition; readonly returning: Returning | undefined }
  | { readonly kind: 'delete'; readonly target: Target; readonly where: Condition; readonly returning: Returning | undefined }
  | { readonly kind: 'exists'; readonly select: Extract<Statement, { kind: 'select' }> };

export interface ParsedStatement {
  readonly statement: Statement;
  /** How many `?` the statement holds. */
  readonly parameters: number;
}

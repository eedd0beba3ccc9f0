// The expression AST: what the parser produces (placeholders unresolved) and what resolve turns it
// into (placeholders substituted). Discriminated unions throughout.
import type { AttributeValue } from '../model/attribute-value.js';

/** One step of a document path as written: a name, a #placeholder, or a list index. */
export type RawPathStep = { readonly kind: 'name'; readonly name: string } | { readonly kind: 'placeholder'; readonly ref: string } | { readonly kind: 'index'; readonly index: number };

export type RawOperand =
  | { readonly kind: 'path'; readonly steps: readonly RawPathStep[] }
  | { readonly kind: 'value'; readonly ref: string }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly RawOperand[] };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type RawCondition =
  | { readonly kind: 'compare'; readonly op: Comparator; readonly left: RawOperand; readonly right: RawOperand }
  | { readonly kind: 'between'; readonly subject: RawOperand; readonly low: RawOperand; readonly high: RawOperand }
  | { readonly kind: 'in'; readonly subject: RawOperand; readonly list: readonly RawOperand[] }
  | { readonly kind: 'call'; readonly call: Extract<RawOperand, { kind: 'call' }> }
  | { readonly kind: 'and' | 'or'; readonly left: RawCondition; readonly right: RawCondition }
  | { readonly kind: 'not'; readonly operand: RawCondition };

/** A resolved document path: attribute names and list indexes. */
export type PathStep = string | number;
export type Path = readonly PathStep[];

export type FunctionName = 'attribute_exists' | 'attribute_not_exists' | 'attribute_type' | 'begins_with' | 'contains' | 'size';

export type Operand =
  | { readonly kind: 'path'; readonly path: Path }
  | { readonly kind: 'value'; readonly value: AttributeValue }
  | { readonly kind: 'size'; readonly operand: Operand };

export type Condition =
  | { readonly kind: 'compare'; readonly op: Comparator; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'between'; readonly subject: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly kind: 'in'; readonly subject: Operand; readonly list: readonly Operand[] }
  | { readonly kind: 'exists' | 'not_exists'; readonly path: Path }
  | { readonly kind: 'attribute_type'; readonly path: Path; readonly type: Operand }
  | { readonly kind: 'begins_with' | 'contains'; readonly subject: Operand; readonly operand: Operand }
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly operand: Condition };

// ---- update expressions

export type RawSetValue =
  | RawOperand
  | { readonly kind: 'arithmetic'; readonly op: '+' | '-'; readonly left: RawOperand; readonly right: RawOperand };

export type RawUpdateAction =
  | { readonly kind: 'set'; readonly path: readonly RawPathStep[]; readonly value: RawSetValue }
  | { readonly kind: 'remove'; readonly path: readonly RawPathStep[] }
  | { readonly kind: 'add' | 'delete'; readonly path: readonly RawPathStep[]; readonly value: string };

export type UpdateOperand =
  | { readonly kind: 'path'; readonly path: Path }
  | { readonly kind: 'value'; readonly value: AttributeValue }
  | { readonly kind: 'if_not_exists'; readonly path: Path; readonly fallback: UpdateOperand }
  | { readonly kind: 'list_append'; readonly first: UpdateOperand; readonly second: UpdateOperand };

export type SetValue = UpdateOperand | { readonly kind: 'arithmetic'; readonly op: '+' | '-'; readonly left: UpdateOperand; readonly right: UpdateOperand };

export type UpdateAction =
  | { readonly kind: 'set'; readonly path: Path; readonly value: SetValue }
  | { readonly kind: 'remove'; readonly path: Path }
  | { readonly kind: 'add' | 'delete'; readonly path: Path; readonly value: AttributeValue };

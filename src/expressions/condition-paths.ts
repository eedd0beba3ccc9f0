// The document paths a condition reads, e.g. to refuse filters on key attributes.
import type { Condition, Operand, Path } from './ast.js';

function operandPaths(o: Operand): Path[] {
  if (o.kind === 'path') return [o.path];
  if (o.kind === 'size') return operandPaths(o.operand);
  return [];
}

export function conditionPaths(c: Condition): Path[] {
  switch (c.kind) {
    case 'and':
    case 'or':
      return [...conditionPaths(c.left), ...conditionPaths(c.right)];
    case 'not':
      return conditionPaths(c.operand);
    case 'exists':
    case 'not_exists':
    case 'attribute_type':
      return [c.path];
    case 'compare':
      return [...operandPaths(c.left), ...operandPaths(c.right)];
    case 'between':
      return [c.subject, c.low, c.high].flatMap(operandPaths);
    case 'in':
      return [c.subject, ...c.list].flatMap(operandPaths);
    case 'begins_with':
    case 'contains':
      return [c.subject, c.operand].flatMap(operandPaths);
  }
}

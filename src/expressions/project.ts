// ProjectionExpression: the item reduced to the requested paths, shaped as DynamoDB shapes it —
// maps keep the selected members, lists keep the selected elements in index order.
import type { AttributeMap, AttributeValue } from '../model/attribute-value.js';
import type { Path } from './ast.js';
import { readPath } from './document-path.js';
import { setOwn } from '../model/own-properties.js';

type Node =
  | { readonly kind: 'leaf'; readonly value: AttributeValue }
  | { readonly kind: 'map'; readonly children: Map<string, Node> }
  | { readonly kind: 'list'; readonly children: Map<number, Node> };

export function projectItem(item: AttributeMap, paths: readonly Path[]): AttributeMap {
  const root = new Map<string, Node>();
  for (const path of paths) {
    const value = readPath(item, path);
    if (value !== undefined) insert(root, path, value);
  }
  const out: Record<string, AttributeValue> = {};
  for (const [name, node] of root) setOwn(out, name, materialize(node));
  return out;
}

function insert(root: Map<string, Node>, path: Path, value: AttributeValue): void {
  let children: Map<string | number, Node> = root as Map<string | number, Node>;
  for (let i = 0; i < path.length; i++) {
    const step = path[i] as string | number;
    if (i === path.length - 1) {
      children.set(step, { kind: 'leaf', value });
      return;
    }
    const nextIsIndex = typeof path[i + 1] === 'number';
    let node = children.get(step);
    if (node === undefined || node.kind === 'leaf') {
      node = nextIsIndex ? { kind: 'list', children: new Map() } : { kind: 'map', children: new Map() };
      children.set(step, node);
    }
    children = node.children as Map<string | number, Node>;
  }
}

function materialize(node: Node): AttributeValue {
  switch (node.kind) {
    case 'leaf':
      return node.value;
    case 'map': {
      const members: Record<string, AttributeValue> = {};
      for (const [name, child] of node.children) setOwn(members, name, materialize(child));
      return { M: members };
    }
    case 'list':
      return { L: [...node.children.entries()].sort((a, b) => a[0] - b[0]).map(([, child]) => materialize(child)) };
  }
}

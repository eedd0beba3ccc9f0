// The reply of Query and Scan from one page: filtered items, projected as asked, counts, the
// LastEvaluatedKey to resume from, and the capacity of the data read (before filtering).
import type { Page } from '../../engine/read-page.js';
import { keyAttributes } from '../../engine/item-key.js';
import type { Condition, Path } from '../../expressions/ast.js';
import { evaluateCondition } from '../../expressions/evaluate.js';
import { projectItem } from '../../expressions/project.js';
import type { AttributeMap } from '../../model/attribute-value.js';
import { readCapacityUnits } from '../../model/capacity-units.js';
import type { TableRecord } from '../../model/table.js';
import type { StoredItem } from '../../storage/storage.js';
import { consumedCapacity, withCapacity, type ReturnConsumedCapacity } from './consumed-capacity.js';

import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';

/** AttributesToGet may not name an attribute twice. */
export function checkAttributesToGet(names: readonly string[] | undefined): void {
  const duplicate = names?.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new ValidationException(messages.duplicateAttributeName(duplicate));
}

export type Select = 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | 'SPECIFIC_ATTRIBUTES' | 'COUNT';

/** How Select combines with a projection and an index, as DynamoDB checks it (Query and Scan alike). */
export function checkSelect(select: Select | undefined, projection: 'ProjectionExpression' | 'AttributesToGet' | undefined, indexName: string | undefined): void {
  if (select === undefined) return;
  if (projection !== undefined && select !== 'SPECIFIC_ATTRIBUTES') {
    throw new ValidationException(messages.projectionWithSelect(projection, select === 'COUNT' ? 'only the Count' : select));
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && indexName === undefined) throw new ValidationException(messages.allProjectedWithoutIndex);
  if (select === 'SPECIFIC_ATTRIBUTES' && projection === undefined) throw new ValidationException(messages.specificWithoutProjection);
}

export interface ReadShape {
  readonly filter: Condition | undefined;
  /** ProjectionExpression paths, or AttributesToGet as one-step paths. */
  readonly projection: readonly Path[] | undefined;
  readonly select: Select | undefined;
  readonly consistent: boolean;
  readonly returnConsumedCapacity: ReturnConsumedCapacity | undefined;
  /** The index read, when the read was of one: its capacity is reported as the index's. */
  readonly index?: { readonly name: string; readonly global: boolean };
  /** LastEvaluatedKey from an item read (default: the table's key attributes). */
  readonly keyOf?: (item: AttributeMap) => AttributeMap;
  /** The item LastEvaluatedKey is taken from, when the page's items were replaced (a local index fetching the table's). */
  readonly lastRead?: StoredItem;
}

const parse = (item: StoredItem): AttributeMap => JSON.parse(item.json) as AttributeMap;

export function readResults(table: TableRecord, page: Page, shape: ReadShape): string {
  const { filter, projection } = shape;
  // Without a filter or projection, stored items go into the reply as they are, unparsed.
  const matched = filter === undefined ? page.items : page.items.filter((item) => evaluateCondition(filter, parse(item)));
  const members: string[] = [];
  if (shape.select !== 'COUNT') {
    const items = projection === undefined ? matched.map((item) => item.json) : matched.map((item) => JSON.stringify(projectItem(parse(item), projection)));
    members.push(`"Items":[${items.join(',')}]`);
  }
  members.push(`"Count":${matched.length}`, `"ScannedCount":${page.items.length}`);
  const last = shape.lastRead ?? page.items[page.items.length - 1];
  if (page.lastKey !== undefined && last !== undefined) {
    const item = parse(last);
    members.push(`"LastEvaluatedKey":${JSON.stringify(shape.keyOf === undefined ? keyAttributes(table, item) : shape.keyOf(item))}`);
  }
  const units = readCapacityUnits(page.bytesRead, shape.consistent);
  withCapacity(members, shape.index === undefined
    ? consumedCapacity(shape.returnConsumedCapacity, table.TableName, units)
    : consumedCapacity(shape.returnConsumedCapacity, table.TableName, 0, [{ name: shape.index.name, global: shape.index.global, units }]));
  return `{${members.join(',')}}`;
}

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
import type { StoredItem } from '../../model/stored-item.js';
import { consumedCapacity, usageOf, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { RawJson, type OperationResult } from '../operation.js';

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

export function readResults(table: TableRecord, page: Page, shape: ReadShape): OperationResult {
  const { filter, projection } = shape;
  // Without a filter or projection, stored items go into the reply as they are, unparsed.
  const matched = filter === undefined ? page.items : page.items.filter((item) => evaluateCondition(filter, parse(item)));
  const last = shape.lastRead ?? page.items[page.items.length - 1];
  let lastKey: AttributeMap | undefined;
  if (page.lastKey !== undefined && last !== undefined) {
    const item = parse(last);
    lastKey = shape.keyOf === undefined ? keyAttributes(table, item) : shape.keyOf(item);
  }
  const units = readCapacityUnits(page.bytesRead, shape.consistent);
  const indexes = shape.index === undefined ? [] : [{ name: shape.index.name, global: shape.index.global, units }];
  const tableUnits = shape.index === undefined ? units : 0;
  return {
    body: {
      Items: shape.select === 'COUNT' ? undefined
        : projection === undefined ? matched.map((item) => new RawJson(item.json)) : matched.map((item) => projectItem(parse(item), projection)),
      Count: matched.length,
      ScannedCount: page.items.length,
      LastEvaluatedKey: lastKey,
      ConsumedCapacity: consumedCapacity(shape.returnConsumedCapacity, table.TableName, tableUnits, indexes),
    },
    usage: [usageOf(table.TableName, 'read', tableUnits, indexes)],
  };
}

// TransactGetItems: up to 100 Gets across tables read as of one instant, each projected; a key that
// does not fit its table cancels the read with a ValidationError reason, as DynamoDB reports it.
// The engine's transaction service binds and reads; here the input is checked and the reply built.
import type { TransactGetOutcome } from '../../engine/transaction-service.js';
import type { Path } from '../../expressions/ast.js';
import { projectItem } from '../../expressions/project.js';
import type { AttributeMap } from '../../model/attribute-value.js';
import { operation, RawJson, tableArn, type OperationResult } from '../operation.js';
import { normalizeAttributeMap } from '../validate/attribute-value.js';
import { itemTableName, returnConsumedCapacity } from '../validate/common-shapes.js';
import { checkExpressionParameters, resolveExpressions } from '../validate/expression-parameters.js';
import { expressionAttributeNames } from '../validate/item-shapes.js';
import { attributeMap, list, members, str, struct } from '../validate/shape.js';
import { transactionCapacity, usageOf, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { transactionActionsMax } from './transact-write-items.js';
import { expressionAttributes, itemKeys, leadingKeys, withKeys } from '../condition-keys.js';

export const transactGetItems = operation({
  name: 'TransactGetItems',
  kind: 'read',
  members: members([
    ['TransactItems', list(struct('TransactGetItem', [
      ['Get', struct('Get', [
        ['Key', attributeMap({ notNull: true })], ['TableName', itemTableName], ['ProjectionExpression', str()], ['ExpressionAttributeNames', expressionAttributeNames],
      ], { notNull: true })],
    ]), { notNull: true, lengthMin: 1, lengthMax: transactionActionsMax })],
    ['ReturnConsumedCapacity', returnConsumedCapacity],
  ]),
  permissions: (input, ctx, services) => input.TransactItems.map(({ Get: get }) => withKeys({ action: 'dynamodb:GetItem', resource: tableArn(ctx, get.TableName) }, itemKeys({
    leading: leadingKeys(services, ctx, get.TableName, [get.Key]), attributes: expressionAttributes(get, services), returnConsumedCapacity: input.ReturnConsumedCapacity, enclosing: 'TransactGetItems',
  }))),
  async execute({ engine, expressions }, ctx, input) {
    const parsed = input.TransactItems.map(({ Get: get }) => {
      checkExpressionParameters(get, ['ProjectionExpression'], []);
      return { tableName: get.TableName, keyMap: normalizeAttributeMap(get.Key), projection: resolveExpressions(get, expressions).projection };
    });
    const outcomes = await engine.transactions.get(ctx.region, parsed);
    return snapshotReply(outcomes, parsed.map((p) => projector(p.projection)), input.ReturnConsumedCapacity);
  },
});

function projector(projection: Path[] | undefined): ((item: AttributeMap) => AttributeMap) | undefined {
  return projection === undefined ? undefined : (item) => projectItem(item, projection);
}

/**
 * `{"Responses":[…]}` for items read as of one instant, in request order, each projected as asked
 * (undefined: the whole item, spliced in unparsed); each costs twice a strongly consistent read.
 */
export function snapshotReply(
  outcomes: readonly TransactGetOutcome[], projections: readonly (((item: AttributeMap) => AttributeMap) | undefined)[], returnCapacity: ReturnConsumedCapacity | undefined,
): OperationResult {
  const perTable = new Map<string, number>();
  const responses = outcomes.map((outcome, i) => {
    const name = outcome.table.TableName;
    perTable.set(name, (perTable.get(name) ?? 0) + outcome.capacityUnits);
    const stored = outcome.item;
    if (stored === undefined) return '{}';
    const project = projections[i];
    if (project === undefined) return `{"Item":${stored.json}}`;
    return `{"Item":${JSON.stringify(project(JSON.parse(stored.json) as AttributeMap))}}`;
  });
  const capacities = [...perTable].map(([name, units]) => transactionCapacity(returnCapacity, 'read', name, units)).filter((c) => c !== undefined);
  return {
    body: { Responses: new RawJson(`[${responses.join(',')}]`), ConsumedCapacity: capacities.length > 0 ? capacities : undefined },
    usage: [...perTable].map(([name, units]) => usageOf(name, 'read', units)),
  };
}

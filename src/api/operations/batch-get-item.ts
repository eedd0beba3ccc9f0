// BatchGetItem: up to 100 keys across tables, each table with its own projection and consistency;
// replies over 16 MB hand the remaining keys back as UnprocessedKeys.
import { admitBatch } from '../throttling.js';
import type { AttributeMap } from '../../model/attribute-value.js';
import type { Path } from '../../expressions/ast.js';
import { projectItem } from '../../expressions/project.js';
import { operation, RawJson, tableArn } from '../operation.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { normalizeAttributeMap } from '../validate/attribute-value.js';
import { returnConsumedCapacity } from '../validate/common-shapes.js';
import { checkExpressionParameters, resolveExpressions } from '../validate/expression-parameters.js';
import { expressionAttributeNames } from '../validate/item-shapes.js';
import { attributeMap, bool, list, map, members, namePattern, str, struct } from '../validate/shape.js';
import { consumedCapacity, usageOf } from './consumed-capacity.js';
import { checkAttributesToGet } from './read-results.js';
import { setOwn } from '../../model/own-properties.js';
import { expressionAttributes, itemKeys, leadingKeys, selectOf, withKeys } from '../condition-keys.js';

/** DynamoDB: BatchGetItem reads at most 100 items. */
export const batchGetKeysMax = 100;

export const batchGetItem = operation({
  name: 'BatchGetItem',
  kind: 'read',
  members: members([
    ['ReturnConsumedCapacity', returnConsumedCapacity],
    ['RequestItems', map(struct('KeysAndAttributes', [
      ['Keys', list(attributeMap(), { notNull: true, lengthMin: 1, lengthMax: batchGetKeysMax })],
      ['AttributesToGet', list(str(), { lengthMin: 1, lengthMax: 255 })],
      ['ConsistentRead', bool()],
      ['ProjectionExpression', str()],
      ['ExpressionAttributeNames', expressionAttributeNames],
    ]), 'com.amazonaws.dynamodb.v20120810.KeysAndAttributes', { notNull: true, lengthMin: 1, keyLengthMin: 3, keyLengthMax: 255, keyPattern: namePattern, keysOrTableArn: true })],
  ]),
  permissions: (input, ctx, services) => Object.entries(input.RequestItems).map(([name, request]) => {
    const attributes = expressionAttributes(request, services);
    return withKeys({ action: 'dynamodb:BatchGetItem', resource: tableArn(ctx, name) }, itemKeys({
      leading: leadingKeys(services, ctx, name, request.Keys), attributes, select: selectOf(undefined, attributes), returnConsumedCapacity: input.ReturnConsumedCapacity,
    }));
  }),
  async execute({ engine, expressions }, ctx, input) {
    const requests: { name: string; keys: AttributeMap[]; consistent: boolean; projection: readonly Path[] | undefined }[] = [];
    let count = 0;
    for (const [name, request] of Object.entries(input.RequestItems)) {
      checkExpressionParameters(request, ['ProjectionExpression'], ['AttributesToGet']);
      checkAttributesToGet(request.AttributesToGet);
      const { projection } = resolveExpressions(request, expressions);
      const seen = new Set<string>();
      const keys = request.Keys.map((k) => {
        const key = normalizeAttributeMap(k);
        const identity = JSON.stringify(Object.entries(key).sort(([a], [b]) => (a < b ? -1 : 1)));
        if (seen.has(identity)) throw new ValidationException(messages.duplicateKeys);
        seen.add(identity);
        count++;
        if (count > batchGetKeysMax) throw new ValidationException(messages.tooManyBatchGetKeys);
        return key;
      });
      requests.push({ name, keys, consistent: request.ConsistentRead === true, projection: projection ?? request.AttributesToGet?.map((n) => [n]) });
    }
    // A throttled table's keys come back unprocessed (--enforce-capacity); the others are read.
    const admitted = admitBatch(engine, ctx.region, requests.map((r) => r.name), 'read');
    const unprocessed: Record<string, unknown> = {};
    for (const r of requests) if (!admitted.has(r.name)) setOwn(unprocessed, r.name, input.RequestItems[r.name]);
    const served = requests.filter((r) => admitted.has(r.name));
    const outcomes = await engine.items.batchGet(ctx.region, served.map((r) => ({ tableName: r.name, keys: r.keys, consistent: r.consistent })));
    const responses: string[] = [];
    outcomes.forEach((outcome, i) => {
      const r = served[i] as (typeof requests)[number];
      const items = outcome.items.map((item) => (r.projection === undefined ? item.json : JSON.stringify(projectItem(JSON.parse(item.json) as AttributeMap, r.projection))));
      responses.push(`${JSON.stringify(r.name)}:[${items.join(',')}]`);
      if (outcome.unprocessed.length > 0) setOwn(unprocessed, r.name, { ...input.RequestItems[r.name], Keys: outcome.unprocessed });
    });
    const capacities = outcomes.map((o) => consumedCapacity(input.ReturnConsumedCapacity, o.table.TableName, o.capacityUnits)).filter((c) => c !== undefined);
    return {
      body: { Responses: new RawJson(`{${responses.join(',')}}`), UnprocessedKeys: unprocessed, ConsumedCapacity: capacities.length > 0 ? capacities : undefined },
      usage: outcomes.map((o) => usageOf(o.table.TableName, 'read', o.capacityUnits)),
    };
  },
});

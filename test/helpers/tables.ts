// Table definitions tests create again and again: on-demand tables with the given key attributes.
import type { CreateTableCommandInput, ScalarAttributeType } from '@aws-sdk/client-dynamodb';

export type KeyAttribute = readonly [name: string, type: ScalarAttributeType];

export function onDemandTable(name: string, hash: KeyAttribute, range?: KeyAttribute): CreateTableCommandInput {
  const keys = range === undefined ? [hash] : [hash, range];
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keys.map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: keys.map(([AttributeName], i) => ({ AttributeName, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
  };
}

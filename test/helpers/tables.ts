// Table definitions tests create again and again: on-demand and provisioned tables with the given key attributes.
import type { CreateTableCommandInput, ScalarAttributeType } from '@aws-sdk/client-dynamodb';

export type KeyAttribute = readonly [name: string, type: ScalarAttributeType];

export function onDemandTable(name: string, hash: KeyAttribute, range?: KeyAttribute): CreateTableCommandInput {
  return { TableName: name, BillingMode: 'PAY_PER_REQUEST', ...keyDefinitions(hash, range) };
}

/** A PROVISIONED table of `read` and `write` capacity units. */
export function provisionedTable(name: string, read: number, write: number, hash: KeyAttribute, range?: KeyAttribute): CreateTableCommandInput {
  return { TableName: name, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write }, ...keyDefinitions(hash, range) };
}

function keyDefinitions(hash: KeyAttribute, range?: KeyAttribute): Pick<CreateTableCommandInput, 'AttributeDefinitions' | 'KeySchema'> {
  const keys = range === undefined ? [hash] : [hash, range];
  return {
    AttributeDefinitions: keys.map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: keys.map(([AttributeName], i) => ({ AttributeName, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
  };
}

// A table's (or index's) whole contents as sorted lines of canonical JSON (attributes in name order):
// restores and backups are compared with their sources, and with models, line for line.
import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

export type Item = Record<string, AttributeValue>;

export function canonical(item: Item): string {
  return JSON.stringify(Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : 1))));
}

export async function contents(db: DynamoDBClient, TableName: string, IndexName?: string): Promise<string[]> {
  const out: string[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName, IndexName, ExclusiveStartKey }));
    for (const item of page.Items ?? []) out.push(canonical(item));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey !== undefined);
  return out.sort();
}

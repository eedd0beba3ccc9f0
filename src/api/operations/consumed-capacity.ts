// The ConsumedCapacity member of a reply, for ReturnConsumedCapacity TOTAL or INDEXES.

export type ReturnConsumedCapacity = 'INDEXES' | 'TOTAL' | 'NONE';

export function consumedCapacity(mode: ReturnConsumedCapacity | undefined, tableName: string, units: number): Record<string, unknown> | undefined {
  if (mode === 'TOTAL') return { TableName: tableName, CapacityUnits: units };
  if (mode === 'INDEXES') return { TableName: tableName, CapacityUnits: units, Table: { CapacityUnits: units } };
  return undefined;
}

/** Appends `"ConsumedCapacity":…` to a JSON object text being assembled, when asked for. */
export function withCapacity(members: string[], capacity: Record<string, unknown> | undefined): string[] {
  if (capacity !== undefined) members.push(`"ConsumedCapacity":${JSON.stringify(capacity)}`);
  return members;
}

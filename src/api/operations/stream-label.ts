// A stream's label is its creation time in ISO 8601 without the zone, as DynamoDB labels streams.

export function streamLabel(nowMs: number): string {
  return new Date(nowMs).toISOString().replace('Z', '');
}

// A stream's label is its creation time in ISO 8601 without the zone, as DynamoDB labels streams.

export function streamLabel(nowMs: number): string {
  return new Date(nowMs).toISOString().replace('Z', '');
}

/**
 * The label of a table's next stream: its creation time, but always after the previous stream's
 * label — labels have millisecond precision, and a stream re-enabled within the same millisecond
 * must not take the old stream's name (its ARN).
 */
export function nextStreamLabel(previous: string | undefined, nowMs: number): string {
  const previousMs = previous === undefined ? Number.NaN : Date.parse(`${previous}Z`);
  return streamLabel(Number.isNaN(previousMs) ? nowMs : Math.max(nowMs, previousMs + 1));
}

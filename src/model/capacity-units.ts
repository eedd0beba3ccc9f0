// DynamoDB's capacity-unit math: writes in 1 KB units of the larger of the old and new item,
// reads in 4 KB units, an eventually consistent read costs half.

/** One write capacity unit covers an item up to 1 KB. */
export const writeUnitBytes = 1024;
/** One read capacity unit covers a strongly consistent read of up to 4 KB. */
export const readUnitBytes = 4096;

export function writeCapacityUnits(oldSizeBytes: number, newSizeBytes: number): number {
  return Math.max(1, Math.ceil(Math.max(oldSizeBytes, newSizeBytes) / writeUnitBytes));
}

/** A missing item still costs the minimum unit. */
export function readCapacityUnits(sizeBytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(sizeBytes / readUnitBytes));
  return consistent ? units : units / 2;
}

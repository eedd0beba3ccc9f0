// --prices PATH: a JSON file of prices the cost meter uses instead of DynamoDB's list prices (any of
// readRequestUnitsPerMillion, writeRequestUnitsPerMillion, readCapacityUnitHour,
// writeCapacityUnitHour, storageGbMonth, in USD). A mistake in it stops the start with its reason.
import { readFileSync } from 'node:fs';
import type { Prices } from '../engine/cost-meter.js';

const keys: readonly (keyof Prices)[] = ['readRequestUnitsPerMillion', 'writeRequestUnitsPerMillion', 'readCapacityUnitHour', 'writeCapacityUnitHour', 'storageGbMonth'];

export function readPricesFile(path: string): Partial<Prices> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`--prices ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`--prices ${path}: expected a JSON object`);
  const out: Partial<Record<keyof Prices, number>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(keys as readonly string[]).includes(key)) throw new Error(`--prices ${path}: unknown price '${key}' (known: ${keys.join(', ')})`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`--prices ${path}: '${key}' needs a number of USD (0 or more)`);
    out[key as keyof Prices] = value;
  }
  return out;
}

// What the tables would cost on DynamoDB, at its published list prices (us-east-1, the Standard table
// class; --prices replaces any of them): on-demand tables by the request units they consumed,
// provisioned ones by the capacity-hours they held, both by the storage they hold. Accrued over the
// clock (--clock-speed makes a month pass sooner) since the table was first seen by this server, and
// projected to a month at the current rate. What one server served: several nodes each count theirs.
import type { Clock } from '../model/clock.js';
import { provisionedUnits, type TableRecord } from '../model/table.js';
import type { CapacityMeter } from './capacity-meter.js';

export interface Prices {
  /** On-demand, USD per million read / write request units. */
  readonly readRequestUnitsPerMillion: number;
  readonly writeRequestUnitsPerMillion: number;
  /** Provisioned, USD per read / write capacity unit-hour. */
  readonly readCapacityUnitHour: number;
  readonly writeCapacityUnitHour: number;
  /** Storage, USD per GB-month. */
  readonly storageGbMonth: number;
}

/** DynamoDB's list prices in us-east-1 for the Standard table class (on-demand since November 2024). */
export const listPrices: Prices = {
  readRequestUnitsPerMillion: 0.125,
  writeRequestUnitsPerMillion: 0.625,
  readCapacityUnitHour: 0.00013,
  writeCapacityUnitHour: 0.00065,
  storageGbMonth: 0.25,
};

const priceNames: readonly (keyof Prices)[] = ['readRequestUnitsPerMillion', 'writeRequestUnitsPerMillion', 'readCapacityUnitHour', 'writeCapacityUnitHour', 'storageGbMonth'];

/** The prices a --prices file gives (any of Prices' members, USD); throws saying what is wrong. */
export function pricesFrom(parsed: unknown): Partial<Prices> {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object');
  const out: Partial<Record<keyof Prices, number>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(priceNames as readonly string[]).includes(key)) throw new Error(`unknown price '${key}' (known: ${priceNames.join(', ')})`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`'${key}' needs a number of USD (0 or more)`);
    out[key as keyof Prices] = value;
  }
  return out;
}

const hourMs = 3_600_000;
/** A month as AWS bills provisioned capacity: 730 hours. */
export const monthHours = 730;
const gigabyte = 1024 ** 3;

interface Accrual {
  /** Clock ms the table was first seen, and last sampled. */
  readonly since: number;
  at: number;
  readUnitHours: number;
  writeUnitHours: number;
  /** GB-hours of storage (sampled with the size last reported). */
  gbHours: number;
  bytes: number;
}

export interface TableCost {
  readonly region: string;
  readonly table: string;
  readonly billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  /** Hours of the clock counted. */
  readonly hours: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly readCapacityUnitHours: number;
  readonly writeCapacityUnitHours: number;
  readonly storageGbMonths: number;
  /** USD so far: reads, writes, storage, total. */
  readonly cost: { readonly reads: number; readonly writes: number; readonly storage: number; readonly total: number };
  /** USD a month at the current rate: capacity (or the last 15 minutes' requests) and storage as they are now. */
  readonly monthly: number;
}

export class CostMeter {
  private readonly accruals = new Map<string, Accrual>();

  constructor(
    private readonly clock: Clock,
    private readonly capacity: CapacityMeter,
    readonly prices: Prices,
  ) {}

  /** Accrues each table's provisioned capacity and storage since the last sample (`bytes`: each table's size now, by id). */
  sample(tables: readonly TableRecord[], bytes: ReadonlyMap<string, number>): void {
    const now = this.clock.now();
    for (const table of tables) {
      let accrual = this.accruals.get(table.id);
      if (accrual === undefined) {
        accrual = { since: now, at: now, readUnitHours: 0, writeUnitHours: 0, gbHours: 0, bytes: bytes.get(table.id) ?? 0 };
        this.accruals.set(table.id, accrual);
        continue;
      }
      const hours = (now - accrual.at) / hourMs;
      if (table.BillingMode === 'PROVISIONED') {
        const units = provisionedUnits(table);
        accrual.readUnitHours += hours * units.read;
        accrual.writeUnitHours += hours * units.write;
      }
      accrual.gbHours += hours * (accrual.bytes / gigabyte);
      accrual.bytes = bytes.get(table.id) ?? accrual.bytes;
      accrual.at = now;
    }
  }

  /** Each table's cost so far and a month at the current rate. */
  report(tables: readonly TableRecord[]): TableCost[] {
    const p = this.prices;
    const minute = Math.floor(this.clock.now() / 60_000);
    return tables.flatMap((table) => {
      const accrual = this.accruals.get(table.id);
      if (accrual === undefined) return [];
      const { read, write } = this.capacity.totals(table.id);
      const provisioned = table.BillingMode === 'PROVISIONED';
      const reads = provisioned ? accrual.readUnitHours * p.readCapacityUnitHour : (read / 1e6) * p.readRequestUnitsPerMillion;
      const writes = provisioned ? accrual.writeUnitHours * p.writeCapacityUnitHour : (write / 1e6) * p.writeRequestUnitsPerMillion;
      const storage = (accrual.gbHours / monthHours) * p.storageGbMonth;
      const storageMonthly = (accrual.bytes / gigabyte) * p.storageGbMonth;
      let monthly: number;
      if (provisioned) {
        const units = provisionedUnits(table);
        monthly = monthHours * (units.read * p.readCapacityUnitHour + units.write * p.writeCapacityUnitHour) + storageMonthly;
      } else {
        // The last 15 whole minutes' request units, as a month of them.
        const recent = this.capacity.recent(table.id, minute, 15);
        const perMonth = (monthHours * 60) / 15;
        monthly = ((recent.read * perMonth) / 1e6) * p.readRequestUnitsPerMillion + ((recent.write * perMonth) / 1e6) * p.writeRequestUnitsPerMillion + storageMonthly;
      }
      return [{
        region: table.region, table: table.TableName, billingMode: table.BillingMode, hours: (accrual.at - accrual.since) / hourMs,
        readUnits: read, writeUnits: write, readCapacityUnitHours: accrual.readUnitHours, writeCapacityUnitHours: accrual.writeUnitHours,
        storageGbMonths: accrual.gbHours / monthHours,
        cost: { reads, writes, storage, total: reads + writes + storage }, monthly,
      }];
    });
  }
}

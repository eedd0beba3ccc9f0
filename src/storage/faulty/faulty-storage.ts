// A storage wrapper for tests that holds the engine to the storage contract: every decide runs twice
// on the same current state and the two decisions must be equal (decide is pure), and commits fail
// at a seeded rate — the decision is made and then thrown away, so nothing of the write is stored
// and the caller sees the StorageFailure a full disk would give. `--storage-faults` puts it in front
// of any store.
import { isDeepStrictEqual } from 'node:util';
import { StorageFailure } from '../../errors/storage-failure.js';
import type {
  CatalogEntry, CatalogGuard, Decide, DecideCatalog, DerivedWrite, ItemRef, KeyRange, RangeEntry, Storage, StoredItem, TableStats, WriteDecision, WriteOptions,
} from '../storage.js';

export interface StorageFaults {
  /** Fraction of item writes whose commit fails (0: none). */
  readonly writeFailures: number;
  /** Fraction of catalog updates whose commit fails (0: none). */
  readonly catalogFailures: number;
  /** Seed of the failures drawn, so a run can be replayed. */
  readonly seed: number;
}

/** A decide that answered differently for the same state: a bug in the engine, never a client error. */
export class ImpureDecision extends Error {
  override readonly name = 'ImpureDecision';
}

/** Thrown out of the inner store's transaction to abandon it (the injected failure). */
class Abandoned extends Error {}

/**
 * Parses `write=0.25,catalog=0,seed=7` (every part optional; `check` alone only checks decides).
 * Throws on anything else, naming what it expected.
 */
export function parseStorageFaults(text: string): StorageFaults {
  const faults = { writeFailures: 0, catalogFailures: 0, seed: 1 };
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '' && p !== 'check')) {
    const [name, value] = part.split('=');
    const number = Number(value);
    const fraction = Number.isFinite(number) && number >= 0 && number <= 1;
    if (name === 'write' && fraction) faults.writeFailures = number;
    else if (name === 'catalog' && fraction) faults.catalogFailures = number;
    else if (name === 'seed' && Number.isInteger(number)) faults.seed = number;
    else throw new Error(`--storage-faults: '${part}' is not one of write=FRACTION, catalog=FRACTION, seed=INTEGER, check`);
  }
  return faults;
}

export class FaultyStorage implements Storage {
  /** The inner store's: the wrapper is announced by its own log line. */
  readonly description: string;
  readonly exclusive: boolean;
  private state: number;

  constructor(
    private readonly inner: Storage,
    private readonly faults: StorageFaults,
  ) {
    this.description = inner.description;
    this.exclusive = inner.exclusive;
    this.state = faults.seed >>> 0;
  }

  readCatalog(): Promise<CatalogEntry[]> {
    return this.inner.readCatalog();
  }

  async updateCatalog<T>(keys: readonly string[], decide: DecideCatalog<T>): Promise<T> {
    const fail = this.draw(this.faults.catalogFailures);
    try {
      return await this.inner.updateCatalog(keys, (current) => {
        const first = decide(current);
        const second = decide(current);
        if (!isDeepStrictEqual(first, second)) throw new ImpureDecision(`a catalog decide on [${keys.join(', ')}] answered differently for the same entries`);
        if (fail) throw new Abandoned();
        return first;
      });
    } catch (error) {
      if (error instanceof Abandoned) throw new StorageFailure('commit failed: injected catalog failure (--storage-faults)');
      throw error;
    }
  }

  getItem(ref: ItemRef): Promise<StoredItem | undefined> {
    return this.inner.getItem(ref);
  }

  readRange(tableId: string, range: KeyRange, limit: number): Promise<RangeEntry[]> {
    return this.inner.readRange(tableId, range, limit);
  }

  async write<T>(refs: readonly ItemRef[], decide: Decide<T>, guards?: readonly CatalogGuard[], options?: WriteOptions): Promise<T> {
    const fail = this.draw(this.faults.writeFailures);
    try {
      return await this.inner.write(refs, (current) => {
        const first = decide(current);
        const second = decide(current);
        const difference = decisionDifference(first, second);
        if (difference !== undefined) throw new ImpureDecision(`a write decide answered differently for the same items: ${difference}`);
        if (fail) throw new Abandoned();
        return first;
      }, guards, options);
    } catch (error) {
      if (error instanceof Abandoned) throw new StorageFailure('commit failed: injected write failure (--storage-faults)');
      throw error;
    }
  }

  tableStats(tableId: string): Promise<TableStats> {
    return this.inner.tableStats(tableId);
  }

  dropTable(tableId: string): Promise<void> {
    return this.inner.dropTable(tableId);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Whether this commit fails: a seeded draw (an LCG) against the rate; no draw at rate 0. */
  private draw(rate: number): boolean {
    if (rate <= 0) return false;
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return this.state / 2 ** 32 < rate;
  }
}

/** Where two decisions differ (undefined: they are equal). */
function decisionDifference<T>(a: WriteDecision<T>, b: WriteDecision<T>): string | undefined {
  if (a.writes.length !== b.writes.length) return `${a.writes.length} writes, then ${b.writes.length}`;
  for (let i = 0; i < a.writes.length; i++) if (!sameNext(a.writes[i], b.writes[i])) return `write ${i}`;
  const derivedA = a.derived ?? [];
  const derivedB = b.derived ?? [];
  if (derivedA.length !== derivedB.length) return `${derivedA.length} derived writes, then ${derivedB.length}`;
  for (let i = 0; i < derivedA.length; i++) if (!sameDerived(derivedA[i] as DerivedWrite, derivedB[i] as DerivedWrite)) return `derived write ${i}`;
  if (!isDeepStrictEqual(a.result, b.result)) return 'the result';
  return undefined;
}

function sameNext(a: StoredItem | null | undefined, b: StoredItem | null | undefined): boolean {
  if (a === undefined || a === null || b === undefined || b === null) return a === b;
  return a.json === b.json && a.sizeBytes === b.sizeBytes;
}

function sameDerived(a: DerivedWrite, b: DerivedWrite): boolean {
  return a.ref.tableId === b.ref.tableId && Buffer.from(a.ref.key).equals(Buffer.from(b.ref.key)) && sameNext(a.next, b.next);
}

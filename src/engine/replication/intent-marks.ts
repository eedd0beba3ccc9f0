// The marks of multi-region strong consistency: which region is writing an item of a replica right
// now. A write marks its items in its own region and in the others before it runs and takes the marks
// back once done; a mark whose writer never came back lapses after 30 s (by the engine's clock).
//
// Each write's marks carry a token of its own, so a late message of an earlier write takes back
// only that write's marks. On a store only this process opens, the marks are kept in memory. On a
// shared store (several nodes of a region on one PostgreSQL) they are records in the replica's
// replication log, each taken in one storage transaction, so every node of a region sees the marks
// of the others, whichever node a message of the protocol reached. A wait for marks to go wakes when
// this process takes one back, and on a shared store also polls for the other nodes'.
import type { Clock } from '../../model/clock.js';
import type { Storage } from '../../storage/storage.js';

/** The tag of a mark's key in a replication log (after the head, stamps, changes and checkpoints). */
const markTag = 5;
const marksRange = { start: Uint8Array.of(markTag), end: Uint8Array.of(markTag + 1) };
/** A mark a coordinator that went away left behind lapses after this long. */
const lapseMs = 30_000;
/** How often a wait looks for the marks of other nodes to be gone (a shared store), or only lapsed (this process's). */
const sharedPollMs = 3;
const localPollMs = 1000;
const pageMarks = 256;

interface Mark {
  readonly holder: string;
  readonly token: string;
  readonly until: number;
}

/**
 * What taking marks came to: taken; `conflict` — another region is writing one of the items;
 * `busy` — another write of the same region is (only when that is to be waited for).
 */
export type Taking = 'taken' | 'conflict' | 'busy';

type Decide<T> = (current: readonly (Mark | undefined)[]) => { readonly next: readonly (Mark | null | undefined)[]; readonly result: T };

/** Where marks are kept: `logId` is the replica's replication log, `keys` its items' keys. */
interface MarkStore {
  update<T>(logId: string, keys: readonly Buffer[], decide: Decide<T>): Promise<T>;
  /** The marks on `keys`, or (undefined) on any item of the replica. */
  read(logId: string, keys: readonly Buffer[] | undefined): Promise<Mark[]>;
}

export class IntentMarks {
  private readonly store: MarkStore;
  private readonly pollMs: number;
  private wake = signal();

  constructor(storage: Storage, private readonly clock: Clock) {
    this.store = storage.exclusive ? new MemoryMarks() : new StoredMarks(storage);
    this.pollMs = storage.exclusive ? localPollMs : sharedPollMs;
  }

  /**
   * Marks `keys` of the replica for a write of `holder`'s (its `token`) unless another region's mark
   * is on one of them. `waitOwn`: the holder's own region, where another write of its own is waited
   * for (`busy`); elsewhere a mark of the holder's is an earlier write's, not taken back yet, and is
   * replaced.
   */
  take(logId: string, keys: readonly Buffer[], holder: string, token: string, waitOwn: boolean): Promise<Taking> {
    // Read outside the transaction: a decide reads no clock (it may run more than once).
    const now = this.clock.now();
    const mark: Mark = { holder, token, until: now + lapseMs };
    return this.store.update<Taking>(logId, keys, (current) => {
      const live = current.filter((m): m is Mark => m !== undefined && m.until > now);
      if (live.some((m) => m.holder !== holder)) return { next: [], result: 'conflict' };
      if (waitOwn && live.some((m) => m.token !== token)) return { next: [], result: 'busy' };
      return { next: keys.map(() => mark), result: 'taken' };
    });
  }

  /** Takes back the marks of the write `token` on `keys` (another write's stay). */
  async release(logId: string, keys: readonly Buffer[], token: string): Promise<void> {
    await this.store.update(logId, keys, (current) => ({ next: current.map((m) => (m?.token === token ? null : undefined)), result: undefined }));
    const woken = this.wake;
    this.wake = signal();
    woken.fire();
  }

  /** Resolves once no mark is on `keys` of the replica (undefined: on any of its items). */
  async settle(logId: string, keys?: readonly Buffer[]): Promise<void> {
    for (;;) {
      const woken = this.wake;
      const now = this.clock.now();
      if (!(await this.store.read(logId, keys)).some((m) => m.until > now)) return;
      await woken.wait(this.pollMs);
    }
  }
}

/** Marks in this process's memory: by replica, then by key. */
class MemoryMarks implements MarkStore {
  private readonly marks = new Map<string, Map<string, Mark>>();

  async update<T>(logId: string, keys: readonly Buffer[], decide: Decide<T>): Promise<T> {
    let marks = this.marks.get(logId);
    const ids = keys.map((key) => key.toString('base64'));
    const { next, result } = decide(ids.map((id) => marks?.get(id)));
    next.forEach((mark, i) => {
      if (mark === undefined) return;
      if (mark === null) {
        marks?.delete(ids[i] as string);
        if (marks?.size === 0) this.marks.delete(logId);
        return;
      }
      if (marks === undefined) this.marks.set(logId, (marks = new Map()));
      marks.set(ids[i] as string, mark);
    });
    return result;
  }

  async read(logId: string, keys: readonly Buffer[] | undefined): Promise<Mark[]> {
    const marks = this.marks.get(logId);
    if (marks === undefined) return [];
    if (keys === undefined) return [...marks.values()];
    return keys.flatMap((key) => marks.get(key.toString('base64')) ?? []);
  }
}

/** Marks as records of the replica's replication log in the shared store. */
class StoredMarks implements MarkStore {
  constructor(private readonly storage: Storage) {}

  update<T>(logId: string, keys: readonly Buffer[], decide: Decide<T>): Promise<T> {
    return this.storage.write(keys.map((key) => ({ tableId: logId, key: markKey(key), uncounted: true as const })), (current) => {
      const { next, result } = decide(current.map((stored) => (stored === undefined ? undefined : (JSON.parse(stored.json) as Mark))));
      return { writes: next.map((mark) => (mark === undefined || mark === null ? mark : { json: JSON.stringify(mark), sizeBytes: 0 })), result };
    });
  }

  async read(logId: string, keys: readonly Buffer[] | undefined): Promise<Mark[]> {
    if (keys !== undefined) {
      const stored = await Promise.all(keys.map((key) => this.storage.getItem({ tableId: logId, key: markKey(key) })));
      return stored.flatMap((s) => (s === undefined ? [] : [JSON.parse(s.json) as Mark]));
    }
    const marks: Mark[] = [];
    let start: Uint8Array = marksRange.start;
    for (;;) {
      const page = await this.storage.readRange(logId, { start, end: marksRange.end }, pageMarks);
      marks.push(...page.map((entry) => JSON.parse(entry.item.json) as Mark));
      const last = page.at(-1);
      if (page.length < pageMarks || last === undefined) return marks;
      start = Buffer.concat([last.key, Uint8Array.of(0)]);
    }
  }
}

function markKey(itemKey: Uint8Array): Buffer {
  return Buffer.concat([Uint8Array.of(markTag), itemKey]);
}

/** A one-time signal: `wait` resolves when it fires or after `ms`, whichever comes first. */
function signal(): { fire: () => void; wait: (ms: number) => Promise<void> } {
  let fire = (): void => undefined;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return {
    fire: () => fire(),
    wait: (ms) => {
      let timer: NodeJS.Timeout | undefined;
      return Promise.race([fired, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
    },
  };
}

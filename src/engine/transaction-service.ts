// Transactions: TransactWriteItems (and ExecuteTransaction's writes) — up to 100 Put / Update /
// Delete / ConditionCheck actions across tables, all applied in one storage transaction or none,
// every action judged and a failure cancelling the whole with one reason per action in request
// order, as DynamoDB reports it; a ClientRequestToken's record written in the same transaction and
// checked in it (a retry after a crash finds it exactly when the writes happened). And reads of
// several items as of one instant (TransactGetItems, ExecuteTransaction's reads).
import {
  ConditionalCheckFailedException, IdempotentParameterMismatchException, TransactionInProgressException, ValidationException,
} from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { UpdateAction } from '../expressions/ast.js';
import type { AttributeMap } from '../model/attribute-value.js';
import { readCapacityUnits, writeCapacityUnits } from '../model/capacity-units.js';
import type { Clock } from '../model/clock.js';
import { itemSizeBytes } from '../model/item-size.js';
import { ownValue, setOwn } from '../model/own-properties.js';
import type { StoredItem } from '../model/stored-item.js';
import { primaryKey, type TableRecord } from '../model/table.js';
import { ItemBusy } from '../storage/storage.js';
import { checkCondition, parseStored, updatedItem, type WriteCondition } from './item-decisions.js';
import { checkIndexKeys, type IndexKeyWrite, type IndexUnits } from './indexes.js';
import { keyRangeCancellation, type ThrottlingReason } from './capacity-meter.js';
import type { KeyRanges } from './key-ranges.js';
import { keyAttributes, keyFromItem, keyFromKeyMap } from './item-key.js';
import type { ItemService } from './item-service.js';
import type { ItemWrite, NextItem } from './item-writer.js';
import type { WriteTarget } from './item-collections.js';
import type { ReadService } from './read-service.js';
import type { TableService } from './table-service.js';
import { cancellation, conflictReasons, throwIfRequestLevel, type Reason } from './transaction-reasons.js';
import { canonicalDigest, liveToken, tokenItem, tokenRef, type TokenRecord } from './transaction-tokens.js';

export type TransactKind = 'ConditionCheck' | 'Put' | 'Delete' | 'Update';

/** One action of a transaction, as the request names it (checked as far as it can be without its table). */
export interface TransactAction {
  readonly kind: TransactKind;
  readonly tableName: string;
  /** Put: the item (normalised, within the size limit). */
  readonly item?: AttributeMap | undefined;
  /** ConditionCheck, Delete, Update: the key. */
  readonly keyMap?: AttributeMap | undefined;
  readonly check?: WriteCondition | undefined;
  readonly update?: readonly UpdateAction[] | undefined;
  /** The reason a failed condition reports, when not ConditionalCheckFailed (PartiQL INSERT: DuplicateItem). */
  readonly failure?: Reason;
}

export interface TransactOutcome {
  readonly table: TableRecord;
  readonly kind: TransactKind;
  /** The item (a Put) or key (the others) the action named. */
  readonly keyItem: AttributeMap;
  /** Write units of the action as a plain write (a transaction charges twice these). */
  readonly capacityUnits: number;
  readonly indexUnits: readonly IndexUnits[];
  readonly collectionBytes?: number;
}

export type TransactWriteResult =
  | { readonly replayed: false; readonly outcomes: readonly TransactOutcome[] }
  /** The token's transaction was applied already: nothing written again; items it wrote per table name. */
  | { readonly replayed: true; readonly items: Readonly<Record<string, number>> };

export interface TransactGet {
  readonly tableName: string;
  readonly keyMap: AttributeMap;
}

export interface TransactGetOutcome {
  readonly table: TableRecord;
  readonly item: StoredItem | undefined;
  /** Read units (twice a strongly consistent read). */
  readonly capacityUnits: number;
}

interface Bound {
  readonly action: TransactAction;
  readonly table: TableRecord;
  readonly key: Buffer | undefined;
  /** Refused before anything is read (a ValidationError reason). */
  readonly refusal: string | undefined;
}

/** The token's transaction committed before: answer without writing (thrown out of the storage transaction). */
class Replayed extends Error {
  constructor(readonly record: TokenRecord) {
    super('replayed');
  }
}

/** A token already used within its lifetime: the same request is replayed (Replayed), another one refused. */
function refuseUsedToken(stored: StoredItem | undefined, now: number, digest: string): void {
  const previous = liveToken(stored, now);
  if (previous === undefined) return;
  if (previous.digest !== digest) throw new IdempotentParameterMismatchException(messages.idempotentParameterMismatch);
  throw new Replayed(previous);
}

export interface TransactionOptions {
  readonly clock: Clock;
  /** Whether this transaction is to fail with an injected conflict (--inject-transaction-conflicts), and the random source. */
  readonly injectConflict: () => boolean;
  readonly random: () => number;
}

export class TransactionService {
  /** ClientRequestTokens of transactions running in this process (TransactionInProgressException). */
  private readonly tokensInFlight = new Set<string>();

  constructor(
    private readonly tables: TableService,
    private readonly items: ItemService,
    private readonly reads: ReadService,
    private readonly target: (table: TableRecord) => WriteTarget,
    private readonly keyRanges: KeyRanges,
    private readonly options: TransactionOptions,
  ) {}

  /**
   * Applies the actions as one transaction, or throws TransactionCanceledException with every
   * action's reason. `token`: ClientRequestToken and the request it must repeat exactly.
   */
  async write(region: string, actions: readonly TransactAction[], token?: { readonly value: string; readonly request: unknown }): Promise<TransactWriteResult> {
    // Every action is bound to its table and checked before anything is read; a key or index key
    // refused is the action's ValidationError, an empty key value the whole request's.
    this.bind(region, actions);
    if (token === undefined) return { replayed: false, outcomes: await this.run(region, actions, undefined) };
    const namespace = this.tables.namespaceOf(region);
    const inFlight = `${namespace}\n${token.value}`;
    if (this.tokensInFlight.has(inFlight)) throw new TransactionInProgressException(messages.transactionInProgress);
    this.tokensInFlight.add(inFlight);
    try {
      return { replayed: false, outcomes: await this.run(region, actions, { namespace, token: token.value, digest: canonicalDigest(token.request) }) };
    } catch (error) {
      if (error instanceof Replayed) return { replayed: true, items: error.record.items };
      throw error;
    } finally {
      this.tokensInFlight.delete(inFlight);
    }
  }

  async get(region: string, gets: readonly TransactGet[]): Promise<TransactGetOutcome[]> {
    const reads: { table: TableRecord; key: Buffer | undefined; keyMap: AttributeMap }[] = [];
    const reasons: Reason[] = [];
    const seen = new Set<string>();
    for (const get of gets) {
      const table = transactable(this.tables.requireUsable(region, get.tableName));
      try {
        const key = keyFromKeyMap(table, get.keyMap);
        const identity = `${table.id}:${key.toString('hex')}`;
        if (seen.has(identity)) throw new ValidationException(messages.transactionDuplicateItem);
        seen.add(identity);
        reads.push({ table, key, keyMap: get.keyMap });
        reasons.push({ Code: 'None' });
      } catch (error) {
        if (!(error instanceof ValidationException) || error.message === messages.transactionDuplicateItem) throw error;
        throwIfRequestLevel(error);
        reads.push({ table, key: undefined, keyMap: get.keyMap });
        reasons.push({ Code: 'ValidationError', Message: error.message });
      }
    }
    if (reasons.some((r) => r.Code !== 'None')) throw cancellation(reasons);
    return this.read(reads.map((r) => ({ table: r.table, key: r.key as Buffer, keyMap: r.keyMap })));
  }

  /**
   * Items as of one instant (a read transaction), each charged twice a strongly consistent read. A read
   * of a spent partition cancels it (--enforce-capacity). `keyMaps`: the keys read, when known (for
   * Contributor Insights).
   */
  async read(reads: readonly { readonly table: TableRecord; readonly key: Buffer; readonly keyMap?: AttributeMap }[]): Promise<TransactGetOutcome[]> {
    const watched = reads.some((r) => this.keyRanges.watched(r.table));
    if (watched) cancelThrottled(reads.map((r) => r.table), reads.map((r) => (this.keyRanges.watched(r.table) ? this.keyRanges.spent(r.table, r.key, 'read', r.keyMap ?? {}) : undefined)), []);
    if (this.options.injectConflict()) throw cancellation(conflictReasons(reads.length, this.options.random));
    const items = await this.reads.snapshot(reads);
    return reads.map((r, i) => {
      const item = items[i];
      const capacityUnits = 2 * readCapacityUnits(item?.sizeBytes ?? 0, true);
      if (watched && this.keyRanges.watched(r.table)) this.keyRanges.done(r.table, r.key, 'read', capacityUnits, r.keyMap ?? {});
      return { table: r.table, item, capacityUnits };
    });
  }

  private bind(region: string, actions: readonly TransactAction[]): Bound[] {
    const bound = actions.map((action) => bindAction(transactable(this.tables.requireUsable(region, action.tableName)), action, this.target));
    const seen = new Set<string>();
    for (const b of bound) {
      if (b.key === undefined) continue;
      const identity = `${b.table.id}:${b.key.toString('hex')}`;
      if (seen.has(identity)) throw new ValidationException(messages.transactionDuplicateItem);
      seen.add(identity);
    }
    return bound;
  }

  private async run(region: string, actions: readonly TransactAction[], token: { namespace: string; token: string; digest: string } | undefined): Promise<TransactOutcome[]> {
    let bound: Bound[] = [];
    let reasons: Reason[] = [];
    const tableNames = [...new Set(actions.map((a) => a.tableName))];
    const ref = token === undefined ? undefined : tokenRef(token.namespace, token.token);
    // Read once, outside the storage transaction: a decide reads no clock (it may run more than once).
    const now = this.options.clock.now();
    let kept: Bound[] = [];
    const outcomes = await this.items.plannedAll(region, tableNames, () => {
      bound = this.bind(region, actions);
      reasons = bound.map((b) => (b.refusal === undefined ? { Code: 'None' } : { Code: 'ValidationError', Message: b.refusal }));
      if (reasons.some((r) => r.Code !== 'None') && bound.every((b) => b.key === undefined)) throw cancellation(reasons);
      if (this.options.injectConflict()) throw cancellation(conflictReasons(bound.length, this.options.random));
      kept = bound.filter((b) => b.key !== undefined);
      // An action on a spent partition of its table cancels the transaction before anything is read (--enforce-capacity).
      cancelThrottled(bound.map((b) => b.table), bound.map((b) => (b.key !== undefined && this.keyRanges.watched(b.table) ? this.keyRanges.spent(b.table, b.key, 'write', keyItemOf(b.action)) : undefined)), reasons);
      return kept.map((b): ItemWrite => {
        const at = bound.indexOf(b);
        return {
          table: b.table,
          target: this.target(b.table),
          key: b.key as Buffer,
          decide: (stored) => {
            // Refused already (e.g. a mistyped index key): nothing to judge.
            if (b.refusal !== undefined) return { next: undefined };
            // A decide may run again (a retry, a checking wrapper): each run judges the action afresh.
            reasons[at] = { Code: 'None' };
            return decideAction(b, stored, this.target(b.table), (reason) => (reasons[at] = reason));
          },
        };
      });
    }, {
      check: () => {
        if (reasons.some((r) => r.Code !== 'None')) throw cancellation(reasons);
      },
      failFast: true,
      // An action whose GSI entries go to a spent partition of their index cancels it too, once they are known.
      ...(tableNames.some((name) => this.keyRanges.watchesIndexes(this.tables.find(region, name))) ? {
        indexKeys: (keys: readonly (readonly IndexKeyWrite[])[]) => {
          const entries = (b: Bound): readonly IndexKeyWrite[] => keys[kept.indexOf(b)] ?? [];
          cancelThrottled(bound.map((b) => b.table), bound.map((b) => this.keyRanges.indexSpent(b.table, entries(b))), reasons);
        },
      } : {}),
      ...(ref === undefined || token === undefined ? {} : {
        extra: {
          refs: [ref],
          inspect: ([stored]) => refuseUsedToken(stored, now, token.digest),
          decide: () => {
            const items: Record<string, number> = {};
            for (const b of kept) setOwn(items, b.table.TableName, (ownValue(items, b.table.TableName) ?? 0) + 1);
            return [tokenItem({ digest: token.digest, at: now, items })];
          },
        },
      }),
    }).catch(async (error: unknown) => {
      // Another process's write holds one of the items: cancelled, as DynamoDB cancels a transaction
      // that meets another — unless this is a retry of one already applied (its token says so).
      if (!(error instanceof ItemBusy)) throw error;
      if (ref !== undefined && token !== undefined) refuseUsedToken(await this.reads.record(ref), now, token.digest);
      throw cancellation(bound.map((b): Reason => (b === kept[error.index] ? { Code: 'TransactionConflict', Message: messages.transactionConflict } : { Code: 'None' })));
    });
    return kept.map((b, i): TransactOutcome => {
      const outcome = outcomes[i];
      const units = b.action.kind === 'ConditionCheck' ? writeCapacityUnits(outcome?.previous?.sizeBytes ?? 0, 0) : outcome?.capacityUnits ?? 0;
      // A transaction's actions cost twice a plain write's units, taken from their partitions.
      if (this.keyRanges.watched(b.table)) {
        this.keyRanges.done(b.table, b.key as Buffer, 'write', 2 * units, keyItemOf(b.action));
        this.keyRanges.indexDone(b.table, outcome?.indexKeys, 2);
      }
      return {
        table: b.table, kind: b.action.kind, keyItem: b.action.item ?? (b.action.keyMap as AttributeMap), capacityUnits: units,
        indexUnits: outcome?.indexUnits ?? [], ...(outcome?.collectionBytes === undefined ? {} : { collectionBytes: outcome.collectionBytes }),
      };
    });
  }
}

/**
 * Cancels a transaction some of whose actions (one table each) meet a spent partition (`throttled`,
 * per action: why, if anything): their reasons, the other actions' as `reasons` has them.
 */
function cancelThrottled(tables: readonly TableRecord[], throttled: readonly (readonly ThrottlingReason[] | undefined)[], reasons: readonly Reason[]): void {
  if (!throttled.some((t) => t !== undefined && t.length > 0)) return;
  throw cancellation(tables.map((table, i): Reason => {
    const t = throttled[i];
    return t === undefined || t.length === 0 ? reasons[i] ?? { Code: 'None' } : keyRangeCancellation(table, t);
  }));
}

/** The item (a Put) or key (the other actions) an action names. */
function keyItemOf(action: TransactAction): AttributeMap {
  return action.item ?? (action.keyMap as AttributeMap);
}

/** An action bound to its table: its key, or the reason it is refused before anything is read. */
function bindAction(table: TableRecord, action: TransactAction, target: (table: TableRecord) => WriteTarget): Bound {
  let key: Buffer;
  try {
    key = action.item !== undefined ? keyFromItem(table, action.item) : keyFromKeyMap(table, action.keyMap as AttributeMap);
  } catch (error) {
    if (!(error instanceof ValidationException)) throw error;
    throwIfRequestLevel(error);
    return { action, table, key: undefined, refusal: error.message };
  }
  if (action.kind === 'Update') {
    const schema = primaryKey(table);
    for (const name of [schema.hash.name, schema.range?.name]) {
      if (name !== undefined && action.update?.some((a) => a.path[0] === name)) throw new ValidationException(messages.updateKeyAttribute(name));
    }
  }
  if (action.item !== undefined) {
    try {
      const { indexes } = target(table);
      if (indexes.length > 0) checkIndexKeys(indexes, action.item);
    } catch (error) {
      if (!(error instanceof ValidationException)) throw error;
      return { action, table, key, refusal: error.message };
    }
  }
  return { action, table, key, refusal: undefined };
}

/** One action's decision inside the transaction; a failure is recorded, not thrown, so every action is judged. */
function decideAction(bound: Bound, stored: StoredItem | undefined, target: WriteTarget, fail: (reason: Reason) => void): NextItem {
  const { action } = bound;
  const previous = parseStored(stored);
  try {
    checkCondition(action.check, previous);
    switch (action.kind) {
      case 'ConditionCheck':
        return { next: undefined };
      case 'Delete':
        return { next: null, before: previous };
      case 'Put': {
        const item = action.item as AttributeMap;
        return { next: { json: JSON.stringify(item), sizeBytes: itemSizeBytes(item) }, item, before: previous };
      }
      case 'Update': {
        const keys = keyAttributes(bound.table, action.keyMap as AttributeMap);
        return updatedItem(stored, previous, keys, action.update ?? [], target.indexes);
      }
    }
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      fail(action.failure ?? { Code: 'ConditionalCheckFailed', Message: messages.conditionalCheckFailed, ...error.extra });
      return { next: undefined };
    }
    if (error instanceof ValidationException) {
      fail({ Code: 'ValidationError', Message: error.message });
      return { next: undefined };
    }
    throw error;
  }
}

/** A table a transaction may touch: not one with multi-region strong consistency (as on AWS). */
function transactable(table: TableRecord): TableRecord {
  if (table.replication?.strong === true) throw new ValidationException(messages.strongTransactions);
  return table;
}

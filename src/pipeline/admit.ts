// The admit stage: whether a request may run now, given what its tables have consumed. With
// --enforce-capacity, a request drawing on a table or GSI whose capacity is spent (provisioned with
// its burst, an on-demand maximum or the account's quota) is refused before it runs — with the
// exception and ThrottlingReasons engine/capacity-meter.ts words, or, for a transaction,
// TransactionCanceledException with the throttled actions' reasons. What every request consumed is
// charged once it has run (counted per minute even when not enforced). Batches admit their tables
// themselves (a throttled table's part comes back unprocessed); a hot key's partition is checked
// where the key is known (engine/key-ranges.ts).
import type { OperationDefinition, Permission, RequestContext, Usage } from '../api/operation.js';
import { cancellationReason, throughputExceeded, type CapacityKind, type ThrottlingReason } from '../engine/capacity-meter.js';
import type { Engine } from '../engine/engine.js';
import { tableOfResource } from './resource-names.js';
import { cancellation, type Reason } from '../engine/transaction-reasons.js';

export interface Admission {
  /** Throws the exception DynamoDB answers a throttled request with (before anything runs). */
  admit(operation: OperationDefinition, ctx: RequestContext, permissions: () => readonly Permission[]): void;
  /** What an admitted request consumed, per table. */
  consumed(usage: readonly Usage[], ctx: RequestContext): void;
}

/** What each action draws on: reads or writes (the others draw on no capacity). */
const kinds: Readonly<Record<string, CapacityKind>> = {
  'dynamodb:GetItem': 'read', 'dynamodb:Query': 'read', 'dynamodb:Scan': 'read', 'dynamodb:PartiQLSelect': 'read',
  'dynamodb:PutItem': 'write', 'dynamodb:UpdateItem': 'write', 'dynamodb:DeleteItem': 'write', 'dynamodb:ConditionCheckItem': 'write',
  'dynamodb:PartiQLInsert': 'write', 'dynamodb:PartiQLUpdate': 'write', 'dynamodb:PartiQLDelete': 'write',
};
/** ARNs remembered at most (then forgotten at once). */
const namedMax = 10_000;
const batches = new Set(['BatchGetItem', 'BatchWriteItem', 'BatchExecuteStatement']);
const transactions = new Set(['TransactGetItems', 'TransactWriteItems', 'ExecuteTransaction']);

/** Capacity enforced (and consumption counted) through the engine's meter (capacity-meter.ts). */
export function capacityAdmission(engine: Engine): Admission {
  /** Resource ARNs read before: the table and index each names (a request's are few and recur). */
  const named = new Map<string, ReturnType<typeof tableOfResource>>();
  const nameOf = (resource: string): ReturnType<typeof tableOfResource> => {
    if (named.has(resource)) return named.get(resource);
    const parsed = tableOfResource(resource);
    if (named.size >= namedMax) named.clear();
    named.set(resource, parsed);
    return parsed;
  };
  /** Why the table (or index) a permission names would throttle its action now. */
  const reasonsOf = (permission: Permission, ctx: RequestContext): readonly ThrottlingReason[] => {
    const kind = kinds[permission.action];
    const resource = kind === undefined ? undefined : nameOf(permission.resource);
    if (kind === undefined || resource === undefined) return [];
    const table = engine.tables.find(ctx.region, resource.table);
    return table === undefined ? [] : engine.capacity.throttled(table, kind, resource.index);
  };
  return {
    admit(operation, ctx, permissions) {
      if (!engine.capacity.anyEnforced || batches.has(operation.name)) return;
      const each = permissions().map((p) => reasonsOf(p, ctx));
      if (each.every(isEmpty)) return;
      if (!transactions.has(operation.name)) throw throughputExceeded(each.flat());
      // One reason per action, in request order.
      throw cancellation(each.map((r): Reason => (r.length === 0 ? { Code: 'None' } : cancellationReason(r))));
    },
    consumed(usage, ctx) {
      for (const u of usage) {
        const table = engine.tables.find(ctx.region, u.table);
        if (table !== undefined) engine.capacity.charge(table, u.kind, u.tableUnits, u.globalIndexes);
      }
    },
  };
}

function isEmpty(reasons: readonly ThrottlingReason[]): boolean {
  return reasons.length === 0;
}

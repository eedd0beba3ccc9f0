// Throttling as DynamoDB answers it (--enforce-capacity): ProvisionedThroughputExceededException (or
// ThrottlingException, on-demand) with its ThrottlingReasons, and a batch's throttled tables handed back as unprocessed while the
// others are served (all of them throttled: the exception).
import type { Engine } from '../engine/engine.js';
import type { CapacityKind, ThrottlingReason } from '../engine/capacity-meter.js';
import { ProvisionedThroughputExceededException, ThrottlingException, type DynamoDbError } from '../errors/errors.js';
import { messages } from '../errors/messages.js';

/**
 * The exception for `reasons`: past an on-demand maximum, ThrottlingException; past provisioned
 * capacity, ProvisionedThroughputExceededException with the table's text when the table itself is
 * throttled, the GSIs' otherwise.
 */
export function throughputExceeded(reasons: readonly ThrottlingReason[]): DynamoDbError {
  if (reasons.some((r) => r.reason.endsWith('MaxOnDemandThroughputExceeded'))) return new ThrottlingException(messages.onDemandThroughputExceeded, reasons);
  const table = reasons.some((r) => r.reason.startsWith('Table'));
  return new ProvisionedThroughputExceededException(table ? messages.tableThroughputExceeded : messages.indexThroughputExceeded, reasons);
}

/** A throttled action's reason in a cancelled transaction. */
export function cancellationReason(reasons: readonly ThrottlingReason[]): { readonly Code: string; readonly Message: string } {
  if (reasons.some((r) => r.reason.endsWith('MaxOnDemandThroughputExceeded'))) return { Code: 'ThrottlingError', Message: messages.onDemandThroughputExceeded };
  return { Code: 'ProvisionedThroughputExceeded', Message: reasons.some((r) => r.reason.startsWith('Table')) ? messages.tableThroughputExceeded : messages.indexThroughputExceeded };
}

/** Which of a batch's tables may be served now; throws when none may. */
export function admitBatch(engine: Engine, region: string, names: readonly string[], kind: CapacityKind): ReadonlySet<string> {
  if (!engine.capacity.enforced) return new Set(names);
  const admitted = new Set<string>();
  const reasons: ThrottlingReason[] = [];
  for (const name of names) {
    const table = engine.tables.find(region, name);
    const throttled = table === undefined ? [] : engine.capacity.throttled(table, kind);
    if (throttled.length === 0) admitted.add(name);
    else reasons.push(...throttled);
  }
  if (admitted.size === 0 && reasons.length > 0) throw throughputExceeded(reasons);
  return admitted;
}

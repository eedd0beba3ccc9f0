// Throttling as DynamoDB answers it (--enforce-capacity): ProvisionedThroughputExceededException
// with its ThrottlingReasons, and a batch's throttled tables handed back as unprocessed while the
// others are served (all of them throttled: the exception).
import type { Engine } from '../engine/engine.js';
import type { CapacityKind, ThrottlingReason } from '../engine/capacity-meter.js';
import { ProvisionedThroughputExceededException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';

/** The exception for `reasons`: the table's text when the table itself is throttled, the GSIs' otherwise. */
export function throughputExceeded(reasons: readonly ThrottlingReason[]): ProvisionedThroughputExceededException {
  const table = reasons.some((r) => r.reason.startsWith('Table'));
  return new ProvisionedThroughputExceededException(table ? messages.tableThroughputExceeded : messages.indexThroughputExceeded, reasons);
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

// A batch under enforced capacity (--enforce-capacity): its throttled tables handed back as
// unprocessed while the others are served; all of them throttled, the exception
// (engine/capacity-meter.ts words it).
import type { Engine } from '../engine/engine.js';
import { throughputExceeded, type CapacityKind, type ThrottlingReason } from '../engine/capacity-meter.js';

/** Which of a batch's tables may be served now; throws when none may. */
export function admitBatch(engine: Engine, region: string, names: readonly string[], kind: CapacityKind): ReadonlySet<string> {
  if (!engine.capacity.anyEnforced) return new Set(names);
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

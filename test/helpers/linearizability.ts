// A linearizability checker for one register (an item read and written whole), after Wing and Gong's
// search with Lowe's memo: the history is linearizable when its operations can be put in one order
// that respects real time (an operation that ended before another began comes first) and in which
// every read returns the last write before it. Writes carry unique values; a write whose outcome is
// unknown (the server could not say) may be placed anywhere after its start, or left out. Times are
// the order of events as the test saw them (a counter), not the clock.
export interface RegisterOp {
  readonly kind: 'read' | 'write';
  /** Written, or read (undefined: no item). */
  readonly value: string | undefined;
  readonly start: number;
  /** Infinity for a write whose outcome is unknown. */
  readonly end: number;
  /** A write whose outcome is unknown: it may not have happened. */
  readonly maybe?: boolean;
}

/** Whether the history of one register is linearizable, starting from `initial`. */
export function linearizable(ops: readonly RegisterOp[], initial: string | undefined = undefined): boolean {
  if (ops.length > 30) throw new Error('the checker takes at most 30 operations per register');
  const required = ops.reduce((mask, op, i) => (op.maybe === true ? mask : mask | (1 << i)), 0);
  const seen = new Set<string>();
  const search = (done: number, value: string | undefined): boolean => {
    if ((done & required) === required) return true;
    const memo = `${done}:${value ?? ''}`;
    if (seen.has(memo)) return false;
    seen.add(memo);
    // The earliest end among the operations not placed yet: one that began after it cannot come next.
    let firstEnd = Infinity;
    ops.forEach((op, i) => {
      if ((done & (1 << i)) === 0 && op.end < firstEnd) firstEnd = op.end;
    });
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i] as RegisterOp;
      if ((done & (1 << i)) !== 0 || op.start > firstEnd) continue;
      if (op.kind === 'read' && op.value !== value) continue;
      if (search(done | (1 << i), op.kind === 'write' ? op.value : value)) return true;
    }
    return false;
  };
  return search(0, initial);
}

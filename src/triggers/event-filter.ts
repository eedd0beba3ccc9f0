// Lambda event filtering (FilterCriteria patterns) over stream records: a record is delivered when any
// filter matches it. A pattern mirrors the record's shape; its leaves are lists of rules, one of which
// must match: a literal, null, {prefix}, {suffix}, {equals-ignore-case}, {anything-but}, {numeric},
// {exists}; `$or` holds alternative patterns. DynamoDB numbers are strings ({"N": "5"}), so numeric
// rules read numeric strings as numbers.

export type RecordFilter = (record: unknown) => boolean;
type Match = (value: unknown) => boolean;

/** Compiles filters (checked; errors name `where`) into one predicate: a record passes when one of them matches. */
export function compileFilters(filters: readonly { where: string; pattern: unknown }[]): RecordFilter {
  const compiled = filters.map((f) => compileObject(f.pattern, f.where));
  return (record) => compiled.some((match) => match(record));
}

function compileObject(pattern: unknown, at: string): Match {
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) throw new Error(`${at}: a pattern must be a JSON object`);
  const parts: Match[] = [];
  for (const [key, value] of Object.entries(pattern)) {
    const where = `${at}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) throw new Error(`${where}: must be a list of at least two patterns`);
      const alternatives = value.map((p: unknown, i) => compileObject(p, `${where}[${i}]`));
      parts.push((obj) => alternatives.some((m) => m(obj)));
    } else if (Array.isArray(value)) {
      const rules = value.map((r: unknown, i) => compileRule(r, `${where}[${i}]`));
      const existsFalse = value.some((r: unknown) => isRule(r) && r['exists'] === false);
      parts.push((obj) => {
        const v = field(obj, key);
        if (v === undefined) return existsFalse;
        const candidates = Array.isArray(v) ? v : [v];
        return candidates.some((c) => rules.some((rule) => rule(c)));
      });
    } else if (typeof value === 'object' && value !== null) {
      const nested = compileObject(value, where);
      parts.push((obj) => nested(field(obj, key) ?? {}));
    } else {
      throw new Error(`${where}: match values must be in a list, e.g. [${JSON.stringify(value)}]`);
    }
  }
  return (obj) => parts.every((m) => m(obj));
}

function field(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null && !Array.isArray(obj) ? (obj as Record<string, unknown>)[key] : undefined;
}

function isRule(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compileRule(rule: unknown, at: string): Match {
  if (rule === null) return (v) => v === null;
  if (typeof rule === 'string') return (v) => v === rule;
  if (typeof rule === 'number') return (v) => (typeof v === 'number' || typeof v === 'string') && numberOf(v) === rule;
  if (typeof rule === 'boolean') return (v) => v === rule;
  if (!isRule(rule)) throw new Error(`${at}: not a rule`);
  const keys = Object.keys(rule);
  if (keys.length !== 1) throw new Error(`${at}: a rule has exactly one operator`);
  const op = keys[0] as string;
  const arg = rule[op];
  switch (op) {
    case 'prefix':
      return textRule(arg, at, op, (v, a) => v.startsWith(a));
    case 'suffix':
      return textRule(arg, at, op, (v, a) => v.endsWith(a));
    case 'equals-ignore-case':
      return textRule(arg, at, op, (v, a) => v.toLowerCase() === a.toLowerCase());
    case 'exists':
      if (typeof arg !== 'boolean') throw new Error(`${at}.exists: must be true or false`);
      // Absence is decided by the caller; a present value matches exists:true only.
      return () => arg;
    case 'anything-but': {
      if (isRule(arg)) {
        const inner = compileRule(arg, `${at}.anything-but`);
        return (v) => !inner(v);
      }
      const excluded = (Array.isArray(arg) ? arg : [arg]).map((r: unknown, i) => {
        if (typeof r !== 'string' && typeof r !== 'number') throw new Error(`${at}.anything-but[${i}]: must be a string or a number`);
        return compileRule(r, `${at}.anything-but[${i}]`);
      });
      return (v) => !excluded.some((m) => m(v));
    }
    case 'numeric':
      return numericRule(arg, `${at}.numeric`);
    default:
      throw new Error(`${at}: unknown operator '${op}' (known: prefix, suffix, equals-ignore-case, anything-but, numeric, exists)`);
  }
}

function textRule(arg: unknown, at: string, op: string, test: (value: string, arg: string) => boolean): Match {
  if (typeof arg !== 'string') throw new Error(`${at}.${op}: must be a string`);
  return (v) => typeof v === 'string' && test(v, arg);
}

const comparisons: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function numericRule(arg: unknown, at: string): Match {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0 || arg.length > 4) {
    throw new Error(`${at}: must be [op, number] or [op, number, op, number] with op one of = < <= > >=`);
  }
  const tests: ((n: number) => boolean)[] = [];
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i] as unknown;
    const bound = arg[i + 1] as unknown;
    const compare = typeof op === 'string' ? comparisons[op] : undefined;
    if (compare === undefined || typeof bound !== 'number') throw new Error(`${at}[${i}]: expected an operator (= < <= > >=) followed by a number`);
    tests.push((n) => compare(n, bound));
  }
  return (v) => {
    const n = typeof v === 'number' || typeof v === 'string' ? numberOf(v) : undefined;
    return n !== undefined && tests.every((t) => t(n));
  };
}

function numberOf(v: number | string): number | undefined {
  if (typeof v === 'number') return v;
  if (!/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v)) return undefined;
  return Number(v);
}

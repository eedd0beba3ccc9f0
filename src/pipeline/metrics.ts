// The metrics stage: counters kept in memory — requests and errors per operation (errors by
// exception name) and the capacity units consumed per table. GET /stratusdb/metrics shows them; a
// metrics exporter and CloudWatch-style statistics will read the same counters.

interface OperationCounters {
  requests: number;
  errors: Record<string, number>;
}

interface TableCounters {
  readUnits: number;
  writeUnits: number;
}

export interface MetricsSnapshot {
  readonly operations: Readonly<Record<string, { readonly requests: number; readonly errors: Readonly<Record<string, number>> }>>;
  readonly tables: Readonly<Record<string, TableCounters>>;
}

export class Metrics {
  private readonly operations = new Map<string, OperationCounters>();
  private readonly tables = new Map<string, TableCounters>();

  /** A request that ran: its operation, and the units it consumed per table. */
  succeeded(operation: string, usage: readonly { readonly table: string; readonly readUnits: number; readonly writeUnits: number }[] | undefined): void {
    this.counters(operation).requests++;
    if (usage === undefined) return;
    for (const u of usage) {
      let table = this.tables.get(u.table);
      if (table === undefined) {
        table = { readUnits: 0, writeUnits: 0 };
        this.tables.set(u.table, table);
      }
      table.readUnits += u.readUnits;
      table.writeUnits += u.writeUnits;
    }
  }

  /** A request answered with an exception; `operation` is undefined when the target was unknown. */
  failed(operation: string | undefined, exception: string): void {
    const counters = this.counters(operation ?? '(unknown)');
    counters.requests++;
    counters.errors[exception] = (counters.errors[exception] ?? 0) + 1;
  }

  snapshot(): MetricsSnapshot {
    const operations: Record<string, { requests: number; errors: Record<string, number> }> = {};
    for (const [name, c] of [...this.operations].sort(([a], [b]) => a.localeCompare(b))) operations[name] = { requests: c.requests, errors: { ...c.errors } };
    const tables: Record<string, TableCounters> = {};
    for (const [name, c] of [...this.tables].sort(([a], [b]) => a.localeCompare(b))) tables[name] = { ...c };
    return { operations, tables };
  }

  private counters(operation: string): OperationCounters {
    let counters = this.operations.get(operation);
    if (counters === undefined) {
      counters = { requests: 0, errors: Object.create(null) as Record<string, number> };
      this.operations.set(operation, counters);
    }
    return counters;
  }
}

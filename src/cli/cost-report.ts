// `stratusdb cost [--endpoint URL] [--json]`: what a running server's tables would cost on DynamoDB —
// so far, and a month at the current rate — from its GET /stratusdb/cost.
import type { Prices, TableCost } from '../engine/cost-meter.js';
import { costPath } from '../http/status-paths.js';
import { ApiClient, type ApiError } from './api-client.js';

const usd = (value: number): string => `$${value < 0.01 && value > 0 ? value.toFixed(6) : value.toFixed(2)}`;

/** Resolves to the exit code. `env`: the AWS environment variables the request is signed with. */
export async function costReport(endpoint: string, json: boolean, out: (text: string) => void, err: (text: string) => void, env: Readonly<Record<string, string | undefined>> = {}): Promise<number> {
  let report: { prices: Prices; tables: TableCost[] };
  try {
    report = await new ApiClient(endpoint, env).get<{ prices: Prices; tables: TableCost[] }>(costPath);
  } catch (error) {
    const failure = error as ApiError;
    err(failure.type === 'ConnectionError' ? `stratusdb: ${failure.message}\n` : `stratusdb: ${failure.type}: ${failure.message}\n`);
    return 1;
  }
  if (json) {
    out(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  if (report.tables.length === 0) {
    out('No tables.\n');
    return 0;
  }
  const rows = [['table', 'region', 'billing', 'reads', 'writes', 'storage GB-months', 'so far', 'a month'], ...report.tables.map((t) => [
    t.table, t.region, t.billingMode === 'PROVISIONED' ? 'provisioned' : 'on-demand',
    t.billingMode === 'PROVISIONED' ? `${t.readCapacityUnitHours.toFixed(1)} RCU-h` : `${t.readUnits.toLocaleString('en-US')} RRU`,
    t.billingMode === 'PROVISIONED' ? `${t.writeCapacityUnitHours.toFixed(1)} WCU-h` : `${t.writeUnits.toLocaleString('en-US')} WRU`,
    t.storageGbMonths.toFixed(6), usd(t.cost.total), usd(t.monthly),
  ])];
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  for (const row of rows) out(`${row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()}\n`);
  const p = report.prices;
  out(`\nPrices (USD): ${p.readRequestUnitsPerMillion} per million read request units, ${p.writeRequestUnitsPerMillion} per million write request units, ${p.readCapacityUnitHour} per RCU-hour, ${p.writeCapacityUnitHour} per WCU-hour, ${p.storageGbMonth} per GB-month.\n`);
  return 0;
}

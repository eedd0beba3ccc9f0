// `stratusdb region outage REGION [--refuse-requests]` / `stratusdb region heal REGION`: cuts or
// restores a running server's replication links to and from a region, through its admin endpoint.
import { regionsPath } from '../http/status-paths.js';

export interface RegionCommand {
  readonly endpoint: string;
  readonly region: string;
  readonly outage: boolean;
  readonly refuseRequests: boolean;
}

/** Resolves to the exit code. */
export async function regionOutage(command: RegionCommand, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  let outages: string[];
  try {
    const res = await fetch(`${command.endpoint}${regionsPath}`, {
      method: 'POST', body: JSON.stringify({ region: command.region, outage: command.outage, refuseRequests: command.refuseRequests }),
    });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    outages = ((await res.json()) as { outages: string[] }).outages;
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    err(`stratusdb: cannot reach ${command.endpoint}: ${cause ?? (error as Error).message}\n`);
    return 1;
  }
  const what = command.outage ? `${command.region} is cut off${command.refuseRequests ? ' and refuses requests' : ''}` : `${command.region} is healed`;
  out(`${what}; regions cut off now: ${outages.length === 0 ? 'none' : outages.join(', ')}\n`);
  return 0;
}

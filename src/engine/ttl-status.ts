// Time to live's status as DescribeTimeToLive shows it at a given time: UpdateTimeToLive's last change,
// ENABLING or DISABLING until it has settled.
import type { TimeToLiveState } from '../model/table.js';

export type TtlStatus = 'ENABLING' | 'ENABLED' | 'DISABLING' | 'DISABLED';

export function ttlStatus(state: TimeToLiveState | undefined, now: number, transitionMs: number): TtlStatus {
  if (state === undefined) return 'DISABLED';
  const settled = now >= state.ChangedAt + transitionMs;
  if (state.Enabled) return settled ? 'ENABLED' : 'ENABLING';
  return settled ? 'DISABLED' : 'DISABLING';
}

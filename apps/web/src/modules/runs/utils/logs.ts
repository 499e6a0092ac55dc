import type { RunLog } from '../../../types/contracts';

export type LogLevelFilter = RunLog['level'];
const RANK: Record<RunLog['level'], number> = { info: 0, warn: 1, error: 2 };

/** The lines of one node (or all) at or above a level: 'warn' keeps warnings and errors. */
export function filterLogs(logs: readonly RunLog[], f: { nodeId?: string; level?: LogLevelFilter }): RunLog[] {
  const min = RANK[f.level ?? 'info'];
  return logs.filter((l) => (!f.nodeId || l.nodeId === f.nodeId) && RANK[l.level] >= min);
}

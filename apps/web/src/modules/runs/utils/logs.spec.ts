import type { RunLog } from '../../../types/contracts';
import { filterLogs } from './logs';

const log = (nodeId: string | undefined, level: RunLog['level'], message: string): RunLog => ({ time: '2026-01-01T00:00:00Z', nodeId, level, message });
const logs = [log('a', 'info', 'a started'), log('b', 'warn', 'b slow'), log('a', 'error', 'a failed'), log(undefined, 'error', 'the run failed')];

describe('filterLogs', () => {
  it('keeps one node’s lines, or all', () => {
    expect(filterLogs(logs, { nodeId: 'a' }).map((l) => l.message)).toEqual(['a started', 'a failed']);
    expect(filterLogs(logs, {}).length).toBe(4);
  });
  it('keeps the lines at or above a level', () => {
    expect(filterLogs(logs, { level: 'warn' }).map((l) => l.message)).toEqual(['b slow', 'a failed', 'the run failed']);
    expect(filterLogs(logs, { level: 'error', nodeId: 'a' }).map((l) => l.message)).toEqual(['a failed']);
  });
});

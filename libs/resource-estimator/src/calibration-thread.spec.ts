import { threadId } from 'node:worker_threads';
import { calibrateOffThread, machineRate } from './time';

// on this thread the E-step cannot run: a calibration here (instead of on the thread) fails the test
jest.mock('@mixflow/gmm', () => ({
  ...jest.requireActual('@mixflow/gmm'),
  chunkStats: () => {
    throw new Error('the kernels were calibrated on the calling thread');
  },
}));

describe('calibration on a thread of its own (a server calibrates there, not on its request thread)', () => {
  it('measures both kernel families once and machineRate then answers from the cache', async () => {
    expect(threadId).toBe(0); // the test runs on a main thread; the rates must come from another
    const rates = await calibrateOffThread();
    expect(rates.map((r) => r.family)).toEqual(['full', 'diag']);
    for (const r of rates) {
      expect(r.gflops).toBeGreaterThan(0);
      expect(r.overheadSeconds).toBeGreaterThanOrEqual(0);
    }
    // the very objects the thread posted: machineRate does not calibrate again
    expect(machineRate('full')).toBe(rates[0]);
    expect(machineRate('diag')).toBe(rates[1]);
    expect(calibrateOffThread()).toBe(calibrateOffThread());
  });
});

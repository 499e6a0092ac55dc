import { InlineEngine } from '@mixflow/executor';
import { engineRunOptions, executionParams } from './execution';
import { resolveParams } from './params';
import { standaloneContext } from './context';
import type { ComponentDescription } from './types';

const params = executionParams({ workersHelp: 'w', memoryHelp: 'm', memoryDefault: 2048 });

describe('the Execution Tuning parameters', () => {
  it('are numWorkers and memoryPerWorkerMb with PAI ranges, the CLI flags --workers and --memory-mb, and the default given', () => {
    expect(params).toEqual([
      { name: 'numWorkers', label: 'Number of Workers', cliFlag: 'workers', tab: 'execution', type: 'int', default: 1, min: 1, max: 9999, help: 'w' },
      { name: 'memoryPerWorkerMb', label: 'Memory per worker, MB', cliFlag: 'memory-mb', tab: 'execution', type: 'int', default: 2048, min: 1024, max: 65536, help: 'm' },
    ]);
    const description = { parameters: params } as unknown as ComponentDescription;
    expect(resolveParams(description, { numWorkers: 10000 }).errors).toEqual([{ parameter: 'numWorkers', message: 'Number of Workers must be at most 9999, got 10000' }]);
  });

  it("make a node's engine run options: its values, its signal, its log; extra values win", () => {
    const logs: string[] = [];
    const controller = new AbortController();
    const ctx = standaloneContext({ nodeId: 'n', params: { numWorkers: 3, memoryPerWorkerMb: 2048 }, inputs: [], engine: new InlineEngine(), signal: controller.signal, log: (level, m) => void logs.push(`${level}: ${m}`) });
    const run = engineRunOptions(ctx, { numWorkers: 1 });
    expect([run.numWorkers, run.memoryPerWorkerMb, run.signal]).toEqual([1, 2048, controller.signal]);
    run.log!('2 workers');
    expect(logs).toEqual(['info: 2 workers']);
  });
});

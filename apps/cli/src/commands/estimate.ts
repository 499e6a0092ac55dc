/**
 * `mixflow estimate` (issue 3): PAI's resource recommendation for GMM Training, from the component's own
 * estimate (libs/resource-estimator), printed as text or JSON.
 */
import { Command } from 'commander';
import type { InputStats, Params } from '@mixflow/component-sdk';
import type { ResourceEstimate } from '@mixflow/resource-estimator';
import { component } from '../components';
import type { CliIo } from '../io';
import { addComponentOptions, integerOption, numberOption } from '../params';

const GIB = 1024 * 1024 * 1024;

export function estimateCommand(io: CliIo, done: (code: number) => void): Command {
  const train = component('gmm-train');
  const command = new Command('estimate').description(
    'Memory per worker and number of workers for GMM Training, by the PAI formula (M × M × K × 8 × 2 × 12 / 1024 / 1024 MB) and from the data size, with warnings.',
  );
  command.requiredOption('--dims <M>', 'vector dimensions M', (t) => integerOption('--dims', t, 1));
  // --k, and --workers / --memory-mb to check a planned configuration, come from the component's description
  const derived = addComponentOptions(command, train.description, { only: ['k', 'numWorkers', 'memoryPerWorkerMb'] });
  command.option('--data-gb <X>', 'input data size in GB (workers ≈ 5 × X)', (t) => {
    const value = numberOption('--data-gb', t);
    if (value < 0) throw new Error('--data-gb must not be negative.');
    return value;
  });
  command.option('--rows <n>', 'number of input rows (for the data-aware estimate)', (t) => integerOption('--rows', t, 1));
  command.option('--json', 'print the estimate as JSON');

  command.action((values: Record<string, unknown>) => {
    const estimator = train.estimate;
    if (!estimator) throw new Error('the GMM Training component has no resource estimate.');
    const raw = derived.rawParams(values);
    const params: Params = derived.resolve(raw);
    // Execution Tuning has no default: only a value the user gave is checked against the estimate
    for (const name of ['numWorkers', 'memoryPerWorkerMb']) {
      if (raw[name] === undefined) delete params[name];
    }
    // whole bytes, rounded down: 2.2 GB must not become a hair more and push ⌈5 × X⌉ to the next worker
    const stats: InputStats = {
      dims: values.dims as number,
      k: params.k as number,
      ...(values.rows !== undefined ? { rows: values.rows as number } : {}),
      ...(values.dataGb !== undefined ? { bytes: Math.floor((values.dataGb as number) * GIB) } : {}),
    };
    const estimate = estimator(params, [stats]);
    io.stdout.write(values.json ? JSON.stringify(estimate) + '\n' : describeEstimate(estimate));
    done(0);
  });
  return command;
}

function describeEstimate(e: ResourceEstimate): string {
  const lines = [
    `formula: ${e.formula}`,
    `recommended memory per worker: ${e.recommendedMemoryMb} MB`,
    `recommended workers: ${e.recommendedWorkers}`,
  ];
  if (e.dataAwareMemoryMb !== undefined) {
    lines.push(`data-aware memory per worker: ${e.dataAwareMemoryMb.toFixed(2)} MB${e.dataAwareDetail ? ` (${e.dataAwareDetail})` : ''}`);
  }
  for (const w of e.warnings) lines.push(`warning: ${w.message}`);
  return lines.join('\n') + '\n';
}

/**
 * `mixflow gmm-select`: the GMM Model Selection component's parameters as options (derived from its description).
 * Fits every k in [--k-min, --k-max] for every covariance type and keeps the lowest BIC (or AIC), as R's mclust
 * does; prints the candidates as a table, or `{ best, candidates }` with --json; --output writes the best model.
 */
import { Command } from 'commander';
import type { CandidateResult } from '@mixflow/gmm';
import { gmmModelJson } from '@mixflow/plugin-gmm';
import { components } from '../components';
import { readInputTable, writeJsonAtomic } from '../files';
import { readingBar, verbosityOf } from '../progress';
import { addComponentOptions } from '../params';
import type { CliIo } from '../io';
import { commandContext, engineOption, openEngine } from './engine';
import { withOptionNames } from './gmm-train';
import { chosenFeatures } from './model-input';

export interface SelectSummary {
  best: { k: number; covarianceType: string; bic: number; aic: number; meanLogLikelihood: number };
  criterion: string;
  candidates: CandidateResult[];
  engine: string;
  workersUsed: number;
  seconds: number;
  output?: string;
}

export function gmmSelectCommand(io: CliIo, done: (code: number) => void): Command {
  const selection = components().get('gmm-model-selection');
  const d = selection.description;
  const command = new Command('gmm-select').description(`${d.displayName}: ${d.description} Reads a CSV with a header.`);
  command.requiredOption('--input <file.csv>', 'training data, CSV with a header row');
  command.option('--output <best.json>', 'where to write the best model');
  const derived = addComponentOptions(command, d);
  command.addOption(engineOption());
  command.option('--json', 'print { best, candidates } as JSON on stdout');

  command.action(async (values: Record<string, unknown>) => {
    const params = derived.resolve(derived.rawParams(values));
    chosenFeatures(params, 'name the input: --vector-col <column> (Alink vectors) or --feature-cols a,b (numeric columns).');
    const verbosity = verbosityOf(command.optsWithGlobals());
    const reading = readingBar(io, verbosity, 'gmm-select', values.input as string);
    const table = await readInputTable(io, '--input', values.input as string, reading.onBytes).finally(reading.stop);
    const configured = selection.configure(params, [{ type: 'table', schema: table.schema, rowCount: table.rowCount }]);
    if (configured.errors.length > 0) throw derived.usageError(configured.errors);

    const engine = openEngine(io, values.engine as string | undefined);
    const metrics: Record<string, unknown> = {};
    try {
      const result = await selection
        .execute(commandContext(io, 'gmm-select', params, table, engine, verbosity, (name, value) => (metrics[name] = value)))
        .catch((error: unknown) =>
          withOptionNames(() => {
            throw error;
          }, d),
        );
      const out = result.outputs[0];
      if (!out || out.type !== 'model') throw new Error('GMM Model Selection returned no model.');
      if (values.output) writeJsonAtomic(io, values.output as string, gmmModelJson(out.model));
      const summary: SelectSummary = {
        best: metrics.best as SelectSummary['best'],
        criterion: metrics.criterion as string,
        candidates: metrics.candidates as CandidateResult[],
        engine: (metrics.engine as string | undefined) ?? engine.kind,
        workersUsed: (metrics.workersUsed as number | undefined) ?? 1,
        seconds: metrics.seconds as number,
        ...(values.output ? { output: values.output as string } : {}),
      };
      io.stdout.write(values.json ? JSON.stringify(summary) + '\n' : humanSummary(summary));
      done(0);
    } finally {
      await engine.close();
    }
  });
  return command;
}

function number(v: number | null, digits: number): string {
  return v === null ? '' : v.toFixed(digits);
}

/** Columns padded to their widest cell, numbers right-aligned. */
function alignedTable(header: string[], rows: string[][], numeric: boolean[]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => (numeric[j] ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function humanSummary(s: SelectSummary): string {
  const header = ['k', 'covariance', 'logLikelihood', 'BIC', 'AIC', 'parameters', 'iterations', 'converged', 'seconds', 'note'];
  const rows = s.candidates.map((c) => [
    String(c.k),
    c.covarianceType,
    number(c.logLikelihood, 3),
    number(c.bic, 3),
    number(c.aic, 3),
    String(c.parameters),
    c.iterations === null ? '' : String(c.iterations),
    c.converged === null ? '' : c.converged ? 'yes' : 'no',
    c.seconds.toFixed(2),
    c.k === s.best.k && c.covarianceType === s.best.covarianceType ? 'best' : c.error ? `failed: ${c.error}` : c.degenerate ? `degenerate: ${c.degenerate}` : '',
  ]);
  const lines = [
    alignedTable(header, rows, [true, false, true, true, true, true, true, false, true, false]),
    `best by ${s.criterion.toUpperCase()} (lower is better): ${s.best.covarianceType}, k = ${s.best.k}, BIC ${s.best.bic}, AIC ${s.best.aic}`,
    `${s.candidates.length} candidates in ${s.seconds.toFixed(2)} s (${s.engine}, ${s.workersUsed} at a time)`,
  ];
  if (s.output) lines.push(`best model written to ${s.output}`);
  return lines.join('\n') + '\n';
}

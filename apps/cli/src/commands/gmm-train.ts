/**
 * `mixflow gmm-train`: the GMM Training component's parameters as options (derived from its description),
 * plus mlpack gmm_train's --input-model (warm start). It runs the component itself, as the canvas does.
 */
import { Command, Option } from 'commander';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveFitOptions, type GmmFitOptions, type ModelParent, type PositiveConstraintReport } from '@mixflow/gmm';
import { fitOptionsFrom, gmmTrainWith, type FitProgress, type StartProgress } from '@mixflow/plugin-gmm';
import type { ComponentDescription, Params } from '@mixflow/component-sdk';
import { gmmModelJson } from '@mixflow/plugin-gmm';
import { component } from '../components';
import { readInputTable, readModel, resolvePath, writeJsonAtomic } from '../files';
import { CliUsageError, type CliIo } from '../io';
import { addComponentOptions, cliMessage, flagName, integerOption, numberOption } from '../params';
import { FitProgressLine, readingBar, verbosityOf } from '../progress';
import { commandContext, engineOption, openEngine } from './engine';
import { chosenFeatures } from './model-input';

/** mlpack options the component does not show; added only while the description has no such parameter. */
const MLPACK_EXTRAS: { name: keyof GmmFitOptions; option: () => Option }[] = [
  {
    name: 'kmeansMaxIter',
    option: () =>
      new Option('--kmeans-max-iter <n>', 'iterations of the k-means start (mlpack kmeans_max_iterations)').argParser((t) => integerOption('--kmeans-max-iter', t, 1)),
  },
];

export interface TrainSummary {
  k: number;
  dims: number;
  rows: number;
  /** with --weight-col: the column and Σ of the rows' weights (meanLogLikelihood, BIC and AIC are then weighted) */
  weightCol?: string;
  totalWeight?: number;
  covarianceType: string;
  iterations: number;
  converged: boolean;
  meanLogLikelihood: number;
  bic: number;
  aic: number;
  weights: number[];
  seconds: number;
  logLikelihoodHistory: number[];
  forcePositive: boolean;
  /** how often --force-positive changed which covariances (absent when off or it changed none) */
  positiveConstraint?: PositiveConstraintReport;
  engine: string;
  workersUsed: number;
  output?: string;
  /** with --input-model: the model file training started from (its name and SHA-256) */
  parent?: ModelParent;
}

export function gmmTrainCommand(io: CliIo, done: (code: number) => void): Command {
  const train = component('gmm-train');
  const command = new Command('gmm-train').description(
    `${train.description.displayName}: ${train.description.description} Reads a CSV with a header; writes the model JSON.`,
  );
  command.requiredOption('--input <file.csv>', 'training data, CSV with a header row');
  command.option('--output <model.json>', 'where to write the trained model');
  const derived = addComponentOptions(command, train.description);
  const extras = MLPACK_EXTRAS.filter((e) => !train.description.parameters.some((p) => p.name === e.name));
  for (const e of extras) command.addOption(e.option());
  // mlpack's spellings, meaning what they mean in mlpack (PAI's --max-iter and --epsilon keep theirs)
  command.addOption(
    new Option(
      '--max-iterations <n>',
      "mlpack's max_iterations: EM iterations per trial, 0 = until convergence. PAI's --max-iter is the same limit without the 0; give one of them.",
    ).argParser((t) => integerOption('--max-iterations', t, 0)),
  );
  command.addOption(
    new Option(
      '--tolerance <x>',
      "mlpack's tolerance: stop when the total log-likelihood changes by less than this (--convergence totalLogLikelihood). PAI's --epsilon compares how far the centers moved (or, with --convergence logLikelihood, the mean per-row log-likelihood); give one of them.",
    ).argParser((t) => numberOption('--tolerance', t)),
  );
  command.option(
    '--input-model <model.json>',
    're-train starting from this model (mlpack input_model): --k, --covariance-type and the feature columns default to the model\'s; --init does not apply and --trials must stay 1',
  );
  command.addOption(engineOption());
  command.option('--json', 'print a JSON summary on stdout');

  command.action(async (values: Record<string, unknown>) => {
    const raw = derived.rawParams(values);
    mlpackSpellings(raw, values, train.description);
    const initial = values.inputModel ? readModel(io, '--input-model', values.inputModel as string) : undefined;
    // lineage: the file as it was when training started from it (its name and SHA-256, no folders)
    const parent = initial ? parentOf(io, values.inputModel as string) : undefined;
    if (initial) {
      raw.k ??= initial.k;
      raw.covarianceType ??= initial.covarianceType;
      if (raw.vectorCol === undefined && raw.featureCols === undefined) {
        if (initial.vectorCol) raw.vectorCol = initial.vectorCol;
        else if (initial.featureNames) raw.featureCols = [...initial.featureNames];
      }
      if (raw.init !== undefined) throw new CliUsageError('--init does not apply with --input-model: training starts from that model.');
      if (typeof raw.trials === 'number' && raw.trials > 1) {
        throw new CliUsageError('--trials does not apply with --input-model: every trial would start from the same model; leave it at 1.');
      }
    }
    const params = derived.resolve(raw);
    chosenFeatures(params, 'name the input: --vector-col <column> (Alink vectors) or --feature-cols a,b (numeric columns).');
    const verbosity = verbosityOf(command.optsWithGlobals());
    const reading = readingBar(io, verbosity, 'gmm-train', values.input as string);
    const table = await readInputTable(io, '--input', values.input as string, reading.onBytes).finally(reading.stop);
    const configured = train.configure(params, [{ type: 'table', schema: table.schema, rowCount: table.rowCount }]);
    if (configured.errors.length > 0) throw derived.usageError(configured.errors);

    // the component runs as on the canvas; the CLI's extra options ride along into the engine's fit
    const extraOptions: Partial<GmmFitOptions> = {};
    for (const e of extras) if (values[e.name] !== undefined) Object.assign(extraOptions, { [e.name]: values[e.name] });
    if (initial) Object.assign(extraOptions, { initialModel: initial.toJSON(), init: undefined });

    const merged = { ...fitOptionsFrom(params), ...extraOptions };
    withOptionNames(() => resolveFitOptions(merged), train.description);

    const engine = openEngine(io, values.engine as string | undefined);
    const progress = new FitProgressLine(io, verbosity);
    const run: { engine?: string; workersUsed?: number; seconds?: number } = {};
    const maxIter = merged.maxIter ?? 100;
    try {
      const result = await gmmTrainWith(extraOptions)
        .execute(
          commandContext(io, 'gmm-train', params, table, engine, verbosity, (name, value) => {
            if (name === 'start') progress.starting(value as StartProgress);
            if (name === 'iteration') progress.update({ ...(value as Omit<FitProgress, 'maxIter'>), maxIter });
            if (name === 'engine' || name === 'workersUsed' || name === 'seconds') Object.assign(run, { [name]: value });
          }),
        )
        .catch((error: unknown) => withOptionNames(() => {
          throw error;
        }, train.description));
      progress.stop();
      const out = result.outputs[0];
      if (!out || out.type !== 'model') throw new Error('GMM Training returned no model.');
      const model = parent ? { ...gmmModelJson(out.model), parent } : gmmModelJson(out.model);
      if (values.output) writeJsonAtomic(io, values.output as string, model);
      const training = model.training;
      if (!training) throw new Error('the trained model carries no training summary.');
      const summary: TrainSummary = {
        k: model.k,
        dims: model.dims,
        rows: training.rows,
        ...(training.weightCol ? { weightCol: training.weightCol, totalWeight: training.totalWeight } : {}),
        covarianceType: model.covarianceType,
        iterations: training.iterations,
        converged: training.converged,
        meanLogLikelihood: training.meanLogLikelihood,
        bic: training.bic,
        aic: training.aic,
        weights: model.weights,
        seconds: run.seconds ?? training.seconds,
        logLikelihoodHistory: training.logLikelihoodHistory,
        forcePositive: training.forcePositive === true,
        ...(training.positiveConstraint ? { positiveConstraint: training.positiveConstraint } : {}),
        engine: run.engine ?? engine.kind,
        workersUsed: run.workersUsed ?? 1,
        ...(values.output ? { output: values.output as string } : {}),
        ...(model.parent ? { parent: model.parent } : {}),
      };
      if (values.json) io.stdout.write(JSON.stringify(summary) + '\n');
      else io.stdout.write(humanSummary(summary));
      done(0);
    } finally {
      progress.stop();
      await engine.close();
    }
  });
  return command;
}

/** The parent a warm-started model names: the --input-model file's name and the SHA-256 of its bytes. */
function parentOf(io: CliIo, file: string): ModelParent {
  const bytes = fs.readFileSync(resolvePath(io, file));
  return { file: path.basename(file), sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** `--max-iterations` and `--tolerance` (mlpack) as the component's maxIter, epsilon and convergence. */
function mlpackSpellings(raw: Params, values: Record<string, unknown>, description: ComponentDescription): void {
  if (values.maxIterations !== undefined) {
    if (raw.maxIter !== undefined) throw new CliUsageError('give --max-iter (PAI) or --max-iterations (mlpack), not both.');
    // mlpack's 0: no limit but convergence
    raw.maxIter = values.maxIterations === 0 ? untilConvergence(description) : (values.maxIterations as number);
  }
  if (values.tolerance !== undefined) {
    if (raw.epsilon !== undefined || raw.convergence !== undefined) {
      throw new CliUsageError('--tolerance (mlpack, on the total log-likelihood) sets --epsilon and --convergence; give one or the other.');
    }
    raw.epsilon = values.tolerance as number;
    raw.convergence = 'totalLogLikelihood';
  }
}

/** The iteration limit --max-iterations 0 stands for: the most maxIter's description allows. */
function untilConvergence(description: ComponentDescription): number {
  return description.parameters.find((p) => p.name === 'maxIter')?.max ?? 2 ** 31 - 1;
}

/** CLI-only engine options and the flags that set them (the description knows the others'). */
const OWN_FLAGS: Record<string, string> = { initialModel: '--input-model', kmeansMaxIter: '--kmeans-max-iter' };

/** Engine errors name a parameter in camelCase: say which option that is (the description knows its flag). */
export function withOptionNames<T>(work: () => T, description: ComponentDescription): T {
  try {
    return work();
  } catch (error) {
    const parameter = (error as { details?: { parameter?: string } }).details?.parameter;
    if (error instanceof Error && parameter) {
      const flag = OWN_FLAGS[parameter] ?? `--${flagName(parameter, description)}`;
      throw new CliUsageError(cliMessage(error.message.replace(/^initialModel\b/, 'the model'), description, flag));
    }
    throw error;
  }
}

function humanSummary(s: TrainSummary): string {
  const lines = [
    `trained a ${s.k}-component ${s.covarianceType} GMM on ${s.rows} rows × ${s.dims} dims in ${s.seconds.toFixed(2)} s (${s.engine}, ${s.workersUsed} worker${s.workersUsed === 1 ? '' : 's'})`,
    `iterations ${s.iterations}, ${s.converged ? 'converged' : 'NOT converged (raise --max-iter or --epsilon, or --max-iterations 0 to run until convergence)'}`,
    `${s.weightCol ? `weighted by column ${s.weightCol} (Σ weight ${s.totalWeight}): ` : ''}mean log-likelihood ${s.meanLogLikelihood}, BIC ${s.bic}, AIC ${s.aic}`,
    `weights ${s.weights.map((w) => w.toFixed(4)).join(' ')}`,
  ];
  if (s.output) lines.push(`model written to ${s.output}`);
  return lines.join('\n') + '\n';
}

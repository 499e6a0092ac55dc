/** `mixflow gmm-probability` (mlpack gmm_probability): the density of every input row under a saved model. */
import { Command } from 'commander';
import { reservedColumns } from '@mixflow/plugin-gmm';
import { columnIndex, withColumns } from '@mixflow/table';
import { component } from '../components';
import { readingBar, verbosityOf } from '../progress';
import { readInputTable, readModel, writeTable } from '../files';
import { CliUsageError, type CliIo } from '../io';
import { addComponentOptions } from '../params';
import { modelFeatureSelection, modelFeatures } from './model-input';

export function gmmProbabilityCommand(io: CliIo, done: (code: number) => void): Command {
  const predict = component('gmm-predict');
  const command = new Command('gmm-probability').description(
    'The probability density of every input row under a saved GMM (mlpack gmm_probability). Writes the input rows with a probability column as CSV.',
  );
  command.requiredOption('--model <model.json>', 'a model written by gmm-train');
  command.requiredOption('--input <file.csv>', 'rows to score, CSV with a header row');
  command.option('--output <out.csv>', 'where to write the rows with their density (default: stdout)');
  // the same column options as GMM Prediction, from its description
  const derived = addComponentOptions(command, predict.description, { only: ['vectorCol', 'featureCols', 'reservedCols'] });
  command.option('--probability-col <name>', 'name of the output column', 'probability');
  command.option('--log', 'write the log density instead of the density');

  command.action(async (values: Record<string, unknown>) => {
    const model = readModel(io, '--model', values.model as string);
    const raw = derived.rawParams(values);
    const verbosity = verbosityOf(command.optsWithGlobals());
    const reading = readingBar(io, verbosity, 'gmm-probability', values.input as string);
    const table = await readInputTable(io, '--input', values.input as string, reading.onBytes).finally(reading.stop);
    const selection = modelFeatureSelection(model, raw);
    const data = modelFeatures(model, table, selection);
    const logDensity = model.scoreSamples(data);
    const out = values.log ? logDensity : logDensity.map(Math.exp);

    const name = values.probabilityCol as string;
    // GMM Prediction's rule, except that an empty --reserved-cols keeps no input column here (as this command always did)
    const reserved = Array.isArray(raw.reservedCols) && raw.reservedCols.length === 0 ? [] : reservedColumns(raw, table.schema);
    for (const col of reserved) {
      if (columnIndex(table.schema, col) < 0) throw new CliUsageError(`--reserved-cols: no column named ${col} in --input.`);
    }
    const keep = reserved.filter((c) => c !== name);
    const result = withColumns(table, keep, [{ schema: { name, type: 'double' }, data: out }]);
    await writeTable(io, result, values.output as string | undefined);
    done(0);
  });
  return command;
}

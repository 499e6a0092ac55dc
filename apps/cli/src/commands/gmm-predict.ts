/**
 * `mixflow gmm-predict`: runs the GMM Prediction component itself (options derived from its description), so the
 * CLI writes exactly the columns the canvas does: reserved columns, the cluster index, the probability detail.
 */
import { Command } from 'commander';
import { standaloneContext, type PortValue } from '@mixflow/component-sdk';
import { gmmCodec, gmmPayload } from '@mixflow/plugin-gmm';
import { component } from '../components';
import { predictingBar, readingBar, verbosityOf } from '../progress';
import { readInputTable, readModel, writeTable } from '../files';
import type { CliIo } from '../io';
import { addComponentOptions } from '../params';
import { engineOption, noDatasets, openEngine } from './engine';

export function gmmPredictCommand(io: CliIo, done: (code: number) => void): Command {
  const predict = component('gmm-predict');
  const command = new Command('gmm-predict').description(
    `${predict.description.displayName}: ${predict.description.description} Writes the input rows with the predicted cluster as CSV.`,
  );
  command.requiredOption('--model <model.json>', 'a model written by gmm-train');
  command.requiredOption('--input <file.csv>', 'rows to predict, CSV with a header row');
  command.option('--output <out.csv>', 'where to write the predictions (default: stdout)');
  const derived = addComponentOptions(command, predict.description);
  command.addOption(engineOption());

  command.action(async (values: Record<string, unknown>) => {
    const model = readModel(io, '--model', values.model as string);
    // no --vector-col / --feature-cols: the component reads the columns the model was trained on
    const raw = derived.rawParams(values);
    const params = derived.resolve(raw);
    const verbosity = verbosityOf(command.optsWithGlobals());
    const reading = readingBar(io, verbosity, 'gmm-predict', values.input as string);
    const table = await readInputTable(io, '--input', values.input as string, reading.onBytes).finally(reading.stop);
    const modelJson = gmmPayload(model.toJSON());
    const inputSchemas = predict.description.inputs.map((port) =>
      port.type === 'model' ? gmmCodec.portSchema(modelJson) : ({ type: 'table', schema: table.schema, rowCount: table.rowCount } as const),
    );
    const configured = predict.configure(params, inputSchemas);
    if (configured.errors.length > 0) throw derived.usageError(configured.errors);
    const inputs: PortValue[] = predict.description.inputs.map((port) =>
      port.type === 'model' ? { type: 'model', model: modelJson } : { type: 'table', table },
    );

    const engine = openEngine(io, values.engine as string | undefined);
    const predicting = predictingBar(io, verbosity, 'gmm-predict', table.rowCount);
    try {
      const result = await predict.execute(
        standaloneContext({
          nodeId: 'gmm-predict',
          params,
          inputs,
          engine,
          env: noDatasets,
          ...(io.signal ? { signal: io.signal } : {}),
          progress: predicting.onProgress,
          log: (level, message) => {
            if (level !== 'info' || verbosity === 'verbose') io.stderr.write(`gmm-predict: ${message}\n`);
          },
        }),
      );
      predicting.stop();
      const out = result.outputs[0];
      if (!out || out.type !== 'table') throw new Error('GMM Prediction returned no table.');
      await writeTable(io, out.table, values.output as string | undefined);
      if (values.output && verbosity !== 'quiet') io.stderr.write(`gmm-predict: ${out.table.rowCount} rows written to ${values.output}\n`);
      done(0);
    } finally {
      predicting.stop();
      await engine.close();
    }
  });
  return command;
}

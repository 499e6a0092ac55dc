/** `mixflow gmm-generate` (mlpack gmm_generate): random samples from a saved model. */
import { Command } from 'commander';
import { formatVector, tableFromColumns, type ColumnData, type ColumnSchema } from '@mixflow/table';
import { component } from '../components';
import { readModel, writeTable } from '../files';
import type { CliIo } from '../io';
import { addComponentOptions, integerOption } from '../params';

export function gmmGenerateCommand(io: CliIo, done: (code: number) => void): Command {
  const train = component('gmm-train');
  const command = new Command('gmm-generate').description(
    'Random samples from a saved GMM (mlpack gmm_generate), as CSV: the vector column (or feature columns) the model was trained on.',
  );
  command.requiredOption('--model <model.json>', 'a model written by gmm-train');
  command.requiredOption('--samples <n>', 'number of rows to generate', (t) => integerOption('--samples', t, 1));
  command.option('--output <out.csv>', 'where to write the samples (default: stdout)');
  command.option('--label-col <name>', 'also write the index of the component each row came from, in this column');
  // the seed option is the training component's own
  const derived = addComponentOptions(command, train.description, { only: ['randomSeed'] });

  command.action(async (values: Record<string, unknown>) => {
    const model = readModel(io, '--model', values.model as string);
    const params = derived.resolve(derived.rawParams(values));
    const seed = typeof params.randomSeed === 'number' ? params.randomSeed : 0;
    const { data, labels } = model.sample(values.samples as number, seed);
    const json = model.toJSON();

    const schema: ColumnSchema[] = [];
    const columns: ColumnData[] = [];
    if (json.featureNames && json.featureNames.length === model.dims && !json.vectorCol) {
      json.featureNames.forEach((name, j) => {
        const col = new Float64Array(data.rows);
        for (let i = 0; i < data.rows; i++) col[i] = data.data[i * data.cols + j];
        schema.push({ name, type: 'double' });
        columns.push(col);
      });
    } else {
      const name = json.vectorCol ?? 'features';
      const vectors: string[] = [];
      for (let i = 0; i < data.rows; i++) vectors.push(formatVector(data.data.subarray(i * data.cols, (i + 1) * data.cols)));
      schema.push({ name, type: 'vector', vectorSize: model.dims });
      columns.push(vectors);
    }
    if (values.labelCol) {
      schema.push({ name: values.labelCol as string, type: 'long' });
      columns.push(Float64Array.from(labels));
    }
    await writeTable(io, tableFromColumns({ columns: schema }, columns), values.output as string | undefined);
    done(0);
  });
  return command;
}

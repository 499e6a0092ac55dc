import { ComponentError, nameProblem, NAME_MAX, type ComponentDefinition } from '@mixflow/component-sdk';
import type { Table } from '@mixflow/table';

/** Write Dataset (PAI's Write Table): stores its input table as a new dataset, listed and downloadable like an upload. */
export const writeDataset: ComponentDefinition = {
  description: {
    id: 'write-dataset',
    displayName: 'Write Dataset',
    category: 'Data',
    version: 1,
    description:
      'Saves its input table as a dataset (stored as Parquet, downloadable as CSV or Parquet), which appears in the datasets list and which Read Dataset can read. Each run saves a new dataset, or with Overwrite replaces the rows of the dataset of that name.',
    icon: 'database',
    inputs: [{ name: 'data', label: 'Table', type: 'table' }],
    outputs: [],
    parameters: [
      {
        name: 'datasetName',
        label: 'Dataset name',
        tab: 'field',
        type: 'string',
        required: true,
        help: `The dataset's name in the datasets list: 1 to ${NAME_MAX} characters, no control characters. Names need not be unique; without Overwrite each run saves a new dataset with its own id.`,
      },
      {
        name: 'overwriteSink',
        label: 'Overwrite',
        tab: 'field',
        type: 'boolean',
        default: false,
        help: 'Replace the rows of the latest uploaded or saved dataset of this name instead of saving a new one (Alink’s overwriteSink). It keeps its id, so Read Dataset nodes that read it get the new rows. Built-in samples are never replaced; with no dataset of that name a new one is saved. Default false.',
      },
    ],
  },

  configure(params) {
    const problem = nameProblem(params.datasetName);
    return { outputs: [], errors: problem ? [{ parameter: 'datasetName', message: `Dataset name ${problem}` }] : [] };
  },

  async execute(ctx) {
    const name = ctx.params.datasetName as string;
    const problem = nameProblem(name);
    if (problem) throw new ComponentError(`Dataset name ${problem}`, { nodeId: ctx.nodeId, parameter: 'datasetName' });
    const input = ctx.inputs[0];
    if (!input || input.type !== 'table') throw new ComponentError('input port 0 needs a table; connect a table output to it', { nodeId: ctx.nodeId, port: 0 });
    if (!ctx.env.saveDataset) {
      throw new ComponentError('Write Dataset stores datasets on a Mixflow server; here there is no dataset store (in the SDK write a file with CsvSinkBatchOp or ParquetSinkBatchOp)', {
        nodeId: ctx.nodeId,
      });
    }
    const table: Table = input.table;
    const saved = await ctx.env.saveDataset(name, table, { overwrite: ctx.params.overwriteSink === true }).catch((err: unknown) => {
      if (err instanceof ComponentError) throw new ComponentError(err.message, { ...err.details, nodeId: ctx.nodeId });
      throw err;
    });
    ctx.metric('datasetId', saved.id);
    ctx.metric('rows', saved.rowCount);
    ctx.metric('replaced', saved.replaced);
    const what = saved.replaced ? `replacing the rows of the dataset "${saved.name}"` : `as the new dataset "${saved.name}"`;
    ctx.log(saved.replaced ? 'warn' : 'info', `saved ${saved.rowCount} rows × ${table.schema.columns.length} columns ${what} (id ${saved.id})`);
    ctx.progress(1, `saved ${saved.rowCount} rows as "${saved.name}"`);
    return { outputs: [] };
  },
};

import { ComponentError, missingDatasetPhrase, rowsReadProgress, type ComponentDefinition, type ComponentEnv } from '@mixflow/component-sdk';
import { unloadedTable, type Table, type TableSchema } from '@mixflow/table';
import { findSampleDataset, SAMPLE_DATASETS } from './samples';

function lookup(id: string, env: ComponentEnv | undefined): { schema: TableSchema; rowCount: number } | undefined {
  return env?.datasetSchema(id) ?? findSampleDataset(id);
}

function notFound(id: string, env: ComponentEnv | undefined): string {
  if (env?.deletedDatasetName?.(id) !== undefined) return `${missingDatasetPhrase(id, env)} no longer exists; upload it again, or choose another dataset`;
  return `no dataset "${id}"; upload a CSV or pick one of the samples (${SAMPLE_DATASETS.map((d) => d.id).join(', ')})`;
}

/** Read Dataset: a stored (uploaded) dataset, or a built-in sample, as a table. */
export const readDataset: ComponentDefinition = {
  description: {
    id: 'read-dataset',
    displayName: 'Read Dataset',
    category: 'Data',
    version: 1,
    description: 'Reads a stored dataset (an uploaded CSV) or a built-in sample dataset as a table.',
    icon: 'database',
    inputs: [],
    outputs: [{ name: 'data', label: 'Table', type: 'table' }],
    parameters: [
      {
        name: 'datasetId',
        label: 'Dataset',
        tab: 'field',
        type: 'string',
        required: true,
        help: `The id of a stored dataset (upload a CSV to create one) or of a built-in sample: ${SAMPLE_DATASETS.map((d) => d.id).join(', ')}.`,
      },
    ],
  },

  configure(params, _inputs, env) {
    const id = params.datasetId;
    if (typeof id !== 'string' || id === '') {
      return { outputs: [undefined], errors: [{ parameter: 'datasetId', message: 'Dataset is required: choose a dataset' }] };
    }
    const found = lookup(id, env);
    if (!found) return { outputs: [undefined], errors: [{ parameter: 'datasetId', message: notFound(id, env) }] };
    // the table is the dataset as stored: the console shows its column statistics beside the column pickers downstream
    return { outputs: [{ type: 'table', schema: found.schema, rowCount: found.rowCount, datasetId: id }], errors: [] };
  },

  async execute(ctx) {
    const id = ctx.params.datasetId as string;
    let table: Table;
    const stored = ctx.env.datasetSchema(id);
    // a host that reads stored rows in batches gets them read where they are needed: a component that reads them
    // itself (GMM Training) never holds them all; the workflow runner loads the table for any other
    if (stored && ctx.env.readDatasetRows) table = unloadedTable(stored.schema, stored.rowCount, id);
    else if (stored) {
      // 99 % at the last row: building the table is the rest
      table = await ctx.env.loadDataset(id, rowsReadProgress(ctx, stored.rowCount, 0.99));
    } else {
      const sample = findSampleDataset(id);
      if (!sample) throw new ComponentError(notFound(id, ctx.env), { nodeId: ctx.nodeId, parameter: 'datasetId' });
      table = sample.generate();
    }
    ctx.metric('rows', table.rowCount);
    ctx.progress(1, table.unloaded ? `${table.rowCount} rows, read by the nodes that use them` : `read ${table.rowCount} rows`);
    return { outputs: [{ type: 'table', table }] };
  },
};

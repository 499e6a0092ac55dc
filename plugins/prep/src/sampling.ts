/**
 * Split (Alink SplitBatchOp) and Random Sampling (SampleBatchOp, SampleWithSizeBatchOp). Every draw comes from
 * the engine's seeded generator, so the same seed and table give the same rows on every run; rows keep their
 * input order in each output.
 */
import { ComponentError, tableInput, type ComponentDefinition, type ExecutionContext, type ParameterDescription } from '@mixflow/component-sdk';
import { chooseRows, Rng } from '@mixflow/gmm';
import { takeRows, type Table } from '@mixflow/table';

/** `m` row indices of `n` drawn with replacement, in ascending order (a row drawn twice appears twice). */
export function drawRows(n: number, m: number, rng: Rng): Int32Array {
  const out = new Int32Array(m);
  for (let i = 0; i < m; i++) out[i] = rng.nextInt(n);
  return out.sort();
}

/** The rows of [0, n) not in `chosen` (ascending, distinct). */
function complement(n: number, chosen: Int32Array): Int32Array {
  const out = new Int32Array(n - chosen.length);
  let k = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    if (c < chosen.length && chosen[c] === i) c++;
    else out[k++] = i;
  }
  return out;
}

const SEED_PARAM: ParameterDescription = {
  name: 'randomSeed',
  label: 'Random seed',
  tab: 'parameter',
  type: 'int',
  default: 0,
  min: 0,
  help: 'Seed of the random draw: the same seed and table give the same rows on every run. Default 0.',
};

const WITH_REPLACEMENT_PARAM: ParameterDescription = {
  name: 'withReplacement',
  label: 'With replacement',
  tab: 'parameter',
  type: 'boolean',
  default: false,
  help: 'Draw rows with replacement: a row may be drawn more than once. Default false.',
};

function inputTable(ctx: ExecutionContext): Table {
  const input = ctx.inputs[0];
  if (input?.type !== 'table') throw new ComponentError('input 0 must be a table', { nodeId: ctx.nodeId, port: 0 });
  return input.table;
}

export const split: ComponentDefinition = {
  description: {
    id: 'split',
    displayName: 'Split',
    category: 'Data',
    version: 1,
    description:
      'Splits a table into two at random: the first output holds round(fraction × rows) rows, the second the rest (Alink SplitBatchOp; getSideOutput(0) in the SDK). Both keep the input’s columns and row order.',
    icon: 'data',
    inputs: [{ name: 'data', label: 'Table', type: 'table' }],
    outputs: [
      { name: 'data', label: 'Output table 1 (the fraction)', type: 'table' },
      { name: 'rest', label: 'Output table 2 (the other rows)', type: 'table' },
    ],
    parameters: [
      { name: 'fraction', label: 'Fraction', tab: 'parameter', type: 'double', required: true, min: 0, max: 1, help: 'The share of the rows in the first output, 0 to 1; the second output gets the others.' },
      SEED_PARAM,
    ],
    views: [
      { id: 'first', kind: 'table', title: 'Output table 1', source: { output: 0 } },
      { id: 'rest', kind: 'table', title: 'Output table 2', source: { output: 1 } },
    ],
  },
  configure(params, inputs) {
    const schema = tableInput(inputs, 0);
    if (!schema) return { outputs: [undefined, undefined], errors: [] };
    const rows = inputs[0]?.type === 'table' ? inputs[0].rowCount : undefined;
    const first = rows === undefined ? undefined : Math.round((params.fraction as number) * rows);
    return {
      outputs: [
        { type: 'table', schema, ...(first !== undefined ? { rowCount: first } : {}) },
        { type: 'table', schema, ...(first !== undefined && rows !== undefined ? { rowCount: rows - first } : {}) },
      ],
      errors: [],
    };
  },
  async execute(ctx) {
    const table = inputTable(ctx);
    const n = table.rowCount;
    const m = Math.round((ctx.params.fraction as number) * n);
    const chosen = chooseRows(n, m, new Rng(ctx.params.randomSeed as number));
    ctx.metric('rows', n);
    ctx.metric('rowsFirst', m);
    ctx.metric('rowsRest', n - m);
    ctx.progress(1, `split ${n} rows into ${m} and ${n - m}`);
    return { outputs: [{ type: 'table', table: takeRows(table, chosen) }, { type: 'table', table: takeRows(table, complement(n, chosen)) }] };
  },
};

function sampled(ctx: ExecutionContext, table: Table, m: number): { outputs: [{ type: 'table'; table: Table }] } {
  const n = table.rowCount;
  const rng = new Rng(ctx.params.randomSeed as number);
  const rows = ctx.params.withReplacement ? drawRows(n, m, rng) : chooseRows(n, m, rng);
  ctx.metric('rows', n);
  ctx.metric('sampledRows', rows.length);
  ctx.progress(1, `sampled ${rows.length} of ${n} rows${ctx.params.withReplacement ? ' with replacement' : ''}`);
  return { outputs: [{ type: 'table', table: takeRows(table, rows) }] };
}

function sameSchema(rowCount?: (rows: number) => number): ComponentDefinition['configure'] {
  return (_params, inputs) => {
    const input = inputs[0];
    if (input?.type !== 'table') return { outputs: [undefined], errors: [] };
    return { outputs: [{ type: 'table', schema: input.schema, ...(rowCount && input.rowCount !== undefined ? { rowCount: rowCount(input.rowCount) } : {}) }], errors: [] };
  };
}

export const sample: ComponentDefinition = {
  description: {
    id: 'sample',
    displayName: 'Random Sampling',
    category: 'Data',
    version: 1,
    description: 'Draws round(ratio × rows) rows of a table at random, with or without replacement (Alink SampleBatchOp); seeded, so a run is reproducible.',
    icon: 'data',
    inputs: [{ name: 'data', label: 'Table', type: 'table' }],
    outputs: [{ name: 'data', label: 'Sample', type: 'table' }],
    parameters: [
      { name: 'ratio', label: 'Sampling ratio', tab: 'parameter', type: 'double', required: true, min: 0, max: 1, help: 'The share of the rows to draw, 0 to 1.' },
      WITH_REPLACEMENT_PARAM,
      SEED_PARAM,
    ],
    views: [{ id: 'rows', kind: 'table', title: 'Sample', source: { output: 0 } }],
  },
  configure: (params, inputs, env) => sameSchema((rows) => Math.round((params.ratio as number) * rows))(params, inputs, env),
  async execute(ctx) {
    const table = inputTable(ctx);
    return sampled(ctx, table, Math.round((ctx.params.ratio as number) * table.rowCount));
  },
};

export const sampleWithSize: ComponentDefinition = {
  description: {
    id: 'sample-with-size',
    displayName: 'Random Sampling (fixed size)',
    category: 'Data',
    version: 1,
    description:
      'Draws a fixed number of rows of a table at random, with or without replacement (Alink SampleWithSizeBatchOp); seeded, so a run is reproducible. Without replacement a table with fewer rows is returned whole, and the log says so.',
    icon: 'data',
    inputs: [{ name: 'data', label: 'Table', type: 'table' }],
    outputs: [{ name: 'data', label: 'Sample', type: 'table' }],
    parameters: [
      { name: 'size', label: 'Sample size', tab: 'parameter', type: 'int', required: true, min: 0, help: 'How many rows to draw.' },
      WITH_REPLACEMENT_PARAM,
      SEED_PARAM,
    ],
    views: [{ id: 'rows', kind: 'table', title: 'Sample', source: { output: 0 } }],
  },
  configure: (params, inputs, env) => sameSchema((rows) => (params.withReplacement ? (params.size as number) : Math.min(rows, params.size as number)))(params, inputs, env),
  async execute(ctx) {
    const table = inputTable(ctx);
    const size = ctx.params.size as number;
    if (!ctx.params.withReplacement && size > table.rowCount) {
      ctx.log('warn', `size ${size} is more than the ${table.rowCount} rows of the table: all ${table.rowCount} rows are returned (set withReplacement to draw ${size})`);
    }
    if (ctx.params.withReplacement && table.rowCount === 0 && size > 0) {
      throw new ComponentError(`the table has no rows to draw ${size} from`, { nodeId: ctx.nodeId, parameter: 'size' });
    }
    return sampled(ctx, table, ctx.params.withReplacement ? size : Math.min(size, table.rowCount));
  },
};

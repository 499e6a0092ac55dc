import { ComponentError, nameProblem, standaloneContext, type ComponentEnv, type Params } from '@mixflow/component-sdk';
import { InlineEngine } from '@mixflow/executor';
import { parseSchemaStr, tableFromRows, type Table } from '@mixflow/table';
import plugin, { writeDataset } from './index';

const table: Table = tableFromRows([['1 2', 3], ['4 5', 6]], parseSchemaStr('v vector, n long'));

/** A host that keeps saved datasets in a list. */
function store(): { env: ComponentEnv; saved: { name: string; table: Table }[] } {
  const saved: { name: string; table: Table }[] = [];
  return {
    saved,
    env: {
      datasetSchema: () => undefined,
      loadDataset: () => Promise.reject(new Error('none')),
      saveDataset: async (name, t, options) => {
        const earlier = options?.overwrite ? saved.map((d) => d.name).lastIndexOf(name) : -1;
        if (earlier >= 0) {
          saved[earlier] = { name, table: t };
          return { id: `ds-${earlier + 1}`, name, rowCount: t.rowCount, replaced: true };
        }
        saved.push({ name, table: t });
        return { id: `ds-${saved.length}`, name, rowCount: t.rowCount, replaced: false };
      },
    },
  };
}

function run(params: Params, env: ComponentEnv | undefined) {
  const metrics: Record<string, unknown> = {};
  const logs: string[] = [];
  const ctx = standaloneContext({
    nodeId: 'w1',
    params,
    inputs: [{ type: 'table', table }],
    engine: new InlineEngine(),
    ...(env ? { env } : {}),
    metric: (name, value) => (metrics[name] = value),
    log: (level, message) => logs.push(`${level}: ${message}`),
  });
  return { result: writeDataset.execute(ctx), metrics, logs };
}

describe('Write Dataset', () => {
  it('is a Data component of the data plugin with one table input and a required name', () => {
    expect(plugin.components).toContain(writeDataset);
    expect(writeDataset.description).toMatchObject({ id: 'write-dataset', displayName: 'Write Dataset', category: 'Data', outputs: [] });
    expect(writeDataset.description.inputs).toEqual([{ name: 'data', label: 'Table', type: 'table' }]);
    expect(writeDataset.description.parameters[0]).toMatchObject({ name: 'datasetName', required: true, type: 'string' });
  });

  it('saves the input table through the host under the given name, and reports the new dataset', async () => {
    const { env, saved } = store();
    const r = run({ datasetName: 'clusters of June' }, env);
    expect(await r.result).toEqual({ outputs: [] });
    expect(saved).toHaveLength(1);
    expect(saved[0].name).toBe('clusters of June');
    expect(saved[0].table).toBe(table);
    expect(r.metrics).toEqual({ datasetId: 'ds-1', rows: 2, replaced: false });
    expect(r.logs).toEqual(['info: saved 2 rows × 2 columns as the new dataset "clusters of June" (id ds-1)']);
  });

  it('with Overwrite (overwriteSink) asks the host to replace the dataset of that name, and says so in a warning', async () => {
    const { env, saved } = store();
    await run({ datasetName: 'june' }, env).result;
    await run({ datasetName: 'june' }, env).result;
    expect(saved).toHaveLength(2);
    const r = run({ datasetName: 'june', overwriteSink: true }, env);
    await r.result;
    expect(saved).toHaveLength(2);
    expect(r.metrics).toEqual({ datasetId: 'ds-2', rows: 2, replaced: true });
    expect(r.logs).toEqual(['warn: saved 2 rows × 2 columns replacing the rows of the dataset "june" (id ds-2)']);
    expect(writeDataset.description.parameters.find((p) => p.name === 'overwriteSink')).toMatchObject({ type: 'boolean', default: false, label: 'Overwrite' });
  });

  it.each([
    ['', /Dataset name is required/],
    ['   ', /Dataset name is required/],
    ['x'.repeat(201), /Dataset name is 201 characters long; a name has at most 200/],
    ['bad\u0007bell', /Dataset name holds a control or bidirectional-override character \(U\+0007, character 4\)/],
    ['evil\u202Etxt', /U\+202E, character 5/],
  ])('refuses the name %j in configure and in execute, naming the parameter', async (name, message) => {
    const { errors } = writeDataset.configure({ datasetName: name }, [{ type: 'table', schema: table.schema }]);
    expect(errors).toEqual([{ parameter: 'datasetName', message: expect.stringMatching(message) }]);
    const { env, saved } = store();
    await expect(run({ datasetName: name }, env).result).rejects.toMatchObject({ details: { nodeId: 'w1', parameter: 'datasetName' } });
    expect(saved).toHaveLength(0);
  });

  it('accepts a name of exactly 200 characters (counted as characters, not UTF-16 units)', () => {
    expect(nameProblem('é'.repeat(200))).toBeUndefined();
    expect(nameProblem('😀'.repeat(200))).toBeUndefined();
    expect(nameProblem('😀'.repeat(201))).toMatch(/201 characters/);
  });

  it('says where it can run when the host keeps no datasets', async () => {
    const err = await run({ datasetName: 'x' }, undefined).result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ComponentError);
    expect((err as Error).message).toMatch(/stores datasets on a Mixflow server; .*CsvSinkBatchOp or ParquetSinkBatchOp/);
  });
});

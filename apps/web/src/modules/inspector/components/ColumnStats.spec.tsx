import { render, screen, within } from '@testing-library/react';
import { gmmTrain, tabs } from '../../../test/fixtures';
import type { ComponentDescription, Dataset, PortSchema, TableSchema } from '../../../types/contracts';
import { formatColumnStats, inputColumnStats } from '../utils/columnStats';
import { Inspector } from './Inspector';
import { ParameterField } from './ParameterField';

const schema: TableSchema = { columns: [{ name: 'features', type: 'vector', vectorSize: 2 }, { name: 'eruptions', type: 'double', missing: 2 }, { name: 'waiting', type: 'long' }, { name: 'site', type: 'string' }] };
const faithful: Dataset = {
  id: 'ds-faithful', name: 'Old Faithful', schema, rowCount: 272, bytes: 4000, builtIn: false, createdAt: '2026-01-01T00:00:00Z',
  stats: [
    { name: 'features', count: 272, missing: 0 },
    { name: 'eruptions', count: 270, missing: 2, min: 1.6, max: 5.1, mean: 3.487783088, std: 1.14 },
    { name: 'waiting', count: 272, missing: 0, min: 43, max: 96, mean: 70.897058823, std: 13.59 },
    { name: 'site', count: 272, missing: 0, min: 'Yellowstone', max: 'Yellowstone National Park, WY', distinct: 2 },
  ],
};
const stored: PortSchema = { type: 'table', schema, rowCount: 272, datasetId: 'ds-faithful' };

describe('column statistics in the inspector’s column pickers', () => {
  it('are known for a port that carries a stored dataset as stored, and unknown otherwise', () => {
    const [fromDataset, transformed, model, none, unknownDataset] = inputColumnStats(
      [stored, { type: 'table', schema }, { type: 'model', modelType: 'gmm' }, undefined, { ...stored, datasetId: 'gone' }],
      [faithful],
    );
    expect(fromDataset?.get('eruptions')).toMatchObject({ missing: 2, mean: 3.487783088 });
    expect([transformed, model, none, unknownDataset]).toEqual([undefined, undefined, undefined, undefined]);
    expect(inputColumnStats([stored], undefined)).toEqual([undefined]);
  });

  it('read as missing, mean, min and max, to four significant digits; text bounds quoted and cut', () => {
    expect(formatColumnStats(faithful.stats![1])).toBe('missing 2 · mean 3.488 · min 1.6 · max 5.1');
    expect(formatColumnStats(faithful.stats![2])).toBe('missing 0 · mean 70.9 · min 43 · max 96');
    expect(formatColumnStats(faithful.stats![3])).toBe('missing 0 · min “Yellowstone” · max “Yellowstone …”');
    expect(formatColumnStats(faithful.stats![0])).toBe('missing 0');
  });

  it('appear beside each numeric column of Feature columns and in the Vector column picker, for the input port', () => {
    render(
      <Inspector
        tabs={tabs} nodeId="train" label="GMM Training" description={gmmTrain} params={{}} inputSchemas={[schema]}
        inputStats={inputColumnStats([stored], [faithful])} errors={[]} onParamsChange={() => undefined} onLabelChange={() => undefined}
      />,
    );
    expect(screen.getByTestId('param-featureCols-stats-eruptions').textContent).toBe('missing 2 · mean 3.488 · min 1.6 · max 5.1');
    expect(screen.getByTestId('param-featureCols-stats-waiting').textContent).toBe('missing 0 · mean 70.9 · min 43 · max 96');
    const options = within(screen.getByTestId('param-vectorCol')).getAllByRole('option').map((o) => o.textContent);
    expect(options).toContain('features · vector(2) — missing 0');
  });

  it('are left out where unknown: names and types only', () => {
    render(
      <Inspector
        tabs={tabs} nodeId="train" label="GMM Training" description={gmmTrain} params={{}} inputSchemas={[schema]}
        errors={[]} onParamsChange={() => undefined} onLabelChange={() => undefined}
      />,
    );
    expect(screen.queryByTestId('param-featureCols-stats-eruptions')).toBeNull();
    expect(within(screen.getByTestId('param-vectorCol')).getAllByRole('option').map((o) => o.textContent)).toContain('features · vector(2)');
  });

  it('a text parameter that names a dataset (Write Dataset’s datasetName) is a text box, not the dataset picker', () => {
    const name: ComponentDescription['parameters'][number] = { name: 'datasetName', label: 'Dataset name', tab: 'field', type: 'string', required: true, help: 'The new dataset’s name.' };
    const { unmount } = render(<ParameterField parameter={name} value="clusters" datasets={[faithful]} errors={[]} onChange={() => undefined} />);
    expect((screen.getByTestId('param-datasetName') as HTMLInputElement).value).toBe('clusters');
    expect(screen.getByTestId('param-datasetName').tagName).toBe('INPUT');
    unmount();
    const picker: ComponentDescription['parameters'][number] = { name: 'datasetId', label: 'Dataset', tab: 'field', type: 'string', required: true, help: 'A dataset.' };
    render(<ParameterField parameter={picker} value={null} datasets={[faithful]} errors={[]} onChange={() => undefined} />);
    expect(screen.getByTestId('param-datasetId').tagName).toBe('SELECT');
  });
});

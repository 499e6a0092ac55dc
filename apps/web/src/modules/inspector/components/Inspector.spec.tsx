import { useState } from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { gmmTrain, readDataset, tabs } from '../../../test/fixtures';
import type { ComponentDescription, Params, ResourceEstimate, TableSchema } from '../../../types/contracts';
import { validateParams } from '../utils/params';
import { Inspector } from './Inspector';

const schema: TableSchema = { columns: [{ name: 'features', type: 'vector', vectorSize: 2 }, { name: 'x', type: 'double' }, { name: 'label', type: 'long' }] };

const estimate: ResourceEstimate = {
  formulaMemoryMb: 0.0022, formula: '2 × 2 × 3 × 8 × 2 × 12 / 1024 / 1024 = 0.0022 MB', recommendedMemoryMb: 1024, recommendedWorkers: 1,
  dataAwareMemoryMb: 0.02, dataAwareDetail: '300 rows per worker', warnings: [],
};

/** The Inspector wired the way the console wires it: params in state, errors from validateParams. */
function Harness({ initial, onChange }: { initial: Params; onChange?: (p: Params) => void }) {
  const [params, setParams] = useState(initial);
  return (
    <Inspector
      tabs={tabs}
      nodeId="gmm-train-1" label="GMM Training" description={gmmTrain} params={params} inputSchemas={[schema]}
      errors={validateParams(gmmTrain, params, [schema])} estimate={estimate}
      onParamsChange={(p) => { setParams(p); onChange?.(p); }} onLabelChange={() => undefined}
    />
  );
}

describe('Inspector', () => {
  it('renders a multi-select (enums) parameter as one checkbox per option, keeps the options order, and refuses an empty choice', async () => {
    const multi: ComponentDescription = {
      ...gmmTrain,
      parameters: [
        { name: 'shapes', label: 'Shapes', tab: 'parameter', type: 'enums', default: ['a', 'b', 'c'], options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }, { value: 'c', label: 'C' }], help: 'One or more shapes.' },
      ],
    };
    function Multi({ onChange }: { onChange: (p: Params) => void }) {
      const [params, setParams] = useState<Params>({});
      return (
        <Inspector
          tabs={tabs} nodeId="n1" label="Multi" description={multi} params={params} inputSchemas={[schema]}
          errors={validateParams(multi, params, [schema])} estimate={estimate}
          onParamsChange={(p) => { setParams(p); onChange(p); }} onLabelChange={() => undefined}
        />
      );
    }
    const user = userEvent.setup();
    const seen: Params[] = [];
    render(<Multi onChange={(p) => seen.push(p)} />);
    await user.click(screen.getByTestId('tab-parameter'));
    for (const v of ['a', 'b', 'c']) expect(screen.getByTestId(`param-shapes-${v}`)).toBeChecked();
    await user.click(screen.getByTestId('param-shapes-b'));
    expect(seen.at(-1)).toMatchObject({ shapes: ['a', 'c'] });
    await user.click(screen.getByTestId('param-shapes-b'));
    expect(seen.at(-1)).toMatchObject({ shapes: ['a', 'b', 'c'] });
    for (const v of ['a', 'b', 'c']) await user.click(screen.getByTestId(`param-shapes-${v}`));
    expect(seen.at(-1)).toMatchObject({ shapes: [] });
    expect(screen.getByTestId('param-error-shapes')).toHaveTextContent('Shapes must list at least one of a, b, c');
  });

  it('generates the three PAI tabs and puts each parameter on its tab', async () => {
    const user = userEvent.setup();
    render(<Harness initial={{ k: 2 }} />);
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Field Setting', 'Parameter Setting', 'Execution Tuning']);
    expect(screen.getByTestId('param-vectorCol')).toBeInTheDocument();
    expect(screen.queryByTestId('param-k')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('tab-parameter'));
    expect(screen.getByTestId('param-k')).toHaveValue('2');
    expect(screen.getByText('The number of Gaussians (clusters). Default 2.')).toBeInTheDocument();
    expect(screen.getByText('advanced')).toBeInTheDocument();
    expect(screen.queryByTestId('param-vectorCol')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('tab-execution'));
    expect(screen.getByTestId('param-numWorkers')).toBeInTheDocument();
    expect(screen.getByText('1 – 9999')).toBeInTheDocument();
  });

  it('offers only the upstream columns of an allowed type in the column picker', () => {
    render(<Harness initial={{}} />);
    const options = within(screen.getByTestId('param-vectorCol')).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['Choose a column…', 'features · vector(2)']);
  });

  it('shows an inline message while k is out of range, with a badge on the tab, and clears it when fixed', async () => {
    const user = userEvent.setup();
    const seen: Params[] = [];
    render(<Harness initial={{ k: 2 }} onChange={(p) => seen.push(p)} />);
    await user.click(screen.getByTestId('tab-parameter'));
    const k = screen.getByTestId('param-k');
    await user.clear(k);
    await user.type(k, '0');
    expect(screen.getByTestId('param-error-k')).toHaveTextContent('k must be at least 1, got 0');
    expect(k).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('tab-parameter')).toHaveTextContent('Parameter Setting1');
    await user.clear(k);
    await user.type(k, '12');
    expect(screen.queryByTestId('param-error-k')).not.toBeInTheDocument();
    expect(seen.at(-1)).toMatchObject({ k: 12 });
  });

  it('lists feature columns the input no longer has as missing, each removable, so a changed dataset never traps', async () => {
    const user = userEvent.setup();
    const seen: Params[] = [];
    // chosen on an earlier dataset: 'petal' and 'sepal' are gone, 'x' is still there, 'features' is not numeric
    render(<Harness initial={{ featureCols: ['petal', 'x', 'sepal', 'features'] }} onChange={(p) => seen.push(p)} />);
    expect(screen.getByTestId('param-featureCols-missing-petal')).toHaveTextContent('not in the input');
    expect(screen.getByTestId('param-featureCols-missing-features')).toHaveTextContent('not double or long');
    expect(screen.getAllByTestId('param-error-featureCols').map((e) => e.textContent)).toEqual([
      'Column “petal” is not in the input: remove it from Feature columns (the input has features, x, label).',
      'Column “sepal” is not in the input: remove it from Feature columns (the input has features, x, label).',
      'Column “features” is vector; Feature columns needs double or long.',
    ]);
    await user.click(screen.getByTestId('param-featureCols-remove-petal'));
    expect(seen.at(-1)).toMatchObject({ featureCols: ['x', 'sepal', 'features'] });
    await user.click(screen.getByTestId('param-featureCols-remove-sepal'));
    await user.click(screen.getByTestId('param-featureCols-remove-features'));
    expect(seen.at(-1)).toMatchObject({ featureCols: ['x'] });
    expect(screen.queryByTestId('param-error-featureCols')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('param-featureCols-clear'));
    expect(seen.at(-1)?.featureCols).toBeNull();
  });

  it('reveals a showIf parameter only when its condition holds', async () => {
    const user = userEvent.setup();
    render(<Harness initial={{ init: 'kmeans' }} />);
    await user.click(screen.getByTestId('tab-parameter'));
    expect(screen.queryByTestId('param-samplings')).not.toBeInTheDocument();
    await user.selectOptions(screen.getByTestId('param-init'), 'refined');
    expect(screen.getByTestId('param-samplings')).toHaveValue('100');
  });

  it('applies the recommendation to workers and memory from Execution Tuning', async () => {
    const user = userEvent.setup();
    const seen: Params[] = [];
    render(<Harness initial={{ numWorkers: 4, memoryPerWorkerMb: 8192 }} onChange={(p) => seen.push(p)} />);
    await user.click(screen.getByTestId('tab-execution'));
    expect(screen.getByTestId('estimate-formula')).toHaveTextContent('2 × 2 × 3 × 8 × 2 × 12 / 1024 / 1024 = 0.0022 MB');
    await user.click(screen.getByTestId('estimate-apply'));
    expect(seen.at(-1)).toMatchObject({ numWorkers: 1, memoryPerWorkerMb: 1024 });
    expect(screen.getByTestId('param-memoryPerWorkerMb')).toHaveValue('1024');
    expect(screen.getByTestId('estimate-apply')).toBeDisabled();
    expect(screen.getByTestId('estimate-apply')).toHaveTextContent('Recommendation applied');
  });

  it('shows a dataset picker for the dataset id and node-level errors above the fields', () => {
    render(
      <Inspector
        tabs={tabs}
        nodeId="read-dataset-1" label="Read Dataset" description={readDataset} params={{}} inputSchemas={[]}
        errors={[{ parameter: 'datasetId', message: 'Dataset is required.' }, { message: 'input 0 is not connected' }]}
        datasets={[{ id: 'sample-three-blobs', name: 'Three 2-D blobs', rowCount: 300, bytes: 1, builtIn: true, createdAt: '', schema }]}
        onParamsChange={() => undefined} onLabelChange={() => undefined}
      />,
    );
    expect(within(screen.getByTestId('param-datasetId')).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose a dataset…', 'Three 2-D blobs (300 rows)']);
    expect(screen.getByTestId('param-error-datasetId')).toHaveTextContent('Dataset is required.');
    expect(screen.getByTestId('node-errors')).toHaveTextContent('input 0 is not connected');
  });
});

import type { Graph } from '@mixflow/workflow';
import { datasetParams } from './dataset-references';

describe('datasetParams', () => {
  it('lists Read Dataset references and leaves out the name Write Dataset gives a new dataset', () => {
    const graph = {
      nodes: [
        { id: 'read', type: 'data.read-dataset', position: { x: 0, y: 0 }, params: { datasetId: 'ds-1' } },
        { id: 'other', type: 'x.y', position: { x: 0, y: 0 }, params: { labelDatasetId: 'ds-2', empty: '' } },
        { id: 'write', type: 'data.write-dataset', position: { x: 0, y: 0 }, params: { datasetName: 'clusters of June' } },
      ],
      edges: [],
    } as unknown as Graph;
    expect(datasetParams(graph)).toEqual([
      { nodeId: 'read', value: 'ds-1' },
      { nodeId: 'other', value: 'ds-2' },
    ]);
  });
});

import type { Graph } from '@mixflow/workflow';
import { evaluate, lastExport } from './__fixtures__/evaluate';
import { GmmPredictBatchOp, GmmPredictStreamOp, GmmTrainBatchOp, graphToSdkCode, MemSourceBatchOp, MemSourceStreamOp, Mixflow } from './index';
import { PAI_ROWS } from './__fixtures__/pai-example';

describe('SDK → graph → code → graph', () => {
  it('the PAI workflow comes back as the same graph', () => {
    const data = new MemSourceBatchOp(PAI_ROWS, 'features string');
    const model = new GmmTrainBatchOp().setVectorCol('features').setK(2).setMaxIter(50).setEpsilon(1e-5).setCovarianceType('diag').linkFrom(data);
    const predictor = new GmmPredictBatchOp().setPredictionCol('cluster_id').setPredictionDetailCol('p').setVectorCol('features').setReservedCols(['features']).linkFrom(model, data);
    const graph = predictor.toGraph();
    expect(graph.nodes.map((n) => n.componentId)).toEqual(['read-dataset', 'gmm-train', 'gmm-predict']);
    expect(graph.edges.map((e) => `${e.source}:${e.sourcePort}->${e.target}:${e.targetPort}`)).toEqual([
      'read-dataset-1:0->gmm-train-1:0',
      'gmm-train-1:0->gmm-predict-1:0',
      'read-dataset-1:0->gmm-predict-1:1',
    ]);

    const code = graphToSdkCode(graph);
    expect(code).toContain("import { GmmPredictBatchOp, GmmTrainBatchOp, ReadDatasetBatchOp } from '@mixflow/sdk';");
    expect(code).toContain(".setCovarianceType('diag')");
    expect(code).toContain('.linkFrom(gmmTrain1, readDataset1)');
    const again = lastExport(evaluate(code)).toGraph();
    expect(again).toEqual(graph);
    // and the code of the rebuilt graph is the same code
    expect(graphToSdkCode(again)).toBe(code);
  });

  it('a stream predictor takes its model in the constructor, in code as in the SDK', () => {
    const model = new GmmTrainBatchOp().setVectorCol('features').linkFrom(new MemSourceBatchOp(PAI_ROWS, 'features string'));
    const stream = new GmmPredictStreamOp(model).setVectorCol('features').setPredictionCol('c').linkFrom(new MemSourceStreamOp(PAI_ROWS, 'features string'));
    const graph = stream.toGraph();
    const code = graphToSdkCode(graph);
    expect(code).toContain('new GmmPredictStreamOp(gmmTrain1)');
    expect(lastExport(evaluate(code)).toGraph()).toEqual(graph);
  });

  it('code from a canvas graph runs: a built-in sample dataset, trained and predicted', async () => {
    const canvas: Graph = {
      nodes: [
        { id: 'n1', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId: 'sample-three-blobs' } },
        { id: 'n2', componentId: 'gmm-train', position: { x: 200, y: 0 }, params: { vectorCol: 'features', k: 3 } },
      ],
      edges: [{ id: 'e1', source: 'n1', sourcePort: 0, target: 'n2', targetPort: 0 }],
    };
    const code = graphToSdkCode(canvas);
    expect(code).toContain('export const n2 = new GmmTrainBatchOp()');
    const trained = evaluate(code).n2 as GmmTrainBatchOp;
    const model = await trained.getModel(new Mixflow({ engine: 'inline' }));
    expect(model.k).toBe(3);
  });

  it('a graph node with a parameter its component does not have is refused', () => {
    const graph = { nodes: [{ id: 'a', componentId: 'gmm-train', position: { x: 0, y: 0 }, params: { gaussians: 3 } }], edges: [] };
    expect(() => graphToSdkCode(graph)).toThrow(/node a \(gmm-train\) has a parameter gaussians/);
  });
});

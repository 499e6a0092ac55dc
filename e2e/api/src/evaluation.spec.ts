import request from 'supertest';
import { closeAndRemove, followEvents, Server, startServer, tempDir } from './harness';

jest.setTimeout(90_000);

/** Read Dataset (three blobs) → GMM Training → GMM Prediction → Clustering Model Evaluation. */
function evaluationGraph(evalParams: Record<string, unknown>) {
  return {
    nodes: [
      { id: 'read', componentId: 'read-dataset', position: { x: 0, y: 0 }, params: { datasetId: 'sample-three-blobs' } },
      { id: 'train', componentId: 'gmm-train', position: { x: 0, y: 100 }, params: { vectorCol: 'features', k: 3, randomSeed: 1 } },
      { id: 'predict', componentId: 'gmm-predict', position: { x: 0, y: 200 }, params: { vectorCol: 'features', predictionCol: 'cluster' } },
      { id: 'eval', componentId: 'eval-cluster', position: { x: 0, y: 300 }, params: evalParams },
    ],
    edges: [
      { id: 'e1', source: 'read', sourcePort: 0, target: 'train', targetPort: 0 },
      { id: 'e2', source: 'train', sourcePort: 0, target: 'predict', targetPort: 0 },
      { id: 'e3', source: 'read', sourcePort: 0, target: 'predict', targetPort: 1 },
      { id: 'e4', source: 'predict', sourcePort: 0, target: 'eval', targetPort: 0 },
    ],
  };
}

describe('API end to end: Clustering Model Evaluation', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = await startServer(tempDir('evaluation'), { MIXFLOW_SEED: '0' });
    url = server.url;
  });
  afterAll(() => closeAndRemove(server));

  it('evaluates GMM predictions against the labels: metrics on the node, the JSON in its output', async () => {
    const graph = evaluationGraph({ predictionCol: 'cluster', vectorCol: 'features', labelCol: 'label' });
    const exp = (await request(url).post('/api/experiments').send({ name: 'evaluate', graph }).expect(201)).body;
    const run = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(201)).body;
    expect((await followEvents(url, run.id)).at(-1)).toEqual({ type: 'run', status: 'succeeded' });

    const done = (await request(url).get(`/api/runs/${run.id}`).expect(200)).body;
    const metrics = done.nodes.eval.metrics;
    expect(metrics).toMatchObject({ count: 300, k: 3, silhouetteRows: 300, silhouetteExact: true });
    expect(metrics.countArray.reduce((a: number, b: number) => a + b, 0)).toBe(300);
    expect(metrics.ari).toBeGreaterThan(0.8);
    expect(metrics.silhouetteCoefficient).toBeGreaterThan(0.4);
    expect(metrics.confusionMatrix).toHaveLength(3);

    const out = (await request(url).get(`/api/runs/${run.id}/nodes/eval/outputs/0`).expect(200)).body;
    expect(out.columns.map((c: { name: string }) => c.name)).toEqual(['cluster_eval_result']);
    const json = JSON.parse(out.rows[0][0]);
    expect(json.vrc).toBe(metrics.vrc);
    expect(json.distanceType).toBe('EUCLIDEAN');
  });

  it('a missing predictionCol is a 400 naming the node and the parameter by its label (the graph is not even saved)', async () => {
    const res = (await request(url).post('/api/experiments').send({ name: 'no prediction', graph: evaluationGraph({ vectorCol: 'features' }) }).expect(400)).body;
    expect(res.message).toContain('Prediction column is required');
    expect(res.details).toMatchObject({ nodeId: 'eval', parameter: 'predictionCol' });
  });

  it('a label column that is not in the table is a 400 naming the node, the parameter and the column (in the message)', async () => {
    const graph = evaluationGraph({ predictionCol: 'cluster', labelCol: 'truth' });
    const exp = (await request(url).post('/api/experiments').send({ name: 'no label', graph }).expect(201)).body;
    const res = (await request(url).post(`/api/experiments/${exp.id}/runs`).send({}).expect(400)).body;
    expect(res.message).toContain('column "truth" is not in the input table');
    expect(res.details).toMatchObject({ nodeId: 'eval', parameter: 'labelCol' });
  });
});

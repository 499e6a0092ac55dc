import { EvalClusterBatchOp, GmmPredictBatchOp, GmmTrainBatchOp, MemSourceBatchOp, Mixflow, SdkError } from './index';
import { PAI_ROWS } from './__fixtures__/pai-example';

const mixflow = new Mixflow({ engine: 'inline' });

describe('EvalClusterBatchOp.collectMetrics', () => {
  it("gives Alink's documented figures through Alink's getters", async () => {
    const rows = [
      [0, '0 0 0'],
      [0, '0.1,0.1,0.1'],
      [0, '0.2,0.2,0.2'],
      [1, '9 9 9'],
      [1, '9.1 9.1 9.1'],
      [1, '9.2 9.2 9.2'],
    ];
    const inOp = new MemSourceBatchOp(rows, 'id int, vec string');
    const metrics = await new EvalClusterBatchOp().setVectorCol('vec').setPredictionCol('id').linkFrom(inOp).collectMetrics(mixflow);
    expect(metrics.getCount()).toBe(6);
    expect(metrics.getK()).toBe(2);
    expect(metrics.getClusterArray()).toEqual(['0', '1']);
    expect(metrics.getCountArray()).toEqual([3, 3]);
    expect(metrics.getCp()).toBeCloseTo(0.11547005383792497, 12);
    expect(metrics.getDb()).toBeCloseTo(0.014814814814814791, 12);
    expect(metrics.getSp()).toBeCloseTo(15.588457268119896, 12);
    expect(metrics.getSsb()).toBeCloseTo(364.5, 10);
    expect(metrics.getSsw()).toBeCloseTo(0.1199999999999996, 12);
    expect(metrics.getVrc() / 12150.000000000042).toBeCloseTo(1, 12);
    expect(metrics.isSilhouetteExact()).toBe(true);
    expect(metrics.getSilhouetteCoefficient()).toBeGreaterThan(0.98);
    // no label column: the label metrics say what they need
    expect(() => metrics.getAri()).toThrow(SdkError);
    expect(() => metrics.getAri()).toThrow('no ari; it needs setLabelCol');
  });

  it('evaluates the PAI example’s GMM predictions against the groups the rows came from', async () => {
    const data = new MemSourceBatchOp(
      PAI_ROWS.map((r, i) => [r[0], i < 7 ? 'near 0' : 'near 10']),
      'features string, group string',
    );
    const model = new GmmTrainBatchOp().setVectorCol('features').linkFrom(data);
    const predicted = new GmmPredictBatchOp().setPredictionCol('cluster_id').setVectorCol('features').linkFrom(model, data);
    const metrics = await new EvalClusterBatchOp().setPredictionCol('cluster_id').setVectorCol('features').setLabelCol('group').linkFrom(predicted).collectMetrics(mixflow);
    expect(metrics.getK()).toBe(2);
    expect(metrics.getAri()).toBe(1);
    expect(metrics.getNmi()).toBeCloseTo(1, 12);
    expect(metrics.getPurity()).toBe(1);
    expect(metrics.getRi()).toBe(1);
    expect(metrics.getLabelArray()).toEqual(['near 0', 'near 10']);
    expect(metrics.getConfusionMatrix().flat().sort((a, b) => a - b)).toEqual([0, 0, 7, 8]);
    expect(metrics.getVrc()).toBeGreaterThan(100);
  });

  it('a setter refuses a distance type Alink does not have', () => {
    expect(() => new EvalClusterBatchOp().set('distanceType', 'HAMMING')).toThrow(/allowed: EUCLIDEAN, COSINE, CITYBLOCK/);
  });
});

import {
  GmmTrainBatchOp,
  ImputerPredictBatchOp,
  ImputerTrainBatchOp,
  MemSourceBatchOp,
  MinMaxScalerPredictBatchOp,
  MinMaxScalerTrainBatchOp,
  Mixflow,
  SampleBatchOp,
  SampleWithSizeBatchOp,
  SdkError,
  SplitBatchOp,
  StandardScalerPredictBatchOp,
  StandardScalerTrainBatchOp,
  graphToSdkCode,
} from './index';

const mixflow = new Mixflow({ engine: 'inline' });

/** The Alink docs' example rows (StandardScaler, MinMaxScaler, Imputer). */
const DOC_ROWS = [
  ['a', 10.0, 100],
  ['b', -2.5, 9],
  ['c', 100.2, 1],
  ['d', -99.9, 100],
  ['a', 1.4, 1],
  ['b', -2.2, 9],
  ['c', 100.9, 1],
];
const docSource = () => new MemSourceBatchOp(DOC_ROWS, 'col1 string, col2 double, col3 long');

describe('data preparation operators, as the Alink docs use them', () => {
  it('StandardScalerPredictBatchOp().linkFrom(StandardScalerTrainBatchOp()...linkFrom(inOp), inOp)', async () => {
    const inOp = docSource();
    const rows = await new StandardScalerPredictBatchOp().linkFrom(new StandardScalerTrainBatchOp().setSelectedCols(['col2', 'col3']).linkFrom(inOp), inOp).collect(mixflow);
    expect(rows[0]).toEqual(['a', expect.closeTo(-0.0784, 4), expect.closeTo(1.4596, 4)]);
  });

  it('MinMaxScalerPredictBatchOp gives a | 0.5473 | 1.0', async () => {
    const inOp = docSource();
    const rows = await new MinMaxScalerPredictBatchOp().linkFrom(new MinMaxScalerTrainBatchOp().setSelectedCols(['col2', 'col3']).linkFrom(inOp), inOp).collect(mixflow);
    expect(rows[0]).toEqual(['a', expect.closeTo(0.5473, 4), 1]);
  });

  it('ImputerPredictBatchOp().linkFrom(model, inOp) fills the null row with 15.414286 | 31', async () => {
    const inOp = new MemSourceBatchOp([...DOC_ROWS, ['', null, null]], 'col1 string, col2 double, col3 long');
    const model = new ImputerTrainBatchOp().setSelectedCols(['col2', 'col3']).linkFrom(inOp);
    const rows = await new ImputerPredictBatchOp().linkFrom(model, inOp).collect(mixflow);
    expect(rows[7]).toEqual(['', expect.closeTo(15.414286, 6), 31]);
    expect(await model.getModel(mixflow)).toMatchObject({ modelType: 'imputer', strategy: 'MEAN', selectedCols: ['col2', 'col3'] });
    // the train operator's side output is the filled table itself
    expect((await model.getSideOutput(0).collect(mixflow))[7]).toEqual(['', expect.closeTo(15.414286, 6), 31]);
  });

  it('a train operator’s side output feeds the next operator: standardized columns into GMM Training', async () => {
    const scaled = new StandardScalerTrainBatchOp().setSelectedCols(['col2', 'col3']).linkFrom(docSource()).getSideOutput(0);
    const gmm = await new GmmTrainBatchOp().setFeatureCols(['col2', 'col3']).setK(1).linkFrom(scaled).getModel(mixflow);
    // standardized columns have mean 0
    expect(gmm.means[0][0]).toBeCloseTo(0, 9);
    expect(gmm.means[0][1]).toBeCloseTo(0, 9);
  });
});

describe('SplitBatchOp and getSideOutput', () => {
  const numbered = () => new MemSourceBatchOp(Array.from({ length: 10 }, (_, i) => [i]), 'id long');

  it('train = s, test = s.getSideOutput(0): the fraction and the rest', async () => {
    const s = new SplitBatchOp().setFraction(0.5).linkFrom(numbered());
    const [train, test] = [await s.collect(mixflow), await s.getSideOutput(0).collect(mixflow)];
    expect(train).toHaveLength(5);
    expect(test).toHaveLength(5);
    expect([...train, ...test].map((r) => r[0]).sort((a, b) => Number(a) - Number(b))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await s.collectRest(mixflow)).toEqual(test);
    expect(s.getSideOutputCount()).toBe(1);
  });

  it('a side output is an edge from port 1 in the graph, and comes back as getSideOutput(0) in code', () => {
    const s = new SplitBatchOp().setFraction(0.5).setRandomSeed(3).linkFrom(numbered());
    const sampled = new SampleBatchOp().setRatio(0.5).linkFrom(s.getSideOutput(0));
    const graph = sampled.toGraph();
    expect(graph.nodes.map((n) => n.componentId)).toEqual(['read-dataset', 'split', 'sample']);
    expect(graph.edges.find((e) => e.target === 'sample-1')).toMatchObject({ source: 'split-1', sourcePort: 1, targetPort: 0 });
    expect(graphToSdkCode(graph)).toContain('.linkFrom(split1.getSideOutput(0))');
  });

  it('getSideOutput past the last output, and a fraction out of range, throw naming the operator', () => {
    const s = new SplitBatchOp();
    expect(() => s.getSideOutput(1)).toThrow(SdkError);
    expect(() => s.getSideOutput(1)).toThrow(/SplitBatchOp\.getSideOutput\(1\): the side outputs are 0 \(rest\)/);
    expect(() => new SampleBatchOp().getSideOutput(0)).toThrow(/has no side outputs/);
    expect(() => s.setFraction(1.5)).toThrow(/SplitBatchOp\.setFraction\(1\.5\).*allowed range \[0, 1\]/);
  });
});

describe('SampleBatchOp and SampleWithSizeBatchOp', () => {
  const numbered = () => new MemSourceBatchOp(Array.from({ length: 40 }, (_, i) => [i]), 'id long');

  it('inOp.link(SampleBatchOp().setRatio(0.3)) draws 12 of 40 rows, the same on every run with the same seed', async () => {
    const a = await new SampleBatchOp().setRatio(0.3).setWithReplacement(false).linkFrom(numbered()).collect(mixflow);
    const b = await new SampleBatchOp().setRatio(0.3).linkFrom(numbered()).collect(mixflow);
    const c = await new SampleBatchOp().setRatio(0.3).setRandomSeed(9).linkFrom(numbered()).collect(mixflow);
    expect(a).toHaveLength(12);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('SampleWithSizeBatchOp().setSize(5)', async () => {
    expect(await new SampleWithSizeBatchOp().setSize(5).linkFrom(numbered()).collect(mixflow)).toHaveLength(5);
  });
});

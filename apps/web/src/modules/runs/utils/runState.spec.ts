import type { Run } from '../../../types/contracts';
import { applyRunEvent, mergeRun, nodeToOpenAfterRun, runPercent, runProgress } from './runState';

const run = (): Run => ({ id: 'r1', experimentId: 'e', experimentVersion: 1, status: 'queued', engine: 'local', createdAt: '2026-01-01T00:00:00Z', nodes: {} });

describe('run state from server-sent events', () => {
  it('folds node, metric and run events into the run', () => {
    let r = run();
    r = applyRunEvent(r, { type: 'node', nodeId: 'train', status: 'running', progress: 0.4, message: 'iteration 4' });
    expect(r.status).toBe('running');
    expect(r.nodes.train).toMatchObject({ status: 'running', progress: 0.4, message: 'iteration 4' });
    r = applyRunEvent(r, { type: 'metric', nodeId: 'train', name: 'iterations', value: 7 });
    r = applyRunEvent(r, { type: 'node', nodeId: 'train', status: 'succeeded', progress: 0.9 });
    expect(r.nodes.train).toMatchObject({ status: 'succeeded', progress: 1, metrics: { iterations: 7 } });
    r = applyRunEvent(r, { type: 'run', status: 'succeeded' });
    expect(r.status).toBe('succeeded');
  });

  it('never moves a finished node back to running on a late event', () => {
    let r = applyRunEvent(run(), { type: 'node', nodeId: 'a', status: 'failed', progress: 0.2 });
    r = applyRunEvent(r, { type: 'node', nodeId: 'a', status: 'running', progress: 0.5 });
    expect(r.nodes.a.status).toBe('failed');
  });

  it('mergeRun keeps whichever side has moved further and the fetched outputs', () => {
    const live = applyRunEvent(run(), { type: 'node', nodeId: 'a', status: 'succeeded', progress: 1 });
    const fetched: Run = { ...run(), status: 'running', nodes: { a: { status: 'running', progress: 0.5, metrics: { x: 1 }, outputs: [{ port: 0, type: 'table', rowCount: 3 }] }, b: { status: 'queued', progress: 0, metrics: {}, outputs: [] } } };
    const m = mergeRun(live, fetched);
    expect(m.nodes.a).toMatchObject({ status: 'succeeded', metrics: { x: 1 }, outputs: [{ port: 0, rowCount: 3 }] });
    expect(m.nodes.b.status).toBe('queued');
  });
});

describe('runProgress', () => {
  it('averages the nodes, counting a succeeded node as done whatever its last progress event said', () => {
    const r: Run = { ...run(), nodes: {
      a: { status: 'succeeded', progress: 0.3, metrics: {}, outputs: [] },
      b: { status: 'running', progress: 0.5, metrics: {}, outputs: [] },
    } };
    expect(runProgress(r)).toBeCloseTo(0.75);
    expect(runProgress(run())).toBe(0);
  });

  it('reads in whole percents rounded down, so a node at 99 % beside a finished one is 99 %, not 100 %', () => {
    const nodes = (p: number): Run['nodes'] => ({
      read: { status: 'succeeded', progress: 1, metrics: {}, outputs: [] },
      train: { status: 'running', progress: p, metrics: {}, outputs: [] },
    });
    expect(runPercent({ nodes: nodes(0.99) })).toBe(99);
    expect(runPercent({ nodes: nodes(0.14) })).toBe(57);
    expect(runPercent({ nodes: nodes(1) })).toBe(100);
  });
});

describe('nodeToOpenAfterRun', () => {
  const node = (status: Run['nodes'][string]['status']) => ({ status, progress: 1, metrics: {}, outputs: [] });
  const edges = [{ source: 'read', target: 'train' }, { source: 'train', target: 'predict' }, { source: 'read', target: 'predict' }];
  it('opens the end of the graph when every node succeeded', () => {
    expect(nodeToOpenAfterRun({ nodes: { read: node('succeeded'), train: node('succeeded'), predict: node('succeeded') } }, edges)).toBe('predict');
  });
  it('opens the node that failed, whatever came after it', () => {
    expect(nodeToOpenAfterRun({ nodes: { read: node('succeeded'), train: node('failed'), predict: node('skipped') } }, edges)).toBe('train');
  });
  it('opens the last node that succeeded when the run stopped early', () => {
    expect(nodeToOpenAfterRun({ nodes: { read: node('succeeded'), train: node('succeeded'), predict: node('cancelled') } }, edges)).toBe('train');
  });
});

import { closeIdleThreads, InlineEngine, LocalEngine, workerThreads, type ExecutionEngine } from '@mixflow/executor';
import { fitGmm, GmmInputError, makeBlobs, type DataMatrix, type GmmFitOptions, type GmmModelJson } from '@mixflow/gmm';
import { decodeModel, isEncodedModel, type ModelPayload } from '@mixflow/component-sdk';
import { finishTrainedModel, fitEncodedOnEngine, fitOnEngine, predictOnEngine } from './engine-runs';
import { encodeGmm, gmmModelJson, gmmPortModel } from './payload';
import { recordMapParams } from './__fixtures__/harness';

/** The model without its wall-clock seconds, the one field that may differ between identical fits. */
function withoutTiming(model: GmmModelJson): string {
  return JSON.stringify(model.training ? { ...model, training: { ...model.training, seconds: 0 } } : model);
}

// each fit starts its worker threads: slow on a busy machine
jest.setTimeout(60_000);

const blobs = (rows: number, dims: number, k: number, seed = 11): DataMatrix => makeBlobs({ rows, dims, k, seed }).data;
const run = { numWorkers: 1, memoryPerWorkerMb: 256 };
const data = blobs(3000, 3, 3);
// several chunks per worker, so the chunk-order merge is exercised, and a fixed iteration count
const options: GmmFitOptions = { k: 3, covarianceType: 'full', maxIter: 8, epsilon: 0, chunkRows: 256, randomSeed: 5 };

async function withEngine<T>(engine: ExecutionEngine, work: (engine: ExecutionEngine) => Promise<T>): Promise<T> {
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

describe('GMM on the execution engines', () => {
  it('fits the same model, bit for bit, as fitGmm on the inline engine and on 1, 2 and 4 threads', async () => {
    const inline = await fitOnEngine(new InlineEngine(), data, options, run);
    expect(inline.model.training?.iterations).toBe(8);
    expect(withoutTiming(inline.model)).toBe(withoutTiming(fitGmm(data, options).toJSON()));
    await withEngine(new LocalEngine({ maxWorkers: 4 }), async (engine) => {
      for (const numWorkers of [1, 2, 4]) {
        const local = await fitOnEngine(engine, data, options, { ...run, numWorkers });
        expect(local.run).toMatchObject({ engine: 'local', workersUsed: numWorkers });
        expect(withoutTiming(local.model)).toBe(withoutTiming(inline.model));
      }
    });
  });

  it('a small fit without chunkRows is cut by its rows (fitChunkRows), so 2 threads share it and give the same bits as 1', async () => {
    // 1,797 rows were one 8,192-row chunk: the second thread idled
    const small = blobs(1797, 10, 8);
    const fit: GmmFitOptions = { k: 8, covarianceType: 'full', maxIter: 3, epsilon: 0, randomSeed: 5 };
    const expected = withoutTiming(fitGmm(small, fit).toJSON());
    await withEngine(new LocalEngine({ maxWorkers: 2 }), async (engine) => {
      for (const numWorkers of [1, 2]) {
        const local = await fitOnEngine(engine, small, fit, { ...run, numWorkers });
        // a thread per chunk run at most: one chunk would have used 1 of the 2
        expect(local.run.workersUsed).toBe(numWorkers);
        expect(withoutTiming(local.model)).toBe(expected);
      }
    });
  });

  it('fits the same model for every covariance type, and with noise, on 2 threads', async () => {
    await withEngine(new LocalEngine({ maxWorkers: 2 }), async (engine) => {
      for (const o of [
        { covarianceType: 'diag' as const },
        { covarianceType: 'spherical' as const },
        { covarianceType: 'tied' as const },
        { noise: 0.5 },
      ]) {
        const fit = { ...options, ...o, maxIter: 4 };
        const local = await fitOnEngine(engine, data, fit, { ...run, numWorkers: 2 });
        expect(withoutTiming(local.model)).toBe(withoutTiming(fitGmm(data, fit).toJSON()));
      }
    });
  });

  it('with sample weights: the same model, bit for bit, as fitGmm, on the inline engine and on 1 and 2 threads', async () => {
    // the weights travel with the rows (one more column) to every worker; the weighted E-step runs there
    const weighted: DataMatrix = { ...data, weights: Float64Array.from({ length: data.rows }, (_, i) => (i % 7) * 0.5) };
    for (const covarianceType of ['full', 'tied'] as const) {
      const fit = { ...options, covarianceType, maxIter: 5 };
      const expected = withoutTiming(fitGmm(weighted, fit).toJSON());
      expect(expected).not.toBe(withoutTiming(fitGmm(data, fit).toJSON()));
      const inline = await fitOnEngine(new InlineEngine(), weighted, fit, run);
      expect(withoutTiming(inline.model)).toBe(expected);
      expect(inline.model.training?.totalWeight).toBeCloseTo(1.5 * data.rows, -2);
      await withEngine(new LocalEngine({ maxWorkers: 2 }), async (engine) => {
        for (const numWorkers of [1, 2]) {
          const local = await fitOnEngine(engine, weighted, fit, { ...run, numWorkers });
          expect(local.run.workersUsed).toBe(numWorkers);
          expect(withoutTiming(local.model)).toBe(expected);
        }
      });
    }
  });

  it('reports progress once per iteration with the log-likelihood', async () => {
    const events: Array<{ iteration: number; maxIter: number; meanLogLikelihood: number }> = [];
    await withEngine(new LocalEngine({ maxWorkers: 2 }), (engine) =>
      fitOnEngine(engine, data, options, { ...run, numWorkers: 2, onProgress: (e) => events.push(e) }),
    );
    expect(events.map((e) => e.iteration)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(events.every((e) => e.maxIter === 8 && Number.isFinite(e.meanLogLikelihood))).toBe(true);
  });

  it('predicts the labels and probabilities of GaussianMixture on every engine', async () => {
    const model = fitGmm(data, options);
    const rows = blobs(20_000, 3, 3, 12); // more than two chunks of predictions
    const expected = model.predictWithProba(rows);
    const inline = await predictOnEngine(new InlineEngine(), model.toJSON(), rows, run);
    expect(Array.from(inline.labels)).toEqual(Array.from(expected.labels));
    expect(Array.from(inline.probabilities)).toEqual(Array.from(expected.probabilities));
    expect(Array.from(inline.logDensity)).toEqual(Array.from(model.scoreSamples(rows)));
    await withEngine(new LocalEngine({ maxWorkers: 2 }), async (engine) => {
      const local = await predictOnEngine(engine, model.toJSON(), rows, { ...run, numWorkers: 2 });
      expect(local.run.workersUsed).toBe(2);
      expect(Array.from(local.labels)).toEqual(Array.from(expected.labels));
      expect(Array.from(local.probabilities)).toEqual(Array.from(expected.probabilities));
      expect(Array.from(local.logDensity)).toEqual(Array.from(expected.logDensity));
    });
  });

  it('hands the local engine (whose sessions the calling thread serves) the model encoded on shared memory, never nested arrays', async () => {
    const model = fitGmm(data, options);
    const rows = blobs(5000, 3, 3, 12);
    const expected = model.predictWithProba(rows);
    await withEngine(new LocalEngine({ maxWorkers: 2 }), async (engine) => {
      const seen = recordMapParams(engine);
      for (const given of [model.toJSON(), encodeGmm(model.toJSON())]) {
        const local = await predictOnEngine(engine, given, rows, { ...run, numWorkers: 2 });
        expect(Array.from(local.labels)).toEqual(Array.from(expected.labels));
        expect(Array.from(local.probabilities)).toEqual(Array.from(expected.probabilities));
      }
      expect(seen).toHaveLength(2);
      for (const params of seen) expect(isEncodedModel(params as ModelPayload)).toBe(true);
    });
  });

  it('refuses an invalid model with a GmmInputError before any worker starts', async () => {
    const engine = new LocalEngine({ maxWorkers: 1 });
    await expect(predictOnEngine(engine, { type: 'mixflow.gmm' } as never, data, run)).rejects.toThrow(GmmInputError);
    expect(engine.liveThreads).toBe(0);
  });

  it('reports a cancelled fit as an AbortError and leaves no thread running', async () => {
    const controller = new AbortController();
    const engine = new LocalEngine({ maxWorkers: 2 });
    const fit = fitOnEngine(engine, blobs(40_000, 4, 4), { k: 4, maxIter: 500, epsilon: 0, chunkRows: 2048 }, {
      ...run,
      numWorkers: 2,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.iteration === 2) controller.abort();
      },
    });
    await expect(fit).rejects.toMatchObject({ name: 'AbortError' });
    expect(engine.liveThreads).toBe(0);
    await engine.close();
  });

  it('runs a second fit on the threads of the first (none started), to the same bits; a cancelled fit keeps none', async () => {
    const idleThreads = workerThreads({ idleMs: 30_000, maxIdle: 4 });
    try {
      await withEngine(new LocalEngine({ maxWorkers: 2, idleThreads }), async (engine) => {
        const first = await fitOnEngine(engine, data, options, { ...run, numWorkers: 2 });
        expect(idleThreads.started).toBe(2);
        const second = await fitOnEngine(engine, data, options, { ...run, numWorkers: 2 });
        expect(idleThreads.started).toBe(2);
        expect(withoutTiming(second.model)).toBe(withoutTiming(first.model));
        const controller = new AbortController();
        const cancelled = fitOnEngine(engine, data, { ...options, maxIter: 500 }, {
          ...run,
          numWorkers: 2,
          signal: controller.signal,
          onProgress: (e) => {
            if (e.iteration === 2) controller.abort();
          },
        });
        await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
        expect(idleThreads.idle).toBe(0);
      });
    } finally {
      await closeIdleThreads();
    }
  });
});

/** An inline engine that serves a driver thread's sessions from the caller (no threadOptions) and counts their rows. */
class SessionCount implements ExecutionEngine {
  readonly kind = 'inline';
  readonly opened: number[] = [];
  private readonly inner = new InlineEngine();

  open(...args: Parameters<ExecutionEngine['open']>): ReturnType<ExecutionEngine['open']> {
    this.opened.push(args[0].rows);
    return this.inner.open(...args);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('predictOnEngine with onRows', () => {
  it('predicts in batches, in one driver job, what one session predicts, reporting the rows done after each batch', async () => {
    const model = (await fitOnEngine(new InlineEngine(), data, options, run)).model;
    const whole = await predictOnEngine(new InlineEngine(), model, data, run);
    const sessions = new SessionCount();
    const seen: Array<[number, number]> = [];
    const batched = await predictOnEngine(sessions, model, data, run, (done, total) => seen.push([done, total]), 1000);
    expect(seen).toEqual([[1000, 3000], [2000, 3000], [3000, 3000]]);
    // the driver thread opens a session per batch, on the caller's engine
    expect(sessions.opened).toEqual([1000, 1000, 1000]);
    expect(Array.from(batched.labels)).toEqual(Array.from(whole.labels));
    expect(Array.from(batched.probabilities)).toEqual(Array.from(whole.probabilities));
    expect(Array.from(batched.logDensity)).toEqual(Array.from(whole.logDensity));
    const small: Array<[number, number]> = [];
    await predictOnEngine(new InlineEngine(), model, data, run, (done, total) => small.push([done, total]));
    expect(small).toEqual([[3000, 3000]]);
    const none: Array<[number, number]> = [];
    const empty = await predictOnEngine(new InlineEngine(), model, { data: new Float64Array(0), rows: 0, cols: data.cols }, run, (done, total) => none.push([done, total]));
    expect([empty.labels.length, none]).toEqual([0, [[0, 0]]]);
  });
});

describe('fitEncodedOnEngine', () => {
  it('finishes and encodes the model on the driver thread: shared JSON bytes, summary, port schema and a head without parameters', async () => {
    const finish = { choice: { featureCols: ['a', 'b', 'c'] }, imputeMeans: [1, 2, 3], training: { dataMode: 'memory' as const } };
    const plain = await fitOnEngine(new InlineEngine(), data, options, run);
    const encoded = await fitEncodedOnEngine(new InlineEngine(), data, options, run, finish);
    expect(isEncodedModel(encoded.model)).toBe(true);
    expect(Object.prototype.toString.call(encoded.model.encoded.json.buffer)).toBe('[object SharedArrayBuffer]');
    expect(encoded.model.encoded.summary).toEqual({ text: 'k=3, 3-D', fields: { k: 3, dims: 3, covarianceType: 'full' } });
    expect(encoded.model.encoded.portSchema).toEqual({ type: 'model', modelType: 'gmm', dims: 3, k: 3, featureCols: ['a', 'b', 'c'] });
    // the same model, bits and all, as the plain fit finished on this thread
    const decoded = gmmModelJson(decodeModel(encoded.model));
    expect(withoutTiming(decoded)).toBe(withoutTiming(finishTrainedModel(plain.model, finish)));
    expect(decoded.training?.dataMode).toBe('memory');
    // the head carries the figures and provenance, not the parameters
    expect(encoded.head).toMatchObject({ k: 3, dims: 3, covarianceType: 'full', featureNames: ['a', 'b', 'c'], imputeMeans: [1, 2, 3] });
    expect(encoded.head).not.toHaveProperty('means');
    expect(encoded.head).not.toHaveProperty('covariances');
    // a component predicting with it on a port gets the head to read and the encoded model for the driver
    const onPort = gmmPortModel(encoded.model);
    expect(onPort.model).toBe(encoded.model);
    const viaPort = await predictOnEngine(new InlineEngine(), onPort.model, data, run, () => undefined);
    const direct = await predictOnEngine(new InlineEngine(), plain.model, data, run);
    expect(Array.from(viaPort.labels)).toEqual(Array.from(direct.labels));
    // a warm start from the encoded model: parsed on the driver thread
    const warm = await fitEncodedOnEngine(new InlineEngine(), data, { ...options, init: undefined, maxIter: 2 }, run, finish, encoded.model);
    const warmPlain = await fitOnEngine(new InlineEngine(), data, { ...options, init: undefined, maxIter: 2, initialModel: decoded }, run);
    expect(withoutTiming(gmmModelJson(warm.model))).toBe(withoutTiming(finishTrainedModel(warmPlain.model, finish)));
  });
});

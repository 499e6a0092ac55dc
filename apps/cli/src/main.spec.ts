import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inFlags, resolveParams, type Params } from '@mixflow/component-sdk';
import { components } from './components';
import { run } from './main';
import { PAI_CSV, testIo, type TestIo } from './__fixtures__/test-io';

async function mixflow(args: string[], io: TestIo = testIo()): Promise<{ code: number; out: string; err: string; io: TestIo }> {
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err(), io };
}

function sameCwd(io: TestIo): TestIo {
  const next = testIo();
  next.cwd = io.cwd;
  return next;
}

function readCsvLines(io: TestIo, file: string): string[][] {
  return fs
    .readFileSync(path.join(io.cwd, file), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
}

const TRAIN = ['gmm-train', '--input', PAI_CSV, '--vector-col', 'features'];

describe('mixflow gmm-train', () => {
  it('--json prints the summary and --output writes a model that loads', async () => {
    const { code, out, err, io } = await mixflow([...TRAIN, '--output', 'model.json', '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(out);
    expect(summary).toMatchObject({ k: 2, dims: 2, rows: 15, covarianceType: 'full', converged: true, engine: 'inline' });
    for (const key of ['iterations', 'meanLogLikelihood', 'bic', 'aic', 'seconds']) expect(Number.isFinite(summary[key])).toBe(true);
    expect(summary.iterations).toBeGreaterThanOrEqual(1);
    expect(summary.weights.map((w: number) => Math.round(w * 15))).toEqual(expect.arrayContaining([7, 8]));
    // BIC = AIC - 2p + p ln n with p = 2·3 + 2·2 + 1 = 11 (scikit-learn's definitions)
    expect(summary.bic - summary.aic).toBeCloseTo(11 * Math.log(15) - 22, 9);
    const model = JSON.parse(fs.readFileSync(path.join(io.cwd, 'model.json'), 'utf8'));
    expect(model).toMatchObject({ type: 'mixflow.gmm', k: 2, dims: 2, vectorCol: 'features' });
  });

  it('without --json prints a readable summary', async () => {
    const { code, out } = await mixflow(TRAIN);
    expect(code).toBe(0);
    expect(out).toMatch(/trained a 2-component full GMM on 15 rows × 2 dims/);
  });

  it('the component parameters change what runs', async () => {
    const base = JSON.parse((await mixflow([...TRAIN, '--json'])).out);
    const k3 = JSON.parse((await mixflow([...TRAIN, '--k', '3', '--covariance-type', 'diag', '--json'])).out);
    expect(k3.k).toBe(3);
    expect(k3.covarianceType).toBe('diag');
    const oneIter = JSON.parse((await mixflow([...TRAIN, '--init', 'random', '--max-iter', '1', '--epsilon', '0', '--json'])).out);
    expect(oneIter.iterations).toBe(1);
    expect(oneIter.converged).toBe(false);
    const tight = JSON.parse((await mixflow([...TRAIN, '--init', 'random', '--epsilon', '0', '--max-iter', '7', '--convergence', 'logLikelihood', '--json'])).out);
    expect(tight.iterations).toBe(7);
    const seeded = [1, 2].map(async (seed) => JSON.parse((await mixflow([...TRAIN, '--init', 'random_from_data', '--random-seed', String(seed), '--max-iter', '1', '--json'])).out));
    const [a, b] = await Promise.all(seeded);
    expect(a.meanLogLikelihood).not.toBe(b.meanLogLikelihood);
    expect(base.meanLogLikelihood).toBeGreaterThan(oneIter.meanLogLikelihood - 1e-9);
  });

  it('--force-positive (off by default; mlpack --no-force-positive still accepted) says on stderr and in the summary what it changed', async () => {
    const io = testIo();
    // y nearly constant: mlpack's eigenvalue floor lifts its variance
    const rows = Array.from({ length: 40 }, (_, i) => `${(i % 2) * 6 + Math.sin(i)},${1 + i * 1e-9}`);
    fs.writeFileSync(path.join(io.cwd, 'flat.csv'), 'x,y\n' + rows.join('\n') + '\n');
    const args = ['gmm-train', '--input', 'flat.csv', '--feature-cols', 'x,y', '--reg-covar', '0', '--json'];
    const byDefault = await mixflow(args, io);
    expect(byDefault.code).toBe(0);
    // nothing about forcePositive; y's variance is singular by mclust's rule, which gmm-train reports
    expect(byDefault.err).toMatch(/^gmm-train: the fit is degenerate, its likelihood and BIC are spurious: component \d: the covariance before regCovar is singular[^\n]*\n$/);
    expect(JSON.parse(byDefault.out)).toMatchObject({ forcePositive: false });
    expect(JSON.parse(byDefault.out).positiveConstraint).toBeUndefined();
    const off = await mixflow([...args, '--no-force-positive'], sameCwd(io));
    expect(JSON.parse(off.out).meanLogLikelihood).toBe(JSON.parse(byDefault.out).meanLogLikelihood);
    const on = await mixflow([...args, '--force-positive'], sameCwd(io));
    expect(on.code).toBe(0);
    const summary = JSON.parse(on.out);
    expect(summary.forcePositive).toBe(true);
    expect(summary.positiveConstraint.steps).toBeGreaterThan(0);
    expect(summary.meanLogLikelihood).not.toBe(JSON.parse(byDefault.out).meanLogLikelihood);
    expect(on.err).toMatch(/^gmm-train: forcePositive raised covariance eigenvalues to λmax\/1e5 in \d+ of \d+ steps .* for component \d/m);
  });

  it('--weight-col: weighted EM (integer weights as repeated rows); a negative weight exits 2 naming row and column', async () => {
    const io = testIo();
    const rows: [string, number][] = [['3.6,79', 2], ['1.8,54', 1], ['3.333,74', 3], ['2.283,62', 1], ['4.533,85', 1], ['2.883,55', 2], ['4.7,88', 1], ['3.6,85', 1], ['1.95,51', 2], ['4.35,85', 1]];
    fs.writeFileSync(path.join(io.cwd, 'weighted.csv'), 'eruptions,waiting,w\n' + rows.map(([r, w]) => `${r},${w}`).join('\n') + '\n');
    fs.writeFileSync(path.join(io.cwd, 'copies.csv'), 'eruptions,waiting\n' + rows.flatMap(([r, w]) => Array<string>(w).fill(r)).join('\n') + '\n');
    const start = ['--means-init', '[[2,55],[4,82]]', '--weights-init', '[0.5,0.5]', '--precisions-init', '[[[4,0],[0,0.02]],[[4,0],[0,0.02]]]'];
    const args = ['gmm-train', '--feature-cols', 'eruptions,waiting', '--json', '--epsilon', '1e-10', ...start];
    const weighted = await mixflow([...args, '--input', 'weighted.csv', '--weight-col', 'w'], io);
    expect(weighted.code).toBe(0);
    const copies = await mixflow([...args, '--input', 'copies.csv'], sameCwd(io));
    const w = JSON.parse(weighted.out);
    const c = JSON.parse(copies.out);
    expect(w).toMatchObject({ rows: 10, weightCol: 'w', totalWeight: 15 });
    expect(w.meanLogLikelihood).toBeCloseTo(c.meanLogLikelihood, 9);
    w.weights.forEach((x: number, i: number) => expect(x).toBeCloseTo(c.weights[i], 9));
    fs.writeFileSync(path.join(io.cwd, 'negative.csv'), 'eruptions,waiting,w\n3.6,79,1\n1.8,54,1\n3.333,74,-2\n');
    const refused = await mixflow(['gmm-train', '--input', 'negative.csv', '--feature-cols', 'eruptions,waiting', '--weight-col', 'w'], sameCwd(io));
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^mixflow gmm-train: --weight-col: row 3, column "w": the weight is negative \(-2\)/);
  });

  it('--missing-values: error (default) names row and column; drop trains on the complete rows; mean stores the means gmm-predict fills in', async () => {
    const io = testIo();
    const rows = ['3.6,79', '1.8,54', '3.333,74', '2.283,62', '4.533,85', '2.883,', '4.7,88', '3.6,85', '1.95,51', 'NA,85'];
    fs.writeFileSync(path.join(io.cwd, 'faithful.csv'), 'eruptions,waiting\n' + rows.join('\n') + '\n');
    const args = ['gmm-train', '--input', 'faithful.csv', '--feature-cols', 'eruptions,waiting', '--json'];
    const refused = await mixflow(args, io);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^mixflow gmm-train: row 6, column "waiting" is empty: a missing value; set --missing-values to drop or mean/);
    const dropped = await mixflow([...args, '--missing-values', 'drop'], sameCwd(io));
    expect(dropped.code).toBe(0);
    expect(JSON.parse(dropped.out).rows).toBe(8);
    expect(dropped.err).toMatch(/missingValues drop: left out 2 of 10 rows/);
    const imputed = await mixflow([...args, '--missing-values', 'mean', '--output', 'm.json'], sameCwd(io));
    expect(JSON.parse(imputed.out).rows).toBe(10);
    expect(JSON.parse(fs.readFileSync(path.join(io.cwd, 'm.json'), 'utf8')).imputeMeans).toHaveLength(2);
    const predicted = await mixflow(['gmm-predict', '--model', 'm.json', '--input', 'faithful.csv', '--prediction-col', 'c', '--missing-values', 'mean'], sameCwd(io));
    expect(predicted.code).toBe(0);
    const lines = predicted.out.trim().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines.slice(1).every((l) => /^[^,]*,[^,]*,\d+$/.test(l))).toBe(true);
    const droppedPrediction = await mixflow(['gmm-predict', '--model', 'm.json', '--input', 'faithful.csv', '--prediction-col', 'c', '--missing-values', 'drop'], sameCwd(io));
    expect(droppedPrediction.out.trim().split('\n')[6]).toBe('2.883,,');
    const bad = await mixflow([...args, '--missing-values', 'zero'], sameCwd(io));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--missing-values.*zero/);
  });

  it('takes numeric --feature-cols instead of a vector column', async () => {
    const io = testIo();
    fs.writeFileSync(path.join(io.cwd, 'xy.csv'), 'x,y\n' + fs.readFileSync(PAI_CSV, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[1].replace(' ', ',')).join('\n') + '\n');
    const { code, out, err } = await mixflow(['gmm-train', '--input', 'xy.csv', '--feature-cols', 'x,y', '--output', 'm.json', '--json'], io);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out).dims).toBe(2);
    expect(JSON.parse(fs.readFileSync(path.join(io.cwd, 'm.json'), 'utf8')).featureNames).toEqual(['x', 'y']);
  });

  it('--input-model re-trains from a saved model, taking its k', async () => {
    const first = await mixflow([...TRAIN, '--k', '3', '--output', 'first.json']);
    expect(first.code).toBe(0);
    const { code, out } = await mixflow([...TRAIN, '--input-model', 'first.json', '--output', 'second.json', '--json'], sameCwd(first.io));
    expect(code).toBe(0);
    expect(JSON.parse(out).k).toBe(3);
    // lineage: the new model names the file it started from, by name and SHA-256; a fresh model names none
    const bytes = fs.readFileSync(path.join(first.io.cwd, 'first.json'));
    const parent = { file: 'first.json', sha256: createHash('sha256').update(bytes).digest('hex') };
    expect(JSON.parse(out).parent).toEqual(parent);
    const second = JSON.parse(fs.readFileSync(path.join(first.io.cwd, 'second.json'), 'utf8'));
    expect(second.parent).toEqual(parent);
    expect(JSON.parse(bytes.toString('utf8')).parent).toBeUndefined();
    // the file with its parent loads again (and warm-starts a grandchild, which names second.json)
    const third = await mixflow([...TRAIN, '--input-model', 'second.json', '--json'], sameCwd(first.io));
    expect(JSON.parse(third.out).parent.file).toBe('second.json');
  });

  it('--verbose shows the progress and the run’s log lines on stderr even when it is not a terminal', async () => {
    const io = testIo({}, { progressDelayMs: 0 });
    const { code, err } = await mixflow(['--verbose', ...TRAIN, '--init', 'random', '--epsilon', '0', '--max-iter', '5', '--json'], io);
    expect(code).toBe(0);
    expect(err).toMatch(/gmm-train \[.*\] iteration \d+\/5 \| trial 1 \| mean log-likelihood -?\d+\.\d+/);
    expect(err).toMatch(/gmm-train reading .* \[.*\] 100% \| 0\.0\/0\.0 MB/);
    expect(err).toMatch(/gmm-train: iteration 2: mean log-likelihood -?[\d.]+ \(change [+−]/);
  });

  it('writes nothing extra on stderr when it is not a terminal, and nothing but warnings with --quiet on one', async () => {
    const plain = await mixflow([...TRAIN, '--max-iter', '5', '--json'], testIo({}, { progressDelayMs: 0 }));
    expect([plain.code, plain.err]).toEqual([0, '']);
    const terminal = () => {
      const io = testIo({}, { progressDelayMs: 0 });
      Object.assign(io.stderr, { isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
      return io;
    };
    const drawn = await mixflow([...TRAIN, '--max-iter', '5', '--json'], terminal());
    expect(drawn.err).toMatch(/gmm-train \[.*\] iteration \d+\/5/);
    const quiet = await mixflow(['--quiet', ...TRAIN, '--max-iter', '5', '--json'], terminal());
    expect([quiet.code, quiet.err]).toEqual([0, '']);
  });

  it('runs on the local engine with 2 workers and gives the same model as in-process', async () => {
    const inline = await mixflow([...TRAIN, '--output', 'a.json']);
    const local = await mixflow([...TRAIN, '--output', 'b.json', '--engine', 'local', '--workers', '2', '--memory-mb', '1024', '--json'], sameCwd(inline.io));
    expect(local.err).toBe('');
    expect(local.code).toBe(0);
    expect(JSON.parse(local.out).engine).toBe('local');
    const strip = (file: string) => {
      const m = JSON.parse(fs.readFileSync(path.join(inline.io.cwd, file), 'utf8'));
      delete m.training.seconds;
      return m;
    };
    expect(strip('b.json')).toEqual(strip('a.json'));
  }, 30_000);
});

describe('mixflow gmm-train: bad arguments and bad input exit 2 with one line naming the problem', () => {
  const cases: [string, string[], RegExp][] = [
    ['k below its range', ['--k', '0'], /--k must be at least 1, got 0/],
    ['k not a number', ['--k', 'two'], /--k expects an integer, got 'two'/],
    ['workers above the PAI range', ['--workers', '10000'], /--workers must be at most 9999/],
    ['memory below the PAI range', ['--memory-mb', '512'], /--memory-mb must be at least 1024/],
    ['unknown covariance type', ['--covariance-type', 'round'], /^mixflow gmm-train: --covariance-type must be one of full, diag, spherical, tied, got "round"$/m],
    ['unknown column', ['--vector-col', 'nope'], /--vector-col: .*"nope" is not in the input table \(columns: id, features\)/],
    ['k above the distinct rows', ['--k', '20'], /--k \(20\) is larger than the number of (distinct )?rows \(15\)/],
    ['a refined-start option without the refined start', ['--samplings', '3'], /--samplings applies only with --init refined/],
    ['an unknown option', ['--gaussians', '3'], /unknown option '--gaussians'/],
  ];
  it.each(cases)('%s', async (_name, extra, message) => {
    const { code, err, out } = await mixflow([...TRAIN, ...extra]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.trim().split('\n')[0]).toMatch(message);
  });

  it('a missing input file', async () => {
    const { code, err } = await mixflow(['gmm-train', '--input', 'missing.csv', '--vector-col', 'features']);
    expect(code).toBe(2);
    expect(err).toBe('mixflow gmm-train: --input missing.csv: no such file.\n');
  });

  it('a bad vector names the row and column', async () => {
    const io = testIo();
    fs.writeFileSync(path.join(io.cwd, 'bad.csv'), 'features\n1 2\n3 4\n5 x\n6 7\n');
    const { code, err } = await mixflow(['gmm-train', '--input', 'bad.csv', '--vector-col', 'features'], io);
    expect(code).toBe(2);
    expect(err).toMatch(/row 3/);
    expect(err).toMatch(/features/);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('rows of different dimension name the row', async () => {
    const io = testIo();
    fs.writeFileSync(path.join(io.cwd, 'ragged.csv'), 'features\n1 2\n3 4\n5 6 7\n');
    const { code, err } = await mixflow(['gmm-train', '--input', 'ragged.csv', '--vector-col', 'features'], io);
    expect(code).toBe(2);
    expect(err).toMatch(/row 3/);
  });

  it('neither a vector column nor feature columns', async () => {
    const { code, err } = await mixflow(['gmm-train', '--input', PAI_CSV]);
    expect(code).toBe(2);
    expect(err).toMatch(/--vector-col <column>.*--feature-cols/);
  });

  it("--input-model takes the model's feature columns, refuses --init and --trials, and its errors name --input-model", async () => {
    const first = await mixflow([...TRAIN, '--k', '3', '--output', 'first.json']);
    const io = sameCwd(first.io);
    const resumed = await mixflow(['gmm-train', '--input', PAI_CSV, '--input-model', 'first.json', '--max-iter', '2', '--json'], io);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.out)).toMatchObject({ k: 3, dims: 2 });
    const trials = await mixflow([...TRAIN, '--input-model', 'first.json', '--trials', '2'], sameCwd(io));
    expect(trials.code).toBe(2);
    expect(trials.err).toMatch(/--trials does not apply with --input-model/);
    const init = await mixflow([...TRAIN, '--input-model', 'first.json', '--init', 'random'], sameCwd(io));
    expect(init.code).toBe(2);
    expect(init.err).toMatch(/--init does not apply with --input-model/);
    const wrongK = await mixflow([...TRAIN, '--input-model', 'first.json', '--k', '2'], sameCwd(io));
    expect(wrongK.code).toBe(2);
    expect(wrongK.err).toMatch(/--input-model: the model has k = 3 but k = 2 was asked for/);
  });

  it("mlpack's --max-iterations (0 = until convergence) and --tolerance (total log-likelihood) mean what they mean in mlpack", async () => {
    const mlpack = JSON.parse((await mixflow([...TRAIN, '--init', 'random', '--max-iterations', '0', '--tolerance', '1e-9', '--json'])).out);
    const spelledOut = JSON.parse((await mixflow([...TRAIN, '--init', 'random', '--max-iter', '1000000', '--convergence', 'totalLogLikelihood', '--epsilon', '1e-9', '--json'])).out);
    expect(mlpack.converged).toBe(true);
    expect(mlpack.iterations).toBe(spelledOut.iterations);
    expect(mlpack.meanLogLikelihood).toBe(spelledOut.meanLogLikelihood);
    // on the total, not the mean: the same threshold stops earlier on the mean per-row log-likelihood
    const mean = JSON.parse((await mixflow([...TRAIN, '--init', 'random', '--max-iter', '1000000', '--convergence', 'logLikelihood', '--epsilon', '1e-9', '--json'])).out);
    expect(mean.iterations).toBeLessThanOrEqual(mlpack.iterations);
    const capped = JSON.parse((await mixflow([...TRAIN, '--init', 'random', '--max-iterations', '2', '--tolerance', '0', '--json'])).out);
    expect(capped.iterations).toBe(2);
    const both = await mixflow([...TRAIN, '--max-iter', '5', '--max-iterations', '5']);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--max-iter \(PAI\) or --max-iterations \(mlpack\), not both/);
    const clash = await mixflow([...TRAIN, '--tolerance', '1e-3', '--epsilon', '1e-3']);
    expect(clash.code).toBe(2);
    const help = await mixflow(['gmm-train', '--help']);
    const text = help.out.replace(/\s+/g, ' ');
    expect(text).toMatch(/--max-iterations <n> mlpack's max_iterations: EM iterations per trial, 0 = until convergence/);
    expect(text).toMatch(/--tolerance <x> mlpack's tolerance: stop when the total log-likelihood changes/);
  });

  it('a malformed --input-model names the field', async () => {
    const io = testIo();
    fs.writeFileSync(path.join(io.cwd, 'bad.json'), JSON.stringify({ type: 'mixflow.gmm', version: 1, covarianceType: 'full', dims: 2, k: 2, weights: [0.5, 0.5], means: [[0, 0], [1]], covariances: [] }));
    const { code, err } = await mixflow([...TRAIN, '--input-model', 'bad.json'], io);
    expect(code).toBe(2);
    expect(err).toMatch(/--input-model bad\.json: .*means\[1\]/);
  });

  it('--engine redis without REDIS_URL', async () => {
    const { code, err } = await mixflow([...TRAIN, '--engine', 'redis']);
    expect(code).toBe(2);
    expect(err).toMatch(/--engine redis needs REDIS_URL/);
  });
});

describe('mixflow gmm-predict / gmm-probability / gmm-generate', () => {
  let trained: TestIo;
  beforeAll(async () => {
    const r = await mixflow([...TRAIN, '--output', 'model.json']);
    expect(r.code).toBe(0);
    trained = r.io;
  });

  it('gmm-predict writes the cluster index and every cluster probability, Alink style', async () => {
    const io = sameCwd(trained);
    const { code } = await mixflow(['gmm-predict', '--model', 'model.json', '--input', PAI_CSV, '--prediction-col', 'cluster_id', '--prediction-detail-col', 'probs', '--output', 'out.csv'], io);
    expect(code).toBe(0);
    const [header, ...rows] = readCsvLines(io, 'out.csv');
    expect(header).toEqual(['id', 'features', 'cluster_id', 'probs']);
    expect(rows).toHaveLength(15);
    const clusters = rows.map((r) => Number(r[2]));
    expect(new Set(clusters.slice(0, 7)).size).toBe(1);
    expect(new Set(clusters.slice(7)).size).toBe(1);
    expect(clusters[0]).not.toBe(clusters[7]);
    for (const r of rows) {
      const p = r[3].split(' ').map(Number);
      expect(p).toHaveLength(2);
      expect(p[0] + p[1]).toBeCloseTo(1, 12);
      expect(p.indexOf(Math.max(...p))).toBe(Number(r[2]));
    }
  });

  it('gmm-predict keeps only --reserved-cols and writes CSV to stdout without --output', async () => {
    const { code, out } = await mixflow(['gmm-predict', '--model', 'model.json', '--input', PAI_CSV, '--prediction-col', 'c', '--reserved-cols', 'id'], sameCwd(trained));
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('id,c');
    expect(lines).toHaveLength(16);
  });

  it('gmm-predict names parameters by their flags, never by the console’s labels or tabs', async () => {
    const clash = await mixflow(['gmm-predict', '--model', 'model.json', '--input', PAI_CSV, '--prediction-col', 'features'], sameCwd(trained));
    expect(clash.code).toBe(2);
    expect(clash.err).toMatch(/^mixflow gmm-predict: --prediction-col: output column "features" already exists .* leave "features" out of --reserved-cols\n$/);
    const both = await mixflow(['gmm-predict', '--model', 'model.json', '--input', PAI_CSV, '--vector-col', 'features', '--feature-cols', 'id'], sameCwd(trained));
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--vector-col: set --vector-col or --feature-cols, not both/);
    const tooMany = await mixflow([...TRAIN, '--k', '50']);
    expect(tooMany.err).toMatch(/--k \(50\) is larger than the number of rows \(15\)/);
    for (const err of [clash.err, both.err, tooMany.err]) {
      expect(err).not.toMatch(/Vector column|Feature columns|Reserved columns|Prediction column|Number of clusters|Setting tab|reservedCols|vectorCol/);
    }
  });

  it('gmm-predict on data of another dimension says so', async () => {
    const io = sameCwd(trained);
    fs.writeFileSync(path.join(io.cwd, 'three.csv'), 'features\n1 2 3\n4 5 6\n');
    const { code, err } = await mixflow(['gmm-predict', '--model', 'model.json', '--input', 'three.csv', '--prediction-col', 'c'], io);
    expect(code).toBe(2);
    expect(err).toMatch(/dimension|dims/);
  });

  it('gmm-probability writes densities that match the log densities', async () => {
    const density = await mixflow(['gmm-probability', '--model', 'model.json', '--input', PAI_CSV], sameCwd(trained));
    const log = await mixflow(['gmm-probability', '--model', 'model.json', '--input', PAI_CSV, '--log', '--probability-col', 'logp', '--reserved-cols', 'id'], sameCwd(trained));
    expect(density.code).toBe(0);
    expect(log.code).toBe(0);
    const d = density.out.trim().split('\n').slice(1).map((l) => Number(l.split(',')[2]));
    const [header, ...rest] = log.out.trim().split('\n');
    expect(header).toBe('id,logp');
    const l = rest.map((line) => Number(line.split(',')[1]));
    expect(d).toHaveLength(15);
    d.forEach((p, i) => {
      expect(p).toBeGreaterThan(0);
      expect(Math.log(p)).toBeCloseTo(l[i], 10);
    });
  });

  it('gmm-generate draws --samples rows, the same for the same seed, from the model', async () => {
    const a = await mixflow(['gmm-generate', '--model', 'model.json', '--samples', '400', '--random-seed', '7', '--label-col', 'component'], sameCwd(trained));
    const b = await mixflow(['gmm-generate', '--model', 'model.json', '--samples', '400', '--random-seed', '7', '--label-col', 'component'], sameCwd(trained));
    const c = await mixflow(['gmm-generate', '--model', 'model.json', '--samples', '400', '--random-seed', '8', '--label-col', 'component'], sameCwd(trained));
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    expect(a.out).not.toBe(c.out);
    const [header, ...rows] = a.out.trim().split('\n');
    expect(header).toBe('features,component');
    expect(rows).toHaveLength(400);
    // samples of the component near (10, 10) lie near (10, 10)
    const model = JSON.parse(fs.readFileSync(path.join(trained.cwd, 'model.json'), 'utf8'));
    const far = model.means[0][0] > 5 ? 0 : 1;
    const xs = rows.filter((r) => Number(r.split(',')[1]) === far).map((r) => Number(r.split(',')[0].split(' ')[0]));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(9);
    expect(mean).toBeLessThan(11.5);
  });

  it('gmm-generate refuses --samples 0', async () => {
    const { code, err } = await mixflow(['gmm-generate', '--model', 'model.json', '--samples', '0'], sameCwd(trained));
    expect(code).toBe(2);
    expect(err).toMatch(/--samples must be at least 1/);
  });
});

describe('mixflow estimate', () => {
  it('--json gives the PAI formula value and the recommendations', async () => {
    const { code, out } = await mixflow(['estimate', '--dims', '100', '--k', '8', '--data-gb', '2.2', '--json']);
    expect(code).toBe(0);
    const e = JSON.parse(out);
    expect(e.formulaMemoryMb).toBeCloseTo((100 * 100 * 8 * 8 * 2 * 12) / 1024 / 1024, 12);
    expect(e.recommendedMemoryMb).toBe(1024);
    expect(e.recommendedWorkers).toBe(11);
    expect(e.warnings).toEqual([]);
  });

  it('warns about dimensions at the documented limit and a planned memory below the estimate', async () => {
    const { code, out } = await mixflow(['estimate', '--dims', '400', '--k', '100', '--memory-mb', '1024', '--json']);
    expect(code).toBe(0);
    const e = JSON.parse(out);
    expect(e.formulaMemoryMb).toBeCloseTo((400 * 400 * 100 * 8 * 2 * 12) / 1024 / 1024, 9);
    expect(e.warnings.map((w: { code: string }) => w.code).sort()).toEqual(['dims-limit', 'memory-below-estimate']);
  });

  it('prints text with the formula filled in', async () => {
    const { code, out } = await mixflow(['estimate', '--dims', '10', '--k', '8', '--rows', '1000000']);
    expect(code).toBe(0);
    expect(out).toContain('formula: 10 × 10 × 8 × 8 × 2 × 12 / 1024 / 1024');
    expect(out).toMatch(/recommended memory per worker: 1024 MB/);
    expect(out).toMatch(/data-aware memory per worker/);
  });

  it('refuses a missing or bad --dims', async () => {
    expect((await mixflow(['estimate', '--k', '2'])).err).toMatch(/required option '--dims <M>'/);
    const bad = await mixflow(['estimate', '--dims', '0', '--k', '2']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--dims must be at least 1/);
  });
});

describe('mixflow worker and help', () => {
  it('worker without REDIS_URL exits 2 and says what to set', async () => {
    const { code, err } = await mixflow(['worker']);
    expect(code).toBe(2);
    expect(err).toMatch(/set REDIS_URL/);
  });

  it('--help lists every command and exits 0', async () => {
    const { code, out } = await mixflow(['--help']);
    expect(code).toBe(0);
    for (const c of ['gmm-train', 'gmm-select', 'gmm-predict', 'gmm-probability', 'gmm-generate', 'estimate', 'worker']) expect(out).toContain(c);
  });

  it('an unknown command exits 2', async () => {
    const { code, err } = await mixflow(['gmm-fit']);
    expect(code).toBe(2);
    expect(err).toMatch(/unknown command 'gmm-fit'/);
  });
});

describe('mixflow gmm-select', () => {
  const FAITHFUL = path.join(__dirname, '..', '..', '..', 'plugins', 'data', 'samples', 'old_faithful.csv');
  const SELECT = ['gmm-select', '--input', FAITHFUL, '--feature-cols', 'eruptions,waiting', '--k-max', '3', '--covariance-types', 'tied,diag'];

  it('--json prints { best, candidates } and --output writes the best model, which gmm-predict uses', async () => {
    const { code, out, err, io } = await mixflow([...SELECT, '--output', 'best.json', '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(out);
    expect(summary.candidates.map((c: { covarianceType: string; k: number }) => `${c.covarianceType}${c.k}`)).toEqual(['diag1', 'diag2', 'diag3', 'tied1', 'tied2', 'tied3']);
    const eligible = summary.candidates.filter((c: { degenerate?: string; error?: string }) => !c.degenerate && !c.error);
    const lowest = Math.min(...eligible.map((c: { bic: number }) => c.bic));
    expect(summary.best.bic).toBe(lowest);
    expect(Object.keys(summary.best).sort()).toEqual(['aic', 'bic', 'covarianceType', 'k', 'meanLogLikelihood']);
    const model = JSON.parse(fs.readFileSync(path.join(io.cwd, 'best.json'), 'utf8'));
    expect(model).toMatchObject({ k: summary.best.k, covarianceType: summary.best.covarianceType, featureNames: ['eruptions', 'waiting'] });
    const predicted = await mixflow(['gmm-predict', '--model', 'best.json', '--input', FAITHFUL, '--prediction-col', 'c', '--output', 'out.csv'], sameCwd(io));
    expect(predicted.code).toBe(0);
    expect(readCsvLines(io, 'out.csv')).toHaveLength(273);
  });

  it('prints a table with the best candidate marked and says lower is better', async () => {
    const { code, out } = await mixflow(SELECT);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toMatch(/^k\s+covariance\s+logLikelihood\s+BIC\s+AIC/);
    expect(out.split('\n').filter((l) => / best$/.test(l))).toHaveLength(1);
    expect(out).toMatch(/best by BIC \(lower is better\): (tied|diag), k = [123]/);
  });

  it.each([
    [['--k-min', '4', '--k-max', '3'], '--k-min'],
    [['--covariance-types', ','], '--covariance-types'],
    [['--covariance-types', 'full,round'], '--covariance-types'],
    [['--k-max', '300'], '--k-max'],
    [['--criterion', 'icl'], '--criterion'],
  ])('exits 2 for %j naming %s', async (args, flag) => {
    const { code, err } = await mixflow(['gmm-select', '--input', FAITHFUL, '--feature-cols', 'eruptions,waiting', ...args]);
    expect(code).toBe(2);
    expect(err).toContain(flag);
  });

  it('a wrong enum choice gets the description\'s own message (resolveParams, as the API), its label as the flag', async () => {
    const d = components().get('gmm-model-selection').description;
    const cases: [string[], Params][] = [
      [['--covariance-types', 'full,round'], { covarianceTypes: ['full', 'round'] }],
      [['--covariance-types', ','], { covarianceTypes: ',' }],
      [['--covariance-types', 'full,full'], { covarianceTypes: ['full', 'full'] }],
      [['--criterion', 'icl'], { criterion: 'icl' }],
    ];
    for (const [args, raw] of cases) {
      const { errors } = resolveParams(d, raw);
      expect(errors).toHaveLength(1);
      const { code, err } = await mixflow(['gmm-select', '--input', FAITHFUL, '--feature-cols', 'eruptions,waiting', ...args]);
      expect(code).toBe(2);
      expect(err).toBe(`mixflow gmm-select: ${inFlags(errors[0].message, d)}\n`);
    }
  });

  it('--help lists each enum\'s choices from the description', async () => {
    const { code, out } = await mixflow(['gmm-select', '--help']);
    expect(code).toBe(0);
    const help = out.replace(/\s+/g, ' ');
    expect(help).toContain('any of full, diag, spherical, tied');
    expect(help).toContain('one of bic, aic');
  });

  it('exits 2 naming --k-max when it is above the number of distinct rows', async () => {
    const io = testIo();
    fs.writeFileSync(path.join(io.cwd, 'd.csv'), 'x\n1\n1\n2\n2\n');
    const { code, err } = await mixflow(['gmm-select', '--input', 'd.csv', '--feature-cols', 'x', '--k-max', '3'], io);
    expect(code).toBe(2);
    expect(err).toMatch(/--k-max \(3\) is larger than the number of distinct rows \(2\); lower --k-max/);
  });
});

describe('mixflow gmm-train on a degenerate fit', () => {
  it('warns on stderr that a component covers too few rows', async () => {
    const io = testIo();
    const rows = Array.from({ length: 40 }, (_, i) => `${Math.sin(i)},${Math.cos(i * 1.3)},${Math.sin(i * 0.7 + 1)}`);
    rows.push('9,9.1,8.8', '9.2,8.9,9.1', '8.9,9.05,9.2');
    fs.writeFileSync(path.join(io.cwd, 'far.csv'), `a,b,c\n${rows.join('\n')}\n`);
    const { code, err } = await mixflow(['gmm-train', '--input', 'far.csv', '--feature-cols', 'a,b,c', '--k', '2', '--trials', '3', '--json'], io);
    expect(code).toBe(0);
    expect(err).toMatch(/^gmm-train: the fit is degenerate, its likelihood and BIC are spurious: component \d covers 3\.00 rows/m);
  });
});

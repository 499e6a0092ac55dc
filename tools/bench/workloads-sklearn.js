// scikit-learn as a contender in `npm run bench` (issue 7): the same rows (through a temporary binary file), the
// same starting parameters (ours from meansInit: paramsFromMeans), tol 0 and the same iteration count. Runs only
// when /usr/bin/python3 has scikit-learn (`apt-get install -y python3-sklearn`).
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { paramsFromMeans } = require('@mixflow/gmm');

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, 'sklearn_bench.py');
/** log-likelihoods of ours and scikit-learn must agree to this, relative */
const LOG_LIKELIHOOD_RTOL = 1e-6;
/** the workloads measured against scikit-learn (issues 7 and 16) */
const SKLEARN_WORKLOADS = new Set(['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'W8']);

let available;
/** scikit-learn's version, or null when /usr/bin/python3 cannot import it. */
function sklearnVersion() {
  if (available === undefined) {
    const r = spawnSync(PYTHON, ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' });
    available = r.status === 0 ? r.stdout.trim() : null;
  }
  return available;
}

/**
 * scikit-learn's digits (1,797 × 64) as a DataMatrix, or null when /usr/bin/python3 cannot load them.
 * Written by sklearn_bench.py into a temporary file and read back as the same doubles.
 */
function loadDigits() {
  if (!sklearnVersion()) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixflow-bench-'));
  try {
    const file = path.join(dir, 'digits.f64');
    const r = spawnSync(PYTHON, [SCRIPT, '--digits', file], { encoding: 'utf8' });
    if (r.status !== 0) return null;
    const { rows, dims } = JSON.parse(r.stdout);
    const bytes = fs.readFileSync(file);
    const data = new Float64Array(rows * dims);
    new Uint8Array(data.buffer).set(bytes.subarray(0, rows * dims * 8));
    return { data, rows, cols: dims };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The spec of a run from our start (means, weights, covariances), or of a whole start (`workload.start`). */
function specFor(workload, iterations) {
  if (workload.start) return { maxIter: workload.start.maxIter, start: { tol: workload.start.epsilon, seeds: workload.seeds ?? 1 } };
  const start = paramsFromMeans(workload.data, Float64Array.from(workload.meansInit.flat()), workload.k, workload.covarianceType, {
    regCovar: 1e-6,
    forcePositive: true,
  });
  return {
    maxIter: iterations,
    weights: Array.from(start.weights),
    means: workload.meansInit,
    covariances: Array.from(start.covariances),
  };
}

/** { secondsPerIteration, meanLogLikelihood, iterations, sklearnVersion[, secondsPerStart] } or null when scikit-learn is missing. */
function runSklearn(workload, iterations) {
  if (!sklearnVersion()) return null;
  if (workload.covarianceType !== 'full' && workload.covarianceType !== 'diag') return null;
  const { rows, cols } = workload.data;
  const spec = specFor(workload, iterations);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixflow-bench-'));
  try {
    const dataFile = path.join(dir, 'rows.f64');
    const x = workload.data.data;
    fs.writeFileSync(dataFile, new Uint8Array(x.buffer, x.byteOffset, rows * cols * 8));
    const specFile = path.join(dir, 'spec.json');
    fs.writeFileSync(specFile, JSON.stringify({
      data: dataFile,
      rows,
      dims: cols,
      k: workload.k,
      covarianceType: workload.covarianceType,
      ...spec,
    }));
    const r = spawnSync(PYTHON, [SCRIPT, specFile], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`scikit-learn bench failed on ${workload.name} (exit ${r.status}): ${r.stderr.trim()}`);
    return JSON.parse(r.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Relative difference of two log-likelihoods and whether it is within LOG_LIKELIHOOD_RTOL. */
function compareLogLikelihood(ours, theirs) {
  const relative = Math.abs(ours - theirs) / Math.max(Math.abs(theirs), Number.MIN_VALUE);
  return { relative, agrees: relative <= LOG_LIKELIHOOD_RTOL };
}

/**
 * Runs scikit-learn on a workload (fastest of `repeat` runs) and adds to each of our result rows for it:
 * sklearnSecondsPerIteration, sklearnGflops, sklearnMeanLogLikelihood, ratioToSklearn (ours / scikit-learn; issue 16's
 * goal: ≤ 0.5 with 2 workers, ≤ 1 with 1) and logLikelihoodRelativeDifference. Pushes a verdict per row; a
 * log-likelihood that does not agree sets a failing exit code (the same data, start and iteration count must give
 * the same model). A whole-start workload (W8: each side's own k-means start) compares seconds per start instead,
 * and its log-likelihoods are reported, not required to agree. No-op without scikit-learn.
 */
function addSklearn(workload, iterations, repeat, rows, verdicts, log) {
  if (!SKLEARN_WORKLOADS.has(workload.name)) return;
  if (!sklearnVersion()) {
    verdicts.push(`${workload.name}: scikit-learn not run (${PYTHON} cannot import sklearn; apt-get install -y python3-sklearn)`);
    return;
  }
  let best = null;
  for (let r = 0; r < repeat; r++) {
    const result = runSklearn(workload, iterations);
    if (!result) return;
    log(`${workload.name} scikit-learn ${result.sklearnVersion}, repeat ${r + 1}: ${result.secondsPerIteration.toFixed(3)} s/iteration\n`);
    if (!best || result.secondsPerIteration < best.secondsPerIteration) best = result;
  }
  for (const row of rows) {
    const { relative, agrees } = compareLogLikelihood(row.meanLogLikelihood, best.meanLogLikelihood);
    row.sklearnSecondsPerIteration = best.secondsPerIteration;
    row.sklearnCpuSecondsPerIteration = best.cpuSecondsPerIteration;
    row.cpuRatioToSklearn = row.cpuSecondsPerIteration / best.cpuSecondsPerIteration;
    row.sklearnGflops = row.flopsPerIteration / best.secondsPerIteration / 1e9;
    row.sklearnMeanLogLikelihood = best.meanLogLikelihood;
    if (workload.start) {
      row.sklearnSecondsPerStart = best.secondsPerStart;
      row.sklearnIterations = best.iterations;
      row.ratioToSklearn = row.secondsPerStart / best.secondsPerStart;
      // the same comparison without the lottery of the iteration counts
      row.ratioAtEqualIterations = row.secondsPerIteration / best.secondsPerIteration;
      verdicts.push(`${workload.name}, ${row.workers} worker(s): a whole start takes ${row.ratioToSklearn.toFixed(2)}× scikit-learn's ` +
        `(means over seeds 0-${row.seeds - 1}: ${row.secondsPerStart.toFixed(3)} s, ${row.iterations.toFixed(1)} EM iterations vs ` +
        `${best.secondsPerStart.toFixed(3)} s, ${best.iterations.toFixed(1)}; goal ≤ 1.00: ${row.ratioToSklearn <= 1 ? 'PASS' : 'FAIL'}); ` +
        `at equal iterations ${row.ratioAtEqualIterations.toFixed(2)}× (seconds per EM iteration, start included); ` +
        `mean log-likelihood ${row.meanLogLikelihood.toFixed(3)} vs ${best.meanLogLikelihood.toFixed(3)} (own starts)`);
      continue;
    }
    row.ratioToSklearn = row.secondsPerIteration / best.secondsPerIteration;
    row.logLikelihoodRelativeDifference = relative;
    if (!agrees) process.exitCode = 1;
    const limit = row.workers === 2 ? 0.5 : row.workers === 1 ? 1 : null;
    const goal = limit === null ? '' : ` (goal ≤ ${limit.toFixed(2)}: ${row.ratioToSklearn <= limit ? 'PASS' : 'FAIL'})`;
    verdicts.push(`${workload.name}, ${row.workers} worker(s): ${row.ratioToSklearn.toFixed(2)}× scikit-learn's time per iteration${goal}` +
      ` (CPU seconds: ${row.cpuRatioToSklearn.toFixed(2)}×); ` +
      `log-likelihoods differ by ${relative.toExponential(1)} relative (needs ≤ ${LOG_LIKELIHOOD_RTOL.toExponential(0)}: ${agrees ? 'PASS' : 'FAIL'})`);
  }
}

module.exports = { addSklearn, loadDigits, runSklearn, sklearnVersion, compareLogLikelihood, LOG_LIKELIHOOD_RTOL };

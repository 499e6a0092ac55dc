#!/usr/bin/python3
"""scikit-learn's GaussianMixture on a bench workload, for tools/bench (issue 7).

Usage: /usr/bin/python3 sklearn_bench.py SPEC.json
       /usr/bin/python3 sklearn_bench.py --digits OUT.f64   (writes scikit-learn's digits, prints {"rows", "dims"})
SPEC: {"data": path of rows*dims little-endian float64 (row-major), "rows", "dims", "k", "covarianceType",
       "maxIter", "weights": [k], "means": [k][d], "covariances": flat (full k*d*d, diag k*d)}
Starts from exactly the parameters ours starts from (means_init, weights_init and precisions_init; init_params
'random' is then overridden), tol=0, a fixed max_iter. Prints one JSON object on stdout:
{"secondsPerIteration", "cpuSecondsPerIteration", "meanLogLikelihood", "iterations", "sklearnVersion"}.
Seconds per iteration = mean gap between the ends of successive M-steps after the first, the same clock as ours
(the gap between progress events after the first iteration).
SPEC with "start": {"tol", "seeds"} instead of weights/means/covariances times whole starts (k-means
initialisation included, scikit-learn's defaults otherwise), one per random_state 0..seeds-1 after an untimed one:
{"secondsPerStart", "secondsPerIteration" (the starts' seconds over their iterations), "meanLogLikelihood",
"iterations" (per start), all means over the seeds, "sklearnVersion"}.
"""
import json
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture


class TimedGaussianMixture(GaussianMixture):
    """Records the time at the end of every M-step (one EM iteration = E-step + M-step)."""

    def _m_step(self, X, log_resp):
        super()._m_step(X, log_resp)
        self.stamps_.append(time.perf_counter())
        self.cpu_stamps_.append(time.process_time())


def precisions_from(covariance_type, covariances, k, d):
    if covariance_type == 'full':
        cov = np.asarray(covariances, dtype=np.float64).reshape(k, d, d)
        return np.stack([np.linalg.inv(c) for c in cov])
    if covariance_type == 'diag':
        return 1.0 / np.asarray(covariances, dtype=np.float64).reshape(k, d)
    raise ValueError(f'covarianceType {covariance_type} is not benchmarked against scikit-learn')


def write_digits(path):
    from sklearn.datasets import load_digits

    X = np.ascontiguousarray(load_digits().data, dtype='<f8')
    X.tofile(path)
    json.dump({'rows': X.shape[0], 'dims': X.shape[1]}, sys.stdout)
    sys.stdout.write('\n')


def whole_start(X, spec):
    """One start per seed 0..seeds-1 (after one untimed fit, so the process is warm as ours is); the means."""

    def fit(seed):
        gm = GaussianMixture(
            n_components=spec['k'],
            covariance_type=spec['covarianceType'],
            tol=spec['start']['tol'],
            reg_covar=1e-6,
            max_iter=spec['maxIter'],
            random_state=seed,
        )
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', ConvergenceWarning)
            gm.fit(X)
        return gm

    seeds = spec['start']['seeds']
    fit(seeds)
    seconds = cpu_seconds = 0.0
    iterations = 0
    log_likelihood = 0.0
    for seed in range(seeds):
        started = time.perf_counter()
        cpu_started = time.process_time()
        gm = fit(seed)
        seconds += time.perf_counter() - started
        cpu_seconds += time.process_time() - cpu_started
        iterations += gm.n_iter_
        log_likelihood += float(gm.score(X))
    return {
        'secondsPerStart': seconds / seeds,
        'secondsPerIteration': seconds / iterations,
        'cpuSecondsPerIteration': cpu_seconds / iterations,
        'meanLogLikelihood': log_likelihood / seeds,
        'iterations': iterations / seeds,
        'sklearnVersion': sklearn.__version__,
    }


def main():
    if sys.argv[1] == '--digits':
        write_digits(sys.argv[2])
        return
    spec = json.load(open(sys.argv[1]))
    rows, d, k = spec['rows'], spec['dims'], spec['k']
    X = np.fromfile(spec['data'], dtype='<f8', count=rows * d).reshape(rows, d)
    if 'start' in spec:
        json.dump(whole_start(X, spec), sys.stdout)
        sys.stdout.write('\n')
        return
    gm = TimedGaussianMixture(
        n_components=k,
        covariance_type=spec['covarianceType'],
        tol=0.0,
        reg_covar=1e-6,
        max_iter=spec['maxIter'],
        init_params='random',
        random_state=0,
        weights_init=np.asarray(spec['weights'], dtype=np.float64),
        means_init=np.asarray(spec['means'], dtype=np.float64).reshape(k, d),
        precisions_init=precisions_from(spec['covarianceType'], spec['covariances'], k, d),
    )
    gm.stamps_ = []
    gm.cpu_stamps_ = []
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', ConvergenceWarning)
        gm.fit(X)
    gaps = np.diff(gm.stamps_)
    json.dump(
        {
            'secondsPerIteration': float(gaps.mean()),
            # CPU seconds of all the process's threads (OpenBLAS's too), per iteration
            'cpuSecondsPerIteration': float(np.diff(gm.cpu_stamps_).mean()),
            'meanLogLikelihood': float(gm.score(X)),
            'iterations': len(gm.stamps_),
            'sklearnVersion': sklearn.__version__,
        },
        sys.stdout,
    )
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()

#!/usr/bin/python3
"""scikit-learn's GaussianMixture on a bench workload, for tools/bench (issue 7).

Usage: /usr/bin/python3 sklearn_bench.py SPEC.json
SPEC: {"data": path of rows*dims little-endian float64 (row-major), "rows", "dims", "k", "covarianceType",
       "maxIter", "weights": [k], "means": [k][d], "covariances": flat (full k*d*d, diag k*d)}
Starts from exactly the parameters ours starts from (means_init, weights_init and precisions_init; init_params
'random' is then overridden), tol=0, a fixed max_iter. Prints one JSON object on stdout:
{"secondsPerIteration", "meanLogLikelihood", "iterations", "sklearnVersion"}.
Seconds per iteration = mean gap between the ends of successive M-steps after the first, the same clock as ours
(the gap between progress events after the first iteration).
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


def precisions_from(covariance_type, covariances, k, d):
    if covariance_type == 'full':
        cov = np.asarray(covariances, dtype=np.float64).reshape(k, d, d)
        return np.stack([np.linalg.inv(c) for c in cov])
    if covariance_type == 'diag':
        return 1.0 / np.asarray(covariances, dtype=np.float64).reshape(k, d)
    raise ValueError(f'covarianceType {covariance_type} is not benchmarked against scikit-learn')


def main():
    spec = json.load(open(sys.argv[1]))
    rows, d, k = spec['rows'], spec['dims'], spec['k']
    X = np.fromfile(spec['data'], dtype='<f8', count=rows * d).reshape(rows, d)
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
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', ConvergenceWarning)
        gm.fit(X)
    gaps = np.diff(gm.stamps_)
    json.dump(
        {
            'secondsPerIteration': float(gaps.mean()),
            'meanLogLikelihood': float(gm.score(X)),
            'iterations': len(gm.stamps_),
            'sklearnVersion': sklearn.__version__,
        },
        sys.stdout,
    )
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()

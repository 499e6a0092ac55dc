#!/usr/bin/python3
"""scikit-learn's best of 20 starts on its bundled wine and breast cancer data, for the libs/gmm default-fit tests.

Run with Debian's scikit-learn (apt-get install python3-sklearn):

    /usr/bin/python3 libs/gmm/reference/make_best_of.py

For every covariance type it fits GaussianMixture with scikit-learn's defaults apart from n_components and
n_init=20 (random_state=0), and writes the data and the mean log-likelihood per row (`score`) of the kept fit to
<name>_best_of_20.json beside this script. The tests check that Mixflow's defaults (apart from k and 10 trials)
reach it: the real-data check of issue 13, where mlpack's forcePositive default fell far short on unscaled columns.
"""
import json
import os
import sys

import sklearn
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.mixture import GaussianMixture

HERE = os.path.dirname(os.path.abspath(__file__))
COVARIANCE_TYPES = ["full", "diag", "spherical", "tied"]
N_INIT = 20


def best_of(X, k, covariance_type):
    gm = GaussianMixture(n_components=k, covariance_type=covariance_type, n_init=N_INIT, random_state=0).fit(X)
    return {
        "meanLogLikelihood": float(gm.score(X)),
        "bic": float(gm.bic(X)),
        "aic": float(gm.aic(X)),
        "nIter": int(gm.n_iter_),
        "converged": bool(gm.converged_),
    }


def main():
    for name, bunch, k in (("wine", load_wine(), 3), ("breast_cancer", load_breast_cancer(), 2)):
        X = bunch.data
        out = {
            "name": name,
            "description": f"scikit-learn's load_{name}() ({X.shape[0]} rows x {X.shape[1]} columns, k = {k} classes)",
            "generator": "libs/gmm/reference/make_best_of.py",
            "sklearn": sklearn.__version__,
            "rows": int(X.shape[0]),
            "dims": int(X.shape[1]),
            "k": k,
            "nInit": N_INIT,
            "fits": {t: best_of(X, k, t) for t in COVARIANCE_TYPES},
            "data": X.tolist(),
        }
        with open(os.path.join(HERE, f"{name}_best_of_{N_INIT}.json"), "w") as f:
            json.dump(out, f, separators=(",", ":"))
        print(name, X.shape, {t: round(r["meanLogLikelihood"], 6) for t, r in out["fits"].items()}, file=sys.stderr)


if __name__ == "__main__":
    main()

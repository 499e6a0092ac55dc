#!/usr/bin/python3
"""Reference fits from scikit-learn's GaussianMixture for the libs/gmm accuracy tests.

Run with Debian's scikit-learn (apt-get install python3-sklearn):

    /usr/bin/python3 libs/gmm/reference/make_reference.py

For every data set and covariance type it fits GaussianMixture from a fixed start and writes the data, the initial
means and scikit-learn's result to <name>.json beside this script. The start is what our `meansInit` does:
responsibilities from the partition by nearest initial mean, weights and covariances estimated from it
(scikit-learn's _estimate_gaussian_parameters, as its _initialize does), the given means kept. scikit-learn's
_initialize runs init_params first and only then swaps in means_init, so to make that first partition ours we
hand it weights_init and precisions_init computed from the same partition as well; they are written beside each
fit (weightsInit, precisionsInit), so the test hands ours the same three.
`responsibilityEstimates` holds _estimate_gaussian_parameters of two fixed responsibility matrices, the step every
scikit-learn start (kmeans, k-means++, random, random_from_data) ends with.
"""
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.mixture import GaussianMixture
from sklearn.mixture._gaussian_mixture import _estimate_gaussian_parameters

HERE = os.path.dirname(os.path.abspath(__file__))
COVARIANCE_TYPES = ["full", "diag", "spherical", "tied"]
REG_COVAR = 1e-6
TOL = 1e-10
MAX_ITER = 500


def pytorch_blobs():
    """The PyTorch chapter's data: three unit-covariance 2-D clusters of 100 rows, np.random.seed(42)."""
    np.random.seed(42)
    cov = [[1, 0], [0, 1]]
    clusters = [np.random.multivariate_normal(m, cov, 100) for m in ([0, 0], [5, 5], [5, 0])]
    return np.vstack(clusters), 3


def overlapping_5d():
    """Four overlapping anisotropic clusters in 5-D, unequal sizes (400 rows), far from the origin."""
    rng = np.random.RandomState(7)
    sizes = [160, 120, 80, 40]
    parts = []
    for i, n in enumerate(sizes):
        center = 100.0 + rng.uniform(-4, 4, size=5)
        a = rng.normal(size=(5, 5)) * rng.uniform(0.3, 1.5, size=5)
        parts.append(rng.normal(size=(n, 5)) @ a + center)
    return np.vstack(parts), 4


def correlated_12d():
    """Three correlated clusters in 12-D (540 rows) with different scales."""
    rng = np.random.RandomState(11)
    parts = []
    for i, n in enumerate([240, 180, 120]):
        center = rng.uniform(-6, 6, size=12)
        a = rng.normal(size=(12, 12)) / np.sqrt(12) * (0.5 + i)
        parts.append(rng.normal(size=(n, 12)) @ a + center)
    return np.vstack(parts), 3


def precisions_from(covariances, covariance_type):
    if covariance_type == "full":
        return np.array([np.linalg.inv(c) for c in covariances])
    if covariance_type == "tied":
        return np.linalg.inv(covariances)
    return 1.0 / covariances


def fit(X, means_init, covariance_type):
    n, k = X.shape[0], means_init.shape[0]
    d2 = ((X[:, None, :] - means_init[None, :, :]) ** 2).sum(axis=2)
    resp = np.zeros((n, k))
    resp[np.arange(n), d2.argmin(axis=1)] = 1
    weights, _, covariances = _estimate_gaussian_parameters(X, resp, REG_COVAR, covariance_type)
    weights /= n
    gm = GaussianMixture(
        n_components=k,
        covariance_type=covariance_type,
        tol=TOL,
        reg_covar=REG_COVAR,
        max_iter=MAX_ITER,
        n_init=1,
        weights_init=weights,
        means_init=means_init,
        precisions_init=precisions_from(covariances, covariance_type),
        random_state=0,
    )
    gm.fit(X)
    return {
        "weightsInit": weights.tolist(),
        "precisionsInit": precisions_from(covariances, covariance_type).tolist(),
        "weights": gm.weights_.tolist(),
        "means": gm.means_.tolist(),
        "meanLogLikelihood": float(gm.score(X)),
        "lowerBound": float(gm.lower_bound_),
        "nIter": int(gm.n_iter_),
        "converged": bool(gm.converged_),
        "bic": float(gm.bic(X)),
        "aic": float(gm.aic(X)),
    }


def responsibility_estimates(X, k):
    """_estimate_gaussian_parameters for two fixed responsibility matrices, as the starts build them: `dense`
    (every row spread over the components, rows summing to 1, like init_params='random') and `picked` (one-hot on
    k rows only, like 'k-means++' and 'random_from_data'). Weights are nk / sum(nk)."""
    n = X.shape[0]
    i = np.arange(n)[:, None]
    c = np.arange(k)[None, :]
    dense = ((i * 7 + c * 3) % 11 + 1).astype(float)
    dense /= dense.sum(axis=1, keepdims=True)
    picked_rows = [(j * 37 + 5) % n for j in range(k)]
    picked = np.zeros((n, k))
    picked[picked_rows, np.arange(k)] = 1
    out = {"pickedRows": picked_rows}
    for name, resp in (("dense", dense), ("picked", picked)):
        out[name] = {}
        for t in COVARIANCE_TYPES:
            nk, means, covariances = _estimate_gaussian_parameters(X, resp, REG_COVAR, t)
            out[name][t] = {"weights": (nk / nk.sum()).tolist(), "means": means.tolist(), "covariances": covariances.tolist()}
    return out


def main():
    datasets = {"pytorch_blobs": pytorch_blobs, "overlapping_5d": overlapping_5d, "correlated_12d": correlated_12d}
    for name, make in datasets.items():
        X, k = make()
        # the file holds 8 significant digits; fit on exactly what the file holds
        X = np.array([[float("%.8g" % v) for v in row] for row in X])
        picks = np.random.RandomState(3).choice(X.shape[0], size=k, replace=False)
        means_init = X[picks]
        out = {
            "name": name,
            "description": (make.__doc__ or "").strip(),
            "generator": "libs/gmm/reference/make_reference.py",
            "sklearn": sklearn.__version__,
            "rows": int(X.shape[0]),
            "dims": int(X.shape[1]),
            "k": k,
            "regCovar": REG_COVAR,
            "tol": TOL,
            "maxIter": MAX_ITER,
            "meansInit": means_init.tolist(),
            "fits": {t: fit(X, means_init, t) for t in COVARIANCE_TYPES},
            "responsibilityEstimates": responsibility_estimates(X, k),
            "data": X.tolist(),
        }
        path = os.path.join(HERE, name + ".json")
        with open(path, "w") as f:
            json.dump(out, f, separators=(",", ":"))
        print(name, X.shape, {t: (r["nIter"], r["converged"], round(r["meanLogLikelihood"], 6)) for t, r in out["fits"].items()}, file=sys.stderr)


if __name__ == "__main__":
    main()

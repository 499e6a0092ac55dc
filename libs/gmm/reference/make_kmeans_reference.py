#!/usr/bin/python3
"""Reference k-means runs from scikit-learn's KMeans (Lloyd) for the libs/gmm start tests.

Run with Debian's scikit-learn (apt-get install python3-sklearn):

    /usr/bin/python3 libs/gmm/reference/make_kmeans_reference.py

scikit-learn's GaussianMixture starts 'kmeans' from KMeans(n_clusters, n_init=1, random_state).fit(X).labels_:
k-means++ seeding, then Lloyd iterations (algorithm 'lloyd', max_iter 300, tol 1e-4 times the mean variance of the
columns). The seeding draws from NumPy's generator, which ours does not reproduce, so this pins the Lloyd part: for
each data set already in this folder (overlapping_5d.json, correlated_12d.json) and a few fixed sets of initial
centres (k distinct rows), KMeans(init=those rows, n_init=1) is run and its labels, centres, inertia and iteration
count written to kmeans_lloyd.json.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.cluster import KMeans

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = ["overlapping_5d", "correlated_12d"]


def main():
    runs = []
    for name in SOURCES:
        with open(os.path.join(HERE, f"{name}.json")) as f:
            source = json.load(f)
        X = np.asarray(source["data"], dtype=np.float64)
        for k, seed in [(source["k"], 0), (source["k"] + 3, 1), (8, 2)]:
            rows = np.random.RandomState(seed).choice(X.shape[0], size=k, replace=False)
            km = KMeans(n_clusters=k, init=X[rows], n_init=1, algorithm="lloyd", max_iter=300, tol=1e-4).fit(X)
            runs.append(
                {
                    "source": name,
                    "k": k,
                    "initialRows": rows.tolist(),
                    "labels": km.labels_.tolist(),
                    "centers": km.cluster_centers_.tolist(),
                    "inertia": float(km.inertia_),
                    "nIter": int(km.n_iter_),
                }
            )
    out = {"sklearn": sklearn.__version__, "generator": "make_kmeans_reference.py", "runs": runs}
    with open(os.path.join(HERE, "kmeans_lloyd.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""scikit-learn's clustering metrics on a small labelled data set, for the Clustering Model Evaluation tests.

Run with Debian's scikit-learn (apt-get install python3-sklearn):

    /usr/bin/python3 plugins/eval/reference/make_sklearn_reference.py

It draws 3 overlapping Gaussian blobs in 3 dimensions (40 rows each, numpy seed 0, labels 0-2), clusters them with
KMeans(k=4, random_state=0) so clusters and labels differ, and writes cluster_metrics.json beside this script: the
rows, labels and predictions, and scikit-learn's values of every metric it has: Calinski-Harabasz (VRC),
Davies-Bouldin, the silhouette coefficient for the euclidean, cosine and cityblock metrics, ARI, NMI (arithmetic
mean), the Rand index and the contingency matrix (purity from it). SSB and SSW come from numpy, by their definition.
A second case clusters the same rows with k = 2 and labels given as text.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    normalized_mutual_info_score,
    rand_score,
    silhouette_score,
)
from sklearn.metrics.cluster import contingency_matrix

HERE = os.path.dirname(os.path.abspath(__file__))

rng = np.random.RandomState(0)
means = np.array([[0.0, 0.0, 0.0], [3.0, 3.0, 0.0], [0.0, 3.0, 3.0]])
X = np.vstack([m + rng.normal(size=(40, 3)) for m in means])
labels = np.repeat([0, 1, 2], 40)


def sums_of_squares(X, pred):
    mean = X.mean(axis=0)
    ssb = ssw = 0.0
    for c in np.unique(pred):
        rows = X[pred == c]
        centroid = rows.mean(axis=0)
        ssb += len(rows) * float(((centroid - mean) ** 2).sum())
        ssw += float(((rows - centroid) ** 2).sum())
    return ssb, ssw


def case(k, label_names):
    pred = KMeans(n_clusters=k, random_state=0, n_init=10).fit_predict(X)
    named = np.array(label_names)[labels]
    ssb, ssw = sums_of_squares(X, pred)
    # rows of the contingency matrix: clusters in increasing order; columns: labels in sorted order
    cm = contingency_matrix(pred, named)
    return {
        "k": k,
        "prediction": [int(p) for p in pred],
        "label": [str(s) for s in named],
        "expected": {
            "count": len(X),
            "countArray": [int((pred == c).sum()) for c in range(k)],
            "ssb": ssb,
            "ssw": ssw,
            "vrc": float(calinski_harabasz_score(X, pred)),
            "db": float(davies_bouldin_score(X, pred)),
            "silhouette": {m: float(silhouette_score(X, pred, metric=m)) for m in ["euclidean", "cosine", "cityblock"]},
            "ari": float(adjusted_rand_score(named, pred)),
            "nmi": float(normalized_mutual_info_score(named, pred)),
            "ri": float(rand_score(named, pred)),
            "purity": float(cm.max(axis=1).sum() / len(X)),
            "confusionMatrix": cm.tolist(),
            "labelArray": sorted(set(str(s) for s in named)),
        },
    }


out = {
    "generator": f"plugins/eval/reference/make_sklearn_reference.py, scikit-learn {sklearn.__version__}, numpy {np.__version__}",
    "rows": X.tolist(),
    "cases": [case(4, ["0", "1", "2"]), case(2, ["setosa", "versicolor", "virginica"])],
}
with open(os.path.join(HERE, "cluster_metrics.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")

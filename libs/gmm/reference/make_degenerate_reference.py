#!/usr/bin/python3
"""scikit-learn's model selection on Old Faithful, for the degenerate-candidate tests in libs/gmm.

Run after make_mclust_reference.R (it reads the data from mclust_selection.json), with Debian's scikit-learn:

    /usr/bin/python3 libs/gmm/reference/make_degenerate_reference.py

It fits GaussianMixture for k = 1..9 and the four covariance types, the loop scikit-learn's documentation suggests,
with init_params='random_from_data' and random_state 7, and writes faithful_sklearn_selection.json: every candidate's
BIC and the fitted parameters of the lowest-BIC one. That winner has a component sitting on rows that share one whole
minute of waiting time, with the reg_covar floor as its variance there: a degenerate fit, which mclust (whose EM stops
on such a covariance) never reports. (With the default k-means start and random_state 0 the loop happens to pick
full, k = 2 on this data; the start above is one of those that land on the collapse.)
"""
import json
import os

import numpy as np
import sklearn
from sklearn.mixture import GaussianMixture

HERE = os.path.dirname(os.path.abspath(__file__))
INIT = "random_from_data"
SEED = 7

with open(os.path.join(HERE, "mclust_selection.json")) as f:
    X = np.array(json.load(f)["datasets"]["faithful"]["data"], dtype=float)

candidates = []
best = None
for covariance_type in ["full", "tied", "diag", "spherical"]:
    for k in range(1, 10):
        gm = GaussianMixture(n_components=k, covariance_type=covariance_type, init_params=INIT, random_state=SEED).fit(X)
        bic = float(gm.bic(X))
        candidates.append({"k": k, "covarianceType": covariance_type, "bic": bic})
        if best is None or bic < best[0]:
            best = (bic, k, covariance_type, gm)

bic, k, covariance_type, gm = best
out = {
    "generator": "libs/gmm/reference/make_degenerate_reference.py",
    "sklearn": sklearn.__version__,
    "regCovar": gm.reg_covar,
    "initParams": INIT,
    "randomState": SEED,
    "candidates": candidates,
    "best": {
        "k": k,
        "covarianceType": covariance_type,
        "bic": bic,
        "weights": gm.weights_.tolist(),
        "means": gm.means_.tolist(),
        "covariances": gm.covariances_.tolist(),
    },
}
with open(os.path.join(HERE, "faithful_sklearn_selection.json"), "w") as f:
    json.dump(out, f, indent=1)
print("scikit-learn's lowest BIC on Old Faithful:", covariance_type, k, round(bic, 1))

#!/usr/bin/python3
"""Exports scikit-learn's bundled wine and breast cancer data sets as the sample CSVs beside this script.

Run with Debian's scikit-learn (apt-get install python3-sklearn):

    /usr/bin/python3 plugins/data/samples/export_sklearn.py

Each CSV has a header row: scikit-learn's feature names in snake case, then `label` (the class index, as
scikit-learn's `target`). Values are written as Python's shortest round-trip text, so a reader gets scikit-learn's
float64 values bit for bit.
"""
import csv
import os
import re

from sklearn.datasets import load_breast_cancer, load_wine

HERE = os.path.dirname(os.path.abspath(__file__))


def snake(name):
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def export(bunch, file_name):
    names = [snake(n) for n in bunch.feature_names] + ["label"]
    assert len(set(names)) == len(names), names
    with open(os.path.join(HERE, file_name), "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(names)
        for row, label in zip(bunch.data, bunch.target):
            writer.writerow([repr(float(v)) for v in row] + [int(label)])
    print(file_name, bunch.data.shape)


if __name__ == "__main__":
    export(load_wine(), "wine.csv")
    export(load_breast_cancer(), "breast_cancer.csv")

#!/usr/bin/env python3
"""Train an XGBoost fraud classifier and time training and inference.

Reads a CSV with the Kaggle credit-card-fraud columns (Time, V1..V28, Amount,
Class) -- the synthetic one from generate.py or the real one -- splits it
80/20 per class with a fixed seed, trains on the first part, predicts the
second, and prints one machine-readable line per figure:

    ARM64_DEMO_METRIC name=<name> value=<number> unit=<unit>

name is [a-z0-9_]+, value a plain decimal (integer for counts), unit one of
s (seconds), count or ratio. See README.md for the list of names.
"""

import argparse
import platform
import sys
import time

import numpy as np
import xgboost as xgb

KAGGLE_ROWS = 284_807
COLUMNS = ["Time"] + [f"V{i}" for i in range(1, 29)] + ["Amount", "Class"]


def metric(name: str, value, unit: str) -> None:
    text = str(value) if isinstance(value, int) else f"{value:.6f}"
    # flush: inside `docker build` the line should reach the log as it happens
    print(f"ARM64_DEMO_METRIC name={name} value={text} unit={unit}", flush=True)


def load(path: str, rows: int) -> np.ndarray:
    with open(path, encoding="utf-8") as f:
        header = [c.strip().strip('"') for c in f.readline().split(",")]
    if header != COLUMNS:
        sys.exit(f"classify: {path}: expected columns {','.join(COLUMNS)}")
    # quotechar: the Kaggle file quotes the Class values ("0"/"1").
    return np.loadtxt(path, delimiter=",", skiprows=1, max_rows=rows,
                      quotechar='"', dtype=np.float32, ndmin=2)


def split(labels: np.ndarray, test_fraction: float, seed: int):
    """Stratified split: the same share of each class goes to the test set."""
    rng = np.random.default_rng(seed)
    train, test = [], []
    for cls in (0, 1):
        idx = rng.permutation(np.flatnonzero(labels == cls))
        n_test = int(round(len(idx) * test_fraction))
        if len(idx) >= 2:  # keep at least one of each class on both sides
            n_test = min(max(n_test, 1), len(idx) - 1)
        test.append(idx[:n_test])
        train.append(idx[n_test:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


def roc_auc(labels: np.ndarray, scores: np.ndarray):
    """Area under the ROC curve (Mann-Whitney U with tied ranks averaged)."""
    pos = labels == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return None
    _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    avg_rank = np.cumsum(counts) - (counts - 1) / 2.0  # 1-based rank of each distinct score
    ranks = avg_rank[inverse]
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="creditcard.csv", help="CSV file to read")
    ap.add_argument("--rows", type=int, default=KAGGLE_ROWS,
                    help=f"read at most this many rows (default {KAGGLE_ROWS})")
    ap.add_argument("--rounds", type=int, default=200, help="boosting rounds (default 200)")
    # exact: the CPU-heavy classic algorithm (tens of seconds at full size on
    # 8 vCPUs), so differences between CPUs show above timer noise; hist is
    # the fast one (a few seconds).
    ap.add_argument("--tree-method", choices=("exact", "hist", "approx"), default="exact",
                    help="XGBoost tree_method (default exact)")
    ap.add_argument("--threads", type=int, default=0,
                    help="training threads, 0 = all CPUs (default 0)")
    ap.add_argument("--seed", type=int, default=7, help="split and training seed (default 7)")
    args = ap.parse_args()

    data = load(args.data, args.rows)
    features, labels = data[:, :-1], data[:, -1].astype(np.int8)
    train, test = split(labels, 0.2, args.seed)
    print(f"classify: {platform.machine()}, Python {platform.python_version()}, "
          f"numpy {np.__version__}, xgboost {xgb.__version__}, "
          f"tree_method {args.tree_method}, {args.rounds} rounds", flush=True)

    dtrain = xgb.DMatrix(features[train], label=labels[train])
    dtest = xgb.DMatrix(features[test])
    n_pos_train = int(labels[train].sum())
    params = {
        "objective": "binary:logistic",
        "eval_metric": "aucpr",
        "tree_method": args.tree_method,
        "max_depth": 6,
        "eta": 0.1,
        # weigh the rare class up, as usual for fraud data
        "scale_pos_weight": (len(train) - n_pos_train) / max(n_pos_train, 1),
        "seed": args.seed,
    }
    if args.threads > 0:
        params["nthread"] = args.threads

    started = time.perf_counter()
    booster = xgb.train(params, dtrain, num_boost_round=args.rounds)
    training_s = time.perf_counter() - started

    started = time.perf_counter()
    scores = booster.predict(dtest)
    inference_s = time.perf_counter() - started

    truth = labels[test]
    predicted = scores >= 0.5
    true_pos = int((predicted & (truth == 1)).sum())
    test_pos = int(truth.sum())

    metric("rows", int(len(labels)), "count")
    metric("positives", int(labels.sum()), "count")
    metric("test_rows", int(len(test)), "count")
    metric("test_positives", test_pos, "count")
    metric("training_seconds", training_s, "s")
    metric("inference_seconds", inference_s, "s")
    auc = roc_auc(truth, scores)
    if auc is not None:  # undefined when the test split holds one class only
        metric("roc_auc", auc, "ratio")
    if test_pos:
        metric("recall", true_pos / test_pos, "ratio")
    if predicted.any():
        metric("precision", true_pos / int(predicted.sum()), "ratio")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Write a synthetic credit-card-fraud data set with the shape of the Kaggle one.

The Kaggle set (284,807 card transactions, 492 of them fraud) is licensed
separately and weighs 150 MB, so the demo builds its own stand-in: same
columns (Time, V1..V28, Amount, Class), same row count and the same class
imbalance. V1..V28 play the part of the anonymised PCA components; the fraud
rows are shifted along a few of them (by a random strength, so some frauds
look normal) to give the classifier a signal to find.

The output is a function of --rows and --seed only (for a given numpy
version, which requirements.txt pins): rebuild twice, get the same bytes.
"""

import argparse
import os
import sys
import time

import numpy as np

KAGGLE_ROWS = 284_807
KAGGLE_FRAUDS = 492
TWO_DAYS_S = 172_792  # last Time value in the Kaggle set, in seconds

# Mean shift of each fraud row along some components (index into V1..V28),
# loosely after the per-class means of the real set.
FRAUD_SHIFT = {0: -4.8, 1: 3.6, 2: -7.0, 3: 4.5, 6: -5.6, 9: -5.7,
               10: 3.8, 11: -6.3, 13: -7.0, 15: -4.1, 16: -6.7}


def positives_for(rows: int) -> int:
    """Same fraud fraction as the Kaggle set, rounded half up, at least 1."""
    return max(1, (rows * KAGGLE_FRAUDS * 2 + KAGGLE_ROWS) // (2 * KAGGLE_ROWS))


def generate(rows: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n_pos = positives_for(rows)

    # Time: sorted seconds over two days, like the original (ordered by time).
    t = np.sort(rng.integers(0, TWO_DAYS_S + 1, size=rows)).astype(np.float64)

    # V1..V28: zero-mean, spread shrinking with the component index.
    scale = np.linspace(1.95, 0.33, 28)
    v = rng.standard_normal((rows, 28)) * scale

    # Amount: long-tailed, in cents.
    amount = np.round(np.minimum(rng.lognormal(3.0, 1.4, rows), 25_691.16), 2)

    label = np.zeros(rows, dtype=np.float64)
    fraud = rng.choice(rows, size=n_pos, replace=False)
    label[fraud] = 1.0

    strength = rng.uniform(0.0, 1.3, size=n_pos)
    for col, shift in FRAUD_SHIFT.items():
        noise = rng.standard_normal(n_pos) * scale[col] * 1.5
        v[fraud, col] = shift * strength + noise
    amount[fraud] = np.round(np.minimum(rng.lognormal(3.6, 1.8, n_pos), 25_691.16), 2)

    return np.column_stack([t, v, amount, label])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=KAGGLE_ROWS,
                    help=f"number of rows (default {KAGGLE_ROWS}, the Kaggle size)")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    ap.add_argument("--out", default="creditcard.csv", help="CSV file to write")
    args = ap.parse_args()
    if args.rows < 2:
        ap.error("--rows must be at least 2")

    started = time.perf_counter()
    data = generate(args.rows, args.seed)
    header = ",".join(["Time"] + [f"V{i}" for i in range(1, 29)] + ["Amount", "Class"])
    fmt = ["%.0f"] + ["%.6f"] * 28 + ["%.2f", "%.0f"]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    np.savetxt(args.out, data, delimiter=",", fmt=fmt, header=header, comments="")
    elapsed = time.perf_counter() - started

    positives = int(data[:, -1].sum())
    print(f"generate: wrote {args.rows} rows, {positives} positives, seed {args.seed} "
          f"to {args.out} in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

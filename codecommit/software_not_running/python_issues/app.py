#!/usr/bin/env python3
"""Tiny numpy check: import it, compute something small, verify the answer."""
import platform

import numpy as np

grid = np.arange(12, dtype=np.float64).reshape(3, 4)
total = grid.sum()
row_means = grid.mean(axis=1)
assert total == 66 and list(row_means) == [1.5, 5.5, 9.5], (total, row_means)
print(f"numpy {np.__version__} on {platform.machine()} "
      f"(Python {platform.python_version()}): sum={total:.0f}, row means={row_means.tolist()}")

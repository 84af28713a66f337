"""numpy helpers shared by the counts of the analyses and the fingerprints of the ingest (which runs in
worker processes that import numpy but neither pandas nor scipy)."""

from __future__ import annotations

import numpy as np


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique(values) by sorting: numpy 2.4's np.unique without return_* options takes a much
    slower hash path on integer arrays."""
    ordered = np.sort(values, axis=None)
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]

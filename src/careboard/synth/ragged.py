"""Helpers for ragged arrays: many variable-length event lists handled as flat NumPy arrays.

A child's life is a list of periods of care, a period a list of episodes, and so on.  Rather than
loop over children, every level is kept flat with a parent index; these helpers do the grouping
operations (repeat, rank within group, previous/next in group) that per-child code would do.
"""

from __future__ import annotations

import numpy as np


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups with ``counts`` items: (parent index of each item, rank of each item in its group)."""
    counts = np.asarray(counts, dtype=np.int64)
    parent = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    rank = np.arange(len(parent)) - np.repeat(starts, counts)
    return parent, rank


def first_in_group(group: np.ndarray) -> np.ndarray:
    """True where an element starts a new run of ``group`` (array sorted by group)."""
    new = np.ones(len(group), dtype=bool)
    if len(group):
        new[1:] = group[1:] != group[:-1]
    return new


def last_in_group(group: np.ndarray) -> np.ndarray:
    """True where an element ends a run of ``group`` (array sorted by group)."""
    last = np.ones(len(group), dtype=bool)
    if len(group):
        last[:-1] = group[1:] != group[:-1]
    return last


def choice(rng: np.random.Generator, table: dict, size: int) -> np.ndarray:
    """Draw ``size`` keys of ``table`` with its values as weights (object array of keys)."""
    keys = np.array(list(table.keys()), dtype=object)
    p = np.array(list(table.values()), dtype=np.float64)
    return keys[rng.choice(len(keys), size=size, p=p / p.sum())]


def lognormal_days(rng: np.random.Generator, median_sigma: tuple[float, float], size: int) -> np.ndarray:
    """Whole days from a lognormal with the given median and sigma (at least one day)."""
    median, sigma = median_sigma
    return np.maximum(1, np.round(rng.lognormal(np.log(median), sigma, size))).astype(np.int64)

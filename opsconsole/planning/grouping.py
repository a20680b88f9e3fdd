"""Linear-time grouping helpers for the per-slot assignment.

A slot of 10,000 sites has about a million candidate paths, and sorting them (``np.unique``,
``np.lexsort``) was most of the time spent outside the solver. The candidates arrive
grouped by site (``candidates.slot_candidates``), and the resources they use are small
integer ranges, so grouping needs at most one pass over a dense table or a sort of
nearly sorted keys (timsort then runs in close to linear time). Every helper returns
exactly what the sorting form it replaces returned (same order, same ties).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.intp]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

DENSE_CELLS_MAX = 400_000_000
"""Largest ``groups x size`` table :func:`pair_weights` marks densely (one byte per cell);
beyond, it falls back to ``np.unique``."""


def group_starts(keys: NDArray[np.integer]) -> IntArray:
    """Where each run of equal consecutive ``keys`` starts (``(g,)``, first is 0)."""
    if keys.size == 0:
        return np.zeros(0, dtype=np.intp)
    return np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])


def is_grouped(keys: NDArray[np.integer]) -> bool:
    """Are ``keys`` nondecreasing (so equal keys are contiguous)?"""
    return bool(keys.size < 2 or (keys[1:] >= keys[:-1]).all())


def dense_unique(values: IntArray, size: int) -> tuple[IntArray, IntArray]:
    """``np.unique(values, return_inverse=True)`` for values in ``0 .. size - 1``,
    in ``O(len + size)``: the sorted distinct values and each value's index among them."""
    present = np.zeros(size, dtype=bool)
    present[values] = True
    remap = np.cumsum(present) - 1
    return np.flatnonzero(present), remap.take(values)


def run_index(keys: NDArray[np.integer]) -> IntArray:
    """For nondecreasing ``keys``: each entry's run number (0, 0, 1, 2, 2, ...), which is
    ``np.unique(keys, return_inverse=True)[1]``."""
    if keys.size == 0:
        return np.zeros(0, dtype=np.intp)
    step = np.r_[False, keys[1:] != keys[:-1]]
    return np.cumsum(step, dtype=np.intp)


def pair_weights(
    group: IntArray, res: IntArray, weight: FloatArray, size: int, grouped_runs: bool = False
) -> FloatArray:
    """``(size,)``: for each resource, the summed ``weight`` of the distinct groups with at
    least one entry on it (each group counted once per resource). ``weight`` is per
    group. With ``grouped_runs`` the entries of one (group, resource) pair are known to
    be contiguous, so one pass finds the distinct pairs."""
    if group.size == 0:
        return np.zeros(size)
    if grouped_runs:
        first = np.r_[True, (group[1:] != group[:-1]) | (res[1:] != res[:-1])]
        return np.bincount(res[first], weight.take(group[first]), size).astype(np.float64)
    groups = int(group.max()) + 1
    if groups * size <= DENSE_CELLS_MAX:
        mark = np.zeros(groups * size, dtype=bool)
        mark[group.astype(np.int64) * size + res] = True
        pairs = np.flatnonzero(mark)
    else:
        pairs = np.unique(group.astype(np.int64) * size + res)
    return np.bincount(pairs % size, weight.take(pairs // size), size).astype(np.float64)


def cheapest_per_key(
    columns: Sequence[IntArray], widths: Sequence[int], cost: FloatArray
) -> IntArray:
    """The entries (increasing indices) that are cheapest among those with the same key,
    where a key is the tuple of ``columns`` (integers ``0 .. width - 1`` each, the first
    nondecreasing for speed); ties go to the lowest index. This is the first entry of
    each key group under ``np.lexsort((index, cost, *columns[::-1]))``."""
    n = cost.size
    if n == 0:
        return np.zeros(0, dtype=np.intp)
    bits = sum(max(int(w) - 1, 1).bit_length() for w in widths)
    if bits <= 62:
        key = np.zeros(n, dtype=np.int64)
        for col, width in zip(columns, widths, strict=True):
            key = key * int(width) + col
        order = np.argsort(key, kind="stable")  # nearly sorted: timsort is near linear
        sorted_key = key.take(order)
    else:
        order = np.lexsort(tuple(columns[::-1]))
        sorted_key = np.stack([c.take(order) for c in columns])
        sorted_key = np.cumsum(np.r_[True, (sorted_key[:, 1:] != sorted_key[:, :-1]).any(0)])
    starts = group_starts(sorted_key)
    sorted_cost = cost.take(order)
    counts = np.diff(np.r_[starts, n])
    lowest = np.minimum.reduceat(sorted_cost, starts)
    at_min = np.flatnonzero(sorted_cost == np.repeat(lowest, counts))
    group = np.repeat(np.arange(starts.size), counts).take(at_min)
    first = at_min[np.r_[True, group[1:] != group[:-1]]]
    return np.sort(order.take(first))


def smallest_per_group(group: IntArray, key: FloatArray, count: int) -> BoolArray:
    """``(n,)``: the ``count`` entries of each group with the smallest ``key`` (ties to the
    lowest index), for nondecreasing ``group``: ``count`` linear passes, no sort."""
    n = group.size
    chosen = np.zeros(n, dtype=bool)
    if n == 0 or count <= 0:
        return chosen
    starts = group_starts(group)
    counts = np.diff(np.r_[starts, n])
    owner = np.repeat(np.arange(starts.size), counts)
    work = key.astype(np.float64, copy=True)
    for _ in range(count):
        lowest = np.minimum.reduceat(work, starts)
        hit = np.flatnonzero((work == lowest.take(owner)) & ~chosen)
        if hit.size == 0:
            break
        first = hit[np.r_[True, owner.take(hit)[1:] != owner.take(hit)[:-1]]]
        chosen[first] = True
        work[first] = np.inf
    return chosen

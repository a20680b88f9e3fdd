"""The linear-time grouping helpers give exactly what the sorting forms they replace give."""

from __future__ import annotations

import numpy as np
import pytest

from opsconsole.planning.grouping import (
    cheapest_per_key,
    dense_unique,
    group_starts,
    is_grouped,
    pair_weights,
    run_index,
    smallest_per_group,
)


def _grouped(rng: np.random.Generator, n: int, groups: int) -> np.ndarray:
    return np.sort(rng.integers(0, groups, n))


@pytest.mark.parametrize("seed", range(6))
def test_dense_unique_and_runs_match_np_unique(seed: int) -> None:
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 50, 500)
    used, inverse = np.unique(values, return_inverse=True)
    ours_used, ours_inverse = dense_unique(values, 50)
    np.testing.assert_array_equal(ours_used, used)
    np.testing.assert_array_equal(ours_inverse, inverse)
    keys = _grouped(rng, 500, 80)
    np.testing.assert_array_equal(run_index(keys), np.unique(keys, return_inverse=True)[1])
    np.testing.assert_array_equal(group_starts(keys), np.unique(keys, return_index=True)[1])
    assert is_grouped(keys) and not is_grouped(np.array([2, 1]))


@pytest.mark.parametrize("seed", range(6))
def test_pair_weights_count_each_group_once_per_resource(seed: int) -> None:
    rng = np.random.default_rng(seed)
    group, res = _grouped(rng, 2_000, 300), rng.integers(0, 40, 2_000)
    weight = rng.uniform(0.1, 2.0, 300)
    pairs = np.unique(group * 40 + res)
    expected = np.bincount(pairs % 40, weight[pairs // 40], 40)
    np.testing.assert_allclose(pair_weights(group, res, weight, 40), expected, rtol=1e-12)
    # contiguous runs per (group, resource), as satellites are within a site
    order = np.lexsort((res, group))
    np.testing.assert_allclose(
        pair_weights(group[order], res[order], weight, 40, grouped_runs=True), expected, rtol=1e-12
    )


@pytest.mark.parametrize("seed", range(8))
def test_cheapest_per_key_is_the_first_of_each_lexsorted_group(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 3_000
    site = _grouped(rng, n, 400)
    columns = [site, rng.integers(0, 6, n), rng.integers(0, 3, n), rng.integers(0, 2, n)]
    cost = rng.integers(0, 5, n).astype(float)  # many ties: they go to the lowest index
    index = np.arange(n)
    order = np.lexsort((index, cost, *columns[::-1]))
    keys = np.stack([c[order] for c in columns])
    first = np.r_[True, (keys[:, 1:] != keys[:, :-1]).any(axis=0)]
    expected = np.sort(order[first])
    np.testing.assert_array_equal(cheapest_per_key(columns, (400, 6, 3, 2), cost), expected)
    # and through the fallback for keys too wide for 62 bits
    wide = (400, 2**30, 2**30, 2)
    np.testing.assert_array_equal(cheapest_per_key(columns, wide, cost), expected)


@pytest.mark.parametrize(("seed", "count"), [(0, 1), (1, 3), (2, 4), (3, 10)])
def test_smallest_per_group_matches_a_rank_by_sorting(seed: int, count: int) -> None:
    rng = np.random.default_rng(seed)
    n = 2_000
    group = _grouped(rng, n, 250)
    key = rng.integers(0, 6, n).astype(float)
    order = np.lexsort((np.arange(n), key, group))
    starts = np.flatnonzero(np.r_[True, group[order][1:] != group[order][:-1]])
    rank = np.empty(n, dtype=int)
    rank[order] = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
    np.testing.assert_array_equal(smallest_per_group(group, key, count), rank < count)

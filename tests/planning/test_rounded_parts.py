"""The rounded LP solved in independent parts: the parts share no site and no capacity
row, and their LP optima side by side are the optimum of the whole slot's LP (solved
here as one HiGHS model, the independent oracle)."""

from __future__ import annotations

import numpy as np
import pytest

from opsconsole.planning import rounded_assignment
from opsconsole.planning.rounded_assignment import (
    SlotLp,
    independent_parts,
    lp_objective,
    lp_optimum,
    part_lp,
    rounded_choice,
)


def _regions_lp(seed: int, regions: int = 3, sites: int = 400, rows: int = 12) -> SlotLp:
    """``regions`` groups of ``sites`` sites, each site with 3-8 paths over two capacity
    rows (a satellite and a gateway) of its own group only; capacities tight enough that
    about a third of the demand cannot be served."""
    rng = np.random.default_rng(seed)
    site_row, row_pairs = [], []
    for g in range(regions):
        for s in range(sites):
            k = int(rng.integers(3, 9))
            site_row += [g * sites + s] * k
            satellite = g * rows + rng.integers(0, rows // 2, k)
            gateway = g * rows + rows // 2 + rng.integers(0, rows // 2, k)
            row_pairs.append(np.stack([satellite, gateway]))
    n = len(site_row)
    pairs = np.concatenate(row_pairs, axis=1)
    rows_used = np.vstack([pairs, np.full((1, n), -1)]).astype(np.intp)
    demand_site = rng.uniform(0.05, 1.0, regions * sites)
    site = np.asarray(site_row, dtype=np.intp)
    capacity = np.full(regions * rows, demand_site.sum() / (regions * rows / 2) * 0.65)
    priority_weight = 10.0 ** rng.integers(0, 3, regions * sites)
    return SlotLp(site, regions * sites, rows_used, capacity, demand_site[site],
                  (priority_weight * demand_site)[site], rng.uniform(20, 80, n))  # fmt: skip


def test_parts_share_no_site_and_no_row() -> None:
    lp = _regions_lp(1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rounded_assignment, "PART_SITES_MIN", 1)
        parts = independent_parts(lp)
    assert len(parts) == 3
    assert np.array_equal(np.sort(np.concatenate(parts)), np.arange(lp.site_row.size))
    seen_sites: set[int] = set()
    seen_rows: set[int] = set()
    for paths in parts:
        assert (np.diff(paths) > 0).all()
        sites = set(lp.site_row[paths].tolist())
        used = set(lp.rows[:, paths][lp.rows[:, paths] >= 0].tolist())
        assert not sites & seen_sites and not used & seen_rows
        seen_sites |= sites
        seen_rows |= used
    # small groups are merged until a part holds PART_SITES_MIN (1,000) sites:
    # 600 + 600, then 600
    assert [np.unique(lp_.site_row[p]).size for lp_ in [_regions_lp(1, sites=600)]
            for p in independent_parts(lp_)] == [1200, 600]  # fmt: skip


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_the_parts_optima_side_by_side_are_the_whole_optimum(seed: int) -> None:
    lp = _regions_lp(seed)
    objective = lp_objective(lp)
    whole = lp_optimum(lp).values()
    x = np.zeros(lp.site_row.size)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rounded_assignment, "PART_SITES_MIN", 1)
        parts = independent_parts(lp)
    for paths in parts:
        x[paths] = lp_optimum(part_lp(lp, paths), objective.take(paths)).values()
    assert objective @ x == pytest.approx(objective @ whole, rel=1e-9)
    # the rounded choice holds every capacity and serves at most one path a site
    chosen = rounded_choice(lp)
    assert np.bincount(lp.site_row[chosen], minlength=lp.m).max() <= 1
    load = np.zeros(lp.capacity.size)
    for kind in range(2):
        np.add.at(load, lp.rows[kind][chosen], lp.demand[chosen])
    assert (load <= lp.capacity * (1 + 1e-9)).all()
    # and is worth within 1 % of the LP bound (a few sites are fractional at the vertex)
    assert objective[chosen].sum() >= 0.99 * (objective @ whole)

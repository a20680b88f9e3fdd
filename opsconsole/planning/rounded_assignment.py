"""Large congested slots: HiGHS' LP relaxation, rounded and repaired.

The exact two-stage MILP of ``assignment`` proves its optimum, but on slots where
thousands of sites contend for capacity branch and bound grows too slow (a 10,000-site
slot of the real network did not finish in minutes). Here one linear program decides
the slot instead:

1. **LP.** Maximise ``sum x (value - lambda cost)`` over the paths, each site's paths
   summing to at most 1 and every capacity that could be exceeded holding, with
   ``0 <= x <= 1``. ``lambda`` makes round trips break ties only: a site's whole cost
   is worth at most ``COST_SHARE`` of the smallest site's value, so serving demand
   always comes first. A 10,000-site slot has a million paths, so the LP is solved by
   **column generation** with HiGHS (``highspy``): first over each site's
   ``FIRST_PATHS`` cheapest paths; then the row duals price every other path and those
   that would improve the objective are added (at most ``ADDED_PER_SITE`` per site and
   round) and the LP is re-solved from its last basis by the primal simplex, until no
   path prices in. That is the optimum of the whole LP, a vertex, found without a time
   limit and the same on every machine.
2. **Round.** A vertex has at most as many fractional paths as binding capacities, so
   nearly every site is integral. Paths at 1 are kept; fractional sites are dropped,
   which can only lower every load: the kept set fits.
3. **Repair.** Unserved sites are re-inserted greedily, most valuable first, each on
   its cheapest path that still fits every capacity it uses.
4. **Polish** (up to ``POLISH_COLUMNS_MAX`` priced paths). HiGHS' MILP over the paths
   the LP priced in, started from the repaired choice, for at most ``POLISH_NODES``
   branch-and-bound nodes; its answer is kept when it is worth more.

Every step runs part by part (:func:`independent_parts`): sites that share no capacity
row form independent LPs, whose optima side by side are the slot's (halves the LP's time
on a 100,000-site slot of the real network, where 6 groups contend).

The result is feasible, deterministic and within a measured distance of the MILP's
optimum (``docs/planning.md``; ``tests/planning/test_rounded_assignment.py`` holds it
to 0.5 % of priority-weighted served demand and 2 % of the summed round trip).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.planning.grouping import (
    dense_unique,
    group_starts,
    is_grouped,
    run_index,
    smallest_per_group,
)

COST_SHARE = 1e-3
"""A path's whole cost (ms) is worth at most this share of the least valuable site's
value in the LP objective."""
INTEGRAL = 1.0 - 1e-7
"""An LP value at least this counts as 1 (HiGHS' primal feasibility tolerance)."""
FIT_TOLERANCE = 1e-9
FIRST_PATHS = 4
"""Column generation starts from each site's this many cheapest paths (measured on a
10,000-site slot of the real network: 2 adds 600,000 paths in the first round, 8 and
16 are slower than 4)."""
ADDED_PER_SITE = 4
"""At most this many improving paths per site join the LP in one round."""
PRICE_TOLERANCE = 1e-9
"""A path prices in when it would raise the objective by more than this share of its
own coefficient."""
POLISH_NODES = 50
"""Branch-and-bound nodes of the polishing MILP (a deterministic work limit)."""
POLISH_COLUMNS_MAX = 12_000
"""The polishing MILP runs only over at most this many priced paths (measured: 0.1-0.5 s
over 3,900 paths of a 1,200-site slot, 3 s over 9,500, 70 s over 32,000)."""
PART_SITES_MIN = 1_000
"""Independent groups of sites are merged into one LP until it holds at least this many
sites (one HiGHS model per part)."""
FEASIBLE = 2
"""HiGHS' ``primal_solution_status`` of a feasible solution."""
PRIMAL_SIMPLEX = 4
"""HiGHS' ``simplex_strategy`` value for the primal simplex."""
"""Relative slack allowed when checking that a demand fits a remaining capacity."""


@dataclass(frozen=True)
class SlotLp:
    """One slot's relaxed problem over ``n`` paths of ``m`` sites and ``r`` capacity
    rows. ``site_row`` [n] is each path's site (0..m-1, nondecreasing: a site's paths
    are contiguous); ``rows`` [3, n] the capacity
    rows (satellite, gateway, region; -1 where that resource is not constrained) each
    path uses; ``capacity`` [r] in Gbps; ``demand`` [n] its site's demand (Gbps);
    ``value`` [n] the site's priority-weighted demand; ``cost`` [n] the path's cost (ms)."""

    site_row: NDArray[np.intp]
    m: int
    rows: NDArray[np.intp]
    capacity: NDArray[np.float64]
    demand: NDArray[np.float64]
    value: NDArray[np.float64]
    cost: NDArray[np.float64]


def rounded_choice(lp: SlotLp) -> NDArray[np.bool_]:
    """Which paths are chosen ([n] bool; at most one per site, every capacity held)."""
    n = lp.site_row.size
    if n == 0:
        return np.zeros(0, dtype=bool)
    if not is_grouped(lp.site_row):
        raise ValueError("a slot's paths must be grouped by site (site_row nondecreasing)")
    objective = lp_objective(lp)
    x = np.zeros(n)
    models: list[tuple[NDArray[np.intp], _Columns]] = []
    for paths in independent_parts(lp):
        model = lp_optimum(part_lp(lp, paths), objective.take(paths))
        x[paths] = model.values()
        models.append((paths, model))
    picked = np.asarray(x >= INTEGRAL)
    # two paths of one site at 1 cannot both be: keep the first (LP tolerance only)
    first = np.zeros(n, dtype=bool)
    on = np.flatnonzero(picked)
    first[on.take(group_starts(lp.site_row.take(on)))] = True
    out = _repair(lp, first)
    for paths, model in models:
        out[paths] = _polish(model, out.take(paths))
    return out


def independent_parts(lp: SlotLp) -> list[NDArray[np.intp]]:
    """The slot's paths cut into parts that share no site and no capacity row, each
    ``[p]`` increasing. The LP falls apart into one LP per part (its optimum is theirs
    side by side), and so do rounding, repair and polish. Sites of the ground network's
    separate regions (measured on a 100,000-site slot: 6 groups, the largest half the
    sites) are solved apart; groups are merged, in order of their first site, up to
    at least ``PART_SITES_MIN`` sites a part."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    nodes = lp.m + lp.capacity.size
    used = lp.rows >= 0
    src = np.broadcast_to(lp.site_row, lp.rows.shape)[used]
    graph = coo_matrix((np.ones(src.size, dtype=np.float32), (src, lp.m + lp.rows[used])),
                       shape=(nodes, nodes))  # fmt: skip
    _, label = connected_components(graph, directed=False)
    site_label = label[: lp.m]
    # groups in order of their first site; merged while a part has too few sites
    groups, first_site = np.unique(site_label, return_index=True)
    sizes = np.bincount(site_label)
    part_of_label = np.zeros(label.max() + 1, dtype=np.intp)
    part, filled = 0, 0
    for g in groups[np.argsort(first_site)].tolist():
        if filled >= PART_SITES_MIN:
            part, filled = part + 1, 0
        part_of_label[g] = part
        filled += int(sizes[g])
    site_part = part_of_label[site_label]
    path_part = site_part.take(lp.site_row)
    by_part = np.argsort(path_part, kind="stable")
    cuts = np.flatnonzero(np.diff(path_part.take(by_part))) + 1
    return [np.asarray(p, dtype=np.intp) for p in np.split(by_part, cuts)]


def part_lp(lp: SlotLp, paths: NDArray[np.intp]) -> SlotLp:
    """The LP over ``paths`` only (whole sites, increasing), its sites and rows renumbered."""
    if paths.size == lp.site_row.size:
        return lp
    rows = lp.rows[:, paths]
    on = rows >= 0
    kept, renumbered = dense_unique(rows[on], lp.capacity.size)
    local = np.full(rows.shape, -1, dtype=np.intp)
    local[on] = renumbered
    site_row = run_index(lp.site_row.take(paths))
    return SlotLp(site_row, int(site_row[-1]) + 1, local, lp.capacity[kept],
                  lp.demand[paths], lp.value[paths], lp.cost[paths])  # fmt: skip


def lp_objective(lp: SlotLp) -> NDArray[np.float64]:
    """[n] each path's coefficient in the LP's (maximised) objective."""
    weight = COST_SHARE * float(lp.value.min()) / max(float(lp.cost.max()), 1e-9)
    return np.asarray(lp.value - weight * np.maximum(lp.cost, 0.0), dtype=np.float64)


def lp_optimum(lp: SlotLp, objective: NDArray[np.float64] | None = None) -> _Columns:
    """The relaxed problem solved to an optimal vertex by column generation (its
    ``values()``: ``[n]``, zero for every path that never priced in). ``objective``
    [n]: the paths' coefficients, :func:`lp_objective` unless given (a part of a slot
    keeps the whole slot's)."""
    if objective is None:
        objective = lp_objective(lp)
    highs = _Columns(lp, objective)
    highs.add(np.flatnonzero(smallest_per_group(lp.site_row, lp.cost, FIRST_PATHS)))
    while True:
        duals = highs.solve()
        gain = objective - duals[lp.site_row]
        for kind in range(3):
            on = lp.rows[kind] >= 0
            gain[on] -= lp.demand[on] * duals[lp.m + lp.rows[kind][on]]
        better = np.flatnonzero((gain > PRICE_TOLERANCE * np.abs(objective)) & ~highs.included)
        if better.size == 0:
            return highs
        # the most improving paths of each site first
        site = lp.site_row.take(better)
        highs.add(better[smallest_per_group(site, -gain.take(better), ADDED_PER_SITE)])


class _Columns:
    """The LP in HiGHS with a growing set of columns (paths), re-solved warm."""

    def __init__(self, lp: SlotLp, objective: NDArray[np.float64]) -> None:
        import highspy

        self.lp, self.objective = lp, objective
        self.highs = quiet_highs()
        self.highs.setOptionValue("threads", 1)
        rows = lp.m + lp.capacity.size
        upper = np.concatenate([np.ones(lp.m), lp.capacity])
        empty = np.zeros(0, dtype=np.int32)
        self.highs.addRows(rows, np.full(rows, -highspy.kHighsInf), upper, 0, empty, empty,
                           np.zeros(0))  # fmt: skip
        self.highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.included = np.zeros(lp.site_row.size, dtype=bool)
        self.order: list[NDArray[np.intp]] = []
        self.solves = 0

    def add(self, paths: NDArray[np.intp]) -> None:
        lp = self.lp
        rows = np.stack([lp.site_row[paths],
                         *(np.where(lp.rows[k][paths] >= 0, lp.m + lp.rows[k][paths], -1)
                           for k in range(3))])  # fmt: skip
        values = np.concatenate([np.ones((1, paths.size)), np.tile(lp.demand[paths], (3, 1))])
        used = rows >= 0
        starts = np.r_[0, np.cumsum(used.sum(axis=0))[:-1]].astype(np.int32)
        index = rows.T[used.T].astype(np.int32)
        self.highs.addCols(paths.size, self.objective[paths], np.zeros(paths.size),
                           np.ones(paths.size), index.size, starts, index,
                           values.T[used.T])  # fmt: skip
        self.included[paths] = True
        self.order.append(paths)

    def solve(self) -> NDArray[np.float64]:
        """Solve and return the row duals; after the first solve, from the last basis
        by the primal simplex (added columns keep it primal feasible)."""
        # presolve shrinks the first LP (~30 % faster on 10,000-site slots); later solves
        # start from the last basis, which presolve would discard
        self.highs.setOptionValue("presolve", "off" if self.solves else "on")
        if self.solves:
            self.highs.setOptionValue("simplex_strategy", PRIMAL_SIMPLEX)
        self.highs.run()
        self.solves += 1
        import highspy

        status = self.highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"assignment LP failed: {self.highs.modelStatusToString(status)}")
        return np.asarray(self.highs.getSolution().row_dual, dtype=np.float64)

    def values(self) -> NDArray[np.float64]:
        x = np.zeros(self.lp.site_row.size)
        x[np.concatenate(self.order)] = np.asarray(self.highs.getSolution().col_value)
        return x


def quiet_highs() -> Any:
    """A ``highspy.Highs`` with its logging off. HiGHS prints its banner to the
    process's standard output when the first instance is made, before any option can
    be set; that one construction runs with file descriptor 1 pointed at /dev/null, so
    that ``--format json`` output stays clean."""
    import highspy

    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), 1)
                highs = highspy.Highs()  # type: ignore[no-untyped-call]
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _BANNER_SHOWN = True
    highs.setOptionValue("output_flag", False)
    return highs


_BANNER_SHOWN = False


def _remaining(lp: SlotLp, picked: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Capacity left on every row (Gbps) once ``picked`` is served."""
    left = lp.capacity.copy()
    for kind in range(3):
        on = picked & (lp.rows[kind] >= 0)
        np.subtract.at(left, lp.rows[kind][on], lp.demand[on])
    return left


def _repair(lp: SlotLp, picked: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Serve more sites in the capacity the rounding left (:func:`_greedy`). Tried and
    left out: an exact MILP over only the unserved sites' paths that still fit, and
    iterated rounding (the LP again over those paths); neither gained 0.01 % of served
    value on the measured slots, because what rounding loses is in the paths it kept."""
    left = _remaining(lp, picked)
    return _greedy(lp, picked, left, _fitting(lp, picked, left))


def _polish(model: _Columns, picked: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Improve ``picked`` by HiGHS' MILP over the paths the LP priced in (and those
    picked), started from ``picked`` and stopped after ``POLISH_NODES`` nodes (a work
    limit); kept when it is worth more. Only for at most ``POLISH_COLUMNS_MAX`` paths:
    its root node alone took 58 s on a 10,000-site slot (32,000 priced paths)."""
    import highspy

    highs, objective = model.highs, model.objective
    missing = np.flatnonzero(picked & ~model.included)
    if missing.size:
        model.add(missing)
    columns = np.concatenate(model.order)
    count = columns.size
    if count > POLISH_COLUMNS_MAX:
        return picked
    highs.setOptionValue("mip_max_nodes", POLISH_NODES)
    highs.changeColsIntegrality(count, np.arange(count, dtype=np.int32),
                                np.full(count, highspy.HighsVarType.kInteger))  # fmt: skip
    start = highspy.HighsSolution()
    start.col_value = picked[columns].astype(np.float64).tolist()
    start.value_valid = True
    highs.setSolution(start)
    highs.run()
    x = np.asarray(highs.getSolution().col_value)
    if x.size != count or highs.getInfo().primal_solution_status != FEASIBLE:
        return picked
    polished = np.zeros(picked.size, dtype=bool)
    polished[columns[x > 0.5]] = True
    return polished if objective[polished].sum() > objective[picked].sum() else picked


def _fitting(lp: SlotLp, picked: NDArray[np.bool_], left: NDArray[np.float64]) -> NDArray[np.intp]:
    """Paths of sites ``picked`` does not serve whose demand fits every remaining
    capacity they use (only these can ever be added: capacity only shrinks)."""
    served = np.zeros(lp.m, dtype=bool)
    served[lp.site_row[picked]] = True
    guard = np.where(lp.rows >= 0, lp.rows, 0)
    room = np.where(lp.rows >= 0, left[guard], np.inf).min(axis=0)
    return np.flatnonzero(~served[lp.site_row] & (lp.demand <= room * (1 + FIT_TOLERANCE)))


def _greedy(
    lp: SlotLp, picked: NDArray[np.bool_], left: NDArray[np.float64], paths: NDArray[np.intp]
) -> NDArray[np.bool_]:
    """Add sites greedily: most valuable first, each on its cheapest of ``paths`` that
    fits every remaining capacity it uses (a loop over those paths only)."""
    left = left.copy()
    served = np.zeros(lp.m, dtype=bool)
    served[lp.site_row[picked]] = True
    order = paths[np.lexsort((paths, lp.cost[paths], -lp.value[paths]))]
    out = picked.copy()
    for v in order.tolist():
        s = int(lp.site_row[v])
        if served[s]:
            continue
        rows = lp.rows[:, v]
        rows = rows[rows >= 0]
        need = float(lp.demand[v])
        if (left[rows] >= need * (1 - FIT_TOLERANCE)).all():
            left[rows] -= need
            out[v] = served[s] = True
    return out

"""Choosing one path per site in one slot.

Objective, in this order: (1) serve as much priority-weighted demand as possible within
satellite, gateway and region capacities; (2) the handover policy's cost. Policy
``rtt``: the lowest round trip, where a site keeps its serving satellite while that
stays valid unless another path is faster by more than ``handover_margin_ms`` (its cost
is lowered by the margin). Policy ``dwell``: see :func:`dwell_cost`.

When every site's cheapest path fits within every capacity, that choice is optimal for
the objective and no solver runs. Otherwise HiGHS (``scipy.optimize.milp``) solves the
slot exactly by constraint generation (see ``_resolve``) in two stages: (1) maximise
weighted served demand; (2) keeping exactly the sites stage 1 served, minimise the
summed cost. Stage 2 does not search other sets of sites with the same served value
(asking it to hold the value instead made HiGHS ~30x slower on congested slots).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from opsconsole.planning.candidates import Candidates
from opsconsole.planning.grouping import (
    cheapest_per_key,
    dense_unique,
    group_starts,
    pair_weights,
    run_index,
)
from opsconsole.planning.inputs import PlanInputs
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.rounded_assignment import SlotLp, rounded_choice

SERVED, NO_SATELLITE, NO_GATEWAY, RESIDENCY, CAPACITY, EXCLUDED = range(6)
STATUS_NAMES = ("served", "no satellite in view", "no gateway", "residency", "capacity", "excluded")
EAGER_AFTER_ROUNDS = 2
"""Constraint generation rounds after which every resource that could be overloaded at
all is constrained at once (many rounds of a few resources each cost more)."""
EXACT_SITES_MAX = 3_000
"""Congested slots where more sites than this have a path through a resource that
could be overloaded are decided by ``rounded_assignment`` (an LP, rounded and
repaired) instead of the exact MILP, whose branch and bound grows too slow beyond:
measured on the real network, 0.1-0.3 s at 1,150 such sites, 2 s at 2,440, more than
600 s at 6,100 (docs/planning.md). Such slots are marked ``limited``: optimality is
not proved."""
OVERLOAD_TOLERANCE = 1 + 1e-9
"""A load counts as over capacity above capacity x this (sums of floats round)."""
SECOND_STAGE_GAP = 1e-4
"""Relative optimality gap accepted when minimising round trips (stage 2)."""
NODE_LIMIT = 2_000
"""Branch-and-bound nodes HiGHS may explore per solve. A work limit, not a time limit,
so the same inputs give the same plan on any machine under any load. When it stops a
solve before optimality is proved, the best assignment found so far is kept (stage 1's
own solution if stage 2 found none) and the slot is marked ``limited``."""


@dataclass(frozen=True)
class SlotChoice:
    """Per site ``(k,)``: satellite index, gateway, region (-1 when unserved), round trip
    (ms, NaN when unserved: the worse of the slot's two ends, then at its start and at
    its end) and status (one of the constants above). ``limited`` is True when a
    solver's work limit stopped a search before optimality was proved."""

    satellite: NDArray[np.intp]
    gateway: NDArray[np.intp]
    region: NDArray[np.intp]
    rtt_ms: NDArray[np.float64]
    status: NDArray[np.uint8]
    rtt_start_ms: NDArray[np.float64]
    rtt_end_ms: NDArray[np.float64]
    limited: bool = False


def _first_per_site(c: Candidates, cost: NDArray[np.float64], k: int) -> NDArray[np.intp]:
    """Index into ``c`` of each site's cheapest candidate (-1 when it has none).

    Candidates are grouped by site (``slot_candidates`` keeps visibility's site order),
    so one ``minimum.reduceat`` over the groups does it in linear time.
    """
    best = np.full(k, -1, dtype=np.intp)
    if len(c) == 0:
        return best
    starts = np.flatnonzero(np.r_[True, c.site[1:] != c.site[:-1]])
    group_min = np.minimum.reduceat(cost, starts)
    counts = np.diff(np.r_[starts, len(c)])
    at_min = np.flatnonzero(cost == np.repeat(group_min, counts))
    first = at_min[np.r_[True, c.site[at_min][1:] != c.site[at_min][:-1]]]
    best[c.site[first]] = first
    return best


def _loads(  # load in Gbps on every satellite, gateway and region
    c: Candidates,
    chosen: NDArray[np.intp],
    demand_gbps: NDArray[np.float64],
    sizes: tuple[int, int, int],
) -> tuple[NDArray[np.float64], ...]:
    picked = chosen[chosen >= 0]
    d = demand_gbps[c.site[picked]]
    return tuple(
        np.bincount(res, d, size).astype(np.float64)
        for res, size in zip(_resources(c, picked), sizes, strict=True)
    )


def assign_slot(
    c: Candidates,
    inputs: PlanInputs,
    params: PlanParameters,
    n_satellites: int,
    previous: SlotChoice | None = None,
    *,
    method: str = "auto",
) -> SlotChoice:
    """The choice for one slot (see the module docstring). ``method``: ``auto`` (the
    exact MILP up to :data:`EXACT_SITES_MAX` contending sites, the rounded LP above),
    ``exact`` or ``rounded`` (for comparing the two)."""
    if method not in ("auto", "exact", "rounded"):
        raise ValueError(f"unknown assignment method {method!r}: auto, exact or rounded")
    k = len(inputs.sites)
    sizes = (n_satellites, len(inputs.gateway_ids), len(inputs.region_ids))
    caps = (
        np.full(n_satellites, params.satellite_capacity_gbps),
        inputs.gateway_capacity_gbps,
        inputs.region_capacity_gbps,
    )
    if params.handover_policy == "dwell" and c.dwell_slots is not None:
        cost = dwell_cost(c, params, previous, inputs.max_rtt_ms)
    else:
        cost = c.rtt_ms.copy()
        if previous is not None and len(c):
            cost -= params.handover_margin_ms * (previous.satellite[c.site] == c.satellite)
    chosen = _first_per_site(c, cost, k)
    slot = _Slot(c, cost, chosen, inputs, params, caps, sizes)
    over = slot.overloaded(chosen)
    limited = False
    if any(o.any() for o in over):
        chosen, limited = _resolve(slot, over, method)
    return _choice(c, chosen, inputs, limited)


def dwell_cost(
    c: Candidates,
    params: PlanParameters,
    previous: SlotChoice | None,
    max_rtt_ms: NDArray[np.float64],
) -> NDArray[np.float64]:
    """The cost (ms) of each candidate under the ``dwell`` policy.

    With ``b`` a site's best round trip in the slot, ``m`` = ``dwell_margin_ms``, ``L``
    the look-ahead in slots and ``d`` a path's dwell, a path is *eligible* when its
    round trip ``r`` is at most ``b + m`` and, if ``b`` meets the site's round-trip
    objective (``max_rtt_ms``, shape ``(k,)``), also meets it: the policy never turns a
    met objective into a miss, nor makes a miss worse. Ineligible paths cost ``r``. An
    eligible path on the site's serving satellite costs
    ``b - (m + 1) + (r - b) / (2 (m + 1))`` (below every other), any other eligible path
    ``b + w ((L - d) + (r - b) / 2w) / (L + 1)`` with ``w`` the eligible width (``m``,
    less where the objective caps it): longer dwell first, then round trip, always
    below every ineligible path. The cheapest path per site (and the capacity solver's
    summed cost) therefore follows the policy, and capacity still comes first.
    """
    cost = c.rtt_ms.copy()
    if len(c) == 0 or c.dwell_slots is None:
        return cost
    starts = np.flatnonzero(np.r_[True, c.site[1:] != c.site[:-1]])
    counts = np.diff(np.r_[starts, len(c)])
    site_best = np.minimum.reduceat(c.rtt_ms, starts)
    m, lookahead = params.dwell_margin_ms, params.dwell_lookahead_slots
    objective = max_rtt_ms.take(c.site.take(starts))
    site_limit = np.where(site_best <= objective, np.minimum(site_best + m, objective), site_best)
    idx = np.flatnonzero(c.rtt_ms <= np.repeat(site_limit, counts))  # the eligible
    group = np.repeat(np.arange(starts.size), counts).take(idx)
    best, width = site_best.take(group), (site_limit - site_best).take(group)
    over = c.rtt_ms.take(idx) - best
    dwell = np.minimum(c.dwell_slots.take(idx), lookahead).astype(np.float64)
    scaled = over / (2.0 * np.where(width > 0, width, 1.0))
    # eligible costs stay in [b, limit): below every ineligible one
    other = best + width * ((lookahead - dwell) + scaled) / (lookahead + 1)
    if previous is not None:
        same = previous.satellite.take(c.site.take(idx)) == c.satellite.take(idx)
        other = np.where(same, best - (m + 1.0) + over / (2.0 * (m + 1.0)), other)
    cost[idx] = other
    return cost


def _resources(c: Candidates, idx: NDArray[np.intp]) -> tuple[NDArray[np.intp], ...]:
    """Satellite, gateway and region of the candidates ``idx``."""
    return c.satellite[idx], c.gateway[idx], c.region[idx]


@dataclass(frozen=True)
class _Slot:
    """One slot's assignment problem: candidates, their cost (ms, hysteresis included),
    each site's cheapest candidate, capacities (Gbps) and sizes of satellites, gateways
    and regions."""

    c: Candidates
    cost: NDArray[np.float64]
    chosen: NDArray[np.intp]
    inputs: PlanInputs
    params: PlanParameters
    caps: tuple[NDArray[np.float64], ...]
    sizes: tuple[int, int, int]

    @property
    def demand_gbps(self) -> NDArray[np.float64]:
        return np.asarray(self.inputs.demand_mbps / 1000.0)

    @property
    def site_value(self) -> NDArray[np.float64]:
        """[k] each site's priority-weighted demand (the objective's first stage)."""
        weights = self.params.priority_weights
        weight = np.array([weights.get(int(p), 1.0) for p in self.inputs.priority])
        return np.asarray(weight * self.inputs.demand_mbps, dtype=np.float64)

    def overloaded(self, chosen: NDArray[np.intp]) -> list[NDArray[np.bool_]]:
        """Per satellite, gateway and region: is its capacity exceeded by ``chosen``?"""
        loads = _loads(self.c, chosen, self.demand_gbps, self.sizes)
        return [load > cap * OVERLOAD_TOLERANCE for load, cap in zip(loads, self.caps, strict=True)]


def _resolve(
    slot: _Slot, over: list[NDArray[np.bool_]], method: str = "auto"
) -> tuple[NDArray[np.intp], bool]:
    """Exact choice by constraint generation over the ``over`` resources.

    Solve with capacity constraints only on the active resources (at first those the
    cheapest choice overloads); if the answer overloads another resource, make it active
    too and solve again. Each relaxed optimum bounds the true one, so the first answer
    that fits every capacity is optimal. Each relaxed problem is small: only sites with a
    path through an active resource are variables (the others' cheapest path is optimal
    for it), and of a site's paths that use the same active resources only the cheapest
    is kept (the others use nothing the relaxed problem constrains and cost more).
    """

    def could_overload() -> list[NDArray[np.bool_]]:
        resources = (slot.c.satellite, slot.c.gateway, slot.c.region)
        # a site's paths are grouped by site, then satellite (``slot_candidates``)
        runs = (True, False, False)
        return [act | _could_overload(slot, res, cap, run)
                for act, res, cap, run in zip(over, resources, slot.caps, runs,
                                              strict=True)]  # fmt: skip

    every: list[NDArray[np.bool_]] | None = None
    # fewer sites with any path than the limit: no need to count the contending ones
    large = method == "auto" and group_starts(slot.c.site).size > EXACT_SITES_MAX
    if method == "rounded" or large:
        every = could_overload()
        involved = _involved(slot, every)
        if method == "rounded" or int(involved.sum()) > EXACT_SITES_MAX:
            return _rounded(slot, every, involved), True
    active = [o.copy() for o in over]
    limited = False
    for round_ in itertools.count(1):
        out, hit_limit = _solve_relaxed(slot, active)
        limited |= hit_limit
        new = [flags & ~act for flags, act in zip(slot.overloaded(out), active, strict=True)]
        if not any(flags.any() for flags in new):
            return out, limited
        active = [act | flags for act, flags in zip(active, new, strict=True)]
        if round_ == EAGER_AFTER_ROUNDS:
            every = every if every is not None else could_overload()
            active = [act | all_ for act, all_ in zip(active, every, strict=True)]
    raise AssertionError("unreachable")


def _could_overload(
    slot: _Slot, res: NDArray[np.intp], cap: NDArray[np.float64], runs: bool = False
) -> NDArray[np.bool_]:
    """Resources whose capacity is below the demand of every site with a path through
    them: only these can ever be overloaded (``res`` is the resource of each path;
    ``runs``: a site's paths through one resource are contiguous, as for satellites)."""
    potential = pair_weights(slot.c.site, res, slot.demand_gbps, cap.size, runs)
    return np.asarray(potential > cap * OVERLOAD_TOLERANCE, dtype=bool)


def _involved(slot: _Slot, active: list[NDArray[np.bool_]]) -> NDArray[np.bool_]:
    """[k] sites with a path through an ``active`` resource."""
    c = slot.c
    touching = np.zeros(len(c), dtype=bool)
    for res, act in zip((c.satellite, c.gateway, c.region), active, strict=True):
        touching |= act.take(res)
    involved = np.zeros(len(slot.inputs.sites), dtype=bool)
    involved[slot.c.site[touching]] = True
    return involved


def _variables(slot: _Slot, involved: NDArray[np.bool_],
               active: list[NDArray[np.bool_]]) -> NDArray[np.intp]:  # fmt: skip
    """The paths a relaxed problem needs (increasing indices into ``slot.c``): of the
    ``involved`` sites' paths, one per site and combination of active resources used,
    the cheapest (the others use nothing the problem constrains and cost more)."""
    c, cost = slot.c, slot.cost
    var = np.flatnonzero(involved[c.site])
    resources = _resources(c, var)
    signature = [np.where(act[res], res + 1, 0) for res, act in zip(resources, active, strict=True)]
    widths = (len(slot.inputs.sites), *(size + 1 for size in slot.sizes))
    return var.take(cheapest_per_key([c.site.take(var), *signature], widths, cost.take(var)))


def _solve_relaxed(slot: _Slot, active: list[NDArray[np.bool_]]) -> tuple[NDArray[np.intp], bool]:
    """Optimal choice (both stages) with capacities enforced on ``active`` only, and
    whether the node limit stopped either stage before optimality was proved."""
    # scipy's solver and sparse matrices load on first use (~0.1 s): the console's
    # start-up imports this module for its status codes only
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix, vstack

    c, cost, inputs, caps = slot.c, slot.cost, slot.inputs, slot.caps
    involved = _involved(slot, active)
    var = _variables(slot, involved, active)
    site_of = c.site.take(var)  # nondecreasing: var is increasing
    sub_sites, site_row = site_of.take(group_starts(site_of)), run_index(site_of)
    n = var.size
    d = inputs.demand_mbps[c.site[var]] / 1000.0
    rows = [csr_matrix((np.ones(n), (site_row, np.arange(n))), shape=(sub_sites.size, n))]
    upper = [np.ones(sub_sites.size)]
    for res, cap, act in zip(_resources(c, var), caps, active, strict=True):
        cols = np.flatnonzero(act[res])
        used, row = dense_unique(res[cols], cap.size)
        if used.size:
            rows.append(csr_matrix((d[cols], (row, cols)), shape=(used.size, n)))
            upper.append(cap[used])
    a = vstack(rows).tocsr()
    ub = np.concatenate(upper)
    value = slot.site_value[c.site[var]]
    cons = [LinearConstraint(a, -np.inf, ub)]
    stage_1 = milp(-value, constraints=cons, integrality=np.ones(n), bounds=Bounds(0, 1),
                   options={"node_limit": NODE_LIMIT})  # fmt: skip
    if stage_1.x is None:
        raise RuntimeError(f"assignment solver failed: {stage_1.message}")
    # stage 2: the sites stage 1 served stay served (each exactly once), the others
    # unserved; among those assignments, the lowest summed cost
    kept = np.zeros(sub_sites.size)
    np.maximum.at(kept, site_row, (stage_1.x > 0.5).astype(float))
    lower = np.concatenate([kept, np.full(ub.size - kept.size, -np.inf)])
    upper_2 = np.concatenate([kept, ub[kept.size :]])
    stage_2 = milp(
        cost[var],
        constraints=[LinearConstraint(a, lower, upper_2)],
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": SECOND_STAGE_GAP, "node_limit": NODE_LIMIT},
    )
    x = stage_2.x if stage_2.x is not None else stage_1.x
    picked = var[x > 0.5]
    out = slot.chosen.copy()
    out[involved] = -1
    out[c.site[picked]] = picked
    return out, bool(stage_1.status != 0 or stage_2.status != 0)


def _rounded(
    slot: _Slot, active: list[NDArray[np.bool_]], involved: NDArray[np.bool_]
) -> NDArray[np.intp]:
    """The choice of ``rounded_assignment`` with capacities on ``active``: the sites
    with no path through an active resource (not ``involved``) keep their cheapest path."""
    c = slot.c
    var = _variables(slot, involved, active)
    site_row = run_index(c.site.take(var))  # nondecreasing: var is increasing
    rows = np.full((3, var.size), -1, dtype=np.intp)
    capacity, offset = [], 0
    for kind, (res, cap, act) in enumerate(zip(_resources(c, var), slot.caps, active,
                                               strict=True)):  # fmt: skip
        on = np.flatnonzero(act[res])
        used, row = dense_unique(res[on], cap.size)
        rows[kind, on] = offset + row
        capacity.append(cap[used])
        offset += used.size
    sites = c.site[var]
    lp = SlotLp(site_row.astype(np.intp), int(site_row.max(initial=-1)) + 1, rows,
                np.concatenate(capacity), slot.demand_gbps[sites], slot.site_value[sites],
                slot.cost[var])  # fmt: skip
    picked = var[rounded_choice(lp)]
    out = slot.chosen.copy()
    out[involved] = -1
    out[c.site[picked]] = picked
    return out


def _choice(
    c: Candidates, chosen: NDArray[np.intp], inputs: PlanInputs, limited: bool = False
) -> SlotChoice:
    k = len(inputs.sites)
    ok = chosen >= 0
    idx = chosen[ok]
    satellite = np.full(k, -1, dtype=np.intp)
    gateway = np.full(k, -1, dtype=np.intp)
    region = np.full(k, -1, dtype=np.intp)
    rtt, rtt_start, rtt_end = np.full(k, np.nan), np.full(k, np.nan), np.full(k, np.nan)
    satellite[ok], gateway[ok], region[ok] = c.satellite[idx], c.gateway[idx], c.region[idx]
    rtt[ok], rtt_start[ok], rtt_end[ok] = c.rtt_ms[idx], c.rtt_start_ms[idx], c.rtt_end_ms[idx]
    has_candidate = np.bincount(c.site, minlength=k) > 0
    status = np.full(k, SERVED, dtype=np.uint8)
    status[~ok & has_candidate] = CAPACITY
    no_path = ~ok & ~has_candidate
    status[no_path & c.gateway_reachable] = RESIDENCY
    status[no_path & ~c.gateway_reachable] = NO_GATEWAY
    status[no_path & ~c.satellite_in_view] = NO_SATELLITE
    return SlotChoice(satellite, gateway, region, rtt, status, rtt_start, rtt_end, limited)

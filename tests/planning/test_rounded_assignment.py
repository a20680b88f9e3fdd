"""The scalable assignment (LP by column generation, rounded and repaired) against the
exact two-stage MILP on a fixed set of congested slots: priority-weighted served demand
within 0.5 % of the MILP's, summed round trip within 2 %, every capacity held."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pytest

from benchmarks.land_sites import land_sites
from opsconsole.core.catalog import CustomerSite, SiteSpec, embedded_network
from opsconsole.core.element_sets import ElementSet
from opsconsole.planning import assignment, rounded_assignment, slot_runner
from opsconsole.planning.assignment import CAPACITY, SERVED, SlotChoice, assign_slot
from opsconsole.planning.inputs import PlanInputs, build_inputs
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.planner import plan
from tests.conftest import SYNTHETIC_EPOCH

pytestmark = pytest.mark.slow
SLOTS = 20
VALUE_LOSS_MAX = 0.005
"""Served priority-weighted demand may be at most 0.5 % below the MILP's."""
UNPOLISHED_LOSS_MAX = 0.01
"""Without the polishing MILP, at most 1 % below (the issue's 0.5 % is not met there)."""
RTT_SUM_MAX = 0.02
"""The summed round trip of the served sites may be at most 2 % above the MILP's."""

Captured = tuple[PlanInputs, PlanParameters, list[tuple[Any, int, SlotChoice | None]]]


@pytest.fixture(scope="module")
def congested(synthetic_elements: ElementSet) -> Captured:
    """Twenty 15 s slots of 2,000 land sites (50-1,000 Mbps, priorities 1-3) on the
    synthetic constellation: every slot is congested."""
    rng = np.random.default_rng(11)
    lat, lon = land_sites(2000, seed=5)
    demand, priority = rng.uniform(50.0, 1000.0, lat.size), rng.integers(1, 4, lat.size)
    sites = [CustomerSite(i, "c", SiteSpec(f"s{i}", float(lat[i]), float(lon[i]),
                                           demand_mbps=float(demand[i]),
                                           priority=int(priority[i])))
             for i in range(lat.size)]  # fmt: skip
    params = PlanParameters(start=SYNTHETIC_EPOCH + timedelta(hours=3), duration_s=15.0 * SLOTS,
                            step_s=15.0)  # fmt: skip
    inputs = build_inputs(sites, embedded_network(), params)
    caught: list[tuple[Any, int, SlotChoice | None]] = []
    exact = slot_runner.assign_slot

    def keep(c: Any, inputs_: PlanInputs, params_: PlanParameters, n: int,
             previous: SlotChoice | None = None) -> SlotChoice:  # fmt: skip
        caught.append((c, n, previous))
        return exact(c, inputs_, params_, n, previous, method="exact")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(slot_runner, "assign_slot", keep)
        plan(synthetic_elements, inputs, params, workers=1)
    return inputs, params, caught


def _value(inputs: PlanInputs, params: PlanParameters) -> np.ndarray:  # type: ignore[type-arg]
    weight = np.array([params.priority_weights.get(int(p), 1.0) for p in inputs.priority])
    return weight * inputs.demand_mbps


def _fits(choice: SlotChoice, inputs: PlanInputs, params: PlanParameters, n: int) -> bool:
    served = choice.status == SERVED
    demand = inputs.demand_mbps[served] / 1000.0
    tol = 1 + 1e-9
    sat = np.bincount(choice.satellite[served], demand, n) <= params.satellite_capacity_gbps * tol
    gw = np.bincount(choice.gateway[served], demand, len(inputs.gateway_ids))
    return bool(sat.all() and (gw <= inputs.gateway_capacity_gbps * tol).all())


def _quality(congested: Captured) -> tuple[list[float], list[float]]:
    """Per slot: the share of served value the rounded LP loses against the MILP, and
    how much more summed round trip it has."""
    inputs, params, caught = congested
    value = _value(inputs, params)
    losses, rtt_growth = [], []
    for c, n, previous in caught:
        exact = assign_slot(c, inputs, params, n, previous, method="exact")
        rounded = assign_slot(c, inputs, params, n, previous, method="rounded")
        assert (exact.status == CAPACITY).any(), "every slot of the fixture is congested"
        assert rounded.limited  # optimality is not proved, and the plan says so
        assert _fits(rounded, inputs, params, n)
        assert np.array_equal(rounded.status == SERVED, rounded.satellite >= 0)
        e, r = exact.status == SERVED, rounded.status == SERVED
        losses.append(1.0 - value[r].sum() / value[e].sum())
        rtt_growth.append(np.nansum(rounded.rtt_ms[r]) / np.nansum(exact.rtt_ms[e]) - 1.0)
    assert len(losses) == SLOTS
    return losses, rtt_growth


def test_rounded_is_within_the_bounds_of_the_exact_optimum(congested: Captured) -> None:
    """With the polishing MILP (these slots have fewer paths than its limit)."""
    losses, rtt_growth = _quality(congested)
    assert max(losses) <= VALUE_LOSS_MAX, losses
    assert max(rtt_growth) <= RTT_SUM_MAX, rtt_growth


def test_unpolished_rounding_stays_within_one_percent(
    congested: Captured, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What runs on slots too large to polish: measured worst 0.58 % here (one slot of
    twenty), within 0.4 % on twenty slots of the real network (docs/planning.md)."""
    monkeypatch.setattr(rounded_assignment, "POLISH_COLUMNS_MAX", 0)
    losses, rtt_growth = _quality(congested)
    assert max(losses) <= UNPOLISHED_LOSS_MAX, losses
    assert max(rtt_growth) <= RTT_SUM_MAX, rtt_growth


def test_rounded_is_deterministic(congested: Captured) -> None:
    inputs, params, caught = congested
    c, n, previous = caught[7]
    first = assign_slot(c, inputs, params, n, previous, method="rounded")
    again = assign_slot(c, inputs, params, n, previous, method="rounded")
    for name in ("satellite", "gateway", "region", "status"):
        assert np.array_equal(getattr(first, name), getattr(again, name))


def test_auto_switches_to_the_rounded_lp_above_the_exact_size(
    congested: Captured, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs, params, caught = congested
    c, n, previous = caught[3]
    assert not assign_slot(c, inputs, params, n, previous).limited  # small enough: exact
    monkeypatch.setattr(assignment, "EXACT_SITES_MAX", 100)  # these slots have ~1,000
    auto = assign_slot(c, inputs, params, n, previous)
    rounded = assign_slot(c, inputs, params, n, previous, method="rounded")
    assert auto.limited and np.array_equal(auto.satellite, rounded.satellite)
    with pytest.raises(ValueError, match="unknown assignment method 'fast'"):
        assign_slot(c, inputs, params, n, previous, method="fast")

"""N-1 contingencies: the elements a plan uses, impacts recomputed by hand, and every
study figure against a plan made independently without the element."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest

from opsconsole.core.catalog import demo_sites, embedded_network
from opsconsole.core.constellation_structure import constellation_structure
from opsconsole.core.element_sets import ElementSet
from opsconsole.jobs.part_executor import InProcess, LocalPool
from opsconsole.planning.assignment import NO_SATELLITE, SERVED
from opsconsole.planning.contingency import Impact, contingencies, impact, ranked
from opsconsole.planning.contingency_runs import new_job, run_study, with_contingencies
from opsconsole.planning.inputs import Exclusion, PlanInputs, build_inputs
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.planner import PlanResult, plan
from tests.conftest import SYNTHETIC_EPOCH

START = SYNTHETIC_EPOCH + timedelta(hours=5)
PARAMS = PlanParameters(start=START, duration_s=1800.0, step_s=60.0)


@pytest.fixture(scope="module")
def demo() -> PlanInputs:
    return build_inputs(list(demo_sites()), embedded_network(), PARAMS)


@pytest.fixture(scope="module")
def base(synthetic_elements: ElementSet, demo: PlanInputs) -> PlanResult:
    return plan(synthetic_elements, demo, PARAMS)


def _result(status: np.ndarray) -> PlanResult:
    served = status == SERVED
    return PlanResult(
        START, 60.0,
        np.where(served, 0, -1).astype(np.int32), np.where(served, 0, -1).astype(np.int16),
        np.where(served, 0, -1).astype(np.int16),
        np.where(served, 30.0, np.nan).astype(np.float32), status.astype(np.uint8),
    )  # fmt: skip


def test_impact_by_hand(demo: PlanInputs) -> None:
    """Every site served in all 10 slots; without the element, site 0 loses 3 slots and
    site 1 loses 10: the lost value is their weight x demand x slots over the total."""
    slots, k = 10, len(demo.site_ids)
    full = np.full((slots, k), SERVED, np.uint8)
    cut = full.copy()
    cut[:3, 0] = NO_SATELLITE
    cut[:, 1] = NO_SATELLITE
    got = impact(_result(full), _result(cut), demo, PARAMS)
    weight = np.array([PARAMS.priority_weights[int(p)] for p in demo.priority])
    value = weight * demo.demand_mbps
    expected = 100.0 * (3 * value[0] + 10 * value[1]) / (slots * value.sum())
    assert got.lost_weighted_pct == pytest.approx(expected, rel=1e-12)
    mbps_h = (3 * demo.demand_mbps[0] + 10 * demo.demand_mbps[1]) * 60.0 / 3600.0
    assert got.lost_demand_mbps_h == pytest.approx(mbps_h, rel=1e-12)
    assert got.worst_site == 1 and got.worst_drop_pct == pytest.approx(100.0)
    # availability 70 % and 0 %: both miss any objective above 70 %
    assert set(got.sites_losing_availability) == {
        i for i in (0, 1) if demo.min_availability_pct[i] > (70.0 if i == 0 else 0.0)
    }
    assert 1 in got.sites_losing_rtt  # never served: no round trip can meet its objective
    same = impact(_result(full), _result(full), demo, PARAMS)
    assert same.lost_weighted_pct == 0.0 and same.worst_site == -1 and not same.sites_hurt


def test_contingencies_are_the_elements_in_use(
    synthetic_elements: ElementSet, demo: PlanInputs, base: PlanResult
) -> None:
    structure = constellation_structure(synthetic_elements, START)
    found = contingencies(base, demo, synthetic_elements.norad_ids, structure)
    served = base.status == SERVED
    used_gateways = {demo.gateway_ids[g] for g in np.unique(base.gateway[served])}
    assert {c.element_id for c in found if c.kind == "gateway"} == used_gateways
    by_kind = [c.kind for c in found]
    assert by_kind == sorted(by_kind, key=("gateway", "pop", "region", "plane").index)
    for c in found:
        if c.kind == "pop":  # every gateway homed to the PoP, and only those
            homed = {g for g, p in zip(demo.gateway_ids, demo.gateway_pop_ids, strict=True)
                     if p == c.element_id}  # fmt: skip
            assert {e.key for e in c.exclusions} == homed
        if c.kind == "plane":
            shell, number = map(int, c.element_id.split(":"))
            index = {int(n): i for i, n in enumerate(synthetic_elements.norad_ids)}
            members = {index[int(e.key)] for e in c.exclusions}
            assert members == set(
                np.flatnonzero((structure.shell == shell) & (structure.plane == number))
            )
    with pytest.raises(ValueError, match="unknown contingency kind 'moon'"):
        contingencies(base, demo, synthetic_elements.norad_ids, structure, ["moon"])


def test_study_figures_match_independent_replans(
    synthetic_elements: ElementSet, demo: PlanInputs, base: PlanResult
) -> None:
    """The study's impact of each gateway equals planning the window again without it
    here, by hand; an unused gateway (not studied) costs nothing."""
    structure = constellation_structure(synthetic_elements, START)
    found = [c for c in contingencies(base, demo, synthetic_elements.norad_ids, structure)
             if c.kind in ("gateway", "pop")][:6]  # fmt: skip
    job = with_contingencies(new_job(synthetic_elements, demo, PARAMS, ()), found)
    here = run_study(job, InProcess())
    pooled = run_study(replace(job, token="other"), LocalPool(2))
    assert here == pooled  # where a task ran changes nothing
    served = base.status == SERVED
    weight = np.array([PARAMS.priority_weights[int(p)] for p in demo.priority])
    value = weight * demo.demand_mbps
    for c, got in zip(found, here, strict=True):
        without = plan(synthetic_elements, demo, PARAMS, c.exclusions)
        kept = without.status == SERVED
        lost = (served * value).sum() - (kept * value).sum()
        assert got.lost_weighted_pct == pytest.approx(100 * lost / (served * value).sum())
    used = {demo.gateway_ids[g] for g in np.unique(base.gateway[served])}
    live = [g for g, ok in zip(demo.gateway_ids, demo.gateway_live, strict=True) if ok]
    unused = [g for g in live if g not in used][:2]
    assert unused
    for gid in unused:
        without = plan(synthetic_elements, demo, PARAMS, (Exclusion("gateway", gid),))
        assert impact(base, without, demo, PARAMS).lost_weighted_pct == pytest.approx(0.0)


def test_ranking_is_worst_first_and_stable() -> None:
    def hit(pct: float, sites: tuple[int, ...] = (), mbps_h: float = 0.0) -> Impact:
        return Impact(pct, mbps_h, sites, (), -1, 0.0)

    impacts = [hit(0.0), hit(2.5), hit(2.5, (1, 2)), hit(0.0, (), 5.0), hit(0.0)]
    assert ranked(impacts) == [2, 1, 3, 0, 4]

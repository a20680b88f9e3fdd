"""The same inputs give the same plan under any load: the solver has work limits, never
wall-clock limits, and a window split over processes equals the one-process plan."""

from __future__ import annotations

import multiprocessing
import time
from datetime import timedelta
from typing import Any

import numpy as np
import pytest

from opsconsole.core.catalog import demo_sites, embedded_network
from opsconsole.core.element_sets import ElementSet
from opsconsole.planning import assignment
from opsconsole.planning.assignment import CAPACITY
from opsconsole.planning.inputs import PlanInputs, build_inputs
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.planner import RESULT_ARRAYS, PlanResult, plan
from tests.conftest import SYNTHETIC_EPOCH

pytestmark = pytest.mark.slow


def _burn(seconds: float) -> None:
    """Keep one core busy (a neighbour competing for the CPU)."""
    end = time.perf_counter() + seconds
    x = 0
    while time.perf_counter() < end:
        x += 1


def _congested() -> tuple[PlanInputs, PlanParameters]:
    sites = demo_sites()
    params = PlanParameters(
        start=SYNTHETIC_EPOCH + timedelta(hours=5), duration_s=900.0, step_s=15.0,
        satellite_capacity_gbps=0.5,
    )  # fmt: skip
    return build_inputs(sites, embedded_network(), params), params


def _same(a: PlanResult, b: PlanResult) -> None:
    for name in RESULT_ARRAYS:
        x, y = getattr(a, name), getattr(b, name)
        assert x.tobytes() == y.tobytes(), name


def test_a_congested_window_plans_identically_beside_a_cpu_burner(
    synthetic_elements: ElementSet,
) -> None:
    inputs, params = _congested()
    quiet = plan(synthetic_elements, inputs, params)
    assert (quiet.status == CAPACITY).any()  # the solver really ran
    context = multiprocessing.get_context("spawn")
    burners: list[Any] = [context.Process(target=_burn, args=(120.0,)) for _ in range(2)]
    for burner in burners:
        burner.start()
    try:
        busy = plan(synthetic_elements, inputs, params)
    finally:
        for burner in burners:
            burner.terminate()
            burner.join()
    _same(quiet, busy)
    split = plan(synthetic_elements, inputs, params, workers=2)
    _same(quiet, split)


def test_a_work_limit_that_stops_the_search_is_reported_and_repeatable(
    synthetic_elements: ElementSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One satellite and 40 sites whose demands make a subset-sum problem: HiGHS must
    branch, so a limit of one node stops it before it proves the optimum."""
    from opsconsole.core.element_sets import build_element_set
    from opsconsole.core.propagation import propagate
    from opsconsole.core.timescale import time_at
    from tests.planning.ground import gateway, network, region, site
    from tests.planning.test_assignment_scenarios import T0

    single = build_element_set([synthetic_elements.records[0]], "one satellite")
    eph = propagate(single, time_at(T0), geodetic=True)
    lat, lon = float(eph.lat_deg[0, 0]), float(eph.lon_deg[0, 0])
    params = PlanParameters(start=T0, duration_s=15.0, step_s=15.0, satellite_capacity_gbps=20.0111)
    stopped = 0
    for seed in range(5):  # random subset-sum instances: most need branching
        rng = np.random.default_rng(seed)
        demand = rng.integers(300, 3000, 40) + 0.1 * np.arange(40)
        sites = [site(i, lat + rng.uniform(-1, 1), lon + rng.uniform(-1, 1),
                      demand_mbps=float(demand[i])) for i in range(40)]  # fmt: skip
        ground = network([gateway("g", lat, lon + 0.3, "AA", "r")],
                         [region("r", lat, lon + 1.0, "AA")])  # fmt: skip
        inputs = build_inputs(sites, ground, params)
        monkeypatch.setattr(assignment, "NODE_LIMIT", 2_000)
        proved = plan(single, inputs, params)
        assert proved.limited is not None and not proved.limited.any()
        monkeypatch.setattr(assignment, "NODE_LIMIT", 1)
        first = plan(single, inputs, params)
        again = plan(single, inputs, params)
        assert first.limited is not None
        stopped += int(first.limited.all())
        _same(first, again)
        # a stopped search still respects the capacity
        served = first.status[0] == 0
        assert inputs.demand_mbps[served].sum() / 1000.0 <= 20.0111 + 1e-9
    assert stopped >= 2

"""Hand-built scenarios whose optimum is known: one satellite overhead, sites, gateways
and regions placed around its sub-satellite point."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pytest

from opsconsole.core.element_sets import build_element_set
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import time_at
from opsconsole.planning.assignment import CAPACITY, NO_GATEWAY, RESIDENCY, SERVED
from opsconsole.planning.inputs import Exclusion, Pin, build_inputs
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.planner import plan
from tests.conftest import SYNTHETIC_EPOCH
from tests.planning.ground import gateway as _gateway
from tests.planning.ground import homed, network, with_spec
from tests.planning.ground import region as _region
from tests.planning.ground import site as _site

T0 = SYNTHETIC_EPOCH + timedelta(hours=2)


@pytest.fixture(scope="module")
def overhead(synthetic_elements) -> tuple[Any, float, float]:  # type: ignore[no-untyped-def]
    single = build_element_set([synthetic_elements.records[0]], "one satellite")
    eph = propagate(single, time_at(T0), geodetic=True)
    return single, float(eph.lat_deg[0, 0]), float(eph.lon_deg[0, 0])


def _params(**kw: Any) -> PlanParameters:
    return PlanParameters(**{"start": T0, "duration_s": 60.0, "step_s": 60.0, **kw})


def test_priority_wins_a_satellite_with_room_for_one_site(overhead) -> None:  # type: ignore[no-untyped-def]
    single, lat, lon = overhead
    sites = [_site(1, lat + 0.3, lon, priority=3), _site(2, lat - 0.3, lon, priority=1)]
    gateways = [_gateway("g", lat, lon + 0.5, "AA", "r")]
    regions = [_region("r", lat, lon + 1.0, "AA")]
    tight = _params(satellite_capacity_gbps=0.1)  # 100 Mbps: one 80 Mbps site only
    result = plan(single, build_inputs(sites, network(gateways, regions), tight), tight)
    assert result.status[0].tolist() == [CAPACITY, SERVED]
    roomy = _params(satellite_capacity_gbps=0.2)
    result = plan(single, build_inputs(sites, network(gateways, regions), roomy), roomy)
    assert result.status[0].tolist() == [SERVED, SERVED]


def test_residency_forbids_the_nearest_region(overhead) -> None:  # type: ignore[no-untyped-def]
    single, lat, lon = overhead
    gateways = [_gateway("g", lat, lon + 0.5, "AA", "near;far")]
    regions = [_region("near", lat, lon + 1.0, "BB"), _region("far", lat + 25.0, lon, "AA")]
    params, ground = _params(), network(gateways, regions)
    free = plan(single, build_inputs([_site(1, lat, lon)], ground, params), params)
    bound = plan(single, build_inputs([_site(1, lat, lon, residency="AA")], ground, params), params)
    assert free.region[0, 0] == 0 and bound.region[0, 0] == 1
    assert bound.rtt_ms[0, 0] > free.rtt_ms[0, 0] + 20.0  # 2,800 km more fibre each way
    # a site that must stay in BB cannot land at an AA gateway at all
    landing = plan(single, build_inputs([_site(1, lat, lon, residency="BB")], ground, params),
                   params)  # fmt: skip
    assert landing.status[0, 0] == RESIDENCY and landing.satellite[0, 0] == -1


def test_an_impossible_rtt_objective_is_reported_not_hidden(overhead) -> None:  # type: ignore[no-untyped-def]
    single, lat, lon = overhead
    sites = [_site(1, lat, lon, max_rtt_ms=2.0), _site(2, lat, lon + 0.2)]
    params = _params()
    inputs = build_inputs(
        sites,
        network([_gateway("g", lat, lon + 0.5, "AA", "r")], [_region("r", lat, lon + 1.0, "AA")]),
        params,
    )
    result = plan(single, inputs, params)
    assert (result.status[0] == SERVED).all()
    assert result.slo_miss(inputs.max_rtt_ms)[0].tolist() == [True, False]
    assert result.rtt_ms[0, 0] > 2.0


def test_a_gateway_outage_moves_sites_to_another_gateway(overhead) -> None:  # type: ignore[no-untyped-def]
    single, lat, lon = overhead
    sites = [_site(1, lat, lon), _site(2, lat + 0.2, lon)]
    gateways = [_gateway("near", lat, lon + 0.3, "AA", "r"),
                _gateway("far", lat, lon - 2.0, "AA", "r")]  # fmt: skip
    regions = [_region("r", lat, lon + 1.0, "AA")]
    params = _params(duration_s=60.0, step_s=15.0)
    inputs = build_inputs(sites, network(gateways, regions), params)
    normal = plan(single, inputs, params)
    assert (normal.gateway == 0).all()
    outage = [Exclusion("gateway", "near", T0 + timedelta(seconds=30), None)]
    moved = plan(single, inputs, params, outage)
    assert (moved.gateway[:2] == 0).all() and (moved.gateway[2:] == 1).all()
    assert (moved.rtt_ms[2:] > normal.rtt_ms[2:]).all()
    pinned = build_inputs(
        sites, network(gateways, regions), params, pins=[Pin(2, "gateway", "far")]
    )
    result = plan(single, pinned, params)
    assert (result.gateway[:, 0] == 0).all() and (result.gateway[:, 1] == 1).all()
    with pytest.raises(ValueError, match="not in the plan"):
        plan(single, inputs, params, [Exclusion("gateway", "nowhere")])


def test_a_full_region_sends_sites_to_another_allowed_region(overhead) -> None:  # type: ignore[no-untyped-def]
    """Two 80 Mbps sites, one gateway backhauling to a near region (zone AA) and a far one
    (zone BB); the near region takes 0.1 Gbps. Site 2 must stay in AA, site 1 may go
    anywhere: the unique optimum serves both, site 1 through the far region. When both
    must stay in AA, one is unserved for capacity and priority picks which."""
    single, lat, lon = overhead
    sites = [_site(1, lat, lon, priority=3), _site(2, lat + 0.2, lon, priority=1,
                                                  residency="AA")]  # fmt: skip
    gateways = [_gateway("g", lat, lon + 0.5, "AA", "near;far")]
    regions = [_region("near", lat, lon + 1.0, "AA"), _region("far", lat + 10.0, lon, "BB")]
    free = _params()
    result = plan(single, build_inputs(sites, network(gateways, regions), free), free)
    assert result.region[0].tolist() == [0, 0]
    limited = _params(region_ingress_gbps={"near": 0.1})
    result = plan(single, build_inputs(sites, network(gateways, regions), limited), limited)
    assert result.status[0].tolist() == [SERVED, SERVED]
    assert result.region[0].tolist() == [1, 0]
    assert result.rtt_ms[0, 0] > result.rtt_ms[0, 1] + 10.0  # 1,100 km more fibre each way
    both_aa = [with_spec(site, residency="AA") for site in sites]
    result = plan(single, build_inputs(both_aa, network(gateways, regions), limited), limited)
    assert result.status[0].tolist() == [CAPACITY, SERVED]
    both = _params(region_ingress_gbps={"near": 0.1, "far": 0.05})
    result = plan(single, build_inputs(sites, network(gateways, regions), both), both)
    assert result.status[0].tolist() == [CAPACITY, SERVED]
    with pytest.raises(ValueError, match="unknown region 'nowhere'"):
        build_inputs(
            sites, network(gateways, regions), _params(region_ingress_gbps={"nowhere": 1.0})
        )
    with pytest.raises(ValueError, match="finite number"):
        _params(region_ingress_gbps={"near": -1.0})


def test_same_inputs_same_plan(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    from opsconsole.core.catalog import demo_sites, embedded_network

    sites = demo_sites()
    params = PlanParameters(step_s=60.0, start=T0, duration_s=600.0)
    inputs = build_inputs(sites, embedded_network(), params)
    first = plan(synthetic_elements, inputs, params)
    second = plan(synthetic_elements, inputs, params)
    for name in ("satellite", "gateway", "region", "status"):
        assert np.array_equal(getattr(first, name), getattr(second, name))
    assert np.array_equal(first.rtt_ms, second.rtt_ms, equal_nan=True)
    assert (first.status == SERVED).mean() > 0.5


def test_two_processes_give_the_one_process_plan(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    from opsconsole.core.catalog import demo_sites, embedded_network

    sites = demo_sites()
    params = PlanParameters(step_s=60.0, start=T0, duration_s=7200.0)
    inputs = build_inputs(sites, embedded_network(), params)
    one = plan(synthetic_elements, inputs, params)
    two = plan(synthetic_elements, inputs, params, workers=2)
    for name in ("satellite", "gateway", "region", "status"):
        assert np.array_equal(getattr(one, name), getattr(two, name)), name
    assert np.array_equal(one.rtt_ms, two.rtt_ms, equal_nan=True)


def test_more_parts_than_processes_give_the_one_process_plan(  # type: ignore[no-untyped-def]
    synthetic_elements, monkeypatch
) -> None:
    """Four parts of 30 slots on two processes under ``rtt`` (each later part warmed up
    and stitched, some while the parts before are still running): every result array
    equal, byte for byte. (``dwell`` parts: ``test_handover_policy``.)"""
    from opsconsole.core.catalog import demo_sites, embedded_network
    from opsconsole.planning import planner

    monkeypatch.setattr(planner, "PART_S", 1800.0)
    monkeypatch.setattr(planner, "MIN_SLOTS_PER_PART", 20)
    params = PlanParameters(step_s=60.0, start=T0, duration_s=7200.0, handover_policy="rtt")
    inputs = build_inputs(demo_sites(), embedded_network(), params)
    assert planner._bounds(params.slots, 2, 0, 60.0) == [0, 30, 60, 90, 120]
    one = plan(synthetic_elements, inputs, params)
    two = plan(synthetic_elements, inputs, params, workers=2)
    for name in planner.RESULT_ARRAYS:
        assert getattr(one, name).tobytes() == getattr(two, name).tobytes(), name


def _fibre_ms(km: float) -> float:
    """Round trip (ms) over ``km`` of fibre, from first principles: 2 d n / c."""
    return 2.0 * km * 1.468 / 299_792.458 * 1000.0


def test_a_gateway_homing_to_a_distant_pop_pays_for_the_detour(overhead) -> None:  # type: ignore[no-untyped-def]
    """Same satellite, gateway and region; only the PoP moves 10 deg of latitude away.
    The round trip grows by exactly the extra fibre (gateway -> PoP and PoP -> region,
    each great circle x its route factor), computed here by hand."""
    single, lat, lon = overhead
    gateway = _gateway("g", lat, lon + 0.5, "AA", "r")
    regions = [_region("r", lat, lon + 1.0, "AA")]
    params = _params()
    near = homed(gateway, lat, lon + 1.0, "AA")  # PoP beside the region
    far = homed(gateway, lat + 10.0, lon + 1.0, "AA")
    site = [_site(1, lat, lon)]
    a = plan(single, build_inputs(site, network([near], regions), params), params)
    b = plan(single, build_inputs(site, network([far], regions), params), params)
    assert a.status[0, 0] == b.status[0, 0] == SERVED

    def gc_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
        p1, p2, dl = np.radians(lat1), np.radians(lat2), np.radians(lon2 - lon1)
        h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
        return float(2 * 6371.0088 * np.arcsin(np.sqrt(h)))

    def route_km(pop_lat: float) -> float:
        return 1.5 * gc_km(lat, lon + 0.5, pop_lat, lon + 1.0) + 1.5 * gc_km(
            pop_lat, lon + 1.0, lat, lon + 1.0)  # fmt: skip

    expected = _fibre_ms(route_km(lat + 10.0) - route_km(lat))
    assert expected > 30.0  # about 2 x 2 x 1,110 km x 1.5 of fibre
    assert float(b.rtt_ms[0, 0] - a.rtt_ms[0, 0]) == pytest.approx(expected, abs=1e-3)


def test_a_pop_outside_the_sites_residency_refuses_the_path(overhead) -> None:  # type: ignore[no-untyped-def]
    """The nearer gateway is in the allowed zone but hands traffic to a PoP in another:
    the site must use the farther gateway whose PoP is allowed, or go unserved."""
    single, lat, lon = overhead
    regions = [_region("r", lat, lon + 1.0, "AA")]
    near = homed(_gateway("near", lat, lon + 0.3, "AA", "r"), lat, lon + 0.4, "BB")
    far = homed(_gateway("far", lat, lon - 2.0, "AA", "r"), lat, lon - 2.1, "AA")
    params = _params()
    site = [_site(1, lat, lon, residency="AA")]
    both = plan(single, build_inputs(site, network([near, far], regions), params), params)
    assert both.status[0, 0] == SERVED and both.gateway[0, 0] == 1
    free = plan(
        single, build_inputs([_site(1, lat, lon)], network([near, far], regions), params), params
    )
    assert free.gateway[0, 0] == 0  # without the rule the nearer gateway wins
    alone = plan(single, build_inputs(site, network([near], regions), params), params)
    assert alone.status[0, 0] == RESIDENCY and alone.satellite[0, 0] == -1


def test_planned_gateways_serve_only_in_the_what_if(overhead) -> None:  # type: ignore[no-untyped-def]
    single, lat, lon = overhead
    regions = [_region("r", lat, lon + 1.0, "AA")]
    planned = _gateway("new", lat, lon + 0.3, "AA", "r", status="planned")
    live = _gateway("old", lat, lon - 2.0, "AA", "r")
    site = [_site(1, lat, lon)]
    today = _params()
    what_if = _params(include_planned_gateways=True)
    now = plan(single, build_inputs(site, network([planned, live], regions), today), today)
    later = plan(single, build_inputs(site, network([planned, live], regions), what_if), what_if)
    assert now.gateway[0, 0] == 1 and later.gateway[0, 0] == 0
    assert later.rtt_ms[0, 0] < now.rtt_ms[0, 0]
    only = plan(single, build_inputs(site, network([planned], regions), today), today)
    assert only.status[0, 0] == NO_GATEWAY

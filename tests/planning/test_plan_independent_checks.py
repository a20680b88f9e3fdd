"""A real run checked independently: skyfield elevations at sampled served slots,
capacities in every slot, residency and backhaul on every served row."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

import numpy as np
import pytest
from skyfield.api import EarthSatellite, wgs84

from opsconsole.core.catalog import cloud_regions, demo_customers, gateways
from opsconsole.core.timescale import time_at, timescale
from opsconsole.planning.assignment import SERVED
from opsconsole.planning.inputs import build_inputs
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.planner import plan
from tests.conftest import SYNTHETIC_EPOCH

pytestmark = pytest.mark.slow
MASK_TOLERANCE_DEG = 0.01
"""Our elevations and skyfield's agree to ~1e-6 deg; the margin only absorbs rounding."""


@pytest.fixture(scope="module")
def run(synthetic_elements):  # type: ignore[no-untyped-def]
    sites = [
        {**asdict(s), "id": i, "customer": c.name, "residency": ";".join(s.residency)}
        for i, (c, s) in enumerate((c, s) for c in demo_customers() for s in c.sites)
    ]
    gws = [{**asdict(g), "backhaul_regions": ";".join(g.backhaul_regions)} for g in gateways()]
    regions = [asdict(r) for r in cloud_regions()]
    # tight satellite capacity so that the solver path is exercised too
    params = PlanParameters(
        start=SYNTHETIC_EPOCH + timedelta(hours=5), duration_s=1800.0, satellite_capacity_gbps=0.5
    )
    inputs = build_inputs(sites, gws, regions, params)
    return (
        synthetic_elements,
        sites,
        gws,
        regions,
        params,
        inputs,
        plan(synthetic_elements, inputs, params),
    )


def test_sampled_served_slots_are_geometrically_valid(run) -> None:  # type: ignore[no-untyped-def]
    elements, sites, gws, _, _params, inputs, result = run
    slot, site = np.nonzero(result.status == SERVED)
    assert slot.size > 500
    rng = np.random.default_rng(1)
    ts = timescale()
    for j in rng.choice(slot.size, 150, replace=False):
        s, i = int(slot[j]), int(site[j])
        record = elements.records[int(result.satellite[s, i])]
        satellite = EarthSatellite(record.line1, record.line2, ts=ts)
        t = time_at(result.slot_start(s))
        place = wgs84.latlon(sites[i]["lat"], sites[i]["lon"], sites[i]["alt_m"])
        elevation = (satellite - place).at(t).altaz()[0].degrees
        assert elevation >= inputs.mask_deg[i] - MASK_TOLERANCE_DEG
        g = gws[int(result.gateway[s, i])]
        station = wgs84.latlon(g["lat"], g["lon"], g["alt_m"])
        assert (satellite - station).at(t).altaz()[0].degrees >= (
            g["min_elevation_deg"] - MASK_TOLERANCE_DEG
        )


def test_capacities_residency_and_backhaul_hold_everywhere(run) -> None:  # type: ignore[no-untyped-def]
    _, sites, gws, regions, params, inputs, result = run
    served = result.status == SERVED
    demand = inputs.demand_mbps / 1000.0
    congested = 0
    for s in range(result.slots):
        on = served[s]
        sat_load = np.bincount(result.satellite[s][on], demand[on])
        gw_load = np.bincount(result.gateway[s][on], demand[on], len(gws))
        assert sat_load.max(initial=0) <= params.satellite_capacity_gbps + 1e-9
        assert (gw_load <= inputs.gateway_capacity_gbps + 1e-9).all()
        congested += int((result.status[s] == 4).any())
    assert congested > 0  # the capacity rule actually bit
    for s, i in zip(*np.nonzero(served), strict=True):
        zones = {z for z in sites[i]["residency"].split(";") if z}
        g, r = gws[int(result.gateway[s, i])], regions[int(result.region[s, i])]
        assert r["id"] in g["backhaul_regions"].split(";")
        if zones:
            assert r["residency_zone"] in zones and g["residency_zone"] in zones

"""Real runs checked independently, where the planner does not look.

Every sampled scheduled interval is checked with skyfield (not the project's geometry)
at its start, its quarter points and its end: the site must see the satellite above its
mask and the satellite must see the gateway above the gateway's mask throughout. Runs
use 60 s slots, the longest, where a satellite moves furthest within a slot. Capacities,
residency and backhaul are checked on every slot.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest
from skyfield.api import EarthSatellite, wgs84

from benchmarks.land_sites import land_sites
from opsconsole.core.catalog import (
    CustomerSite,
    GroundNetwork,
    SiteSpec,
    demo_sites,
    embedded_network,
)
from opsconsole.core.element_sets import ElementSet
from opsconsole.core.timescale import timescale
from opsconsole.planning.assignment import SERVED
from opsconsole.planning.inputs import PlanInputs, build_inputs
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.planner import PlanResult, plan
from opsconsole.planning.schedule import intervals
from tests.conftest import SAMPLE_TIME, SYNTHETIC_EPOCH

pytestmark = pytest.mark.slow
MASK_TOLERANCE_DEG = 0.01
"""Our elevations and skyfield's agree to ~1e-6 deg; the margin only absorbs rounding."""
SAMPLED_INTERVALS = 300
FRACTIONS = (0.0, 0.25, 0.5, 0.75, 1.0)
"""Where each interval is checked: start, quarter points and end (its last slot's end)."""

Run = tuple[ElementSet, list[CustomerSite], GroundNetwork, PlanInputs, PlanResult]


NORTH_BLOCKED = "0:90;85:90;95:0;265:0;275:90"
"""A horizon that hides the whole northern half of the sky (a cliff, a superstructure)."""
CLEAR_AZIMUTHS = (85.0, 275.0)
"""Where a satellite over that horizon may be at all (the ramps included)."""


def _steep(sites: list[CustomerSite]) -> list[CustomerSite]:
    """Sites with a 40 deg terminal mask (a street canyon) and one whose horizon hides
    the whole north, beside ordinary ones (the last three sites), at three places of
    the demo customers that gateways serve (Saskatoon, Ames, Fargo)."""
    demo = demo_sites()

    def like(i: int, new_id: int, **fields: object) -> CustomerSite:
        return replace(demo[i], id=new_id, spec=replace(demo[i].spec, **fields))

    extra = [
        like(0, 900, name="40 deg mask A", min_elevation_deg=40.0),
        like(5, 901, name="40 deg mask B", min_elevation_deg=40.0),
        like(7, 902, name="north blocked", horizon=NORTH_BLOCKED),
    ]
    return [*sites, *extra]


@pytest.fixture(scope="module")
def synthetic_run(synthetic_elements: ElementSet) -> Run:
    sites, network = _steep(list(demo_sites())), embedded_network()
    # tight satellite capacity so that the solver path is exercised too
    params = PlanParameters(
        start=SYNTHETIC_EPOCH + timedelta(hours=5), duration_s=3600.0, step_s=60.0,
        satellite_capacity_gbps=0.5,
    )  # fmt: skip
    inputs = build_inputs(sites, network, params)
    return synthetic_elements, sites, network, inputs, plan(synthetic_elements, inputs, params)


@pytest.fixture(scope="module")
def real_run(sample_elements: ElementSet) -> Run:
    """The real snapshot over land sites the planner was never tuned on."""
    network = embedded_network()
    lat, lon = land_sites(150, seed=23)
    sites = [
        CustomerSite(i, "held-out", SiteSpec(f"land {i}", float(a), float(o), demand_mbps=50.0,
                                             max_rtt_ms=60.0, priority=3))
        for i, (a, o) in enumerate(zip(lat, lon, strict=True))
    ]  # fmt: skip
    sites = _steep(sites)
    params = PlanParameters(start=SAMPLE_TIME, duration_s=3600.0, step_s=60.0)
    inputs = build_inputs(sites, network, params)
    return sample_elements, sites, network, inputs, plan(sample_elements, inputs, params)


def _lowest_margins(run: Run, seed: int) -> tuple[int, float, float, set[int]]:
    """Check sampled served intervals with skyfield; returns how many were checked, the
    lowest site and gateway margins above the masks (deg) and the sites sampled."""
    elements, sites, network, _, result = run
    spans = intervals(result)
    served = np.flatnonzero(spans.served)
    assert served.size >= SAMPLED_INTERVALS, served.size
    rng = np.random.default_rng(seed)
    picked = rng.choice(served, SAMPLED_INTERVALS, replace=False)
    # the steep-mask and blocked-horizon sites are always among those checked
    steep = [i for i in served if int(spans.site[i]) >= len(sites) - 3]
    picked = np.unique(np.r_[picked, steep])
    ts = timescale()
    cache: dict[int, EarthSatellite] = {}
    low_site = low_gw = np.inf
    for i in picked.tolist():
        s = int(spans.satellite[i])
        if s not in cache:
            record = elements.records[s]
            cache[s] = EarthSatellite(record.line1, record.line2, ts=ts)
        start, end = spans.start_utc(i), spans.end_utc(i)
        t = ts.from_datetimes([start + (end - start) * f for f in FRACTIONS])
        site, gw = sites[int(spans.site[i])].spec, network.gateways[int(spans.gateway[i])]
        place = wgs84.latlon(site.lat, site.lon, site.alt_m)
        station = wgs84.latlon(gw.lat, gw.lon, gw.alt_m)
        mask = site.min_elevation_deg or 25.0
        elevation, azimuth, _ = (cache[s] - place).at(t).altaz()
        up = elevation.degrees - mask
        if site.horizon == NORTH_BLOCKED:  # nowhere in the northern half
            lo, hi = CLEAR_AZIMUTHS
            up = np.minimum(up, np.minimum(azimuth.degrees - lo, hi - azimuth.degrees))
        down = (cache[s] - station).at(t).altaz()[0].degrees - gw.min_elevation_deg
        low_site, low_gw = min(low_site, float(up.min())), min(low_gw, float(down.min()))
    return picked.size, low_site, low_gw, {int(spans.site[i]) for i in picked}


@pytest.mark.parametrize(("which", "seed"), [("synthetic_run", 1), ("real_run", 2)])
def test_every_sampled_interval_holds_throughout(
    request: pytest.FixtureRequest, which: str, seed: int
) -> None:
    run: Run = request.getfixturevalue(which)
    checked, low_site, low_gw, seen = _lowest_margins(run, seed=seed)
    assert checked >= SAMPLED_INTERVALS
    assert low_site >= -MASK_TOLERANCE_DEG, f"a site lost its satellite by {-low_site:.3f} deg"
    assert low_gw >= -MASK_TOLERANCE_DEG, f"a gateway lost its satellite by {-low_gw:.3f} deg"
    assert {900, 901, 902} <= {run[1][i].id for i in seen}


def test_steep_masks_are_honoured_and_cost_service(synthetic_run: Run) -> None:
    """A 40 deg site is served less than the same place at 25 deg, never more."""
    _, sites, _, inputs, result = synthetic_run
    served = (result.status == SERVED).mean(axis=0)
    assert inputs.mask_deg[-2] == 40.0 and inputs.mask_deg[5] == 25.0
    assert sites[-2].spec.lat == sites[5].spec.lat and sites[-1].spec.lat == sites[7].spec.lat
    assert served[-2] <= served[5] and served[-3] <= served[0]
    assert served[-1] <= served[7]
    assert (result.status[:, -1] == SERVED).any()  # still served, from the south


def test_capacities_residency_and_backhaul_hold_everywhere(synthetic_run: Run) -> None:
    _, sites, network, inputs, result = synthetic_run
    gws, regions = network.gateways, network.regions
    served = result.status == SERVED
    demand = inputs.demand_mbps / 1000.0
    congested = 0
    for s in range(result.slots):
        on = served[s]
        sat_load = np.bincount(result.satellite[s][on], demand[on])
        gw_load = np.bincount(result.gateway[s][on], demand[on], len(gws))
        assert sat_load.max(initial=0) <= 0.5 + 1e-9
        assert (gw_load <= inputs.gateway_capacity_gbps + 1e-9).all()
        congested += int((result.status[s] == 4).any())
    assert congested > 0  # the capacity rule actually bit
    for s, i in zip(*np.nonzero(served), strict=True):
        zones = set(sites[i].spec.residency)
        g, r = gws[int(result.gateway[s, i])], regions[int(result.region[s, i])]
        assert r.id in network.reachable_regions(g)
        if zones:
            assert r.residency_zone in zones and g.residency_zone in zones

"""Whole-slot validity: the argument behind it, and the planner honouring it.

The argument (docs/planning.md): along one pass a satellite's elevation over a ground
point rises to one maximum and falls, so over a slot far shorter than a pass its
minimum is at one of the slot's ends. Tested at 1 s resolution between slot ends.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pytest

from opsconsole.core.element_sets import ElementSet, build_element_set
from opsconsole.core.look_angles import Sites, look_angles
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import times_from
from opsconsole.planning.assignment import NO_SATELLITE, SERVED
from opsconsole.planning.inputs import build_inputs
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.planner import plan
from opsconsole.planning.schedule import intervals
from tests.conftest import SYNTHETIC_EPOCH
from tests.planning.ground import gateway as _gateway
from tests.planning.ground import network, with_spec
from tests.planning.ground import region as _region
from tests.planning.ground import site as _site

T0 = SYNTHETIC_EPOCH + timedelta(hours=2)
MASK_DEG = 25.0


def test_elevation_over_a_slot_is_lowest_at_an_end(synthetic_elements: ElementSet) -> None:
    """Sampled every second: wherever both ends of a 60 s window are above the mask, so
    is every second between them; and checking the start alone would not do."""
    some = build_element_set(synthetic_elements.records[::8], "every 8th")
    seconds = np.arange(0.0, 601.0)
    eph = propagate(some, times_from(T0, seconds), velocities=False)
    rng = np.random.default_rng(5)
    sites = Sites.from_geodetic(rng.uniform(-60, 60, 25), rng.uniform(-180, 180, 25))
    track = np.stack([look_angles(sites, eph.position_km[:, j])[1] for j in range(seconds.size)])
    windows = held = start_only_fails = 0
    for first in range(0, seconds.size - 60, 15):
        window = track[first : first + 61]
        ends_ok = (window[0] >= MASK_DEG) & (window[-1] >= MASK_DEG)
        windows += int(ends_ok.sum())
        held += int((ends_ok & (window.min(axis=0) >= MASK_DEG - 1e-9)).sum())
        start_only_fails += int(((window[0] >= MASK_DEG) & (window.min(axis=0) < MASK_DEG)).sum())
    assert windows > 500
    assert held == windows
    assert start_only_fails > 50  # the old rule (slot start only) is really wrong


@pytest.fixture(scope="module")
def one_satellite(synthetic_elements: ElementSet) -> tuple[ElementSet, Any]:
    single = build_element_set([synthetic_elements.records[0]], "one satellite")
    return single, propagate(single, times_from(T0, np.arange(-300.0, 301.0)), geodetic=True)


def _setting_site(one_satellite: tuple[ElementSet, Any]) -> tuple[float, float, float]:
    """A point on the ground track behind the satellite that sees it above the mask at
    ``T0`` and below it at ``T0 + 60 s``; and the time (s after T0) it sets."""
    _, eph = one_satellite
    for back in range(60, 300):
        lat, lon = float(eph.lat_deg[0, 300 - back]), float(eph.lon_deg[0, 300 - back])
        site = Sites.from_geodetic([lat], [lon])
        el = np.array([look_angles(site, eph.position_km[:, 300 + s])[1][0, 0]
                       for s in range(61)])  # fmt: skip
        if el[0] > MASK_DEG + 1 and el[-1] < MASK_DEG - 1:
            return lat, lon, float(np.argmax(el < MASK_DEG))
    raise AssertionError("no setting geometry found")


def test_a_satellite_that_sets_mid_slot_is_not_used_for_that_slot(one_satellite) -> None:  # type: ignore[no-untyped-def]
    single, eph = one_satellite
    lat, lon, sets_at = _setting_site(one_satellite)
    # a gateway under the satellite's track ahead: it sees the satellite all minute
    gw_lat, gw_lon = float(eph.lat_deg[0, 330]), float(eph.lon_deg[0, 330])
    gateways = [_gateway("g", gw_lat, gw_lon, "AA", "r")]
    regions = [_region("r", gw_lat, gw_lon + 1.0, "AA")]
    sites = [_site(1, lat, lon)]
    minute = PlanParameters(start=T0, duration_s=60.0, step_s=60.0)
    result = plan(single, build_inputs(sites, network(gateways, regions), minute), minute)
    assert result.status[0, 0] == NO_SATELLITE  # in view at the start, gone by the end
    quarter = PlanParameters(start=T0, duration_s=60.0, step_s=15.0)
    fine = plan(single, build_inputs(sites, network(gateways, regions), quarter), quarter)
    whole = int(sets_at // 15)  # slots that end before the satellite sets
    assert (fine.status[:whole, 0] == SERVED).all()
    assert (fine.status[whole:, 0] == NO_SATELLITE).all()
    # the round trip is the worse of each slot's two ends: the later, farther one
    served = fine.status[:, 0] == SERVED
    assert fine.rtt_start_ms is not None and fine.rtt_end_ms is not None
    assert (fine.rtt_end_ms[served, 0] > fine.rtt_start_ms[served, 0]).all()
    assert np.array_equal(fine.rtt_ms[served, 0], fine.rtt_end_ms[served, 0])


def test_interval_round_trips_cover_every_slot_end(one_satellite) -> None:  # type: ignore[no-untyped-def]
    single, eph = one_satellite
    lat, lon = float(eph.lat_deg[0, 300]), float(eph.lon_deg[0, 300])
    gateways = [_gateway("g", lat, lon + 0.5, "AA", "r")]
    regions = [_region("r", lat, lon + 1.0, "AA")]
    params = PlanParameters(start=T0 - timedelta(seconds=45), duration_s=90.0, step_s=15.0)
    result = plan(
        single, build_inputs([_site(1, lat, lon)], network(gateways, regions), params), params
    )
    assert (result.status[:, 0] == SERVED).all()
    spans = intervals(result)
    assert len(spans) == 1 and spans.slots[0] == 6
    assert result.rtt_start_ms is not None and result.rtt_end_ms is not None
    ends = np.r_[result.rtt_start_ms[:, 0], result.rtt_end_ms[-1, 0]]  # 7 slot ends
    assert np.allclose(result.rtt_start_ms[1:, 0], result.rtt_end_ms[:-1, 0], atol=1e-4)
    assert spans.rtt_max_ms[0] == pytest.approx(ends.max(), abs=1e-4)
    assert spans.rtt_mean_ms[0] == pytest.approx(ends.mean(), abs=1e-4)
    # overhead near the middle: the ends of the window are the worst
    assert ends.argmax() in (0, 6)


def test_an_exclusion_starting_mid_slot_takes_the_whole_slot(one_satellite) -> None:  # type: ignore[no-untyped-def]
    from opsconsole.planning.assignment import NO_GATEWAY
    from opsconsole.planning.inputs import Exclusion

    single, eph = one_satellite
    lat, lon = float(eph.lat_deg[0, 300]), float(eph.lon_deg[0, 300])
    gateways = [_gateway("g", lat, lon + 0.5, "AA", "r")]
    regions = [_region("r", lat, lon + 1.0, "AA")]
    params = PlanParameters(start=T0, duration_s=45.0, step_s=15.0)
    inputs = build_inputs([_site(1, lat, lon)], network(gateways, regions), params)
    outage = [Exclusion("gateway", "g", T0 + timedelta(seconds=20), T0 + timedelta(seconds=25))]
    result = plan(single, inputs, params, outage)
    assert result.status[:, 0].tolist() == [SERVED, NO_GATEWAY, SERVED]


def test_a_horizon_that_blocks_the_best_satellite_moves_the_site(
    synthetic_elements: ElementSet,
) -> None:
    """The satellite the open site would use is hidden behind a wall at its azimuth:
    the site takes another satellite, outside the wall, with a longer round trip."""
    from opsconsole.core.look_angles import pair_look_angles

    gateways = [_gateway("g", 41.0, -94.0, "AA", "r")]
    regions = [_region("r", 41.5, -93.0, "AA")]
    params = PlanParameters(start=T0, duration_s=15.0, step_s=15.0)
    open_site = _site(1, 42.0, -93.6)
    first = plan(
        synthetic_elements, build_inputs([open_site], network(gateways, regions), params), params
    )
    assert first.status[0, 0] == SERVED
    ends = propagate(synthetic_elements, times_from(T0, [0.0, 15.0])).position_km
    place = Sites.from_geodetic([42.0], [-93.6])
    best = int(first.satellite[0, 0])
    az = float(pair_look_angles(place, np.array([0]), ends[best, :1])[0][0])
    wall = (
        f"{(az - 25) % 360:g}:0;{(az - 20) % 360:g}:90;{(az + 20) % 360:g}:90;{(az + 25) % 360:g}:0"
    )
    points = sorted(wall.split(";"), key=lambda p: float(p.split(":")[0]))
    walled = with_spec(open_site, horizon=";".join(points))
    second = plan(
        synthetic_elements, build_inputs([walled], network(gateways, regions), params), params
    )
    assert second.status[0, 0] == SERVED and int(second.satellite[0, 0]) != best
    other = int(second.satellite[0, 0])
    for end in (0, 1):
        a = float(pair_look_angles(place, np.array([0]), ends[other, end : end + 1])[0][0])
        assert abs((a - az + 180.0) % 360.0 - 180.0) > 20.0  # outside the wall
    assert second.rtt_ms[0, 0] >= first.rtt_ms[0, 0]

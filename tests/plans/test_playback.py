"""A stored plan replayed for the console: slot lookup, frames, series, elevations
(checked against skyfield), utilisation and mapping onto another element set."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from skyfield.api import EarthSatellite, wgs84

from opsconsole.core.frames import ecef_from_geodetic
from opsconsole.core.horizon import HorizonProfile
from opsconsole.core.timescale import time_at, timescale
from opsconsole.planning.assignment import SERVED
from opsconsole.planning.parameters import PlanParameters
from opsconsole.plans.playback import MEETS_OBJECTIVE, MISSES_OBJECTIVE, UNSERVED, PlanPlayback
from opsconsole.plans.request import PlanRequest
from opsconsole.plans.service import create_plan
from opsconsole.store.catalog_edits import site_rows, site_values, update_site
from opsconsole.store.catalog_repository import list_gateways, list_regions
from opsconsole.store.database import Store
from opsconsole.store.element_repository import active_element_set_id
from opsconsole.store.plan_repository import load_plan
from opsconsole.store.seed import seed_defaults
from tests.conftest import SYNTHETIC_EPOCH

START = SYNTHETIC_EPOCH + timedelta(hours=2)
ELEVATION_TOLERANCE_DEG = 0.001
"""Our SGP4 + ITRS positions match skyfield within 1 m: ~1e-4 deg at 550 km range."""


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("playback") / "db.sqlite"
    with Store(db) as store:
        seed_defaults(store, SYNTHETIC_EPOCH)
        params = PlanParameters(step_s=60.0, start=START, duration_s=5400.0)
        plan_id = create_plan(store, PlanRequest("replay", params))
        return (
            load_plan(store, plan_id),
            list_gateways(store),
            list_regions(store),
            active_element_set_id(store),
        )


@pytest.fixture(scope="module")
def playback(stored, synthetic_elements) -> PlanPlayback:  # type: ignore[no-untyped-def]
    plan, gateways, regions, set_id = stored
    return PlanPlayback(plan, synthetic_elements.norad_ids, gateways, regions, set_id)


def test_slot_lookup_covers_the_window_exactly(playback: PlanPlayback) -> None:
    assert playback.slots == 90 and playback.same_elements
    assert playback.slot_at(START) == 0
    assert playback.slot_at(START + timedelta(seconds=59.999)) == 0
    assert playback.slot_at(START + timedelta(seconds=60)) == 1
    assert playback.slot_at(playback.end - timedelta(microseconds=1)) == 89
    assert playback.slot_at(playback.end) is None
    assert playback.slot_at(START - timedelta(seconds=1)) is None


def test_frames_follow_the_stored_arrays(stored, playback, synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    plan, gateways, _, _ = stored
    by_id = {g["id"]: g for g in gateways}
    for j in (0, 45, 89):
        frame = playback.frame(j)
        served = plan.arrays["status"][j] == SERVED
        assert np.array_equal(frame.satellite >= 0, served)
        # console indices name the same satellites as the plan's own indices
        ids = synthetic_elements.norad_ids[frame.satellite[served]]
        assert np.array_equal(ids, plan.norad_ids[plan.arrays["satellite"][j][served]])
        assert np.isnan(frame.gateway_km[~served]).all()
        for i in np.flatnonzero(served)[:10]:
            g = by_id[plan.gateway_ids[plan.arrays["gateway"][j, i]]]
            expected = ecef_from_geodetic(
                np.array([g["lat"]]), np.array([g["lon"]]), np.array([g["alt_m"] / 1000.0])
            )[0]
            assert np.allclose(frame.gateway_km[i], expected, atol=1e-6)
        rtt, limit = plan.arrays["rtt_ms"][j], playback.max_rtt_ms
        assert np.array_equal(frame.state == UNSERVED, ~served)
        assert np.array_equal(frame.state == MISSES_OBJECTIVE, served & (rtt > limit))
        assert np.array_equal(frame.state == MEETS_OBJECTIVE, served & (rtt <= limit))


def test_site_series_and_utilisation_agree_with_the_metrics(stored, playback) -> None:  # type: ignore[no-untyped-def]
    plan, gateways, _, _ = stored
    for i in range(len(plan.sites)):
        series = playback.site_series(i)
        assert len(series.handover_slots) == plan.metrics["handovers"][i]
    # the gateway that carries most: its load is the demand of the sites it serves
    g = int(np.bincount(plan.arrays["gateway"][plan.arrays["gateway"] >= 0]).argmax())
    found = playback.utilisation("gateway", plan.gateway_ids[g])
    assert found is not None
    load, capacity = found
    users = plan.arrays["gateway"] == g
    expected = (users * playback.demand_mbps[None, :]).sum(axis=1) / 1000.0
    assert np.allclose(load, expected) and load.max() > 0
    assert capacity == next(r["capacity_gbps"] for r in gateways if r["id"] == plan.gateway_ids[g])
    sat_load = playback.utilisation("satellite", int(plan.norad_ids[0]))
    assert sat_load is not None and sat_load[1] == 20.0  # the plan's per-satellite capacity
    assert playback.utilisation("gateway", "no-such-gateway") is None


@pytest.mark.slow
def test_serving_elevation_matches_skyfield(playback, synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    ts = timescale()
    checked = 0
    for i in (0, 17, 40):
        elevation = playback.elevation(i, synthetic_elements)
        series = playback.site_series(i)
        served = np.flatnonzero(series.norad_id >= 0)
        assert np.isnan(elevation[series.norad_id < 0]).all()
        assert (elevation[served] >= 25.0 - 1e-6).all()  # above the terminal mask
        site = playback.sites[i]
        place = wgs84.latlon(site["lat"], site["lon"], site["alt_m"])
        for j in served[:: max(1, served.size // 8)]:
            index = int(np.searchsorted(synthetic_elements.norad_ids, series.norad_id[j]))
            record = synthetic_elements.records[index]
            satellite = EarthSatellite(record.line1, record.line2, ts=ts)
            when = time_at(playback.start + timedelta(seconds=float(j) * playback.step_s))
            expected = (satellite - place).at(when).altaz()[0].degrees
            assert abs(elevation[j] - expected) < ELEVATION_TOLERANCE_DEG
            checked += 1
    assert checked >= 20


def test_satellites_missing_from_the_console_set_are_not_drawn(stored) -> None:  # type: ignore[no-untyped-def]
    plan, gateways, regions, _ = stored
    used = np.unique(plan.arrays["satellite"][0][plan.arrays["satellite"][0] >= 0])
    gone = plan.norad_ids[used[0]]
    console = np.setdiff1d(plan.norad_ids, [gone])
    playback = PlanPlayback(plan, console, gateways, regions, None)
    assert not playback.same_elements
    frame = playback.frame(0)
    lost = plan.arrays["satellite"][0] == used[0]
    assert (frame.satellite[lost] == -1).all()
    kept = (plan.arrays["satellite"][0] >= 0) & ~lost
    assert np.array_equal(
        console[frame.satellite[kept]], plan.norad_ids[plan.arrays["satellite"][0][kept]]
    )


def test_status_is_unaffected_by_a_catalog_without_the_plan_gateways(stored) -> None:  # type: ignore[no-untyped-def]
    plan, _, regions, set_id = stored
    playback = PlanPlayback(plan, plan.norad_ids, [], regions, set_id)
    frame = playback.frame(0)
    assert np.isnan(frame.gateway_km).all()  # nothing to draw to, nothing invented
    assert (frame.state != UNSERVED).sum() == (plan.arrays["status"][0] == SERVED).sum()


@pytest.mark.slow
def test_a_profiled_site_shows_its_horizon_under_the_serving_satellite(
    tmp_path: Path, synthetic_elements
) -> None:  # type: ignore[no-untyped-def]
    """The Site tab's horizon curve: the profile at the serving satellite's azimuth
    (skyfield's azimuth, 0.01 deg), and the plan never serves below it."""
    with Store(tmp_path / "db.sqlite") as store:
        seed_defaults(store, SYNTHETIC_EPOCH)
        first = site_rows(store)[0]
        values = {**site_values(store, int(first["id"])), "horizon": "0:70;90:30;180:26;270:30"}
        update_site(store, int(first["id"]), values)
        params = PlanParameters(step_s=60.0, start=START, duration_s=3600.0)
        plan = load_plan(store, create_plan(store, PlanRequest("walled", params)))
        replay = PlanPlayback(
            plan, synthetic_elements.norad_ids, list_gateways(store), list_regions(store),
            active_element_set_id(store),
        )  # fmt: skip
    i = replay.site_index(int(first["id"]))
    assert i is not None and replay.horizons(i).has_profiles
    elevation, horizon = replay.serving_look(i, synthetic_elements)
    served = np.flatnonzero(np.isfinite(elevation))
    assert served.size > 10 and (elevation[served] >= horizon[served] - 1e-6).all()
    assert np.nanmax(horizon) > np.nanmin(horizon)  # follows the profile, not a flat mask
    ts = timescale()
    series = replay.site_series(i)
    site = replay.sites[i]
    place = wgs84.latlon(site["lat"], site["lon"], site["alt_m"])
    profile = HorizonProfile.parse("0:70;90:30;180:26;270:30")
    assert profile is not None
    for j in served[:: max(1, served.size // 6)]:
        index = int(np.searchsorted(synthetic_elements.norad_ids, series.norad_id[j]))
        record = synthetic_elements.records[index]
        when = time_at(replay.start + timedelta(seconds=float(j) * replay.step_s))
        azimuth = (EarthSatellite(record.line1, record.line2, ts=ts) - place).at(when).altaz()[1]
        az = np.ravel(azimuth.degrees)[:1]
        expected = max(25.0, float(profile.elevation_at(az)[0]))
        assert abs(horizon[j] - expected) < 0.01


def test_what_serves_a_site_now(playback: PlanPlayback) -> None:
    """The Inspector's rows: the path, the round trip against the objective and the
    next change of satellite, checked against the plan's own arrays."""
    i = 5
    site_id = int(playback.site_ids[i])
    series = playback.site_series(i)
    j = int(np.flatnonzero(series.norad_id >= 0)[0])
    when = playback.start + timedelta(seconds=j * playback.step_s + 10.0)
    rows = dict(playback.serving_rows(site_id, when))
    assert f"satellite {series.norad_id[j]}" in rows["Served by"]
    assert f"gateway {playback.gateway_ids[int(playback.gateway[j, i])]}" in rows["Served by"]
    assert f"{series.rtt_ms[j]:.1f} ms" in rows["Round trip"]
    later = np.flatnonzero(series.norad_id[j:] != series.norad_id[j])
    if later.size:
        k = j + int(later[0])
        moment = playback.start + timedelta(seconds=k * playback.step_s)
        assert rows["Next handover"].startswith(f"{moment:%H:%M:%S} UTC")
    else:
        assert rows["Next handover"] == "none before the plan ends"
    outside = dict(playback.serving_rows(site_id, playback.end + timedelta(minutes=1)))
    assert "does not cover" in outside["Plan now"]
    assert "leaves this site out" in dict(playback.serving_rows(10**9, when))["Plan now"]

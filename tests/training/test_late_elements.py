"""A late element-set update: the update's elements put each satellite where the old
ones put it ``along_track_s`` later (checked against sgp4 in metres); links break where
the satellites really are (checked with skyfield); a plan made with the update loses
nothing, and the one-moment check of the Alerts dock agrees with the per-slot one."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sgp4.api import jday
from skyfield.api import EarthSatellite, wgs84

from opsconsole.core.catalog import demo_sites, embedded_network
from opsconsole.core.element_readers import read_elements
from opsconsole.core.element_sets import ElementRecord, ElementSet, build_element_set
from opsconsole.core.timescale import time_at, timescale
from opsconsole.planning.assignment import SERVED
from opsconsole.planning.inputs import build_inputs
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.planner import plan
from opsconsole.training.late_elements import advanced, links_lost, lost_now
from opsconsole.training.world import slot_times

START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
MASK_TOLERANCE_DEG = 0.01
POSITION_TOLERANCE_M = 10.0
"""The TLE epoch keeps 1e-8 day (0.86 ms, about 7 m of flight): measured at most 3 m."""


def _separation_m(elements: ElementSet, shift_s: float, when: datetime) -> np.ndarray:
    """TEME distance (m) between the update at ``when`` and the old set ``shift_s``
    later, straight from sgp4; satellites either set cannot propagate are left out."""
    update = advanced(elements, shift_s)
    jd, fraction = jday(when.year, when.month, when.day, when.hour, when.minute, when.second)
    e1, r1, _v = update.satrec_array.sgp4(np.array([jd]), np.array([fraction]))
    e0, r0, _v = elements.satrec_array.sgp4(np.array([jd]), np.array([fraction + shift_s / 86400]))
    ok = (e1[:, 0] == 0) & (e0[:, 0] == 0)
    assert ok.mean() > 0.95
    return np.linalg.norm(r1[ok, 0] - r0[ok, 0], axis=1) * 1000.0


@pytest.mark.parametrize("shift_s", [45.0, -120.0, 600.0])
def test_the_update_is_the_old_set_later_in_time(synthetic_elements, shift_s: float) -> None:  # type: ignore[no-untyped-def]
    update = advanced(synthetic_elements, shift_s)
    assert list(update.norad_ids) == list(synthetic_elements.norad_ids)
    assert update.synthetic and "late update" in update.source
    assert all(r.line1[-1] == str(_checksum(r.line1)) for r in update.records[:50])
    for hours in (0.0, 30.0):  # at the epoch and more than a day on
        moment = START.replace(hour=0) + timedelta(hours=hours)
        assert _separation_m(synthetic_elements, shift_s, moment).max() < POSITION_TOLERANCE_M


def test_the_real_snapshot_and_omm_records_move_as_exactly(sample_tle_path) -> None:  # type: ignore[no-untyped-def]
    elements = read_elements(sample_tle_path)
    median = elements.median_epoch()
    assert median is not None
    for hours in (1, 72):  # SGP4's drag terms grow with age: an epoch shift stays exact
        moment = median.replace(minute=0, second=0, microsecond=0) + timedelta(hours=hours)
        assert _separation_m(elements, 45.0, moment).max() < POSITION_TOLERANCE_M
    first = elements.records[0]
    satrec = first.satrec()
    fields = {"MEAN_MOTION": satrec.no_kozai * 1440 / (2 * math.pi), "ECCENTRICITY": satrec.ecco,
              "INCLINATION": math.degrees(satrec.inclo), "BSTAR": satrec.bstar,
              "RA_OF_ASC_NODE": math.degrees(satrec.nodeo),
              "ARG_OF_PERICENTER": math.degrees(satrec.argpo),
              "MEAN_ANOMALY": math.degrees(satrec.mo)}  # fmt: skip
    omm = ElementRecord(first.norad_id, first.name, first.epoch, "omm", omm={
        "NORAD_CAT_ID": str(first.norad_id), "EPOCH": first.epoch.isoformat(),
        **{key: repr(float(value)) for key, value in fields.items()},
    })  # fmt: skip
    as_omm = build_element_set([omm], "omm")
    assert _separation_m(as_omm, -300.0, median).max() < 1.0  # microsecond epochs


def _checksum(line: str) -> int:
    from opsconsole.core.tle_lines import checksum

    return checksum(line[:68])


@pytest.fixture(scope="module")
def planned(synthetic_elements):  # type: ignore[no-untyped-def]
    wanted = {"Harbourline Ports Group", "North Sea Offshore Energy"}
    sites = demo_sites(wanted)
    gws = embedded_network().gateways
    params = PlanParameters(step_s=60.0, start=START, duration_s=600.0)
    inputs = build_inputs(sites, embedded_network(), params)
    return sites, gws, inputs, params


def test_links_break_where_the_satellites_really_are(synthetic_elements, planned) -> None:  # type: ignore[no-untyped-def]
    sites, gws, inputs, params = planned
    result = plan(synthetic_elements, inputs, params)
    times = slot_times(START, 60.0, result.slots)

    def lost(shift: float) -> np.ndarray:
        return links_lost(synthetic_elements, result, times, np.full(len(times), shift),
                          inputs.sites, inputs.horizons, inputs.gateways,
                          inputs.gateway_mask_deg)  # fmt: skip

    assert not lost(0.0).any()
    assert lost(0.5).sum() < lost(120.0).sum()
    broken = lost(120.0)
    served = result.status == SERVED
    assert broken.sum() > served.sum() / 4  # two minutes ahead: most links are gone
    truth = advanced(synthetic_elements, 120.0)
    ts = timescale()
    rng = np.random.default_rng(3)
    for flat in rng.choice(np.flatnonzero(served.ravel()), 40, replace=False):
        j, i = divmod(int(flat), served.shape[1])
        record = truth.records[int(result.satellite[j, i])]
        satellite = EarthSatellite(record.line1, record.line2, ts=ts)
        site = sites[i].spec
        gw = gws[int(result.gateway[j, i])]
        margins: tuple[float, ...] = ()
        for end in (times[j], times[j] + timedelta(seconds=60.0)):  # a link holds all slot
            t = time_at(end)
            up = (satellite - wgs84.latlon(site.lat, site.lon, site.alt_m)).at(t)
            down = (satellite - wgs84.latlon(gw.lat, gw.lon, gw.alt_m)).at(t)
            margins += (float(up.altaz()[0].degrees[0]) - inputs.mask_deg[i],
                        float(down.altaz()[0].degrees[0]) - gw.min_elevation_deg)  # fmt: skip
        if min(abs(m) for m in margins) < MASK_TOLERANCE_DEG:
            continue  # on the mask itself: rounding may go either way
        assert bool(broken[j, i]) == (min(margins) < 0), (j, i, margins)


def test_a_plan_made_with_the_update_loses_nothing(synthetic_elements, planned) -> None:  # type: ignore[no-untyped-def]
    _sites, _gws, inputs, params = planned
    update = advanced(synthetic_elements, 90.0)
    replanned = plan(update, inputs, params)
    times = slot_times(START, 60.0, replanned.slots)
    shift = np.full(len(times), 90.0)
    half = np.where(np.arange(len(times)) < 5, 0.0, 90.0)  # the update came at slot 5

    def lost(truth: np.ndarray, made_with: np.ndarray) -> np.ndarray:
        return links_lost(synthetic_elements, replanned, times, truth, inputs.sites,
                          inputs.horizons, inputs.gateways, inputs.gateway_mask_deg,
                          made_with)  # fmt: skip

    assert not lost(shift, shift).any()
    stale = lost(half, shift)  # before slot 5 the satellites were where the old set says
    assert stale[:5].any() and not stale[5:].any()
    # the Alerts dock judges one moment with the console's elements: the same answer
    for j in range(len(times)):
        served = replanned.status[j] == SERVED
        sat = replanned.satellite[j].astype(np.intp)
        numbers = np.where(sat >= 0, update.norad_ids[np.maximum(sat, 0)], -1)
        truth = update if half[j] else synthetic_elements
        now = lost_now(truth, times[j], numbers, served, inputs.sites, inputs.horizons,
                       replanned.gateway[j].astype(np.intp), inputs.gateways,
                       inputs.gateway_mask_deg)  # fmt: skip
        assert (now == stale[j]).all(), j

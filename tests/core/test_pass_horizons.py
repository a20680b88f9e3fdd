"""Passes cut to horizon profiles, checked with skyfield's own look angles at 1 s."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from skyfield.api import EarthSatellite, wgs84

from opsconsole.core.element_sets import build_element_set
from opsconsole.core.horizon import HorizonProfile, Horizons
from opsconsole.core.look_angles import Sites
from opsconsole.core.passes import find_passes
from opsconsole.core.timescale import timescale

from ..conftest import SAMPLE_TIME

HOURS = 3.0
# a wall over the whole north (60 deg at north, falling to the 25 deg mask at 90 and
# 270), and a 30 deg-wide building in the south-east reaching 70 deg
NORTH_WALL = HorizonProfile((0.0, 90.0, 270.0), (60.0, 0.0, 0.0))
BUILDING = HorizonProfile((100.0, 105.0, 135.0, 140.0), (0.0, 70.0, 70.0, 0.0))
SITES = Sites.from_geodetic([47.4, 47.4, -33.9], [8.5, 8.5, 18.4], [0.4, 0.4, 0.0])
HORIZONS = Horizons.of([25.0, 25.0, 30.0], [None, NORTH_WALL, BUILDING])
TOLERANCE_DEG = 0.01


def _clearance(record, si: int, seconds: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Skyfield: elevation above the site's horizon (deg) at ``seconds`` after start."""
    ts = timescale()
    times = ts.from_datetimes([SAMPLE_TIME + timedelta(seconds=float(s)) for s in seconds])
    topos = wgs84.latlon(
        SITES.lat_deg[si], SITES.lon_deg[si], elevation_m=SITES.height_km[si] * 1e3
    )
    alt, az, _ = (EarthSatellite(record.line1, record.line2, ts=ts) - topos).at(times).altaz()
    need = HORIZONS.required_deg(np.full(seconds.size, si, dtype=np.intp), az.degrees)
    return np.asarray(alt.degrees - need)


def test_passes_hold_only_while_above_the_profile(sample_elements) -> None:  # type: ignore[no-untyped-def]
    subset = build_element_set(sample_elements.records[::20], "subset")  # 519 satellites
    found = find_passes(subset, SITES, SAMPLE_TIME, HOURS * 3600.0, min_elevation_deg=HORIZONS)
    plain = find_passes(subset, SITES, SAMPLE_TIME, HOURS * 3600.0, min_elevation_deg=25.0)
    # the site without a profile keeps exactly its passes; the walled twin loses some
    mine = found.site == 0
    np.testing.assert_array_equal(found.rise_s[mine], plain.rise_s[plain.site == 0])
    assert (found.site == 1).sum() < (found.site == 0).sum()
    checked = 0
    for k in np.flatnonzero(found.site > 0)[::3]:
        si, record = int(found.site[k]), subset.records[int(found.satellite[k])]
        lo = 0.0 if np.isnan(found.rise_s[k]) else found.rise_s[k]
        hi = HOURS * 3600.0 if np.isnan(found.set_s[k]) else found.set_s[k]
        inside = lo + (hi - lo) * np.array([0.0, 0.25, 0.5, 0.75, 1.0])
        assert (_clearance(record, si, inside) > -TOLERANCE_DEG).all(), (si, record.name)
        outside = np.array([lo - 2.0, hi + 2.0])[
            [not np.isnan(found.rise_s[k]), not np.isnan(found.set_s[k])]
        ]
        if outside.size:
            assert (_clearance(record, si, outside) < TOLERANCE_DEG).all(), (si, record.name)
        checked += 1
    assert checked > 20


def test_every_visible_moment_is_inside_a_pass(sample_elements) -> None:  # type: ignore[no-untyped-def]
    """Held-out instants every 7 s: skyfield says above the profile -> in a found pass."""
    subset = build_element_set(sample_elements.records[::97], "subset")  # 107 satellites
    found = find_passes(subset, SITES, SAMPLE_TIME, HOURS * 3600.0, min_elevation_deg=HORIZONS)
    seconds = np.arange(3.5, HOURS * 3600.0, 7.0)
    seen = 0
    for si in (1, 2):
        for k, record in enumerate(subset.records):
            clear = _clearance(record, si, seconds) > TOLERANCE_DEG
            if not clear.any():
                continue
            mine = (found.site == si) & (found.satellite == k)
            lo = np.nan_to_num(found.rise_s[mine], nan=0.0)
            hi = np.nan_to_num(found.set_s[mine], nan=HOURS * 3600.0)
            t = seconds[clear]
            covered = ((t[:, None] >= lo[None, :] - 1e-3) & (t[:, None] <= hi[None, :] + 1e-3)).any(
                axis=1
            )
            assert covered.all(), (si, record.name, t[~covered][:3])
            seen += int(clear.sum())
    assert seen > 100


def test_a_building_splits_a_pass_in_two(sample_elements) -> None:  # type: ignore[no-untyped-def]
    found = find_passes(
        sample_elements, SITES, SAMPLE_TIME, HOURS * 3600.0, min_elevation_deg=HORIZONS
    )
    behind = find_passes(
        sample_elements, SITES, SAMPLE_TIME, HOURS * 3600.0, min_elevation_deg=30.0
    )
    split = 0
    for key in set(
        zip(
            behind.site[behind.site == 2].tolist(),
            behind.satellite[behind.site == 2].tolist(),
            strict=True,
        )
    ):
        parts = (found.site == key[0]) & (found.satellite == key[1])
        whole = (behind.site == key[0]) & (behind.satellite == key[1])
        split += int(parts.sum() > whole.sum())
    assert split > 0  # some pass crossed the building and came out again

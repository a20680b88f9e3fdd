"""Visibility (KD-tree prefilter + exact test) against brute force and skyfield altaz."""

from __future__ import annotations

import numpy as np
from skyfield.api import EarthSatellite, wgs84

from opsconsole.core.look_angles import Sites, look_angles
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import time_at, timescale
from opsconsole.core.visibility import visible_satellites

from ..conftest import SAMPLE_TIME


def _random_sites(count: int, seed: int = 3) -> Sites:
    rng = np.random.default_rng(seed)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, count)))
    return Sites.from_geodetic(lat, rng.uniform(-180, 180, count), rng.uniform(0, 3, count))


def test_kdtree_visibility_equals_brute_force(sample_elements) -> None:  # type: ignore[no-untyped-def]
    pos = propagate(sample_elements, time_at(SAMPLE_TIME), velocities=False).position_km[:, 0]
    sites = _random_sites(300)
    masks = np.random.default_rng(1).uniform(10, 40, len(sites))
    pairs = visible_satellites(sites, pos, masks)
    _, elevation, _ = look_angles(sites, pos)
    brute = np.argwhere(elevation >= masks[:, None])
    assert len(pairs) == len(brute) > 1000
    np.testing.assert_array_equal(np.c_[pairs.site, pairs.satellite], brute)
    assert pairs.counts(len(sites)).sum() == len(pairs)
    first = pairs.for_site(int(pairs.site[0]))
    assert np.all(pairs.site[first] == pairs.site[0])


def test_failed_satellites_are_ignored() -> None:
    sites = _random_sites(5)
    pos = np.full((3, 3), np.nan)
    assert len(visible_satellites(sites, pos)) == 0


def test_look_angles_match_skyfield_altaz(sample_elements) -> None:  # type: ignore[no-untyped-def]
    ts = timescale()
    t = time_at(SAMPLE_TIME)
    pos = propagate(sample_elements, t, velocities=False).position_km[:, 0]
    sites = Sites.from_geodetic([51.5, -45.0], [-0.12, 170.0], [0.1, 2.0])
    azimuth, elevation, rng = look_angles(sites, pos)
    for si in range(len(sites)):
        topos = wgs84.latlon(
            sites.lat_deg[si], sites.lon_deg[si], elevation_m=sites.height_km[si] * 1000
        )
        for k in range(0, len(sample_elements), 500):
            record = sample_elements.records[k]
            sat = EarthSatellite(record.line1, record.line2, ts=ts)
            alt, az, distance = (sat - topos).at(t[0]).altaz()
            assert abs(alt.degrees - elevation[si, k]) < 1e-6
            assert abs(distance.km - rng[si, k]) < 1e-3
            if abs(alt.degrees) < 89.9:
                assert abs((az.degrees - azimuth[si, k] + 180) % 360 - 180) < 1e-6

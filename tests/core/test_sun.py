"""Sun direction, subsolar point and eclipse against skyfield (offline DE421)."""

from __future__ import annotations

import numpy as np
from skyfield.api import EarthSatellite

from opsconsole.core.propagation import propagate
from opsconsole.core.sun import subsolar_point, sun_itrs_km, sunlit
from opsconsole.core.timescale import ephemeris, times_from, timescale

from ..conftest import SAMPLE_TIME


def test_subsolar_point_is_plausible() -> None:
    t = times_from(SAMPLE_TIME, np.array([0.0, 6 * 3600.0]))
    lat, lon = subsolar_point(t)
    # mid-May: declination ~ +18.5 deg; 06:00 UTC -> subsolar longitude ~ 90 deg E
    assert np.all((lat > 18.0) & (lat < 19.2))
    assert 85.0 < lon[0] < 95.0
    assert abs(((lon[1] - lon[0]) + 180) % 360 - 180 + 90.0) < 1.0
    distance = np.linalg.norm(sun_itrs_km(t), axis=1)
    assert np.all((distance > 1.50e8) & (distance < 1.52e8))


def test_eclipse_matches_skyfield_is_sunlit(sample_elements) -> None:  # type: ignore[no-untyped-def]
    ts = timescale()
    t = times_from(SAMPLE_TIME, np.array([0.0]))
    pos = propagate(sample_elements, t, velocities=False).position_km
    mine = sunlit(pos, sun_itrs_km(t))[:, 0]
    assert 0.05 < 1 - mine.mean() < 0.6  # some, not all, satellites are in shadow
    eph = ephemeris()
    for k in range(0, len(sample_elements), 100):
        record = sample_elements.records[k]
        theirs = EarthSatellite(record.line1, record.line2, ts=ts).at(t[0]).is_sunlit(eph)
        assert bool(theirs) == bool(mine[k]), record.name

"""The Sun from skyfield's offline DE421 ephemeris: direction, subsolar point, eclipse.

Used for the day/night terminator on the globe and for satellite sunlight/eclipse.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.frames import geodetic_from_ecef
from opsconsole.core.timescale import ephemeris

FloatArray = NDArray[np.float64]
EARTH_RADIUS_KM = 6378.137
"""Radius of the spherical Earth used for the shadow test (as skyfield's ``is_sunlit``)."""


def sun_itrs_km(t: Any) -> FloatArray:
    """Geocentric Sun position in ITRS (km), shape ``(m, 3)`` for a Time of shape ``(m,)``."""
    from skyfield.framelib import itrs

    eph = ephemeris()
    position = (eph["sun"] - eph["earth"]).at(t)
    xyz = np.asarray(position.frame_xyz(itrs).km)
    return np.atleast_2d(xyz.T)


def subsolar_point(t: Any) -> tuple[FloatArray, FloatArray]:
    """Latitude and longitude (deg) of the subsolar point, each shape ``(m,)``."""
    lat, lon, _ = geodetic_from_ecef(sun_itrs_km(t))
    return lat, lon


def sunlit(satellite_ecef_km: FloatArray, sun_ecef_km: FloatArray) -> NDArray[np.bool_]:
    """Whether each satellite sees the Sun past a spherical Earth.

    ``satellite_ecef_km`` is ``(n, m, 3)`` or ``(n, 3)``; ``sun_ecef_km`` is ``(m, 3)``
    or ``(3,)``. A satellite is eclipsed when the segment towards the Sun passes within
    ``EARTH_RADIUS_KM`` of the Earth's centre (umbra and penumbra not separated).
    """
    sat = np.asarray(satellite_ecef_km, dtype=float)
    sun = np.asarray(sun_ecef_km, dtype=float)
    to_sun = sun - sat
    length2 = np.einsum("...i,...i->...", to_sun, to_sun)
    # parameter of the closest approach of the line sat + s*(sun - sat) to the origin
    s = -np.einsum("...i,...i->...", sat, to_sun) / length2
    s = np.clip(s, 0.0, 1.0)
    closest = sat + s[..., None] * to_sun
    return np.asarray(np.einsum("...i,...i->...", closest, closest) > EARTH_RADIUS_KM**2)

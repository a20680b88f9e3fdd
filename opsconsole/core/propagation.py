"""Vectorised SGP4 propagation of every satellite at every requested time, Earth-fixed.

One call covers satellites x times through :class:`sgp4.api.SatrecArray`, then rotates
TEME to ITRS in numpy. Work is done in time chunks so that temporaries stay small; there
is no Python loop over satellites.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sgp4.api import SatrecArray

from opsconsole.core.element_sets import ElementSet
from opsconsole.core.frames import geodetic_from_ecef, rotate, teme_to_itrs_matrices
from opsconsole.core.timescale import sgp4_julian_dates

log = logging.getLogger(__name__)

SGP4_ERROR_MEANINGS = {
    0: "ok",
    1: "mean eccentricity out of range",
    2: "mean motion below zero",
    3: "perturbed eccentricity out of range",
    4: "semi-latus rectum below zero",
    6: "satellite has decayed",
}

_CHUNK_SAMPLES = 1 << 20  # satellite-times per chunk (~24 MB per position array)


class SlowPropagationWarning(RuntimeWarning):
    """SGP4's C++ extension is missing: propagation runs ~8x slower in pure Python."""


def check_accelerated() -> bool:
    """Return whether sgp4's C++ extension is active; warn loudly when it is not."""
    from sgp4.api import accelerated

    if not accelerated:
        message = (
            "sgp4's C++ extension is NOT available: propagation will be about 8x slower. "
            "Reinstall the 'sgp4' wheel for this platform."
        )
        log.error(message)
        warnings.warn(message, SlowPropagationWarning, stacklevel=2)
    return bool(accelerated)


@dataclass(frozen=True)
class Ephemeris:
    """Earth-fixed states of ``n`` satellites at ``m`` times.

    ``position_km`` and ``velocity_km_s`` are ITRS (WGS84 Earth-fixed), shape
    ``(n, m, 3)``; ``velocity_km_s`` is ``None`` when not requested. ``error`` holds SGP4
    error codes, shape ``(n, m)`` (0 is fine); positions with an error are NaN.
    """

    position_km: NDArray[np.float64]
    velocity_km_s: NDArray[np.float64] | None
    error: NDArray[np.uint8]

    @property
    def failed(self) -> NDArray[np.bool_]:
        """Satellites with an SGP4 error at any requested time, shape ``(n,)``."""
        return np.asarray(self.error.any(axis=1))

    def geodetic(self) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """WGS84 latitude (deg), longitude (deg) and altitude (km), each ``(n, m)``."""
        return geodetic_from_ecef(self.position_km)


def _as_satrec_array(elements: ElementSet | SatrecArray) -> SatrecArray:
    return elements.satrec_array if isinstance(elements, ElementSet) else elements


def propagate(
    elements: ElementSet | SatrecArray, times: Any, *, velocities: bool = True
) -> Ephemeris:
    """Propagate every satellite of ``elements`` to every time of ``times`` (skyfield Time).

    Positions are ITRS in km, velocities ITRS in km/s (Earth-fixed, i.e. relative to the
    rotating Earth). Satellites whose SGP4 call fails are flagged in ``error`` and their
    positions set to NaN; they are never dropped.
    """
    satrecs = _as_satrec_array(elements)
    jd, fraction = sgp4_julian_dates(times)
    matrices, omega = teme_to_itrs_matrices(times)
    n, m = len(satrecs), jd.shape[0]
    position = np.empty((n, m, 3))
    velocity = np.empty((n, m, 3)) if velocities else None
    error = np.empty((n, m), dtype=np.uint8)
    step = max(1, _CHUNK_SAMPLES // max(n, 1))
    for start in range(0, m, step):
        stop = min(m, start + step)
        e, r, v = satrecs.sgp4(jd[start:stop], fraction[start:stop])
        error[:, start:stop] = e
        rot = matrices[start:stop]
        rotate(rot, r, out=position[:, start:stop])
        if velocity is not None:
            target = velocity[:, start:stop]
            rotate(rot, v, out=target)
            w = omega[start:stop]
            # v_itrs = R v_teme - omega x r_itrs, with omega along +z
            target[..., 0] += w * position[:, start:stop, 1]
            target[..., 1] -= w * position[:, start:stop, 0]
    if error.any():
        bad = error != 0
        position[bad] = np.nan
        if velocity is not None:
            velocity[bad] = np.nan
    return Ephemeris(position, velocity, error)

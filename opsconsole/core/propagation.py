"""Vectorised SGP4 propagation of every satellite at every requested time, Earth-fixed.

One call covers satellites x times through :class:`sgp4.api.SatrecArray`, then rotates
TEME to ITRS in numpy. Work is done in time chunks so that temporaries stay small; there
is no Python loop over satellites.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping
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

_CHUNK_SAMPLES = 1 << 17  # satellite-times per chunk: ~3 MB per array, stays in cache


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
    ``lat_deg``, ``lon_deg`` and ``alt_km`` (WGS84, each ``(n, m)``) are filled when
    propagation was asked for them (``geodetic=True``), else ``None``.
    """

    position_km: NDArray[np.float64]
    velocity_km_s: NDArray[np.float64] | None
    error: NDArray[np.uint8]
    lat_deg: NDArray[np.float64] | None = None
    lon_deg: NDArray[np.float64] | None = None
    alt_km: NDArray[np.float64] | None = None

    @property
    def failed(self) -> NDArray[np.bool_]:
        """Satellites with an SGP4 error, or a position that is not finite (SGP4 can
        return NaN without an error code for elements near its limits), at any requested
        time, shape ``(n,)``."""
        finite = np.isfinite(self.position_km).all(axis=2)
        return np.asarray(np.any(self.error != 0, axis=1) | ~np.all(finite, axis=1))

    def geodetic(self) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """WGS84 latitude (deg), longitude (deg) and altitude (km), each ``(n, m)``."""
        if self.lat_deg is not None and self.lon_deg is not None and self.alt_km is not None:
            return self.lat_deg, self.lon_deg, self.alt_km
        return geodetic_from_ecef(self.position_km)


def _as_satrec_array(elements: ElementSet | SatrecArray) -> SatrecArray:
    return elements.satrec_array if isinstance(elements, ElementSet) else elements


@dataclass(frozen=True)
class _Epochs:
    """Requested times as SGP4 and the TEME -> ITRS rotation want them, each ``(m, ...)``.

    ``jd``/``fraction``: UTC Julian date split; ``matrices``: rotations ``(m, 3, 3)``;
    ``omega``: Earth rotation rate (rad/s).
    """

    jd: NDArray[np.float64]
    fraction: NDArray[np.float64]
    matrices: NDArray[np.float64]
    omega: NDArray[np.float64]

    @classmethod
    def of(cls, times: Any) -> _Epochs:
        jd, fraction = sgp4_julian_dates(times)
        matrices, omega = teme_to_itrs_matrices(times)
        return cls(jd, fraction, matrices, omega)

    def __len__(self) -> int:
        return int(self.jd.shape[0])


@dataclass
class _Outputs:
    """Preallocated output arrays of one propagation (or one worker's share of it)."""

    position: NDArray[np.float64]
    velocity: NDArray[np.float64] | None
    error: NDArray[np.uint8]
    lat: NDArray[np.float64] | None
    lon: NDArray[np.float64] | None
    alt: NDArray[np.float64] | None

    def arrays(self) -> dict[str, NDArray[Any] | None]:
        """The arrays by field name (``None`` for what was not requested)."""
        return {"position": self.position, "velocity": self.velocity, "error": self.error,
                "lat": self.lat, "lon": self.lon, "alt": self.alt}  # fmt: skip

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, NDArray[Any] | None]) -> _Outputs:
        """Outputs over existing arrays (e.g. views of shared memory or slices)."""
        return cls(arrays["position"], arrays.get("velocity"), arrays["error"],  # type: ignore[arg-type]
                   arrays.get("lat"), arrays.get("lon"), arrays.get("alt"))  # fmt: skip


def _propagate_into(satrecs: SatrecArray, epochs: _Epochs, out: _Outputs) -> None:
    """Fill ``out`` chunk by chunk (chunks of times sized to stay in cache)."""
    n, m = out.error.shape
    step = max(1, _CHUNK_SAMPLES // max(n, 1))
    for start in range(0, m, step):
        stop = min(m, start + step)
        e, r, v = satrecs.sgp4(epochs.jd[start:stop], epochs.fraction[start:stop])
        out.error[:, start:stop] = e
        rot = epochs.matrices[start:stop]
        position = out.position[:, start:stop]
        rotate(rot, r, out=position)
        if out.velocity is not None:
            target = out.velocity[:, start:stop]
            rotate(rot, v, out=target)
            w = epochs.omega[start:stop]
            # v_itrs = R v_teme - omega x r_itrs, with omega along +z
            target[..., 0] += w * position[..., 1]
            target[..., 1] -= w * position[..., 0]
        if out.lat is not None and out.lon is not None and out.alt is not None:
            out.lat[:, start:stop], out.lon[:, start:stop], out.alt[:, start:stop] = (
                geodetic_from_ecef(position)
            )


def _allocate(n: int, m: int, velocities: bool, geodetic: bool) -> _Outputs:
    return _Outputs(
        np.empty((n, m, 3)),
        np.empty((n, m, 3)) if velocities else None,
        np.empty((n, m), dtype=np.uint8),
        np.empty((n, m)) if geodetic else None,
        np.empty((n, m)) if geodetic else None,
        np.empty((n, m)) if geodetic else None,
    )


def propagate(
    elements: ElementSet | SatrecArray,
    times: Any,
    *,
    velocities: bool = True,
    geodetic: bool = False,
    workers: int | None = 1,
) -> Ephemeris:
    """Propagate every satellite of ``elements`` to every time of ``times`` (skyfield Time).

    Positions are ITRS in km, velocities ITRS in km/s (Earth-fixed, i.e. relative to the
    rotating Earth). With ``geodetic=True`` WGS84 latitude, longitude and altitude are
    computed in the same pass (cheaper than afterwards: the chunk is still in cache).
    Satellites whose SGP4 call fails are flagged in ``error`` and their positions set to
    NaN; they are never dropped.

    ``workers`` processes share the job (SGP4 holds the GIL, so threads cannot help);
    ``None`` picks 1 for small jobs and up to the CPU count above ~4 million
    satellite-times. Only an :class:`ElementSet` can be shared out. The default is 1:
    worker processes are started with ``spawn``, which re-imports the caller's
    ``__main__``, so only entry points with a ``__main__`` guard should ask for more.
    """
    from opsconsole.core import parallel_propagation

    satrecs = _as_satrec_array(elements)
    epochs = _Epochs.of(times)
    n, m = len(satrecs), len(epochs)
    out = _allocate(n, m, velocities, geodetic)
    count = parallel_propagation.choose_workers(n, m, workers)
    if count > 1 and isinstance(elements, ElementSet):
        parallel_propagation.propagate_shared(elements, epochs, out, count)
    else:
        _propagate_into(satrecs, epochs, out)
    if out.error.any():
        bad = out.error != 0
        for array in (out.position, out.velocity, out.lat, out.lon, out.alt):
            if array is not None:
                array[bad] = np.nan
    return Ephemeris(out.position, out.velocity, out.error, out.lat, out.lon, out.alt)

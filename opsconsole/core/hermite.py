"""Cubic Hermite interpolation of satellite tracks from positions and velocities at nodes.

Between two nodes ``h`` seconds apart, position is the cubic matching both positions and
both velocities; at 60 s spacing the error against direct SGP4 is below a metre.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def hermite_position(
    p0: FloatArray, v0: FloatArray, p1: FloatArray, v1: FloatArray, tau: FloatArray, h: float
) -> FloatArray:
    """Position at fraction ``tau`` (shape ``(p,)``, 0..1) of intervals of ``h`` seconds.

    ``p0``/``p1`` (km) and ``v0``/``v1`` (km/s) have shape ``(p, 3)``; returns ``(p, 3)``.
    """
    t = tau[:, None]
    t2, t3 = t * t, t * t * t
    return (
        (2 * t3 - 3 * t2 + 1) * p0
        + (t3 - 2 * t2 + t) * (h * v0)
        + (-2 * t3 + 3 * t2) * p1
        + (t3 - t2) * (h * v1)
    )


def hermite_velocity(
    p0: FloatArray, v0: FloatArray, p1: FloatArray, v1: FloatArray, tau: FloatArray, h: float
) -> FloatArray:
    """Velocity (km/s) at fraction ``tau``: the time derivative of :func:`hermite_position`."""
    t = tau[:, None]
    t2 = t * t
    return (
        (6 * t2 - 6 * t) * p0 / h
        + (3 * t2 - 4 * t + 1) * v0
        + (-6 * t2 + 6 * t) * p1 / h
        + (3 * t2 - 2 * t) * v1
    )

"""Reference frames: TEME (SGP4 output) to ITRS (Earth-fixed), and WGS84 geodetic.

The rotation is the one skyfield applies: ``ITRS = W(t) · Rz(-θ_GMST82(UT1)) · TEME``
where ``W`` is the polar-motion matrix from IERS data. Velocities are made Earth-fixed
by removing ``ω × r`` with ω the GMST82 rate.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

WGS84_A_KM = 6378.137
"""WGS84 equatorial radius, km."""
WGS84_F = 1.0 / 298.257223563
"""WGS84 flattening."""
WGS84_B_KM = WGS84_A_KM * (1.0 - WGS84_F)
WGS84_E2 = WGS84_F * (2.0 - WGS84_F)
_EP2 = WGS84_E2 / (1.0 - WGS84_E2)

FloatArray = NDArray[np.float64]


def teme_to_itrs_matrices(t: Any) -> tuple[FloatArray, FloatArray]:
    """Rotation matrices TEME -> ITRS and the Earth rotation rate for each time.

    Returns ``(R, omega)`` with ``R`` of shape ``(m, 3, 3)`` and ``omega`` (rad/s) of
    shape ``(m,)``, for a skyfield ``Time`` array of shape ``(m,)``.
    """
    from skyfield.sgp4lib import theta_GMST1982

    whole = np.atleast_1d(t.whole)
    theta, theta_dot = theta_GMST1982(whole, np.atleast_1d(t.ut1_fraction))
    cos_t, sin_t = np.cos(theta), np.sin(theta)
    m = theta.shape[0]
    rz = np.zeros((m, 3, 3))
    rz[:, 0, 0] = cos_t
    rz[:, 0, 1] = sin_t
    rz[:, 1, 0] = -sin_t
    rz[:, 1, 1] = cos_t
    rz[:, 2, 2] = 1.0
    if t.ts.polar_motion_table is not None:
        w = np.asarray(t.polar_motion_matrix())
        w = np.moveaxis(w.reshape(3, 3, -1), -1, 0)
        rz = np.matmul(w, rz)
    omega = np.broadcast_to(np.asarray(theta_dot) / 86_400.0, (m,)).astype(float)
    return rz, omega


def rotate(matrices: FloatArray, vectors: FloatArray, out: FloatArray | None = None) -> FloatArray:
    """Apply per-time 3x3 ``matrices`` (m, 3, 3) to ``vectors`` (n, m, 3); returns (n, m, 3)."""
    if out is None:
        out = np.empty_like(vectors)
    x, y, z = vectors[..., 0], vectors[..., 1], vectors[..., 2]
    for row in range(3):
        target = out[..., row]
        np.multiply(x, matrices[:, row, 0], out=target)
        target += y * matrices[:, row, 1]
        target += z * matrices[:, row, 2]
    return out


_DEG = 180.0 / np.pi
_GEODETIC_CHUNK = 1 << 16  # points per chunk: keeps temporaries in cache


def _geodetic_chunk(
    x: FloatArray, y: FloatArray, z: FloatArray, lat: FloatArray, lon: FloatArray, h: FloatArray
) -> None:
    """Bowring's method with one refinement, written with tangents to avoid trig calls.

    numpy's ``hypot`` and ``**3`` are an order of magnitude slower than products and
    ``sqrt`` on this kind of machine, hence the spelled-out arithmetic.
    """
    p = np.sqrt(x * x + y * y)
    p_safe = np.maximum(p, 1e-9)
    one_f = 1.0 - WGS84_F
    tan_beta = z / (p_safe * one_f)
    tan_lat = tan_beta
    for _ in range(2):
        cos_b = 1.0 / np.sqrt(1.0 + tan_beta * tan_beta)
        sin_b = tan_beta * cos_b
        tan_lat = (z + (_EP2 * WGS84_B_KM) * (sin_b * sin_b * sin_b)) / (
            p_safe - (WGS84_E2 * WGS84_A_KM) * (cos_b * cos_b * cos_b)
        )
        tan_beta = one_f * tan_lat
    cos_lat = 1.0 / np.sqrt(1.0 + tan_lat * tan_lat)
    sin_lat = tan_lat * cos_lat
    h[...] = p * cos_lat + z * sin_lat - WGS84_A_KM * np.sqrt(1.0 - WGS84_E2 * sin_lat * sin_lat)
    np.multiply(np.arctan(tan_lat), _DEG, out=lat)
    np.multiply(np.arctan2(y, x), _DEG, out=lon)


def geodetic_from_ecef(position_km: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """WGS84 latitude (deg), longitude (deg, -180..180) and height (km) of ECEF points.

    ``position_km`` has shape ``(..., 3)``; each output has shape ``(...)``. Bowring's
    method with one refinement step agrees with skyfield's iterative solution to a few
    millimetres at LEO heights. NaN positions give NaN outputs.
    """
    flat = np.reshape(position_km, (-1, 3))
    count = flat.shape[0]
    lat, lon, h = np.empty(count), np.empty(count), np.empty(count)
    with np.errstate(invalid="ignore"):
        for start in range(0, count, _GEODETIC_CHUNK):
            stop = min(count, start + _GEODETIC_CHUNK)
            block = np.array(flat[start:stop].T)  # contiguous x, y, z rows
            _geodetic_chunk(
                block[0], block[1], block[2], lat[start:stop], lon[start:stop], h[start:stop]
            )
    shape = position_km.shape[:-1]
    return lat.reshape(shape), lon.reshape(shape), h.reshape(shape)


def ecef_from_geodetic(
    lat_deg: FloatArray | float, lon_deg: FloatArray | float, height_km: FloatArray | float
) -> FloatArray:
    """ECEF position (km), shape ``(..., 3)``, of WGS84 geodetic points."""
    lat = np.radians(np.asarray(lat_deg, dtype=float))
    lon = np.radians(np.asarray(lon_deg, dtype=float))
    h = np.asarray(height_km, dtype=float)
    sin_lat = np.sin(lat)
    n = WGS84_A_KM / np.sqrt(1.0 - WGS84_E2 * sin_lat**2)
    xy = (n + h) * np.cos(lat)
    return np.stack(
        np.broadcast_arrays(
            xy * np.cos(lon), xy * np.sin(lon), (n * (1.0 - WGS84_E2) + h) * sin_lat
        ),
        axis=-1,
    )

"""Geometry for drawing a selected satellite: footprint, orbit ring, ground track, and
ray/Earth intersection for picking a point on the globe.

Distances are km, angles degrees, frames Earth-fixed (ITRS) unless stated. The Earth is
treated as a sphere of :data:`MEAN_RADIUS_KM` for footprints and picking (errors well
under a pixel at globe scale); look angles elsewhere use WGS84.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.frames import geodetic_from_ecef

FloatArray = NDArray[np.float64]
MEAN_RADIUS_KM = 6371.0
EARTH_ROTATION_RAD_S = 7.2921150e-5
"""Earth's rotation rate (IERS), rad/s."""


def footprint_half_angle_deg(radius_km: float, min_elevation_deg: float) -> float:
    """Earth central angle (deg) from the sub-satellite point to the edge of coverage.

    A ground terminal sees a satellite at geocentric distance ``radius_km`` at or above
    ``min_elevation_deg`` within this angle: ``acos(R cos(el) / r) - el``.
    """
    el = math.radians(min_elevation_deg)
    ratio = MEAN_RADIUS_KM * math.cos(el) / radius_km
    if ratio >= 1.0:
        return 0.0
    return math.degrees(math.acos(ratio) - el)


def _basis(axis: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    u = axis / np.linalg.norm(axis)
    helper = np.array([0.0, 0.0, 1.0]) if abs(u[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    e1 = np.cross(u, helper)
    e1 /= np.linalg.norm(e1)
    return u, e1, np.cross(u, e1)


def footprint_ring(
    position_km: FloatArray, min_elevation_deg: float, points: int = 120
) -> FloatArray:
    """Edge of a satellite's coverage on the ground, shape ``(points + 1, 3)`` km (closed)."""
    radius = float(np.linalg.norm(position_km))
    half = math.radians(footprint_half_angle_deg(radius, min_elevation_deg))
    u, e1, e2 = _basis(np.asarray(position_km, dtype=float))
    theta = np.linspace(0.0, 2.0 * math.pi, points + 1)
    ring = math.cos(half) * u + math.sin(half) * (
        np.cos(theta)[:, None] * e1 + np.sin(theta)[:, None] * e2
    )
    return np.asarray(MEAN_RADIUS_KM * ring)


def orbit_ring(position_km: FloatArray, offsets_s: FloatArray) -> FloatArray:
    """An orbit drawn as seen in space at ``offsets_s == 0``: Earth-fixed positions
    ``(m, 3)`` taken at ``offsets_s`` (m,) are turned back by the Earth's rotation since
    that instant, so one period closes into a ring instead of a spiral."""
    angle = EARTH_ROTATION_RAD_S * np.asarray(offsets_s, dtype=float)
    c, s = np.cos(angle), np.sin(angle)
    x, y, z = position_km[:, 0], position_km[:, 1], position_km[:, 2]
    return np.stack((c * x - s * y, s * x + c * y, z), axis=1)


def ground_track(position_km: FloatArray) -> FloatArray:
    """Sub-satellite points of Earth-fixed positions ``(m, 3)`` on the mean sphere (km)."""
    norms = np.linalg.norm(position_km, axis=1, keepdims=True)
    return np.asarray(MEAN_RADIUS_KM * position_km / norms)


def ray_hits_earth(
    origin: FloatArray, direction: FloatArray, radius: float = MEAN_RADIUS_KM
) -> FloatArray | None:
    """First point where a ray meets a sphere of ``radius`` at the origin (or ``None``).

    ``origin`` and ``direction`` are 3-vectors in the same units as ``radius``.
    """
    d = np.asarray(direction, dtype=float)
    d = d / np.linalg.norm(d)
    o = np.asarray(origin, dtype=float)
    b = float(o @ d)
    c = float(o @ o) - radius * radius
    disc = b * b - c
    if disc < 0.0:
        return None
    t = -b - math.sqrt(disc)
    if t < 0.0:
        t = -b + math.sqrt(disc)
        if t < 0.0:
            return None
    return np.asarray(o + t * d)


def latlon_of(point_km: FloatArray) -> tuple[float, float]:
    """Geodetic latitude and longitude (deg) below an Earth-fixed point (km)."""
    lat, lon, _ = geodetic_from_ecef(np.asarray(point_km, dtype=float).reshape(1, 3))
    return float(lat[0]), float(lon[0])


def visible_from(eye: FloatArray, points: FloatArray, radius: float) -> NDArray[np.bool_]:
    """Whether each point ``(n, 3)`` can be seen from ``eye`` past a sphere of ``radius``.

    A point is hidden when the segment from the eye to it passes through the sphere.
    Units are the caller's (e.g. Earth radii in the scene).
    """
    d = points - eye
    length2 = np.einsum("ij,ij->i", d, d)
    t = np.clip(-(d @ eye) / np.maximum(length2, 1e-30), 0.0, 1.0)
    closest = eye + t[:, None] * d
    # the point itself may sit on the surface: allow a hair of tolerance
    clear = np.einsum("ij,ij->i", closest, closest) >= (radius * 0.999) ** 2
    return np.asarray(clear | (t >= 0.999))

"""Footprint, orbit ring, ground track and picking geometry."""

from __future__ import annotations

import math

import numpy as np

from opsconsole.core.look_angles import Sites, look_angles
from opsconsole.core.orbit_geometry import (
    EARTH_ROTATION_RAD_S,
    MEAN_RADIUS_KM,
    footprint_half_angle_deg,
    footprint_ring,
    ground_track,
    latlon_of,
    orbit_ring,
    ray_hits_earth,
    visible_from,
)


def test_footprint_edge_sees_the_satellite_at_the_mask() -> None:
    satellite = np.array([[MEAN_RADIUS_KM + 550.0, 0.0, 0.0]])
    ring = footprint_ring(satellite[0], 25.0, points=36)
    assert np.allclose(np.linalg.norm(ring, axis=1), MEAN_RADIUS_KM)
    lat, lon = zip(*(latlon_of(p) for p in ring[:-1]), strict=True)
    sites = Sites.from_geodetic(list(lat), list(lon))
    _, elevation, _ = look_angles(sites, satellite)
    # WGS84 site heights and geodetic verticals differ from the mean sphere: 0.5 deg
    assert np.abs(elevation[:, 0] - 25.0).max() < 0.5
    assert math.isclose(
        footprint_half_angle_deg(MEAN_RADIUS_KM + 550.0, 0.0),
        math.degrees(math.acos(MEAN_RADIUS_KM / (MEAN_RADIUS_KM + 550))),
    )


def test_orbit_ring_undoes_earth_rotation() -> None:
    offsets = np.array([0.0, 600.0])
    inertial = np.array([[7000.0, 0.0, 0.0], [0.0, 7000.0, 0.0]])
    angle = EARTH_ROTATION_RAD_S * offsets
    fixed = np.stack((np.cos(-angle) * inertial[:, 0] - np.sin(-angle) * inertial[:, 1],
                      np.sin(-angle) * inertial[:, 0] + np.cos(-angle) * inertial[:, 1],
                      inertial[:, 2]), axis=1)  # fmt: skip
    assert np.allclose(orbit_ring(fixed, offsets), inertial, atol=1e-9)
    assert np.allclose(np.linalg.norm(ground_track(fixed), axis=1), MEAN_RADIUS_KM)


def test_ray_and_occlusion() -> None:
    hit = ray_hits_earth(np.array([10.0, 0, 0]), np.array([-1.0, 0, 0]), radius=1.0)
    assert hit is not None and np.allclose(hit, [1.0, 0, 0])
    assert ray_hits_earth(np.array([10.0, 0, 0]), np.array([0.0, 1, 0]), radius=1.0) is None
    eye = np.array([6.0, 0.0, 0.0])
    points = np.array([[1.0, 0, 0], [-1.0, 0, 0], [0.0, 1.1, 0], [-1.09, 0, 0]])
    assert visible_from(eye, points, 1.0).tolist() == [True, False, True, False]

"""Azimuth, elevation and slant range of satellites seen from WGS84 sites.

Elevation is measured from the site's local horizon plane, perpendicular to the WGS84
geodetic vertical (not the geocentric radius), as skyfield's ``altaz`` does (no
refraction).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.frames import ecef_from_geodetic

if TYPE_CHECKING:
    from scipy.spatial import cKDTree

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Sites:
    """WGS84 ground points: latitude/longitude in degrees, height in km; each shape ``(k,)``.

    ``ecef_km`` (k, 3) and the local east/north/up unit vectors (k, 3) are precomputed.
    """

    lat_deg: FloatArray
    lon_deg: FloatArray
    height_km: FloatArray
    ecef_km: FloatArray
    east: FloatArray
    north: FloatArray
    up: FloatArray

    @classmethod
    def from_geodetic(
        cls,
        lat_deg: FloatArray | list[float],
        lon_deg: FloatArray | list[float],
        height_km: FloatArray | list[float] | float = 0.0,
    ) -> Sites:
        """Build sites from geodetic coordinates (degrees, km)."""
        lat = np.atleast_1d(np.asarray(lat_deg, dtype=float))
        lon = np.atleast_1d(np.asarray(lon_deg, dtype=float))
        h = np.broadcast_to(np.asarray(height_km, dtype=float), lat.shape).copy()
        phi, lam = np.radians(lat), np.radians(lon)
        sp, cp, sl, cl = np.sin(phi), np.cos(phi), np.sin(lam), np.cos(lam)
        east = np.stack((-sl, cl, np.zeros_like(sl)), axis=-1)
        north = np.stack((-sp * cl, -sp * sl, cp), axis=-1)
        up = np.stack((cp * cl, cp * sl, sp), axis=-1)
        return cls(lat, lon, h, ecef_from_geodetic(lat, lon, h), east, north, up)

    def __len__(self) -> int:
        return int(self.lat_deg.shape[0])

    def take(self, index: NDArray[np.intp]) -> Sites:
        """The sites at ``index`` (shape ``(m,)``), in that order."""
        return Sites(
            self.lat_deg[index], self.lon_deg[index], self.height_km[index],
            self.ecef_km[index], self.east[index], self.north[index], self.up[index],
        )  # fmt: skip

    @cached_property
    def tree(self) -> cKDTree:
        """KD-tree over ``ecef_km``, built once per ``Sites``."""
        from scipy.spatial import cKDTree  # loads on first use (~0.25 s at start-up)

        return cKDTree(self.ecef_km)


def point_tree(points_km: FloatArray) -> cKDTree:
    """KD-tree over positions (km, shape ``(n, 3)``), for a radius search against
    :attr:`Sites.tree`. Unbalanced: it builds ~2x faster and queries as fast for
    satellite positions. scipy loads on first use, not with the console."""
    from scipy.spatial import cKDTree

    return cKDTree(points_km, balanced_tree=False, compact_nodes=False)


def look_angles(
    sites: Sites, satellite_ecef_km: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Azimuth (deg, 0..360 from north, clockwise), elevation (deg) and range (km).

    ``satellite_ecef_km`` is ``(n, 3)``; outputs are ``(k, n)`` for ``k`` sites.
    """
    d = satellite_ecef_km[None, :, :] - sites.ecef_km[:, None, :]
    rng = np.sqrt(np.einsum("kni,kni->kn", d, d))
    up = np.einsum("kni,ki->kn", d, sites.up)
    east = np.einsum("kni,ki->kn", d, sites.east)
    north = np.einsum("kni,ki->kn", d, sites.north)
    elevation = np.degrees(np.arcsin(np.clip(up / rng, -1.0, 1.0)))
    azimuth = np.degrees(np.arctan2(east, north)) % 360.0
    return azimuth, elevation, rng


def pair_look_angles(
    sites: Sites, site_index: NDArray[np.intp], satellite_ecef_km: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Look angles for explicit pairs: ``satellite_ecef_km[i]`` seen from ``site_index[i]``.

    ``satellite_ecef_km`` is ``(p, 3)``; outputs are ``(p,)`` azimuth, elevation (deg)
    and range (km).
    """
    d = satellite_ecef_km - sites.ecef_km[site_index]
    rng = np.sqrt(np.einsum("pi,pi->p", d, d))
    up = np.einsum("pi,pi->p", d, sites.up[site_index])
    east = np.einsum("pi,pi->p", d, sites.east[site_index])
    north = np.einsum("pi,pi->p", d, sites.north[site_index])
    elevation = np.degrees(np.arcsin(np.clip(up / rng, -1.0, 1.0)))
    azimuth = np.degrees(np.arctan2(east, north)) % 360.0
    return azimuth, elevation, rng


def max_slant_range_km(min_elevation_deg: float, max_satellite_radius_km: float) -> float:
    """Longest slant range at which a satellite can still be above ``min_elevation_deg``.

    Conservative for every WGS84 site: uses the polar radius for the site (shortest site
    radius gives the longest range) and allows 0.2 deg for geodetic/geocentric vertical
    differences.
    """
    r_site = 6356.752
    eps = np.radians(max(min_elevation_deg - 0.2, -0.2))
    r_sat = max_satellite_radius_km
    return float(np.sqrt(r_sat**2 - (r_site * np.cos(eps)) ** 2) - r_site * np.sin(eps))

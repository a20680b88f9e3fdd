"""Which satellites each site sees at one instant, for many sites at once.

A KD-tree over satellite positions finds candidates within a generous slant-range radius
(a prefilter only: shells span 525-570 km and elevation is taken from the geodetic
vertical, so no single radius is exact); the exact elevation test then decides.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.horizon import Horizons
from opsconsole.core.look_angles import Sites, max_slant_range_km, point_tree

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class VisiblePairs:
    """Sparse (site, satellite) pairs above the mask, sorted by site then satellite.

    All arrays have shape ``(p,)``: ``site`` and ``satellite`` are indices; azimuth and
    elevation in degrees; range in km.
    """

    site: NDArray[np.intp]
    satellite: NDArray[np.intp]
    azimuth_deg: FloatArray
    elevation_deg: FloatArray
    range_km: FloatArray

    def __len__(self) -> int:
        return int(self.site.shape[0])

    def for_site(self, index: int) -> slice:
        """Slice of the pairs that belong to site ``index``."""
        lo = int(np.searchsorted(self.site, index, side="left"))
        hi = int(np.searchsorted(self.site, index, side="right"))
        return slice(lo, hi)

    def counts(self, n_sites: int) -> NDArray[np.intp]:
        """Number of satellites in view of each site, shape ``(n_sites,)``."""
        return np.bincount(self.site, minlength=n_sites)


def visible_satellites(
    sites: Sites,
    satellite_ecef_km: FloatArray,
    min_elevation_deg: float | FloatArray | Horizons = 25.0,
) -> VisiblePairs:
    """Satellites above each site's horizon at one instant.

    ``satellite_ecef_km`` is ``(n, 3)`` (NaN rows, i.e. failed satellites, are ignored);
    ``min_elevation_deg`` is a scalar, one mask per site (shape ``(k,)``), or the sites'
    :class:`Horizons` (masks and horizon profiles, ``Horizons.above``).
    """
    horizons = min_elevation_deg if isinstance(min_elevation_deg, Horizons) else None
    mask_source = horizons.mask_deg if horizons is not None else min_elevation_deg
    masks = np.broadcast_to(np.asarray(mask_source, dtype=float), (len(sites),))
    valid = np.flatnonzero(np.isfinite(satellite_ecef_km).all(axis=1))
    empty_i = np.empty(0, dtype=np.intp)
    empty_f = np.empty(0)
    if valid.size == 0 or len(sites) == 0:
        return VisiblePairs(empty_i, empty_i, empty_f, empty_f, empty_f)
    points = satellite_ecef_km if valid.size == len(satellite_ecef_km) else satellite_ecef_km[valid]
    r_max = float(np.sqrt(np.einsum("ij,ij->i", points, points).max()))
    radius = max_slant_range_km(float(masks.min()), r_max) * 1.02
    tree = point_tree(points)
    sparse = sites.tree.sparse_distance_matrix(tree, radius, output_type="ndarray")
    site_idx = sparse["i"].astype(np.intp)
    sat_idx = valid[sparse["j"]] if points is not satellite_ecef_km else sparse["j"].astype(np.intp)
    # exact test first, on contiguous columns: up . d >= sin(mask) |d|
    columns = np.ascontiguousarray(satellite_ecef_km.T)
    site_cols = np.ascontiguousarray(sites.ecef_km.T)
    up_cols = np.ascontiguousarray(sites.up.T)
    dx = columns[0][sat_idx] - site_cols[0][site_idx]
    dy = columns[1][sat_idx] - site_cols[1][site_idx]
    dz = columns[2][sat_idx] - site_cols[2][site_idx]
    rng = np.sqrt(dx * dx + dy * dy + dz * dz)
    up = dx * up_cols[0][site_idx] + dy * up_cols[1][site_idx] + dz * up_cols[2][site_idx]
    sin_mask = np.sin(np.radians(masks))
    keep = np.flatnonzero(up >= sin_mask[site_idx] * rng)
    order = keep[np.argsort(site_idx[keep] * len(satellite_ecef_km) + sat_idx[keep])]
    site_idx, sat_idx = site_idx[order], sat_idx[order]
    d = np.stack((dx[order], dy[order], dz[order]), axis=1)
    rng = rng[order]
    east = np.einsum("pi,pi->p", d, sites.east[site_idx])
    north = np.einsum("pi,pi->p", d, sites.north[site_idx])
    elevation = np.degrees(np.arcsin(np.clip(up[order] / rng, -1.0, 1.0)))
    azimuth = np.degrees(np.arctan2(east, north)) % 360.0
    if horizons is not None and horizons.has_profiles:
        clear = horizons.above(site_idx, azimuth, elevation)
        site_idx, sat_idx, rng = site_idx[clear], sat_idx[clear], rng[clear]
        azimuth, elevation = azimuth[clear], elevation[clear]
    return VisiblePairs(site_idx, sat_idx, azimuth, elevation, rng)

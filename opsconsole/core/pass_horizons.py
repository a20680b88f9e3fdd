"""Passes cut to each site's horizon profile (buildings, terrain, superstructure).

A site's horizon is its terminal mask raised by its profile (``core.horizon``), so every
moment a satellite is above the horizon lies inside a pass above the mask alone. Each
such pass of a site with a profile is sampled every ``SAMPLE_S`` along the same cubic
Hermite track the pass search uses; each run of samples above the horizon becomes a
pass, its ends refined by bisection of ``elevation - horizon(azimuth)`` (continuous, as
profiles interpolate linearly) to about a microsecond. A pass hidden throughout
disappears; one crossing a building's shadow splits in two. A horizon feature the
satellite crosses within ``SAMPLE_S`` may be missed.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.hermite import hermite_position
from opsconsole.core.horizon import Horizons
from opsconsole.core.look_angles import Sites, pair_look_angles

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
SAMPLE_S = 1.0
"""Spacing (s) of the samples that find where a pass crosses a horizon profile."""
BISECTIONS = 20
"""Halvings of a one-sample bracket: 1 s / 2**20, about a microsecond."""
CHUNK_SAMPLES = 200_000


class Track:
    """Node positions and velocities ``(n, nodes, 3)`` (km, km/s ITRS) ``step_s`` apart,
    as the pass search computed them, and the sites they are seen from."""

    def __init__(self, pos: FloatArray, vel: FloatArray, step_s: float, sites: Sites) -> None:
        self.pos, self.vel, self.h, self.sites = pos, vel, step_s, sites

    def look(self, site: IntArray, sat: IntArray, t: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Azimuth and elevation (deg) of ``sat`` from ``site`` at ``t`` s (all ``(p,)``)."""
        node = np.clip((t // self.h).astype(np.int64), 0, self.pos.shape[1] - 2)
        tau = (t - node * self.h) / self.h
        p = hermite_position(
            self.pos[sat, node], self.vel[sat, node],
            self.pos[sat, node + 1], self.vel[sat, node + 1], tau, self.h,
        )  # fmt: skip
        azimuth, elevation, _ = pair_look_angles(self.sites, site.astype(np.intp), p)
        return azimuth, elevation

    def clearance(
        self, horizons: Horizons, site: IntArray, sat: IntArray, t: FloatArray
    ) -> FloatArray:
        """Elevation above the site's horizon (deg; negative: hidden) at ``t``."""
        azimuth, elevation = self.look(site, sat, t)
        return np.asarray(elevation - horizons.required_deg(site.astype(np.intp), azimuth))


def clip_to_horizons(
    site: IntArray,
    sat: IntArray,
    rise_s: FloatArray,
    set_s: FloatArray,
    culmination_s: FloatArray,
    track: Track,
    horizons: Horizons,
    duration_s: float,
) -> tuple[IntArray, IntArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """The parts of passes ``(p,)`` (above the mask alone; rise/set NaN at the window's
    edges, seconds after the window start) that are above the horizon: site,
    satellite, rise, culmination, set (s, NaN as before at the window's edges) and
    highest elevation (deg), one row per visible part, in the order of the passes."""
    begin = np.nan_to_num(rise_s, nan=0.0)
    end = np.nan_to_num(set_s, nan=duration_s)
    counts = np.maximum(np.ceil((end - begin) / SAMPLE_S).astype(np.int64), 1) + 1
    parts: list[tuple[FloatArray, ...]] = []
    first = 0
    while first < site.size:  # chunks of whole passes keep memory bounded
        last = first + 1
        total = int(counts[first])
        while last < site.size and total + counts[last] <= CHUNK_SAMPLES:
            total += int(counts[last])
            last += 1
        parts.append(
            _clip_chunk(np.arange(first, last), begin, end, counts, site, sat, track, horizons)
        )
        first = last
    if not parts:
        empty = np.empty(0)
        return site[:0], sat[:0], empty, empty, empty, empty
    owner, lo, hi = (np.concatenate([p[i] for p in parts]) for i in range(3))
    who = owner.astype(np.int64)
    new_rise = np.where((lo == begin[who]) & np.isnan(rise_s[who]), np.nan, lo)
    new_set = np.where((hi == end[who]) & np.isnan(set_s[who]), np.nan, hi)
    # elevation is unimodal along a pass: the highest point of a part is the pass's
    # culmination when the part holds it, else the part's end nearer to it
    peak = np.clip(culmination_s[who], lo, hi)
    _, top = track.look(site[who], sat[who], peak)
    return site[who], sat[who], new_rise, peak, new_set, top


def _clip_chunk(
    passes: NDArray[np.int64],
    begin: FloatArray,
    end: FloatArray,
    counts: NDArray[np.int64],
    site: IntArray,
    sat: IntArray,
    track: Track,
    horizons: Horizons,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Visible parts of ``passes``: (pass index, start s, end s), each ``(q,)``."""
    n = counts[passes]
    owner = np.repeat(passes, n)
    step = np.repeat((end[passes] - begin[passes]) / (n - 1), n)
    k = np.arange(owner.size) - np.repeat(np.cumsum(n) - n, n)
    t = np.repeat(begin[passes], n) + k * step
    t = np.where(k == np.repeat(n - 1, n), np.repeat(end[passes], n), t)  # ends exactly
    clear = track.clearance(horizons, site[owner], sat[owner], t) >= 0.0
    same = np.r_[False, owner[1:] == owner[:-1]]
    starts = np.flatnonzero(clear & ~(same & np.r_[False, clear[:-1]]))
    stops = np.flatnonzero(clear & ~(np.r_[same[1:], False] & np.r_[clear[1:], False]))
    lo, hi = t[starts].copy(), t[stops].copy()
    inner = np.flatnonzero(same[starts])  # the part starts after its pass does: refine
    lo[inner] = _edge(
        track, horizons, owner[starts[inner]], site, sat, t[starts[inner] - 1], lo[inner]
    )
    after = np.r_[same[1:], False][stops]
    inner = np.flatnonzero(after)
    hi[inner] = _edge(
        track, horizons, owner[stops[inner]], site, sat, t[stops[inner] + 1], hi[inner]
    )
    return owner[starts].astype(np.float64), lo, hi


def _edge(
    track: Track,
    horizons: Horizons,
    owner: NDArray[np.int64],
    site: IntArray,
    sat: IntArray,
    hidden: FloatArray,
    seen: FloatArray,
) -> FloatArray:
    """Where clearance crosses zero between ``hidden`` (< 0) and ``seen`` (>= 0) times."""
    a, b = hidden.copy(), seen.copy()
    s, v = site[owner], sat[owner]
    for _ in range(BISECTIONS):
        mid = 0.5 * (a + b)
        up = track.clearance(horizons, s, v, mid) >= 0.0
        b = np.where(up, mid, b)
        a = np.where(up, a, mid)
    return b

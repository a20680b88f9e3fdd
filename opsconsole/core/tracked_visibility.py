"""Which satellites each site sees at each of a short run of instants, found once.

Over a run of instants a few tens of seconds long, the (site, satellite) pairs worth
testing hardly change. One KD-tree search around the run's middle finds every pair
that could be in view at any instant of the run: a pair within the slant-range radius
``R`` at instant ``t`` is within ``R + |p(t) - p(mid)|`` of the site at the middle,
and that displacement is measured from the positions themselves (its maximum over
satellites), so no speed is assumed. The exact elevation test (``Horizons.above``, the
one rule) then runs on those pairs at every instant, as arrays ``[instants, pairs]``.

Because the pairs are the same at every instant of the run, "in view at both ends of a
slot" is an element-wise AND of two instants' rows, not a set intersection.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.horizon import Horizons
from opsconsole.core.look_angles import Sites, max_slant_range_km, point_tree

if TYPE_CHECKING:
    from scipy.spatial import cKDTree

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.intp]
PREFILTER_MARGIN = 1.02
"""Slant-range prefilter radius over the exact maximum (geodetic vs geocentric
vertical, see ``max_slant_range_km``)."""
WITNESSES = 4
"""Nearest satellites tried per site by :func:`seen_throughout` before a full search."""
CHUNK_PAIRS = 32_768
"""Candidate pairs tested at once by :func:`tracked_visibility` (measured on 10,000
sites: whole-array temporaries of ~60 MB made the test 2-3x slower)."""


@dataclass(frozen=True)
class TrackedPairs:
    """Pairs ``(p,)`` sorted by site then satellite, and per instant ``[t, p]``: above
    the site's horizon, and the slant range (km). Every pair is in view at one instant
    of the run at least."""

    site: IntArray
    satellite: IntArray
    visible: BoolArray
    range_km: FloatArray

    def __len__(self) -> int:
        return int(self.site.shape[0])

    def throughout(self, first: int, last: int) -> IntArray:
        """Indices of the pairs in view at instants ``first`` and ``last`` (the two ends
        of a slot), in pair order."""
        return np.flatnonzero(self.visible[first] & self.visible[last])

    def take(self, index: IntArray) -> TrackedPairs:
        """The pairs at ``index`` (shape ``(m,)``), in that order."""
        return TrackedPairs(
            self.site.take(index), self.satellite.take(index),
            self.visible.take(index, axis=1), self.range_km.take(index, axis=1),
        )  # fmt: skip


def _empty(instants: int) -> TrackedPairs:
    none = np.empty(0, dtype=np.intp)
    return TrackedPairs(none, none, np.zeros((instants, 0), bool), np.zeros((instants, 0)))


def _rules(sites: Sites, horizons: Horizons | FloatArray | float) -> Horizons | FloatArray:
    if isinstance(horizons, Horizons):
        return horizons
    return np.broadcast_to(np.asarray(horizons, dtype=float), (len(sites),))


def _mask_deg(rules: Horizons | FloatArray) -> FloatArray:
    return rules.mask_deg if isinstance(rules, Horizons) else rules


@dataclass(frozen=True)
class SatelliteRun:
    """Every satellite over a short run of instants, prepared once for the searches:
    ``positions_km`` ``(n, t, 3)`` ITRS km, the same as three contiguous ``[t, n]``
    arrays ``axes_km`` (x, y, z), ``usable`` ``(n,)`` (finite at every instant), the
    positions ``mid_km`` ``(n, 3)`` at the run's middle (its middle instant, or halfway
    between the middle two), the largest satellite radius ``r_max_km`` and the largest
    distance ``moved_km`` of any usable satellite's position from its middle one."""

    positions_km: FloatArray
    axes_km: tuple[FloatArray, FloatArray, FloatArray]
    usable: BoolArray
    mid_km: FloatArray
    r_max_km: float
    moved_km: float

    @classmethod
    def of(cls, positions_km: FloatArray) -> SatelliteRun:
        """Prepare ``positions_km`` ``(n, t, 3)`` km."""
        t = positions_km.shape[1]
        x, y, z = (np.ascontiguousarray(positions_km[:, :, i].T) for i in range(3))
        usable = np.asarray(
            np.isfinite(x).all(axis=0) & np.isfinite(y).all(axis=0) & np.isfinite(z).all(axis=0)
        )
        lo, hi = (t - 1) // 2, t // 2
        mid = np.stack([0.5 * (c[lo] + c[hi]) for c in (x, y, z)], axis=1)
        if not usable.any():
            return cls(positions_km, (x, y, z), usable, mid, 0.0, 0.0)
        ok = np.flatnonzero(usable)
        xs, ys, zs = x[:, ok], y[:, ok], z[:, ok]
        r2 = xs * xs + ys * ys + zs * zs
        dx, dy, dz = xs - mid[ok, 0], ys - mid[ok, 1], zs - mid[ok, 2]
        moved2 = dx * dx + dy * dy + dz * dz
        return cls(
            positions_km, (x, y, z), usable, mid, float(np.sqrt(r2.max())),
            float(np.sqrt(moved2.max())),
        )  # fmt: skip

    @property
    def instants(self) -> int:
        """Number of instants ``t``."""
        return int(self.positions_km.shape[1])

    @cached_property
    def every(self) -> IntArray:
        """Indices of every usable satellite."""
        return np.flatnonzero(self.usable)

    @cached_property
    def tree(self) -> cKDTree:
        """KD-tree over the middle positions of every usable satellite (``every``)."""
        return point_tree(self.mid_km[self.every])

    def pool(self, satellites: IntArray | None) -> IntArray:
        """The usable satellites of ``satellites`` (indices; default all, ``every``)."""
        if satellites is None:
            return self.every
        chosen = np.asarray(satellites, dtype=np.intp)
        return chosen[self.usable[chosen]]

    def tree_of(self, pool: IntArray) -> cKDTree:
        """KD-tree over the middle positions of ``pool`` (from :meth:`pool`)."""
        return self.tree if pool is self.every else point_tree(self.mid_km[pool])


def tracked_visibility(
    sites: Sites,
    run: SatelliteRun,
    horizons: Horizons | FloatArray | float,
    satellites: IntArray | None = None,
) -> TrackedPairs:
    """Pairs above each site's horizon at some instant of a short run, and when.

    A satellite with a NaN position at any instant of the run (a failed propagation)
    counts as not in view at every instant of it. ``horizons`` is the sites'
    :class:`Horizons`, one mask per site (deg, ``(k,)``) or one mask for all.
    ``satellites`` (indices) limits the search to those satellites. Pairs never in view
    during the run are left out.
    """
    rules = _rules(sites, horizons)
    pool = run.pool(satellites)
    if pool.size == 0 or len(sites) == 0:
        return _empty(run.instants)
    reach = max_slant_range_km(float(_mask_deg(rules).min()), run.r_max_km)
    radius = reach * PREFILTER_MARGIN + run.moved_km
    sparse = sites.tree.sparse_distance_matrix(run.tree_of(pool), radius, output_type="ndarray")
    satellite = pool.take(sparse["j"])
    site = sparse["i"].astype(np.intp)
    parts = []
    # in chunks of pairs: the [t, chunk] temporaries stay in cache, and below the size
    # that malloc serves with fresh (page-faulting) mappings
    for lo in range(0, site.size, CHUNK_PAIRS):
        s, j = site[lo : lo + CHUNK_PAIRS], satellite[lo : lo + CHUNK_PAIRS]
        visible, rng = pair_visibility(sites, s, run.axes_km, j, rules)
        seen = np.flatnonzero(np.logical_or.reduce(visible, axis=0))
        parts.append(TrackedPairs(s.take(seen), j.take(seen), visible.take(seen, axis=1),
                                  rng.take(seen, axis=1)))  # fmt: skip
    pairs = _concatenate(parts, run.instants)
    order = _site_major(pairs.site, pairs.satellite, len(sites), run.usable.size)
    return pairs.take(order)


def _concatenate(parts: list[TrackedPairs], instants: int) -> TrackedPairs:
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return _empty(instants)
    return TrackedPairs(
        np.concatenate([p.site for p in parts]), np.concatenate([p.satellite for p in parts]),
        np.concatenate([p.visible for p in parts], axis=1),
        np.concatenate([p.range_km for p in parts], axis=1),
    )  # fmt: skip


def seen_throughout(
    sites: Sites,
    which: IntArray,
    run: SatelliteRun,
    horizons: Horizons | FloatArray | float,
) -> BoolArray:
    """``[t - 1, m]``: for each slot of the run (between consecutive instants) and each
    site of ``which`` (indices, ``(m,)``), does any satellite stay above the site's
    horizon at both of the slot's ends?

    Exact, and cheap where the sky is full: each site's nearest satellites at the run's
    middle are tried first; sites they do not cover in every slot get a full search.
    """
    t = run.instants
    out = np.zeros((max(t - 1, 0), which.size), dtype=bool)
    if run.every.size == 0 or which.size == 0 or t < 2:
        return out
    rules = _rules(sites, horizons)
    count = min(WITNESSES, run.every.size)
    _, nearest = run.tree.query(sites.ecef_km[which], k=count)
    column = np.repeat(np.arange(which.size), count)
    satellite = run.every.take(np.asarray(nearest, dtype=np.intp).reshape(-1))
    visible, _ = pair_visibility(sites, which.take(column), run.axes_km, satellite, rules)
    both = visible[:-1] & visible[1:]
    for j in range(t - 1):  # t is a handful of instants
        out[j] = np.bincount(column, both[j], minlength=which.size) > 0
    rest = np.flatnonzero(~out.all(axis=0))
    if rest.size:
        chosen = which.take(rest)
        pairs = tracked_visibility(sites.take(chosen), run, rules.take(chosen))
        for j in range(t - 1):
            hit = pairs.site.take(pairs.throughout(j, j + 1))
            out[j, rest] = np.bincount(hit, minlength=rest.size) > 0
    return out


def _site_major(site: IntArray, satellite: IntArray, k: int, n: int) -> IntArray:
    """The order that sorts pairs by site, then satellite (two linear-time radix
    passes when both fit in 16 bits)."""
    if k <= 1 << 16 and n <= 1 << 16:
        by_satellite = np.argsort(satellite.astype(np.uint16), kind="stable")
        return by_satellite.take(
            np.argsort(site.take(by_satellite).astype(np.uint16), kind="stable")
        )
    return np.argsort(site.astype(np.int64) * n + satellite, kind="stable")


def pair_visibility(
    sites: Sites,
    site: IntArray,
    axes_km: tuple[FloatArray, FloatArray, FloatArray],
    satellite: IntArray,
    horizons: Horizons | FloatArray,
) -> tuple[BoolArray, FloatArray]:
    """For pairs ``(p,)`` of site and satellite index, and positions as three ``[t, n]``
    km arrays (x, y, z; ``SatelliteRun.axes_km``): is the satellite above the site's horizon at
    each instant, and the slant range (km), both ``[t, p]``. ``horizons`` is the sites'
    :class:`Horizons` or a mask per site (deg, ``(k,)``)."""
    # np.take is several times faster than [] indexing here
    d = [np.take(axes_km[i], satellite, axis=1) - np.take(sites.ecef_km[:, i], site)
         for i in range(3)]  # fmt: skip
    u = [np.take(sites.up[:, i], site) for i in range(3)]
    up = d[0] * u[0] + d[1] * u[1] + d[2] * u[2]
    rng = np.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2])
    visible = up >= np.take(np.sin(np.radians(_mask_deg(horizons))), site) * rng
    if isinstance(horizons, Horizons) and horizons.has_profiles:
        _apply_profiles(horizons, sites, site, d, up, rng, visible)
    return visible, rng


def _apply_profiles(
    rules: Horizons,
    sites: Sites,
    site: IntArray,
    d: list[FloatArray],
    up: FloatArray,
    rng: FloatArray,
    visible: BoolArray,
) -> None:
    """Clear ``visible`` (``[t, p]``, in place) where a site's horizon profile hides the
    satellite; only pairs of sites with a profile that clear the mask are looked at."""
    profiled = np.array([p is not None for p in rules.profiles])[site]
    cols = np.flatnonzero(profiled & np.logical_or.reduce(visible, axis=0))
    if cols.size == 0:
        return
    owner = site.take(cols)
    dc = [c[:, cols] for c in d]
    e_vec, n_vec = sites.east[owner], sites.north[owner]
    east = dc[0] * e_vec[:, 0] + dc[1] * e_vec[:, 1] + dc[2] * e_vec[:, 2]
    north = dc[0] * n_vec[:, 0] + dc[1] * n_vec[:, 1] + dc[2] * n_vec[:, 2]
    azimuth = np.degrees(np.arctan2(east, north)) % 360.0
    elevation = np.degrees(np.arcsin(np.clip(up[:, cols] / rng[:, cols], -1.0, 1.0)))
    t = visible.shape[0]
    clear = rules.above(np.tile(owner, t), azimuth.ravel(), elevation.ravel())
    visible[:, cols] &= clear.reshape(t, cols.size)

"""A site's horizon: its terminal mask and an optional azimuth/elevation profile.

The one rule for "is this satellite above this site's horizon": its elevation is at or
above the site's own terminal mask (``min_elevation_deg``; the plan's or view's default
when the site has none) **and** at or above the horizon profile at its azimuth, when the
site has a profile. A profile is a list of (azimuth, elevation) points in degrees,
azimuth clockwise from north in ``[0, 360)`` strictly increasing, elevation in
``[-5, 90]``, linearly interpolated between points and wrapping at 360 (a single
point is a constant). It models buildings, terrain or a ship's superstructure.

Text form (site files, the database): ``az:el;az:el;...`` (e.g. ``0:40;90:10;270:10``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
MIN_ELEVATION_DEG = -5.0
MAX_ELEVATION_DEG = 90.0
DEFAULT_MASK_DEG = 25.0
"""The terminal mask of a site that has none of its own (Starlink's user terminals)."""


@dataclass(frozen=True)
class HorizonProfile:
    """Points of a horizon: ``azimuth_deg`` strictly increasing in ``[0, 360)`` and
    ``elevation_deg`` in ``[-5, 90]``, the same length (at least one)."""

    azimuth_deg: tuple[float, ...]
    elevation_deg: tuple[float, ...]

    def __post_init__(self) -> None:
        problem = _problem(self.azimuth_deg, self.elevation_deg)
        if problem:
            raise ValueError(problem)

    @classmethod
    def parse(cls, text: str) -> HorizonProfile | None:
        """A profile from ``az:el;az:el;...`` (``None`` for empty text); ``ValueError``
        names the bad point and why."""
        parts = [p.strip() for p in str(text).replace("|", ";").split(";") if p.strip()]
        if not parts:
            return None
        az: list[float] = []
        el: list[float] = []
        for n, part in enumerate(parts, start=1):
            pieces = part.split(":")
            if len(pieces) != 2:
                raise ValueError(f"horizon point {n} {part!r} is not azimuth:elevation")
            try:
                if "_" in part:  # float() would read 1_0 as 10
                    raise ValueError(part)
                a, e = (float(p) for p in pieces)
            except ValueError:
                raise ValueError(f"horizon point {n} {part!r} is not two numbers") from None
            az.append(a)
            el.append(e)
        return cls(tuple(az), tuple(el))

    def to_text(self) -> str:
        """The ``az:el;...`` form (round-trips through :meth:`parse`)."""
        pairs = zip(self.azimuth_deg, self.elevation_deg, strict=True)
        return ";".join(f"{a:.12g}:{e:.12g}" for a, e in pairs)

    def elevation_at(self, azimuth_deg: FloatArray) -> FloatArray:
        """The horizon's elevation (deg) at each azimuth (deg), any shape."""
        az = np.asarray(self.azimuth_deg)
        el = np.asarray(self.elevation_deg)
        if az.size == 1:
            return np.full(np.shape(azimuth_deg), el[0])
        # wrap: the last point joins the first across north
        xp = np.r_[az[-1] - 360.0, az, az[0] + 360.0]
        fp = np.r_[el[-1], el, el[0]]
        return np.asarray(np.interp(np.asarray(azimuth_deg) % 360.0, xp, fp))


def _problem(az: Sequence[float], el: Sequence[float]) -> str | None:
    if len(az) == 0 or len(az) != len(el):
        return "a horizon needs at least one azimuth:elevation point"
    for n, (a, e) in enumerate(zip(az, el, strict=True), start=1):
        if not (math.isfinite(a) and 0.0 <= a < 360.0):
            return f"horizon point {n}: azimuth {a:g} outside [0, 360)"
        if not (math.isfinite(e) and MIN_ELEVATION_DEG <= e <= MAX_ELEVATION_DEG):
            return f"horizon point {n}: elevation {e:g} outside [-5, 90]"
    for n in range(1, len(az)):
        if az[n] <= az[n - 1]:
            kind = "duplicate" if az[n] == az[n - 1] else "unsorted"
            return f"horizon point {n + 1}: {kind} azimuth {az[n]:g} (azimuths must increase)"
    return None


def check_mask(value: float) -> str | None:
    """Why ``value`` cannot be a terminal mask (deg), or ``None``."""
    if not (math.isfinite(value) and MIN_ELEVATION_DEG <= value <= MAX_ELEVATION_DEG):
        return f"min_elevation_deg {value:g} outside [-5, 90]"
    return None


@dataclass(frozen=True)
class Horizons:
    """The horizons of ``k`` sites: ``mask_deg`` ``(k,)`` and a profile or ``None`` each."""

    mask_deg: FloatArray
    profiles: tuple[HorizonProfile | None, ...]

    @classmethod
    def of(
        cls,
        masks: Sequence[float | None],
        profiles: Sequence[HorizonProfile | None] | None = None,
        default_mask_deg: float = DEFAULT_MASK_DEG,
    ) -> Horizons:
        """Per-site masks (``None``: ``default_mask_deg``) and optional profiles."""
        mask = np.array([default_mask_deg if m is None else float(m) for m in masks])
        return cls(mask, tuple(profiles) if profiles is not None else (None,) * mask.size)

    def __len__(self) -> int:
        return int(self.mask_deg.shape[0])

    def take(self, index: NDArray[np.intp]) -> Horizons:
        """The horizons of the sites at ``index``."""
        if not self.has_profiles:  # no Python loop over (possibly 100,000) sites
            return Horizons(self.mask_deg[index], (None,) * len(index))
        return Horizons(self.mask_deg[index], tuple(self.profiles[int(i)] for i in index))

    @cached_property
    def profiled(self) -> tuple[int, ...]:
        """Indices of the sites with a horizon profile (computed once)."""
        return tuple(i for i, p in enumerate(self.profiles) if p is not None)

    @property
    def has_profiles(self) -> bool:
        """Does any site have a horizon profile?"""
        return bool(self.profiled)

    def required_deg(self, site: NDArray[np.intp], azimuth_deg: FloatArray) -> FloatArray:
        """The elevation (deg) a satellite must reach for pairs ``(p,)`` of site index
        and azimuth: the site's mask, raised by its profile where it has one (a profile
        never lowers the terminal's own mask)."""
        need = self.mask_deg[site].astype(float)
        for i in self.profiled:  # sites with a profile: few
            profile = self.profiles[i]
            assert profile is not None
            at = np.flatnonzero(site == i)
            if at.size:
                need[at] = np.maximum(need[at], profile.elevation_at(azimuth_deg[at]))
        return need

    def above(
        self, site: NDArray[np.intp], azimuth_deg: FloatArray, elevation_deg: FloatArray
    ) -> NDArray[np.bool_]:
        """Is each pair ``(p,)`` above its site's horizon? The one rule every part of
        the console uses."""
        return np.asarray(elevation_deg >= self.required_deg(site, azimuth_deg))

"""What serves a point on the ground: satellites in view now and coverage over a window.

Pure functions over the core's arrays. Coverage is sampled: the fraction of sample
instants (``step_s`` apart) at which at least one satellite is at or above the mask.
Work is split into time chunks so that a caller on a worker thread can report progress
and cancel between chunks; memory stays at one chunk of positions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.element_sets import ElementSet
from opsconsole.core.horizon import Horizons
from opsconsole.core.look_angles import Sites
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import as_utc, times_from
from opsconsole.core.visibility import visible_satellites
from opsconsole.jobs.cancel import Cancelled

FloatArray = NDArray[np.float64]
CHUNK_TIMES = 30


@dataclass(frozen=True)
class InView:
    """Satellites above the mask of one point at one instant, highest first.

    ``satellite`` indexes the element set; angles in degrees, range in km.
    """

    satellite: NDArray[np.intp]
    azimuth_deg: FloatArray
    elevation_deg: FloatArray
    range_km: FloatArray


@dataclass(frozen=True)
class Coverage:
    """Sampled coverage of one point: ``covered`` (m,) per sample instant and ``count``
    (m,) satellites in view, at ``start + k * step_s`` seconds (UTC)."""

    start: datetime
    step_s: float
    covered: NDArray[np.bool_]
    count: NDArray[np.intp]

    @property
    def fraction(self) -> float:
        """Fraction of sample instants with at least one satellite in view (0..1)."""
        return float(self.covered.mean()) if self.covered.size else 0.0

    @property
    def longest_gap_s(self) -> float:
        """Longest run of uncovered samples, in seconds (sample resolution)."""
        run = longest = 0
        for value in self.covered:
            run = 0 if value else run + 1
            longest = max(longest, run)
        return longest * self.step_s


def in_view(
    site: Sites, satellite_ecef_km: FloatArray, min_elevation_deg: float | Horizons
) -> InView:
    """Satellites (n, 3 km ITRS) above the horizon of the first site of ``site``: a
    mask in degrees, or the site's :class:`Horizons` (mask and profile)."""
    pairs = visible_satellites(site, satellite_ecef_km, min_elevation_deg)
    sel = pairs.for_site(0)
    order = np.argsort(-pairs.elevation_deg[sel], kind="stable")
    return InView(
        pairs.satellite[sel][order],
        pairs.azimuth_deg[sel][order],
        pairs.elevation_deg[sel][order],
        pairs.range_km[sel][order],
    )


def coverage(
    elements: ElementSet,
    site: Sites,
    start: datetime,
    duration_s: float = 86_400.0,
    *,
    min_elevation_deg: float | Horizons = 25.0,
    step_s: float = 60.0,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Coverage:
    """Sample how often at least one satellite is above the horizon of the first site:
    a mask in degrees or the sites' :class:`Horizons` (mask and profile).

    Samples at ``start + k * step_s`` for ``k = 0 .. duration_s // step_s``. ``progress``
    receives the done fraction after each chunk; ``cancelled`` returning true raises
    :class:`Cancelled` between chunks.
    """
    start = as_utc(start)
    offsets = np.arange(int(duration_s // step_s) + 1) * step_s
    counts = np.zeros(offsets.size, dtype=np.intp)
    horizons = _first_site(min_elevation_deg)
    sin_mask = np.sin(np.radians(horizons.mask_deg[0]))
    for first in range(0, offsets.size, CHUNK_TIMES):
        if cancelled is not None and cancelled():
            raise Cancelled
        chunk = offsets[first : first + CHUNK_TIMES]
        eph = propagate(elements, times_from(start, chunk), velocities=False)
        d = eph.position_km - site.ecef_km[0]  # (n, chunk, 3)
        up = d @ site.up[0]
        rng = np.sqrt(np.einsum("nki,nki->nk", d, d))
        above = np.nan_to_num(up - sin_mask * rng, nan=-1.0) >= 0.0
        if horizons.has_profiles:  # the profile only raises the mask: test the few above it
            sat, time = np.nonzero(above)
            rows = d[sat, time]
            azimuth = np.degrees(np.arctan2(rows @ site.east[0], rows @ site.north[0])) % 360.0
            elevation = np.degrees(np.arcsin(np.clip(up[sat, time] / rng[sat, time], -1, 1)))
            zero = np.zeros(sat.size, dtype=np.intp)
            above[sat, time] = horizons.above(zero, azimuth, elevation)
        counts[first : first + chunk.size] = above.sum(axis=0)
        if progress is not None:
            progress(min(1.0, (first + chunk.size) / offsets.size))
    return Coverage(start, step_s, counts > 0, counts)


@dataclass(frozen=True)
class NextPass:
    """The first pass above the mask after ``start``: rise and set times (UTC, ``None``
    when already above the mask at ``start`` / still above at the horizon's end) and the
    highest elevation sampled (deg)."""

    rise: datetime | None
    set: datetime | None
    max_elevation_deg: float


def next_pass(
    elements: ElementSet,
    site: Sites,
    start: datetime,
    duration_s: float = 86_400.0,
    *,
    min_elevation_deg: float | Horizons = 25.0,
    step_s: float = 10.0,
) -> NextPass | None:
    """First pass of the first satellite of ``elements`` above the horizon of the first
    site of ``site`` (a mask in degrees or the sites' :class:`Horizons`).

    One vectorised propagation at ``step_s`` samples; rise and set are interpolated
    linearly in ``sin(elevation) - sin(required elevation)`` between samples (well under
    a second for LEO at 10 s). Passes shorter than ``step_s`` can be missed. ``None``
    when there is none.
    """
    start = as_utc(start)
    horizons = _first_site(min_elevation_deg)
    offsets = np.arange(int(duration_s // step_s) + 1) * step_s
    eph = propagate(elements, times_from(start, offsets), velocities=False)
    d = eph.position_km[0] - site.ecef_km[0]
    sin_el = (d @ site.up[0]) / np.linalg.norm(d, axis=1)
    azimuth = np.degrees(np.arctan2(d @ site.east[0], d @ site.north[0])) % 360.0
    need = horizons.required_deg(np.zeros(offsets.size, dtype=np.intp), azimuth)
    f = sin_el - np.sin(np.radians(need))
    above = np.nan_to_num(f, nan=-1.0) >= 0.0
    if not above.any():
        return None
    first = int(np.argmax(above))
    after = np.flatnonzero(~above[first:])
    last = first + int(after[0]) - 1 if after.size else offsets.size - 1

    def crossing(i: int) -> datetime:  # f changes sign between samples i and i + 1
        t = offsets[i] + step_s * f[i] / (f[i] - f[i + 1])
        return start + timedelta(seconds=float(t))

    rise = None if first == 0 else crossing(first - 1)
    end = None if last == offsets.size - 1 else crossing(last)
    sin_peak = sin_el[first : last + 1].max()
    peak = float(np.degrees(np.arcsin(np.clip(sin_peak, -1.0, 1.0))))
    return NextPass(rise, end, peak)


def _first_site(mask: float | Horizons) -> Horizons:
    """The horizon of the first site: of ``Horizons``, or a plain mask in degrees."""
    if isinstance(mask, Horizons):
        return mask.take(np.zeros(1, dtype=np.intp))
    return Horizons.of([float(mask)])

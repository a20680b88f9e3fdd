"""Pass prediction over long windows in bounded memory.

:func:`~opsconsole.core.passes.find_passes` holds every satellite's position and
velocity at every node: 4,408 satellites over 14 days at 60 s nodes is 4.3 GB before
any work. :func:`find_passes_in_chunks` runs it on consecutive chunks of at most
:data:`PASS_CHUNK_S` and joins the passes that cross a chunk boundary, so memory
follows the chunk, not the window. A pass in progress at a boundary is open at the
end of one chunk (``set_s`` NaN) and at the start of the next (``rise_s`` NaN): the two
halves become one pass with the earlier rise, the later set and the higher peak.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from opsconsole.core.element_sets import ElementSet
from opsconsole.core.horizon import Horizons
from opsconsole.core.look_angles import Sites
from opsconsole.core.passes import FloatArray, Passes, find_passes
from opsconsole.core.timescale import as_utc

PASS_CHUNK_S = 6 * 3600.0
"""Longest stretch propagated at once (s): 6 h of 10,361 satellites at 60 s nodes is
about 180 MB of positions and velocities."""


def find_passes_in_chunks(
    elements: ElementSet,
    sites: Sites,
    start: datetime,
    duration_s: float,
    *,
    min_elevation_deg: float | FloatArray | Horizons = 25.0,
    step_s: float = 60.0,
    workers: int | None = 1,
    chunk_s: float = PASS_CHUNK_S,
) -> Passes:
    """:func:`~opsconsole.core.passes.find_passes` over ``duration_s`` seconds from
    ``start`` (UTC), propagated ``chunk_s`` seconds at a time (a whole number of
    ``step_s`` nodes; windows no longer than one chunk are not split). Same result
    layout and sort order; times are seconds after ``start``."""
    start = as_utc(start)
    chunk_s = max(step_s, step_s * np.floor(chunk_s / step_s))
    if duration_s <= chunk_s:
        return find_passes(
            elements,
            sites,
            start,
            duration_s,
            min_elevation_deg=min_elevation_deg,
            step_s=step_s,
            workers=workers,
        )
    parts: list[Passes] = []
    offsets: list[float] = []
    offset = 0.0
    while offset < duration_s - 1e-6:
        length = min(chunk_s, duration_s - offset)
        parts.append(
            find_passes(
                elements,
                sites,
                start + timedelta(seconds=offset),
                length,
                min_elevation_deg=min_elevation_deg,
                step_s=step_s,
                workers=workers,
            )
        )
        offsets.append(offset)
        offset += length
    return _joined(start, parts, offsets, duration_s)


def _joined(
    start: datetime, parts: list[Passes], offsets: list[float], duration_s: float
) -> Passes:
    """One :class:`Passes` from consecutive chunks (``offsets`` s after ``start``)."""
    site = np.concatenate([p.site for p in parts])
    sat = np.concatenate([p.satellite for p in parts])
    chunk = np.concatenate([np.full(len(p), i) for i, p in enumerate(parts)])
    shift = np.asarray(offsets)[chunk]
    rise = np.concatenate([p.rise_s for p in parts]) + shift
    culm = np.concatenate([p.culmination_s for p in parts]) + shift
    sets = np.concatenate([p.set_s for p in parts]) + shift
    peak = np.concatenate([p.max_elevation_deg for p in parts])
    open_start = np.isnan(rise) & (chunk > 0)  # continues a pass of the chunk before
    open_end = np.isnan(sets) & (chunk < len(parts) - 1)
    # pair every open end with the open start of the same (site, satellite) in the next
    # chunk: sort both by (site, satellite, chunk) and match on equal keys
    n_sat = int(sat.max(initial=0)) + 1
    key = site.astype(np.int64) * n_sat + sat
    ends = np.flatnonzero(open_end)
    starts = np.flatnonzero(open_start)
    end_key = key[ends] * len(parts) + chunk[ends] + 1
    start_key = key[starts] * len(parts) + chunk[starts]
    order_s = np.argsort(start_key)
    sorted_keys = start_key[order_s]
    found = np.minimum(np.searchsorted(sorted_keys, end_key), max(starts.size - 1, 0))
    hit = sorted_keys[found] == end_key if starts.size else np.zeros(ends.size, bool)
    head, tail = ends[hit], starts[order_s][found[hit]]
    # an unmatched open edge at a boundary (the pass set exactly there): close it there
    boundary_end = np.asarray([*offsets[1:], duration_s])
    lone_end = np.setdiff1d(ends, head)
    sets[lone_end] = boundary_end[chunk[lone_end]]
    lone_start = np.setdiff1d(starts, tail)
    rise[lone_start] = shift[lone_start]
    # follow chains (a pass longer than a chunk crosses several boundaries); index
    # ``n`` is a sentinel that leads to itself
    n = site.size
    next_of = np.full(n + 1, n)
    next_of[head] = tail
    is_tail = np.zeros(n, bool)
    is_tail[tail] = True
    keep = np.flatnonzero(~is_tail)
    best_peak, best_culm, last = peak[keep].copy(), culm[keep].copy(), keep.copy()
    current = next_of[keep]
    while (more := current < n).any():
        higher = more & (peak[np.minimum(current, n - 1)] > best_peak)
        best_peak[higher] = peak[current[higher]]
        best_culm[higher] = culm[current[higher]]
        last[more] = current[more]
        current = next_of[current]
    order = np.lexsort((sat[keep], np.nan_to_num(rise[keep], nan=0.0), site[keep]))
    return Passes(
        start,
        site[keep][order],
        sat[keep][order],
        rise[keep][order],
        best_culm[order],
        sets[last][order],
        best_peak[order],
    )

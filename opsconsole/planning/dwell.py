"""How long each site's link to each satellite stays usable, for the ``dwell`` policy.

A site's user link to a satellite is usable in a slot when the satellite stays above
the site's horizon at both of the slot's ends and, in bent-pipe mode, also sees some
live gateway at both ends (else it could carry nothing). The *dwell* of a link at slot
``j`` is the number of consecutive slots from ``j`` on in which it is usable, counted up
to a look-ahead of ``L`` slots (links usable for longer count as ``L``). It is read off
the runs of slot ends that follow (``WindowView``), which the planner produces ahead
of the slot it is choosing; exclusions are not looked ahead (an outage in the future
does not shorten a link's dwell; the slot's own exclusions still apply).

The handover choice itself is in ``assignment`` (``dwell_cost``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from opsconsole.planning.slot_geometry import WindowView

IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]


def _carriers(window: WindowView, n: int, bent_pipe: bool) -> BoolArray:
    """``[slots, n]``: does each satellite see a live gateway throughout each slot of
    the run (every satellite may carry with inter-satellite links)?"""
    slots = window.last_slot - window.first + 1
    if not bent_pipe:
        return np.ones((slots, n), dtype=bool)
    out = np.zeros((slots, n), dtype=bool)
    for a in range(slots):
        out[a, window.down.satellite.take(window.down.throughout(a, a + 1))] = True
    return out


def _usable(window: WindowView, carriers: BoolArray, keys: NDArray[np.int64], n: int) -> BoolArray:
    """``[slots, len(keys)]``: is each link (key ``site * n + satellite``) usable in
    each slot of ``window`` (whose ``_carriers`` are given)?"""
    up = window.up
    slots = carriers.shape[0]
    if up.site.size == 0 or keys.size == 0:
        return np.zeros((slots, keys.size), dtype=bool)
    own = up.site.astype(np.int64) * n + up.satellite  # increasing: site, then satellite
    at = np.minimum(np.searchsorted(own, keys), own.size - 1)
    found = own.take(at) == keys
    visible = up.visible.take(at, axis=1)
    usable = visible[:-1] & visible[1:] & carriers.take((keys % n).astype(np.intp), axis=1)
    return np.asarray(usable & found)


def dwell_slots(
    runs: Sequence[tuple[WindowView, BoolArray]], lookahead: int, n: int
) -> NDArray[np.int32]:
    """``[slots, p]``: the dwell (slots, at most ``lookahead``) of each of the first
    run's up pairs at each of its slots, using the runs that follow it (each given with
    its ``_carriers``). Later runs are searched only for links still unbroken."""
    up = runs[0][0].up
    keys = up.site.astype(np.int64) * n + up.satellite
    own = _usable(runs[0][0], runs[0][1], keys, n)
    slots = own.shape[0]
    # slots from the end of the first run on in which each link stays usable
    tail = np.zeros(keys.size, dtype=np.int32)
    alive = np.flatnonzero(own[-1]) if slots else np.zeros(0, dtype=np.intp)
    looked = 0  # slots looked at beyond the first run (every alive link's tail)
    for window, carriers in runs[1:]:
        if alive.size == 0 or looked >= lookahead:
            break
        usable = _usable(window, carriers, keys.take(alive), n)
        broken = np.argmin(usable, axis=0)  # first unusable slot (0 when all usable)
        whole = usable.all(axis=0)
        gained = np.where(whole, usable.shape[0], broken).astype(np.int32)
        tail[alive] += gained
        alive = alive[whole]
        looked += usable.shape[0]
    run = np.zeros((slots + 1, keys.size), dtype=np.int32)
    run[slots] = tail
    for s in range(slots - 1, -1, -1):  # consecutive usable slots from s on
        run[s] = np.where(own[s], run[s + 1] + 1, 0)
    return np.minimum(run[:slots], lookahead)


def with_dwell(
    windows: Iterator[WindowView], lookahead: int, n: int, bent_pipe: bool
) -> Iterator[WindowView]:
    """The same runs, each with ``up_dwell`` filled from the runs after it: each run is
    held back until ``lookahead`` slots beyond it are known (or the runs end)."""
    queue: deque[tuple[WindowView, BoolArray]] = deque()

    def ready() -> bool:
        return len(queue) > 1 and queue[-1][0].last_slot - queue[0][0].last_slot >= lookahead

    def emit() -> WindowView:
        dwell = dwell_slots(list(queue), lookahead, n)
        return replace(queue.popleft()[0], up_dwell=dwell)

    for window in windows:
        queue.append((window, _carriers(window, n, bent_pipe)))
        while ready():
            yield emit()
    while queue:
        yield emit()

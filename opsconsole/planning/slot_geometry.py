"""What is in view over a run of slot ends, and which links hold for a whole slot.

A slot ``[t_j, t_j+1)`` uses the instants at both of its ends. A link is usable for the
slot only if it holds at **both** ends: the elevation of a satellite over a site (or a
gateway) along one pass rises to a single maximum and falls again (it is unimodal over
any stretch shorter than a pass, and a slot of at most 60 s is far shorter than a LEO
pass), so its minimum over the slot is at one of the ends. Above the mask at both ends
therefore means above it throughout (see docs/planning.md; tested between slot ends
with skyfield in tests/planning/test_whole_slot_validity.py).

Slot ends are taken in runs (``WindowView``): the pairs worth testing are found once
per run (``core.tracked_visibility``) and tested at every instant of it, so a slot's
"in view at both ends" is an element-wise AND of two instants' columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.tracked_visibility import (
    SatelliteRun,
    TrackedPairs,
    seen_throughout,
    tracked_visibility,
)
from opsconsole.planning.inputs import PlanInputs

IntArray = NDArray[np.intp]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class SlotPairs:
    """Pairs ``(p,)`` in view at both ends of a slot (in the order of their
    :class:`TrackedPairs`): ground point index (site or gateway), satellite index and slant range
    (km) at the slot's start and at its end."""

    ground: IntArray
    satellite: IntArray
    range_start_km: FloatArray
    range_end_km: FloatArray
    dwell_slots: NDArray[np.int32] | None = None
    """Site links only, ``dwell`` policy: slots the link stays usable (``planning.dwell``)."""

    def __len__(self) -> int:
        return int(self.ground.shape[0])

    def subset(self, keep: NDArray[np.bool_]) -> SlotPairs:
        """The pairs where ``keep`` (shape ``(p,)``) is True, order kept."""
        dwell = None if self.dwell_slots is None else self.dwell_slots[keep]
        return SlotPairs(
            self.ground[keep], self.satellite[keep], self.range_start_km[keep],
            self.range_end_km[keep], dwell,
        )  # fmt: skip


def _throughout(pairs: TrackedPairs, a: int, dwell: NDArray[np.int32] | None = None) -> SlotPairs:
    idx = pairs.throughout(a, a + 1)
    return SlotPairs(
        pairs.site.take(idx), pairs.satellite.take(idx), pairs.range_km[a].take(idx),
        pairs.range_km[a + 1].take(idx), None if dwell is None else dwell[a].take(idx),
    )  # fmt: skip


@dataclass(frozen=True)
class SlotView:
    """One slot: every satellite's position ``(n, 3)`` km ITRS at its start and end, and
    the pairs in view at both ends: ``down`` gateways x satellites above each gateway's
    mask (sorted by satellite, then gateway), ``up`` sites x satellites above each
    site's horizon (by site, then satellite). When ``seen`` is None,
    ``up`` holds every satellite; otherwise only those that see a gateway at some
    instant of the run, and ``seen`` ``(k,)`` says whether any satellite at all stays
    above each site's horizon for the whole slot."""

    start_km: FloatArray
    end_km: FloatArray
    down: SlotPairs
    up: SlotPairs
    seen: NDArray[np.bool_] | None


@dataclass(frozen=True)
class WindowView:
    """Consecutive slot ends ``first .. first + t - 1`` (instant ``j`` starts slot ``j``
    and ends slot ``j - 1``): positions ``(n, t, 3)`` km ITRS, the tracked pairs of
    gateways and of sites, and ``seen`` ``[t - 1, k]`` (see :class:`SlotView`)."""

    first: int
    positions_km: FloatArray
    down: TrackedPairs
    up: TrackedPairs
    seen: NDArray[np.bool_] | None
    up_dwell: NDArray[np.int32] | None = None
    """``[slots, p]`` the dwell of each up pair at each slot (``planning.dwell``), or
    None (``rtt`` policy)."""

    @property
    def last_slot(self) -> int:
        """The last slot both of whose ends are in the run."""
        return self.first + int(self.positions_km.shape[1]) - 2

    def slot(self, j: int) -> SlotView:
        """Slot ``j`` (``first <= j <= last_slot``)."""
        a = j - self.first
        if not 0 <= a <= self.positions_km.shape[1] - 2:
            raise IndexError(f"slot {j} is not inside instants {self.first}..")
        pos = self.positions_km
        seen = None if self.seen is None else self.seen[a]
        return SlotView(
            pos[:, a], pos[:, a + 1], _throughout(self.down, a),
            _throughout(self.up, a, self.up_dwell), seen,
        )  # fmt: skip


def window_view(
    inputs: PlanInputs, first: int, positions_km: FloatArray, every_satellite: bool = False
) -> WindowView:
    """The run of slot ends starting at instant ``first``, positions ``(n, t, 3)`` km
    (``t >= 2``). Only live gateways are tracked (the others carry nothing).

    With ``every_satellite`` (inter-satellite links, or any satellite excluded during
    the run) sites are matched against every satellite. Otherwise only satellites that
    see a gateway at some instant of the run can carry traffic, so sites are matched
    against those, and whether a site has any satellite in view at all is settled
    separately (``seen_throughout``) for the sites those do not already cover.
    """
    run = SatelliteRun.of(positions_km)
    live = inputs.live_gateway_index
    down = tracked_visibility(inputs.live_gateways, run, inputs.gateway_mask_deg[live])
    down = TrackedPairs(live.take(down.site), down.satellite, down.visible, down.range_km)
    down = down.take(np.argsort(down.satellite, kind="stable"))  # satellite-major
    if every_satellite:
        up = tracked_visibility(inputs.sites, run, inputs.horizons)
        return WindowView(first, positions_km, down, up, None)
    carriers = np.unique(down.satellite)
    up = tracked_visibility(inputs.sites, run, inputs.horizons, carriers)
    k, slots = len(inputs.sites), positions_km.shape[1] - 1
    seen = np.zeros((slots, k), dtype=bool)
    for a in range(slots):
        seen[a, up.site.take(up.throughout(a, a + 1))] = True
    need = np.flatnonzero(~seen.all(axis=0))
    if need.size:
        seen[:, need] = seen_throughout(inputs.sites, need, run, inputs.horizons)
    return WindowView(first, positions_km, down, up, seen)


def slot_view(
    inputs: PlanInputs, start_km: FloatArray, end_km: FloatArray, every_satellite: bool = False
) -> SlotView:
    """A single slot between two instants' positions ``(n, 3)`` km."""
    pairs = np.stack((start_km, end_km), axis=1)
    return window_view(inputs, 0, pairs, every_satellite).slot(0)

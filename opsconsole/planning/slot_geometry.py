"""What is in view at each slot end, and which links hold for a whole slot.

A slot ``[t_j, t_j+1)`` uses the instants at both of its ends. A link is usable for the
slot only if it holds at **both** ends: the elevation of a satellite over a site (or a
gateway) along one pass rises to a single maximum and falls again (it is unimodal over
any stretch shorter than a pass, and a slot of at most 60 s is far shorter than a LEO
pass), so its minimum over the slot is at one of the ends. Above the mask at both ends
therefore means above it throughout (see docs/planning.md; tested between slot ends
with skyfield in tests/planning/test_whole_slot_validity.py).

The instant at a slot's end is the next slot's start, so each instant's view is computed
once and shared by the two slots that meet there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.visibility import VisiblePairs, visible_satellites
from opsconsole.planning.inputs import PlanInputs

IntArray = NDArray[np.intp]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class InstantView:
    """Every satellite's position ``(n, 3)`` km ITRS at one instant and the pairs in view
    then: ``down`` gateways (as ``site``) x satellites above each gateway's mask, ``up``
    sites x satellites above each site's mask. In bent-pipe mode ``up`` only holds
    satellites that see some gateway at that instant (no other can carry traffic)."""

    positions_km: FloatArray
    down: VisiblePairs
    up: VisiblePairs


def instant_view(
    inputs: PlanInputs, positions_km: FloatArray, every_satellite: bool
) -> InstantView:
    """The view at one instant; ``every_satellite`` matches sites against all satellites
    (inter-satellite links), else only against those that see a gateway."""
    down = visible_satellites(inputs.gateways, positions_km, inputs.gateway_mask_deg)
    if every_satellite:
        up = visible_satellites(inputs.sites, positions_km, inputs.horizons)
    else:
        useful = np.unique(down.satellite)
        seen = visible_satellites(inputs.sites, positions_km[useful], inputs.horizons)
        up = VisiblePairs(
            seen.site,
            useful[seen.satellite],
            seen.azimuth_deg,
            seen.elevation_deg,
            seen.range_km,
        )
    return InstantView(positions_km, down, up)


@dataclass(frozen=True)
class SlotPairs:
    """Pairs ``(p,)`` in view at both ends of a slot, sorted by ground point then
    satellite: ground point index (site or gateway), satellite index and slant range
    (km) at the slot's start and at its end."""

    ground: IntArray
    satellite: IntArray
    range_start_km: FloatArray
    range_end_km: FloatArray

    def __len__(self) -> int:
        return int(self.ground.shape[0])

    def subset(self, keep: NDArray[np.bool_]) -> SlotPairs:
        """The pairs where ``keep`` (shape ``(p,)``) is True, order kept."""
        return SlotPairs(
            self.ground[keep], self.satellite[keep], self.range_start_km[keep],
            self.range_end_km[keep],
        )  # fmt: skip


def both_ends(start: VisiblePairs, end: VisiblePairs, n_satellites: int) -> SlotPairs:
    """The pairs in view at ``start`` and at ``end`` (each sorted by ground point, then
    satellite, as :func:`visible_satellites` returns them)."""
    key_start = start.site.astype(np.int64) * n_satellites + start.satellite
    key_end = end.site.astype(np.int64) * n_satellites + end.satellite
    common, at_start, at_end = np.intersect1d(
        key_start, key_end, assume_unique=True, return_indices=True
    )
    ground, satellite = np.divmod(common, n_satellites)
    return SlotPairs(
        ground.astype(np.intp),
        satellite.astype(np.intp),
        start.range_km[at_start],
        end.range_km[at_end],
    )


def sites_in_view(
    inputs: PlanInputs,
    which: IntArray,
    start_km: FloatArray,
    end_km: FloatArray,
    satellite_ok: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """For the sites ``which`` (indices, shape ``(m,)``): does any usable satellite stay
    above the site's horizon for the whole slot (positions ``(n, 3)`` km at both ends)?"""
    alone = inputs.sites.take(which)
    masks = inputs.horizons.take(which)
    ends = [
        visible_satellites(alone, np.where(satellite_ok[:, None], km, np.nan), masks)
        for km in (start_km, end_km)
    ]
    pairs = both_ends(ends[0], ends[1], len(satellite_ok))
    seen = np.zeros(which.size, dtype=bool)
    seen[pairs.ground] = True
    return seen

"""A planning run over a window: propagate, find candidates and assign, slot by slot.

Slots are evaluated at their start instant (``start + j * step_s``). Positions come
from the core's vectorised propagation in chunks of slots, so memory stays at one chunk.
The run reports progress (fraction, stage) and stops between chunks when cancelled,
returning nothing partial.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.element_sets import ElementSet
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import as_utc, times_from
from opsconsole.planning.assignment import SlotChoice, assign_slot
from opsconsole.planning.candidates import RegionChooser, slot_candidates
from opsconsole.planning.coverage import Cancelled
from opsconsole.planning.inputs import Exclusion, PlanInputs
from opsconsole.planning.parameters import PlanParameters

CHUNK_SLOTS = 30
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class PlanResult:
    """Per slot ``j`` and site ``i`` (arrays ``[slots, k]``): satellite index into the
    element set, gateway and region indices into the inputs (-1 unserved), round trip in
    ms (NaN unserved) and status (``assignment`` constants). Slot ``j`` covers
    ``[start + j * step_s, start + (j + 1) * step_s)``."""

    start: datetime
    step_s: float
    satellite: NDArray[np.int32]
    gateway: NDArray[np.int16]
    region: NDArray[np.int16]
    rtt_ms: NDArray[np.float32]
    status: NDArray[np.uint8]

    @property
    def slots(self) -> int:
        """Number of slots."""
        return int(self.satellite.shape[0])

    def slo_miss(self, max_rtt_ms: NDArray[np.float64]) -> NDArray[np.bool_]:
        """``[slots, k]``: served above the site's round-trip objective (never hidden)."""
        served = self.satellite >= 0
        return np.asarray(served & (np.nan_to_num(self.rtt_ms, nan=0.0) > max_rtt_ms[None, :]))

    def slot_start(self, j: int) -> datetime:
        """Start of slot ``j`` (UTC)."""
        return self.start + timedelta(seconds=j * self.step_s)


def _active(
    exclusions: Sequence[Exclusion], kind: str, keys: Sequence[int | str], moment: datetime
) -> NDArray[np.bool_]:
    """False for every object of ``kind`` excluded at ``moment``."""
    ok = np.ones(len(keys), dtype=bool)
    mine = [ex for ex in exclusions if ex.kind == kind]
    if not mine:
        return ok
    index = {key: i for i, key in enumerate(keys)}
    for ex in mine:
        if ex.key not in index:
            continue
        if (ex.start is None or ex.start <= moment) and (ex.end is None or moment < ex.end):
            ok[index[ex.key]] = False
    return ok


def check_exclusions(
    exclusions: Sequence[Exclusion], elements: ElementSet, inputs: PlanInputs
) -> None:
    """Raise ``ValueError`` naming any exclusion of an unknown object."""
    known: dict[str, set[Any]] = {
        "satellite": {int(v) for v in elements.norad_ids},
        "gateway": set(inputs.gateway_ids),
        "region": set(inputs.region_ids),
    }
    for ex in exclusions:
        if ex.kind not in known:
            raise ValueError(f"cannot exclude a {ex.kind!r}: satellite, gateway or region")
        if ex.key not in known[ex.kind]:
            raise ValueError(f"excluded {ex.kind} {ex.key!r} is not in the plan's inputs")


def plan(
    elements: ElementSet,
    inputs: PlanInputs,
    params: PlanParameters,
    exclusions: Sequence[Exclusion] = (),
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> PlanResult:
    """Assign every site in every slot of the window (bent-pipe)."""
    if params.mode != "bent-pipe":
        raise NotImplementedError("inter-satellite-link planning is not available yet")
    check_exclusions(exclusions, elements, inputs)
    start, slots, k = as_utc(params.start), params.slots, len(inputs.sites)
    out_sat = np.full((slots, k), -1, dtype=np.int32)
    out_gw = np.full((slots, k), -1, dtype=np.int16)
    out_region = np.full((slots, k), -1, dtype=np.int16)
    out_rtt = np.full((slots, k), np.nan, dtype=np.float32)
    out_status = np.zeros((slots, k), dtype=np.uint8)
    norad = [int(v) for v in elements.norad_ids]
    regions = RegionChooser(inputs)
    previous: SlotChoice | None = None
    for first in range(0, slots, CHUNK_SLOTS):
        if cancelled is not None and cancelled():
            raise Cancelled
        count = min(CHUNK_SLOTS, slots - first)
        offsets = (first + np.arange(count)) * params.step_s
        positions = propagate(elements, times_from(start, offsets), velocities=False).position_km
        for j in range(count):
            moment = start + timedelta(seconds=float(offsets[j]))
            candidates = slot_candidates(
                inputs,
                params,
                positions[:, j],
                _active(exclusions, "satellite", norad, moment),
                _active(exclusions, "gateway", inputs.gateway_ids, moment),
                regions,
                _active(exclusions, "region", inputs.region_ids, moment),
            )
            choice = assign_slot(candidates, inputs, params, len(elements), previous)
            slot = first + j
            out_sat[slot], out_gw[slot], out_region[slot] = (
                choice.satellite,
                choice.gateway,
                choice.region,
            )
            out_rtt[slot], out_status[slot] = choice.rtt_ms, choice.status
            previous = choice
        if progress is not None:
            progress((first + count) / slots, "assigning")
    return PlanResult(start, params.step_s, out_sat, out_gw, out_region, out_rtt, out_status)

"""The slots of one part of a planning window, computed in order: runs of slot ends
(``slot_geometry``), candidates and the per-slot choice, with the dwell look-ahead under
the ``dwell`` policy. ``planner`` splits a window into parts and joins them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.constellation_structure import constellation_structure
from opsconsole.core.element_sets import ElementSet
from opsconsole.core.propagation import propagate
from opsconsole.core.step_track import StepTrack
from opsconsole.core.timescale import as_utc, time_at
from opsconsole.jobs.cancel import Cancelled
from opsconsole.planning.assignment import SlotChoice, assign_slot
from opsconsole.planning.candidates import RegionChooser, slot_candidates
from opsconsole.planning.dwell import with_dwell
from opsconsole.planning.inputs import Exclusion, PlanInputs
from opsconsole.planning.isl import IslMesh
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.slot_geometry import SlotView, WindowView, window_view

CHUNK_SLOTS = 32
"""Slots propagated at once (memory stays at one chunk of positions)."""
WINDOW_SPAN_S = 120.0
"""Slot ends whose visible pairs are found with one search (``core.tracked_visibility``)
span about this long: shorter runs search more often, longer ones test more pairs that
are not in view (measured on 1,000 sites: 90-120 s is best at 15 s and at 60 s steps)."""
DWELL_BLOCK_S = 14_400.0
"""``dwell`` policy: every this long from the plan's start, each site chooses afresh as
if it had no serving satellite. The policy remembers a site's satellite for as long as
it stays eligible, so two runs that start apart never agree again; with fresh starts at
fixed instants a window can still be split between processes (at block boundaries)
and give the same plan. It costs at most one extra handover per site per block."""


def _active(
    exclusions: Sequence[Exclusion],
    kind: str,
    keys: Sequence[int | str],
    moment: datetime,
    until: datetime,
) -> NDArray[np.bool_]:
    """False for every object of ``kind`` excluded at any time in the slot
    ``[moment, until)``."""
    ok = np.ones(len(keys), dtype=bool)
    mine = [ex for ex in exclusions if ex.kind == kind]
    if not mine:
        return ok
    index = {key: i for i, key in enumerate(keys)}
    for ex in mine:
        if ex.key not in index:
            continue
        if (ex.start is None or ex.start < until) and (ex.end is None or moment < ex.end):
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


class SlotRunner:
    """Computes slots of one window; shared by the caller and worker processes."""

    def __init__(
        self,
        elements: ElementSet,
        inputs: PlanInputs,
        params: PlanParameters,
        exclusions: Sequence[Exclusion],
    ) -> None:
        self.elements, self.inputs, self.params = elements, inputs, params
        self.exclusions = tuple(exclusions)
        self.start = as_utc(params.start)
        self.norad = [int(v) for v in elements.norad_ids]
        self.regions = RegionChooser(inputs)
        self.mesh: IslMesh | None = None
        self.fresh_every = (
            max(1, int(DWELL_BLOCK_S // params.step_s)) if params.handover_policy == "dwell" else 0
        )
        """Slots at multiples of this start without a previous choice (0: never)."""
        if params.mode == "isl":
            structure = constellation_structure(elements, self.start)
            eph = propagate(elements, time_at(self.start))
            assert eph.velocity_km_s is not None
            self.mesh = IslMesh.build(structure, eph.position_km[:, 0], eph.velocity_km_s[:, 0])

    def choose(self, slot: int, view: SlotView, previous: SlotChoice | None) -> SlotChoice:
        """The assignment of one slot given what is in view at its two ends."""
        moment = self.start + timedelta(seconds=slot * self.params.step_s)
        until = moment + timedelta(seconds=self.params.step_s)
        ex, inputs = self.exclusions, self.inputs
        candidates = slot_candidates(
            inputs,
            self.params,
            view,
            _active(ex, "satellite", self.norad, moment, until),
            _active(ex, "gateway", inputs.gateway_ids, moment, until) & inputs.gateway_live,
            self.regions,
            _active(ex, "region", inputs.region_ids, moment, until),
            self.mesh,
        )
        return assign_slot(candidates, inputs, self.params, len(self.elements), previous)

    def windows(self, lo: int, hi: int) -> Iterator[WindowView]:
        """Runs of slot ends covering slots ``lo .. hi - 1`` in order; under the
        ``dwell`` policy each with the dwell of its links (``planning.dwell``), looked up
        to ``dwell_lookahead_s`` beyond ``hi``, whatever the plan's window."""
        if self.params.handover_policy != "dwell":
            return self._runs(lo, hi)
        ahead = self.params.dwell_lookahead_slots
        runs = self._runs(lo, hi + ahead)
        return with_dwell(runs, ahead, len(self.elements), self.mesh is None)

    def _runs(self, lo: int, hi: int) -> Iterator[WindowView]:
        """Runs of slot ends covering slots ``lo .. hi - 1`` in order. Positions come
        ``CHUNK_SLOTS`` slots at a time (``core.step_track``: SGP4 at 120 s nodes,
        interpolated between); the instant ending one chunk is carried into the next,
        so ``m`` slots take ``m + 1`` instants."""
        step = self.params.step_s
        per_window = max(1, int(WINDOW_SPAN_S // step))
        track = StepTrack(self.elements, self.start, step)
        carried: NDArray[np.float64] | None = None
        for first in range(lo, hi, CHUNK_SLOTS):
            count = min(CHUNK_SLOTS, hi - first)
            pos = track.positions(first if carried is None else first + 1, first + count)
            if carried is not None:
                pos = np.concatenate([carried[:, None], pos], axis=1)
            carried = pos[:, -1]
            for a in range(0, count, per_window):
                width = min(per_window, count - a)
                every = self.mesh is not None or self._satellite_out(first + a, width)
                yield window_view(self.inputs, first + a, pos[:, a : a + width + 1], every)

    def _satellite_out(self, slot: int, slots: int) -> bool:
        """Is any satellite excluded at some time in slots ``slot .. slot + slots - 1``?"""
        moment = self.start + timedelta(seconds=slot * self.params.step_s)
        until = moment + timedelta(seconds=slots * self.params.step_s)
        return not _active(self.exclusions, "satellite", self.norad, moment, until).all()

    def history(self, slot: int, previous: SlotChoice | None) -> SlotChoice | None:
        """The previous choice as slot ``slot`` sees it (none at a fresh start)."""
        return None if self.fresh_every and slot % self.fresh_every == 0 else previous

    def run(
        self,
        lo: int,
        hi: int,
        previous: SlotChoice | None = None,
        progress: Callable[[float], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        warm_from: int | None = None,
        into: SlotBlock | None = None,
    ) -> SlotBlock:
        """Slots ``lo .. hi - 1``, starting from ``previous`` (the slot before ``lo``).
        With ``warm_from`` (< ``lo``) the slots from there on are chosen first and not
        kept, so the choices entering ``lo`` carry a history like the true one. The
        rows are written into ``into`` (``hi - lo`` rows, for example a view of a whole
        window's arrays) when given, else into a new block."""
        block = SlotBlock.empty(hi - lo, len(self.inputs.sites)) if into is None else into
        if block.rows != hi - lo:
            raise ValueError(f"a block of {block.rows} rows cannot hold slots {lo}..{hi - 1}")
        first = lo if warm_from is None else min(warm_from, lo)
        for window in self.windows(first, hi):
            if cancelled is not None and cancelled():
                raise Cancelled
            if window.first >= hi:  # look-ahead only (dwell policy)
                break
            for j in range(window.first, min(window.last_slot + 1, hi)):
                previous = self.choose(j, window.slot(j), self.history(j, previous))
                if j >= lo:
                    block.put(j - lo, previous)
            if progress is not None:
                progress((min(window.last_slot + 1, hi) - lo) / (hi - lo))
        return block


BLOCK_ARRAYS = (
    "satellite", "gateway", "region", "rtt_ms", "status", "rtt_start_ms", "rtt_end_ms", "limited"
)  # fmt: skip
"""The arrays of a :class:`SlotBlock` in field order."""


@dataclass
class SlotBlock:
    """Result arrays of consecutive slots (rows) for every site (columns)."""

    satellite: NDArray[np.int32]
    gateway: NDArray[np.int16]
    region: NDArray[np.int16]
    rtt_ms: NDArray[np.float32]
    status: NDArray[np.uint8]
    rtt_start_ms: NDArray[np.float32]
    rtt_end_ms: NDArray[np.float32]
    limited: NDArray[np.bool_]

    @classmethod
    def empty(cls, slots: int, k: int) -> SlotBlock:
        return cls(
            np.full((slots, k), -1, np.int32),
            np.full((slots, k), -1, np.int16),
            np.full((slots, k), -1, np.int16),
            np.full((slots, k), np.nan, np.float32),
            np.zeros((slots, k), np.uint8),
            np.full((slots, k), np.nan, np.float32),
            np.full((slots, k), np.nan, np.float32),
            np.zeros(slots, bool),
        )

    @property
    def rows(self) -> int:
        """Number of slots (rows)."""
        return int(self.satellite.shape[0])

    def view(self, lo: int, hi: int) -> SlotBlock:
        """Rows ``lo .. hi - 1`` as views: writing them writes this block."""
        return SlotBlock(*(getattr(self, name)[lo:hi] for name in BLOCK_ARRAYS))

    def fill(self, other: SlotBlock) -> None:
        """Copy ``other``'s rows (as many as this block has) into this block."""
        if other.rows != self.rows:
            raise ValueError(f"cannot copy {other.rows} rows into {self.rows}")
        for name in BLOCK_ARRAYS:
            getattr(self, name)[...] = getattr(other, name)

    def put(self, row: int, choice: SlotChoice) -> None:
        self.satellite[row], self.gateway[row] = choice.satellite, choice.gateway
        self.region[row], self.rtt_ms[row] = choice.region, choice.rtt_ms
        self.status[row] = choice.status
        self.rtt_start_ms[row], self.rtt_end_ms[row] = choice.rtt_start_ms, choice.rtt_end_ms
        self.limited[row] = choice.limited

    def same(self, row: int, choice: SlotChoice) -> bool:
        return bool(
            (self.satellite[row] == choice.satellite).all()
            and (self.gateway[row] == choice.gateway).all()
            and (self.region[row] == choice.region).all()
            and (self.status[row] == choice.status).all()
        )

    def choice(self, row: int) -> SlotChoice:
        return SlotChoice(
            self.satellite[row].astype(np.intp),
            self.gateway[row].astype(np.intp),
            self.region[row].astype(np.intp),
            self.rtt_ms[row].astype(np.float64),
            self.status[row].copy(),
            self.rtt_start_ms[row].astype(np.float64),
            self.rtt_end_ms[row].astype(np.float64),
            bool(self.limited[row]),
        )

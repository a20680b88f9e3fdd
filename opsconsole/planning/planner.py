"""A planning run over a window: propagate, find candidates and assign, slot by slot.

Slot ``j`` covers ``[start + j * step_s, start + (j + 1) * step_s)`` and a path is used
in it only if every link holds at both of its ends (``slot_geometry``). The instant
ending a slot starts the next, so a window of ``m`` slots propagates ``m + 1`` instants
(one more per part of a split window). Positions come from the core's vectorised
propagation in chunks of slots, so memory stays at one chunk.
The run reports progress (fraction, stage) and stops between chunks when cancelled,
returning nothing partial.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import wait
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.element_sets import ElementRecord, ElementSet, build_element_set
from opsconsole.jobs.cancel import Cancelled, Progress
from opsconsole.planning.inputs import Exclusion, PlanInputs
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.slot_runner import SlotBlock, SlotRunner, check_exclusions

RESULT_ARRAYS = (
    "satellite", "gateway", "region", "rtt_ms", "status", "rtt_start_ms", "rtt_end_ms", "limited"
)  # fmt: skip
"""The arrays of a :class:`PlanResult` (and of a stored plan) by name."""
MIN_SLOTS_PER_PART = 60
WARM_UP_S = 900.0
"""A later part of a split window starts choosing this long before its first slot
(unkept), so its sites enter the part on satellites they would really be on and the
stitch (``_stitch``) agrees within a few slots instead of a whole dwell."""


@dataclass(frozen=True)
class PlanResult:
    """Per slot ``j`` and site ``i`` (arrays ``[slots, k]``): satellite index into the
    element set, gateway and region indices into the inputs (-1 unserved), round trip in
    ms (NaN unserved; the worse of the slot's two ends) and status (``assignment``
    constants). Slot ``j`` covers ``[start + j * step_s, start + (j + 1) * step_s)``.

    ``rtt_start_ms`` and ``rtt_end_ms`` (``[slots, k]``) are the round trips at the two
    ends of each slot, and ``limited`` (``[slots]``) marks slots where a solver's work
    limit stopped the search before optimality was proved; all three are ``None`` for
    plans made before they were recorded."""

    start: datetime
    step_s: float
    satellite: NDArray[np.int32]
    gateway: NDArray[np.int16]
    region: NDArray[np.int16]
    rtt_ms: NDArray[np.float32]
    status: NDArray[np.uint8]
    rtt_start_ms: NDArray[np.float32] | None = None
    rtt_end_ms: NDArray[np.float32] | None = None
    limited: NDArray[np.bool_] | None = None

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


def _worker_run(
    records: tuple[ElementRecord, ...],
    source: str,
    synthetic: bool,
    inputs: PlanInputs,
    params: PlanParameters,
    exclusions: Sequence[Exclusion],
    lo: int,
    hi: int,
) -> SlotBlock:
    """One part of a window, in a worker process, warmed up from ``WARM_UP_S`` before
    its start (see :func:`plan`). SGP4 models do not pickle: the records travel and the
    element set is rebuilt here."""
    elements = build_element_set(records, source, synthetic=synthetic)
    runner = SlotRunner(elements, inputs, params, exclusions)
    fresh = runner.fresh_every and lo % runner.fresh_every == 0
    warm = lo if fresh else max(0, lo - int(WARM_UP_S // params.step_s))
    return runner.run(lo, hi, warm_from=warm)


def plan(
    elements: ElementSet,
    inputs: PlanInputs,
    params: PlanParameters,
    exclusions: Sequence[Exclusion] = (),
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int = 1,
) -> PlanResult:
    """Assign every site in every slot of the window (bent-pipe or inter-satellite links).

    With ``workers`` > 1 the window is split into that many parts; the caller computes
    the first and worker processes (``spawn``) the others. Each later part starts
    without knowing the choice before it (it warms up over ``WARM_UP_S`` before its
    first slot), so the caller then recomputes its first slots from the true previous
    choice until they agree with the part's own (the choice of a slot depends only on
    its candidates and the previous choice): the result is the same as with one process.
    Under the ``dwell`` policy parts start on the policy's fresh starts
    (``DWELL_BLOCK_S``), so they agree at once. Cancelling stops the caller's part at
    once; a worker's part is discarded.
    """
    check_exclusions(exclusions, elements, inputs)
    slots = params.slots
    runner = SlotRunner(elements, inputs, params, exclusions)
    parts = max(1, min(workers, slots // MIN_SLOTS_PER_PART))
    bounds = _bounds(slots, parts, runner.fresh_every)
    parts = len(bounds) - 1
    futures = []
    if parts > 1:
        from opsconsole.jobs.process_pool import shared_executor

        pool = shared_executor(parts - 1)
        futures = [
            pool.submit(
                _worker_run,
                elements.records,
                elements.source,
                elements.synthetic,
                inputs,
                params,
                tuple(exclusions),
                bounds[i],
                bounds[i + 1],
            )
            for i in range(1, parts)
        ]
    share = bounds[1] / slots

    def report(fraction: float) -> None:
        if progress is not None:
            progress(fraction * share, f"propagating and assigning (part 1 of {parts})")

    try:
        blocks = [runner.run(0, bounds[1], progress=report, cancelled=cancelled)]
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    for i, future in enumerate(futures, start=1):
        if progress is not None:
            progress(bounds[i] / slots, f"waiting for part {i + 1} of {parts}")
        while not future.done():  # stay cancellable while a worker finishes its part
            if cancelled is not None and cancelled():
                future.cancel()
                raise Cancelled
            wait([future], timeout=0.1)
        block = future.result()
        if progress is not None:
            progress(bounds[i] / slots, f"joining part {i + 1} of {parts}")
        _stitch(runner, blocks[-1], block, bounds[i])
        blocks.append(block)
        if progress is not None:
            progress(bounds[i + 1] / slots, f"joined part {i + 1} of {parts}")
    merged = {name: np.concatenate([getattr(b, name) for b in blocks]) for name in RESULT_ARRAYS}
    return PlanResult(runner.start, params.step_s, **merged)


def _bounds(slots: int, parts: int, fresh_every: int) -> list[int]:
    """Part boundaries ``[0, ..., slots]`` for ``parts`` parts; on fresh starts (slot
    multiples of ``fresh_every``) when there are any, so parts are independent."""
    even = [round(i * slots / parts) for i in range(parts + 1)]
    if not fresh_every:
        return even
    out = [0]
    for b in sorted({round(b / fresh_every) * fresh_every for b in even[1:-1]}):
        if b - out[-1] >= MIN_SLOTS_PER_PART and slots - b >= MIN_SLOTS_PER_PART:
            out.append(b)
    return [*out, slots]


def _stitch(runner: SlotRunner, before: SlotBlock, block: SlotBlock, lo: int) -> None:
    """Recompute ``block``'s first slots from the true previous choice until they agree.
    Nothing to do when ``lo`` is a fresh start (``dwell`` policy): its first slot is
    chosen without a previous choice, in the worker as here."""
    if runner.fresh_every and lo % runner.fresh_every == 0:
        return
    previous = before.choice(before.satellite.shape[0] - 1)
    rows = block.satellite.shape[0]
    for window in runner.windows(lo, lo + rows):
        for j in range(window.first, min(window.last_slot + 1, lo + rows)):
            choice = runner.choose(j, window.slot(j), runner.history(j, previous))
            if block.same(j - lo, choice):
                return
            block.put(j - lo, choice)
            previous = choice

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

import itertools
import secrets
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.element_sets import ElementRecord, ElementSet, build_element_set
from opsconsole.jobs.cancel import Progress
from opsconsole.jobs.part_executor import InProcess, LocalPool, PartExecutor, executor_for
from opsconsole.jobs.worker_memory import keep_freed_memory
from opsconsole.planning import shared_window
from opsconsole.planning.assignment import SlotChoice
from opsconsole.planning.inputs import Exclusion, PlanInputs
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.shared_window import WindowFile
from opsconsole.planning.slot_runner import (
    BLOCK_ARRAYS,
    SlotBlock,
    SlotRunner,
    check_exclusions,
)

RESULT_ARRAYS = BLOCK_ARRAYS
"""The arrays of a :class:`PlanResult` (and of a stored plan) by name."""
MIN_SLOTS_PER_PART = 60
PART_S = 14_400.0
"""A parallel run splits a window into parts of about this long (4 h: 960 slots at
15 s), so a worker's result is a few hundred MB at most for 10,000 sites and parts
balance over the workers; under the ``dwell`` policy it is ``DWELL_BLOCK_S``."""
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


@dataclass(frozen=True)
class PlanJob:
    """What every part of a window needs, sent to each worker (once per worker on Dask,
    with each part on the local pool). SGP4 models do not pickle: the records travel and
    a worker rebuilds the element set once per job (``token``)."""

    records: tuple[ElementRecord, ...]
    source: str
    synthetic: bool
    inputs: PlanInputs
    params: PlanParameters
    exclusions: tuple[Exclusion, ...]
    token: str
    window: WindowFile | None = None
    """Local pool: the file the parts write their rows into (``shared_window``)."""


_runner_cache: tuple[str, SlotRunner] | None = None


def _job_runner(job: PlanJob) -> SlotRunner:
    """The job's runner, built once per worker process."""
    global _runner_cache
    if _runner_cache is None or _runner_cache[0] != job.token:
        _runner_cache = None  # free the previous job's runner before building this one
        elements = build_element_set(job.records, job.source, synthetic=job.synthetic)
        _runner_cache = (job.token, SlotRunner(elements, job.inputs, job.params, job.exclusions))
    return _runner_cache[1]


def run_part(job: PlanJob, lo: int, hi: int) -> SlotBlock | None:
    """Slots ``lo .. hi - 1`` of the job's window, in a worker, warmed up from
    ``WARM_UP_S`` before ``lo`` unless ``lo`` is a fresh start (see :func:`plan`).
    Written into the job's window file when it has one (nothing returned), else
    returned."""
    keep_freed_memory()  # a Dask worker's allocator setting costs 3-4x (jobs.worker_memory)
    runner = _job_runner(job)
    fresh = runner.fresh_every and lo % runner.fresh_every == 0
    warm = lo if fresh else max(0, lo - int(WARM_UP_S // job.params.step_s))
    if job.window is None:
        return runner.run(lo, hi, warm_from=warm)
    runner.run(lo, hi, warm_from=warm, into=job.window.open(lo, hi))
    return None


def plan(
    elements: ElementSet,
    inputs: PlanInputs,
    params: PlanParameters,
    exclusions: Sequence[Exclusion] = (),
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int = 1,
    executor: PartExecutor | None = None,
) -> PlanResult:
    """Assign every site in every slot of the window (bent-pipe or inter-satellite links).

    The work runs on ``executor`` (default: ``workers`` local processes, 1 = this
    process; a window of one part runs in this process rather than on the pool, but on
    a cluster when one was given). A parallel executor gets the window in parts of about
    ``PART_S`` (at least one per worker) and the result arrays of the whole window are
    filled part by part as they return, so the caller holds the window once plus a part
    in flight. Each later
    part starts without knowing the choice before it (it warms up over ``WARM_UP_S``
    before its first slot), so the caller then recomputes its first slots from the true
    previous choice until they agree with the part's own (the choice of a slot depends
    only on its candidates and the previous choice): the result is the same as in one
    process. Under the ``dwell`` policy parts start on the policy's fresh starts
    (``DWELL_BLOCK_S``), so they agree at once. Cancelling cancels the parts still
    queued or running and returns nothing.
    """
    check_exclusions(exclusions, elements, inputs)
    slots = params.slots
    runner = SlotRunner(elements, inputs, params, exclusions)
    executor = executor if executor is not None else executor_for(workers)
    bounds = _bounds(slots, executor.slots, runner.fresh_every, params.step_s)
    local = isinstance(executor, LocalPool)
    if isinstance(executor, InProcess) or (local and len(bounds) <= 2):

        def report(fraction: float) -> None:
            if progress is not None:
                progress(fraction, "propagating and assigning")

        window = SlotBlock.empty(slots, len(inputs.sites))
        runner.run(0, slots, progress=report, cancelled=cancelled, into=window)
    elif local and shared_window.supported():
        file = shared_window.create(slots, len(inputs.sites))
        try:
            window = file.open()
            _run_parts(runner, executor, window, bounds, progress, cancelled, file)
        finally:
            shared_window.remove(file)  # the maps stay valid
    else:
        window = SlotBlock.empty(slots, len(inputs.sites))
        _run_parts(runner, executor, window, bounds, progress, cancelled)
    return PlanResult(runner.start, params.step_s, **{n: getattr(window, n) for n in RESULT_ARRAYS})


def _run_parts(
    runner: SlotRunner,
    executor: PartExecutor,
    window: SlotBlock,
    bounds: list[int],
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    file: WindowFile | None = None,
) -> None:
    """Fill ``window`` from the parts ``bounds`` run on ``executor`` (local workers
    write into ``file``, which ``window`` maps, directly); each part is stitched to the
    one before as soon as both are in."""
    elements, parts = runner.elements, list(itertools.pairwise(bounds))
    job = PlanJob(
        elements.records,
        elements.source,
        elements.synthetic,
        runner.inputs,
        runner.params,
        runner.exclusions,
        secrets.token_hex(8),
        file,
    )
    if progress is not None:
        progress(0.0, f"{len(parts)} parts on {executor.description}")
    arrived: set[int] = set()
    joined, done_slots = 0, 0
    per_worker: Counter[str] = Counter()
    for done, block in executor.run_parts(run_part, job, parts, cancelled):
        lo, hi = parts[done.index]
        if block is not None:  # a part that travelled back (Dask): copied, then dropped
            window.view(lo, hi).fill(block)
            del block
        arrived.add(done.index)
        done_slots += hi - lo
        per_worker[done.worker] += 1
        while joined in arrived:  # stitch in order: each needs the true choice before it
            if joined > 0:
                a, b = parts[joined]
                _stitch(runner, window.choice(a - 1), window.view(a, b), a)
            joined += 1
        if progress is not None:
            where = ", ".join(f"{w}: {n}" for w, n in sorted(per_worker.items()))
            text = f"{len(arrived)} of {len(parts)} parts done ({where})"
            progress(done_slots / bounds[-1], text)


def _bounds(slots: int, workers: int, fresh_every: int, step_s: float) -> list[int]:
    """Part boundaries ``[0, ..., slots]``: parts of about ``PART_S`` and at least one
    per worker, none shorter than ``MIN_SLOTS_PER_PART``; on fresh starts (slot
    multiples of ``fresh_every``) when there are any, so parts are independent."""
    parts = max(workers, round(slots * step_s / PART_S))
    parts = max(1, min(parts, slots // MIN_SLOTS_PER_PART))
    even = [round(i * slots / parts) for i in range(parts + 1)]
    inner = even[1:-1]
    if fresh_every:
        inner = sorted({round(b / fresh_every) * fresh_every for b in inner})
    out = [0]
    for b in inner:
        if b - out[-1] >= MIN_SLOTS_PER_PART and slots - b >= MIN_SLOTS_PER_PART:
            out.append(b)
    return [*out, slots]


def _stitch(runner: SlotRunner, previous: SlotChoice, block: SlotBlock, lo: int) -> None:
    """Recompute ``block``'s first slots from the true previous choice until they agree.
    Nothing to do when ``lo`` is a fresh start (``dwell`` policy): its first slot is
    chosen without a previous choice, in the worker as here."""
    if runner.fresh_every and lo % runner.fresh_every == 0:
        return
    rows = block.rows
    for window in runner.windows(lo, lo + rows):
        for j in range(window.first, min(window.last_slot + 1, lo + rows)):
            choice = runner.choose(j, window.slot(j), runner.history(j, previous))
            if block.same(j - lo, choice):
                return
            block.put(j - lo, choice)
            previous = choice

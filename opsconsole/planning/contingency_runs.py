"""Run an N-1 study: the window planned once with everything in service, then once per
contingency, in parallel on a part executor (``jobs.part_executor``: this process, the
local pool, or Dask).

Each task plans whole windows (one per contingency of its part) in its worker and
returns only the :class:`~opsconsole.planning.contingency.Impact` figures, a few hundred
bytes each. The plan with everything in service is made once per worker process (cached
by the study's token) instead of being shipped: it is deterministic, so every worker's
copy is the caller's.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from opsconsole.core.element_sets import ElementRecord, ElementSet, build_element_set
from opsconsole.jobs.cancel import Progress
from opsconsole.jobs.part_executor import PartExecutor
from opsconsole.jobs.worker_memory import keep_freed_memory
from opsconsole.planning.contingency import Contingency, Impact, impact
from opsconsole.planning.inputs import Exclusion, PlanInputs
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.planner import PlanResult, plan

PER_TASK = 4
"""Contingencies per task when there are many (fewer, larger tasks for the cluster)."""


@dataclass(frozen=True)
class StudyJob:
    """What every task needs (element records: SGP4 models do not pickle)."""

    records: tuple[ElementRecord, ...]
    source: str
    synthetic: bool
    inputs: PlanInputs
    params: PlanParameters
    exclusions: tuple[Exclusion, ...]
    contingencies: tuple[Contingency, ...]
    token: str


_cache: tuple[str, ElementSet, PlanResult] | None = None


def baseline(
    job: StudyJob, cancelled: Callable[[], bool] | None = None
) -> tuple[ElementSet, PlanResult]:
    """The element set and the plan with everything in service, once per process."""
    global _cache
    if _cache is None or _cache[0] != job.token:
        _cache = None
        elements = build_element_set(job.records, job.source, synthetic=job.synthetic)
        base = plan(elements, job.inputs, job.params, job.exclusions, cancelled=cancelled)
        _cache = (job.token, elements, base)
    return _cache[1], _cache[2]


def run_contingencies(job: StudyJob, lo: int, hi: int) -> list[Impact]:
    """Impacts of contingencies ``lo .. hi - 1`` of the job, in order."""
    keep_freed_memory()  # a Dask worker's allocator setting costs 3-4x (jobs.worker_memory)
    elements, base = baseline(job)
    out = []
    for c in job.contingencies[lo:hi]:
        without = plan(elements, job.inputs, job.params, (*job.exclusions, *c.exclusions))
        out.append(impact(base, without, job.inputs, job.params))
    return out


def new_job(
    elements: ElementSet,
    inputs: PlanInputs,
    params: PlanParameters,
    exclusions: Sequence[Exclusion],
) -> StudyJob:
    """A study of the window with no contingencies yet (:func:`with_contingencies`)."""
    return StudyJob(elements.records, elements.source, elements.synthetic, inputs, params,
                    tuple(exclusions), (), secrets.token_hex(8))  # fmt: skip


def with_contingencies(job: StudyJob, contingencies: Sequence[Contingency]) -> StudyJob:
    """The same study (same token: a worker's baseline stays valid) with these."""
    return replace(job, contingencies=tuple(contingencies))


def run_study(
    job: StudyJob,
    executor: PartExecutor,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Impact]:
    """Impacts of every contingency of ``job`` (in the job's order) on ``executor``."""
    n = len(job.contingencies)
    per = 1 if n <= 4 * PER_TASK * executor.slots else PER_TASK
    parts = [(lo, min(lo + per, n)) for lo in range(0, n, per)]
    impacts: list[Impact | None] = [None] * n
    done = 0
    for finished, part in executor.run_parts(run_contingencies, job, parts, cancelled):
        lo, hi = parts[finished.index]
        impacts[lo:hi] = part
        done += hi - lo
        if progress is not None:
            progress(done / n, f"{done} of {n} contingencies planned ({finished.worker})")
    assert all(i is not None for i in impacts)
    return [i for i in impacts if i is not None]

"""One interface for running the parts of a job where they run best: in this process,
on the local ``spawn`` pool, or on a Dask cluster (``jobs.dask_executor``).

A job is a function ``fn(shared, lo, hi)`` over parts ``[lo, hi)`` of a range, with one
``shared`` value (for planning: element records, inputs and parameters) that every part
needs. An executor sends ``shared`` to each worker as cheaply as it can and yields the
parts' results as they finish, in any order, with the part's index. Results must not
depend on where a part ran.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from typing import Protocol, TypeVar

from opsconsole.jobs.cancel import Cancelled

S = TypeVar("S")
R = TypeVar("R")

PartFunction = Callable[[S, int, int], R]


@dataclass(frozen=True)
class PartDone:
    """A finished part: its index in the list of parts and where it ran (a worker's
    name or address, for progress)."""

    index: int
    worker: str


class PartExecutor(Protocol):
    """Runs parts of a job; ``slots`` parts can run at once."""

    @property
    def slots(self) -> int: ...

    @property
    def description(self) -> str:
        """For progress and logs, e.g. ``"2 local processes"``."""
        ...

    def run_parts(
        self,
        fn: Callable[[S, int, int], R],
        shared: S,
        parts: Sequence[tuple[int, int]],
        cancelled: Callable[[], bool] | None = None,
    ) -> Iterator[tuple[PartDone, R]]:
        """Yield ``(done, result)`` for every part as it finishes. Raises
        :class:`Cancelled` (after cancelling what is still queued or running) when
        ``cancelled()`` turns true, and re-raises a part's error."""
        ...


class InProcess:
    """Runs the parts one after another in the calling process."""

    slots = 1
    description = "this process"

    def run_parts(
        self,
        fn: Callable[[S, int, int], R],
        shared: S,
        parts: Sequence[tuple[int, int]],
        cancelled: Callable[[], bool] | None = None,
    ) -> Iterator[tuple[PartDone, R]]:
        for index, (lo, hi) in enumerate(parts):
            if cancelled is not None and cancelled():
                raise Cancelled
            yield PartDone(index, "this process"), fn(shared, lo, hi)


class LocalPool:
    """Runs the parts on the persistent local ``spawn`` pool (``jobs.process_pool``)
    of ``processes`` processes. ``shared`` travels with each part (pickled): cheap for a
    few MB on one machine."""

    def __init__(self, processes: int) -> None:
        if processes < 1:
            raise ValueError(f"a local pool needs at least 1 process, not {processes}")
        self.slots = processes
        self.description = f"{processes} local process{'es' if processes > 1 else ''}"

    def run_parts(
        self,
        fn: Callable[[S, int, int], R],
        shared: S,
        parts: Sequence[tuple[int, int]],
        cancelled: Callable[[], bool] | None = None,
    ) -> Iterator[tuple[PartDone, R]]:
        from opsconsole.jobs.process_pool import shared_executor, shutdown_shared_executor

        pool = shared_executor(self.slots)
        futures: dict[Future[R], int] = {
            pool.submit(fn, shared, lo, hi): i for i, (lo, hi) in enumerate(parts)
        }
        pending = set(futures)
        finished = False
        try:
            while pending:
                if cancelled is not None and cancelled():
                    raise Cancelled
                done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=futures.__getitem__):
                    yield PartDone(futures[future], "local pool"), future.result()
            finished = True
        finally:
            if not finished:  # cancelled, a part failed, or the caller stopped early
                for future in pending:
                    future.cancel()
                if any(f.running() for f in pending):
                    shutdown_shared_executor(kill=True)


def executor_for(workers: int) -> PartExecutor:
    """The local executor for ``workers`` processes (1: this process)."""
    return InProcess() if workers <= 1 else LocalPool(workers)

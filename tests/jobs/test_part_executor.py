"""The part executors: every part's result arrives once, errors and cancels surface."""

from __future__ import annotations

import time

import pytest

from opsconsole.jobs.cancel import Cancelled
from opsconsole.jobs.part_executor import InProcess, LocalPool, PartExecutor, executor_for


def square_sum(offset: int, lo: int, hi: int) -> int:
    """A part's result: the sum of (i + offset)^2 over [lo, hi)."""
    return sum((i + offset) ** 2 for i in range(lo, hi))


def fail_on_second(offset: int, lo: int, hi: int) -> int:
    if lo == 10:
        raise ValueError(f"part {lo}..{hi} is bad")
    return lo


def slow(offset: int, lo: int, hi: int) -> int:
    time.sleep(0.5)
    return lo


PARTS = [(0, 10), (10, 25), (25, 26), (26, 40)]


@pytest.mark.parametrize("executor", [InProcess(), LocalPool(2)], ids=["in-process", "pool"])
def test_every_part_arrives_once_with_its_index(executor: PartExecutor) -> None:
    results = {d.index: r for d, r in executor.run_parts(square_sum, 3, PARTS)}
    assert results == {i: square_sum(3, lo, hi) for i, (lo, hi) in enumerate(PARTS)}


@pytest.mark.parametrize("executor", [InProcess(), LocalPool(2)], ids=["in-process", "pool"])
def test_a_failing_part_raises_its_error(executor: PartExecutor) -> None:
    with pytest.raises(ValueError, match=r"part 10\.\.25 is bad"):
        list(executor.run_parts(fail_on_second, 0, PARTS))


def test_cancelling_stops_the_pool_run() -> None:
    begun = time.monotonic()
    parts = [(i, i + 1) for i in range(40)]  # 40 x 0.5 s on 2 processes: 10 s if not cancelled
    with pytest.raises(Cancelled):
        for _ in LocalPool(2).run_parts(slow, 0, parts, lambda: time.monotonic() - begun > 1.0):
            pass
    assert time.monotonic() - begun < 6.0
    # the pool still works after a cancel
    assert [r for _, r in LocalPool(2).run_parts(square_sum, 0, [(0, 3)])] == [5]


def test_one_worker_means_this_process() -> None:
    assert isinstance(executor_for(1), InProcess)
    assert executor_for(2).slots == 2
    with pytest.raises(ValueError, match="at least 1 process"):
        LocalPool(0)

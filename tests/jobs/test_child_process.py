"""Jobs in a child process: the result comes back, errors come back with their text,
a cancel stops the child (at once when the job cannot notice) and a dead child is
reported, not waited for."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable

import pytest

from opsconsole.jobs.cancel import Cancelled
from opsconsole.jobs.child_process import CHILD_NICENESS, run_in_child


def _niceness_and_sum(values: list[int]) -> tuple[int, int]:
    return os.getpriority(os.PRIO_PROCESS, 0), sum(values)


def _fails(reason: str) -> None:
    raise ValueError(reason)


def _sleeps(seconds: float) -> None:
    time.sleep(seconds)


def _counts(progress: Callable[[float, str], None], cancelled: Callable[[], bool],
            steps: int) -> int:  # fmt: skip
    for step in range(steps):
        if cancelled():
            raise Cancelled
        progress(step / steps, f"step {step}")
        time.sleep(0.05)
    return steps


def _dies() -> None:
    os._exit(3)


def _children(name: str) -> list[multiprocessing.Process]:
    return [p for p in multiprocessing.active_children() if p.name == name]


def test_result_comes_back_from_a_lower_priority_child() -> None:
    niceness, total = run_in_child(_niceness_and_sum, name="t-sum", values=[1, 2, 39])
    assert total == 42
    assert niceness == os.getpriority(os.PRIO_PROCESS, 0) + CHILD_NICENESS
    assert not _children("t-sum")


def test_an_error_comes_back_with_its_text() -> None:
    with pytest.raises(RuntimeError, match="ValueError: no such session"):
        run_in_child(_fails, name="t-fail", reason="no such session")


def test_progress_is_relayed_and_cancel_is_noticed() -> None:
    seen: list[str] = []
    with pytest.raises(Cancelled):
        run_in_child(_counts, name="t-count", reports_progress=True,
                     progress=lambda _f, stage: seen.append(stage),
                     cancelled=lambda: len(seen) >= 3, steps=200)  # fmt: skip
    assert seen[:3] == ["step 0", "step 1", "step 2"] and len(seen) < 200
    assert not _children("t-count")
    assert run_in_child(_counts, name="t-count", reports_progress=True, steps=3) == 3


def test_a_job_that_cannot_notice_is_stopped_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(Cancelled):
        run_in_child(_sleeps, name="t-sleep", cancelled=lambda: time.monotonic() - started > 1.0,
                     seconds=60.0)  # fmt: skip
    assert time.monotonic() - started < 10.0  # not the job's 60 s, nor the join timeout
    assert not _children("t-sleep")


def test_a_dead_child_is_reported() -> None:
    with pytest.raises(RuntimeError, match=r"t-die process ended unexpectedly \(exit code 3\)"):
        run_in_child(_dies, name="t-die")

"""Planning in a child process (what the console does): same plan as in-process,
cancel and a killed child save nothing, errors come back, no process is left behind."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from opsconsole.jobs.cancel import Cancelled
from opsconsole.planning.parameters import PlanParameters
from opsconsole.plans.process import CHILD_NICENESS, create_plan_in_process
from opsconsole.plans.request import PlanRequest
from opsconsole.plans.service import create_plan
from opsconsole.store.database import Store
from opsconsole.store.plan_repository import list_plans, load_plan
from opsconsole.store.seed import seed_defaults
from tests.conftest import SYNTHETIC_EPOCH

PARAMS = PlanParameters(
    step_s=60.0, start=SYNTHETIC_EPOCH + timedelta(hours=1), duration_s=7200.0,
    handover_policy="rtt",  # a 2 h dwell plan is one part (fresh starts are 4 h apart)
)  # fmt: skip


@pytest.fixture()
def db(db_path: Path) -> Path:
    with Store(db_path) as store:
        seed_defaults(store, SYNTHETIC_EPOCH)
    return db_path


def _orphaned_workers() -> set[int]:
    """Python ``spawn`` workers whose parent is gone (re-parented to init)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if b"spawn_main" in cmdline and ppid == 1:
            found.add(int(entry.name))
    return found


def test_child_process_plan_equals_in_process_plan(db: Path) -> None:
    before = _orphaned_workers()
    stages: list[str] = []
    niceness: set[int] = set()

    def progress(_fraction: float, stage: str) -> None:
        stages.append(stage)
        for child in multiprocessing.active_children():
            if child.name == "opsconsole-plan" and child.pid:
                niceness.add(os.getpriority(os.PRIO_PROCESS, child.pid))

    child_id = create_plan_in_process(
        db, PlanRequest("child", PARAMS), workers=2, progress=progress
    )
    assert niceness == {os.getpriority(os.PRIO_PROCESS, 0) + CHILD_NICENESS}  # background
    with Store(db) as store:
        here_id = create_plan(store, PlanRequest("here", PARAMS))
        child, here = load_plan(store, child_id), load_plan(store, here_id)
    for name in ("satellite", "gateway", "region", "status"):
        assert np.array_equal(child.arrays[name], here.arrays[name])
    assert any("2 of 2 parts done" in stage for stage in stages)  # the child shared its window
    assert stages[-1] == "computing metrics and saving"
    deadline = time.monotonic() + 10.0
    while _orphaned_workers() - before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _orphaned_workers() - before, "a planning worker outlived its parent"
    assert not [p for p in multiprocessing.active_children() if p.name == "opsconsole-plan"]


def test_cancel_saves_nothing_and_leaves_no_worker(db: Path) -> None:
    before = _orphaned_workers()
    seen: list[float] = []
    day = PlanParameters(step_s=60.0, start=PARAMS.start, duration_s=86400.0)
    with pytest.raises(Cancelled):
        create_plan_in_process(
            db,
            PlanRequest("cancelled", day),
            workers=2,
            progress=lambda f, _s: seen.append(f),
            cancelled=lambda: bool(seen),
        )
    with Store(db) as store:
        assert list_plans(store) == []
    deadline = time.monotonic() + 10.0
    while _orphaned_workers() - before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _orphaned_workers() - before


def test_a_killed_planning_process_saves_nothing(db: Path) -> None:
    def kill_child(_fraction: float, _stage: str) -> None:
        for child in multiprocessing.active_children():
            if child.name == "opsconsole-plan":
                os.kill(child.pid, signal.SIGKILL)

    day = PlanParameters(step_s=60.0, start=PARAMS.start, duration_s=86400.0)
    with pytest.raises(RuntimeError, match="ended unexpectedly"):
        create_plan_in_process(db, PlanRequest("killed", day), workers=1, progress=kill_child)
    with Store(db) as store:
        assert list_plans(store) == []


def test_errors_in_the_child_are_reported(db: Path) -> None:
    with pytest.raises(RuntimeError, match="no customer called 'Nobody'"):
        create_plan_in_process(db, PlanRequest("bad", PARAMS, customers=tuple(["Nobody"])))

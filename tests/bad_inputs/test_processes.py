"""Processes are accounted for: Ctrl-C and SIGTERM end a command with one line and exit
code 130, and no worker outlives its parent, even after ``kill -9`` (issue 17).

Each test runs the real ``opsconsole`` in its own session (as a terminal would), waits
until its local pool's workers exist, then signals it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from opsconsole.cli import INTERRUPTED_EXIT_CODE, INTERRUPTED_MESSAGE
from opsconsole.jobs.child_process import run_in_child

from .conftest import dump_hash

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="needs Linux /proc to follow processes"
)
PLAN = ("plan", "create", "--name", "long", "--start", "2026-05-13T00:00Z", "--hours", "168",
        "--workers", "2")  # fmt: skip
PASSES = ("passes", "--site", "47.6,-122.3", "--start", "2026-05-13T00:00Z", "--hours", "336")
GONE_WITHIN_S = 5.0


def _stat(pid: int) -> tuple[str, int] | None:
    """State letter and parent pid of ``pid``, ``None`` when it no longer exists."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1])


def _descendants(pid: int) -> set[int]:
    """Every live process below ``pid``."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) and stat[0] != "Z":
            parents.setdefault(stat[1], []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    return {p for p in pids if (stat := _stat(p)) is not None and stat[0] != "Z"}


def _start(args: tuple[str, ...], db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "opsconsole", *args, "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, like a job in a terminal
        # a test run started in the background (nohup, CI) ignores SIGINT, and Python
        # keeps an ignored SIGINT ignored: give the command a terminal's default
        preexec_fn=_default_sigint,
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for_workers(
    process: subprocess.Popen[str], count: int, timeout: float = 90.0
) -> set[int]:
    """The pool workers once ``count`` of them run (the resource tracker is not one)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        workers = {
            p for p in _descendants(process.pid)
            if "spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")
        }  # fmt: skip
        if len(workers) >= count:
            time.sleep(1.0)  # let them start computing
            return _descendants(process.pid)
        time.sleep(0.2)
    pytest.fail(f"no {count} workers within {timeout} s")


def _all_gone(pids: set[int]) -> set[int]:
    deadline = time.monotonic() + GONE_WITHIN_S
    while _alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _alive(pids)


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_an_interrupted_plan_says_one_line_and_writes_nothing(db: Path, how: str) -> None:
    before = dump_hash(db)
    process = _start(PLAN, db)
    children = _wait_for_workers(process, 2)
    if how == "ctrl-c":  # the terminal sends SIGINT to the whole foreground group
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode == INTERRUPTED_EXIT_CODE, err
    assert "Traceback" not in err, err
    assert err.strip().splitlines()[-1] == INTERRUPTED_MESSAGE, err
    assert err.count(INTERRUPTED_MESSAGE) == 1, err
    assert not _all_gone(children), "workers outlived the command"
    assert dump_hash(db) == before


def test_ctrl_c_during_passes(db: Path) -> None:
    process = _start(PASSES, db)
    time.sleep(4.0)  # imports done, propagating the first chunk
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == INTERRUPTED_EXIT_CODE, err
    assert "Traceback" not in err and err.strip().endswith(INTERRUPTED_MESSAGE), err
    assert out == ""  # rows are written only when every pass is known


def test_workers_end_within_5_s_of_kill_9_of_their_parent(db: Path) -> None:
    process = _start(PLAN, db)
    children = _wait_for_workers(process, 2)
    process.kill()
    process.communicate(timeout=30)
    assert children and not _all_gone(children), "workers outlived a kill -9 of their parent"


def _linger(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _child_of_a_killed_parent(report: Path) -> None:
    """Run in a helper process: start a console job child, note its pid, wait."""
    import threading

    def job() -> None:
        run_in_child(_linger, name="linger", seconds=120.0)

    threading.Thread(target=job, daemon=True).start()  # as the console does: off its main thread
    time.sleep(120.0)


def test_a_console_job_child_ends_with_its_parent(tmp_path: Path) -> None:
    helper = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, tests.bad_inputs.test_processes as t; "
         "t._child_of_a_killed_parent(sys.argv[1])", str(tmp_path / "r")],
        cwd=Path(__file__).parents[2],
    )  # fmt: skip
    deadline = time.monotonic() + 60.0
    children: set[int] = set()
    while time.monotonic() < deadline and not children:
        children = {
            p for p in _descendants(helper.pid)
            if "spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")
        }  # fmt: skip
        time.sleep(0.2)
    assert children, "the job's child process did not start"
    helper.kill()
    helper.wait(timeout=30)
    assert not _all_gone(children), "the job's child outlived the console"

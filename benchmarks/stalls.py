"""UI-thread stalls while the console plans (Planner dock, 24 h, demo customers, every
satellite) against the same console idle for as long, in one child process."""

from __future__ import annotations

import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.frames import _elements_file, _run
from benchmarks.timing import Timing
from opsconsole.core.element_sets import ElementSet

HOURS = 24.0


def _timing(child: dict[str, Any], name: str, key: str) -> Timing:
    """``child[key]`` (the child reports milliseconds) as a Timing in seconds."""
    return Timing(name, [v * 1e-3 for v in child[key]])


def plan_stall(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """Longest UI-thread stall during a 24 h planning run from the Planner dock, and while
    idle for as long (same process, same run); target: under 100 ms while planning."""
    with tempfile.TemporaryDirectory(prefix="opsconsole-bench-") as scratch:
        path = _elements_file(elements, Path(scratch))
        child = _run([sys.executable, "-m", "benchmarks.stall_child", str(path), str(HOURS),
                      str(repeats)])  # fmt: skip
    timing = partial(_timing, child)

    planning = timing("planning: longest UI stall", "plan_max_ms")
    idle = timing("idle: longest UI stall", "idle_max_ms")
    return {
        "timings": [
            planning,
            timing("planning: 99th percentile stall", "plan_p99_ms"),
            idle,
            timing("idle: 99th percentile stall", "idle_p99_ms"),
            timing("activating the plan: longest stall", "replay_max_ms"),
            timing("planning: longest globe GL paint", "plan_paint_max_ms"),
            timing("idle: longest globe GL paint", "idle_paint_max_ms"),
            timing("planning: longest stall outside GL paint", "plan_unpainted_max_ms"),
            timing("idle: longest stall outside GL paint", "idle_unpainted_max_ms"),
            Timing("planning run, Plan to saved", child["plan_s"]),
        ],
        "ratios": {"planning / idle longest stall (median)": planning.median / idle.median},
        "satellites": int(child["satellites"][0]),
        "sites": int(child["sites"][0]),
    }


SPEED = 600


def session_stall(repeats: int) -> dict[str, Any]:
    """Longest UI-thread stall while the console runs the ``plane-failure`` training
    session at 600x on its default database, against the same console idle for as long
    (same process, same run); target: ~50 ms outside the globe's GL paints."""
    child = _run([sys.executable, "-m", "benchmarks.session_stall_child", str(repeats),
                  str(SPEED)])  # fmt: skip
    timing = partial(_timing, child)

    session = timing("session: longest UI stall", "session_max_ms")
    idle = timing("idle: longest UI stall", "idle_max_ms")
    session_bare = timing("session: longest stall outside GL paint", "session_unpainted_max_ms")
    idle_bare = timing("idle: longest stall outside GL paint", "idle_unpainted_max_ms")
    return {
        "timings": [
            session,
            timing("session: 99th percentile stall", "session_p99_ms"),
            idle,
            timing("idle: 99th percentile stall", "idle_p99_ms"),
            session_bare,
            idle_bare,
            timing("End session to debrief: longest stall", "end_max_ms"),
            timing("End session: outside GL paint", "end_unpainted_max_ms"),
            timing("End click (log, restore the elements)", "end_click_ms"),
            timing("debrief dialog construction", "dialog_ms"),
            timing("session-log write, longest", "write_max_ms"),
            timing("session-log write, median", "write_median_ms"),
            timing("Training tick, longest", "tick_max_ms"),
            timing("Alerts refresh, longest", "refresh_max_ms"),
            Timing("session, start to end at 600x", child["session_s"]),
        ],
        "ratios": {
            "session / idle longest stall (median)": session.median / idle.median,
            "same, outside GL paint (median)": session_bare.median / idle_bare.median,
        },
        "satellites": int(child["satellites"][0]),
        "sites": int(child["sites"][0]),
        "alerts logged per session": [int(a) for a in child["alerts_logged"]],
        "session-log writes per session": [int(w) for w in child["writes"]],
    }

"""Longest UI-thread stall while the console plans, and while it is idle.

Run by ``benchmarks.stalls.plan_stall`` under an X server:
``python -m benchmarks.stall_child ELEMENTS_FILE HOURS ROUNDS [WORKERS]``. Prints one
JSON object.

A 5 ms ``QTimer`` on the UI thread records the wall time between its ticks; a stall is
a gap minus the interval. The globe's GL paints (``paintGL``, drawn by Mesa's llvmpipe
here: no GPU) are timed too, and each gap is also reported without the paint time it
contains: what is left is the UI thread's own work and waiting. The baseline is the
same console, same clock speed, with no planning, over as long as the planning run took
(frames, status refresh and inspector keep running in both). The planning run is the
Planner dock's own "Plan" button for the demo customers over ``HOURS`` with the given
element set active, then activating the new plan (loading and replaying it on the globe
and in the plots).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

INTERVAL_MS = 5


class GapRecorder:
    """Wall-clock gaps between ticks of a 5 ms timer on the UI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self.ticks: list[float] = []
        self.last = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self.last)
        self.ticks.append(now)
        self.last = now

    def start(self) -> None:
        self.gaps, self.last = [], time.perf_counter()
        self.ticks = [self.last]
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.gaps


class PaintTimer:
    """Start and end (``perf_counter`` s) of every draw of the globe's canvas (vispy's
    draw event, first to last handler) and of every composition of its frame into the
    window (``aboutToCompose`` to ``frameSwapped``)."""

    def __init__(self, canvas: Any) -> None:
        self.spans: list[tuple[float, float]] = []
        began: dict[str, float] = {}

        def start(kind: str) -> None:
            began[kind] = time.perf_counter()

        def end(kind: str) -> None:
            if kind in began:
                self.spans.append((began.pop(kind), time.perf_counter()))

        canvas.events.draw.connect(lambda _e: start("draw"), position="first")
        canvas.events.draw.connect(lambda _e: end("draw"), position="last")
        canvas.native.aboutToCompose.connect(lambda: start("compose"))
        canvas.native.frameSwapped.connect(lambda: end("compose"))

    def painted_before(self, moments: np.ndarray) -> np.ndarray:
        """Total paint time (s) before each moment (paints do not overlap)."""
        if not self.spans:
            return np.zeros(moments.shape)
        spans = np.array(sorted(self.spans))
        starts, ends = spans[:, 0], spans[:, 1]
        done = np.r_[0.0, np.cumsum(ends - starts)]
        i = np.searchsorted(starts, moments, side="right")  # paints started before
        partial = np.clip(moments - starts[np.maximum(i - 1, 0)], 0.0, None)
        partial = np.minimum(partial, (ends - starts)[np.maximum(i - 1, 0)]) * (i > 0)
        return np.asarray(done[np.maximum(i - 1, 0)] * (i > 0) + partial)

    def unpainted_gaps_ms(self, ticks: list[float]) -> np.ndarray:
        """Each gap between ticks minus the paint time inside it, less the interval (ms)."""
        t = np.array(ticks)
        painted = np.diff(self.painted_before(t))
        return np.asarray((np.diff(t) - painted) * 1000.0 - INTERVAL_MS)


def main() -> int:
    path, hours, rounds = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    if len(sys.argv) > 4:  # processes sharing the run (default: the console's own)
        from opsconsole.ui.qt import planner_panel

        planner_panel.PLANNING_WORKERS = int(sys.argv[4])
    from opsconsole.app import _application, _wait, _window
    from opsconsole.core.element_readers import read_elements
    from opsconsole.store.database import Store
    from opsconsole.store.element_repository import import_element_set
    from opsconsole.store.seed import open_store

    qt_app = _application()
    scratch = Path(tempfile.mkdtemp(prefix="opsconsole-stall-"))
    db = scratch / "stall.sqlite"
    open_store(str(db)).close()
    with Store(db) as store:
        import_element_set(store, read_elements(path), "benchmark elements")
    window = _window(db, None, scratch / "stall.ini")
    window.resize(1600, 1000)
    window.show()
    gv = window.globe_view
    _wait(qt_app, lambda: gv.satellite_frames > 0, 120.0)
    window.clock.set_speed(60)
    window.clock.play()
    _wait(qt_app, lambda: False, 2.0)
    recorder = GapRecorder()
    paints = PaintTimer(gv.canvas)
    names = ("idle_max_ms", "plan_max_ms", "plan_p99_ms", "idle_p99_ms", "plan_s",
             "replay_max_ms", "plan_unpainted_max_ms", "idle_unpainted_max_ms",
             "plan_paint_max_ms", "idle_paint_max_ms")  # fmt: skip
    out: dict[str, list[float]] = {name: [] for name in names}
    planner = window.planner
    planner.hours.setValue(hours)
    for _ in range(rounds):
        recorder.start()
        started = time.perf_counter()
        planner.plan_button.click()
        _wait(qt_app, lambda: planner.plan_button.isEnabled(), 3600.0)
        took = time.perf_counter() - started
        gaps = np.array(recorder.stop()) * 1000.0 - INTERVAL_MS
        if "saved" not in planner.status.text():
            raise RuntimeError(planner.status.text())
        out["plan_s"].append(took)
        out["plan_max_ms"].append(float(gaps.max()))
        out["plan_p99_ms"].append(float(np.percentile(gaps, 99)))
        out["plan_unpainted_max_ms"].append(float(paints.unpainted_gaps_ms(recorder.ticks).max()))
        out["plan_paint_max_ms"].append(_longest_paint_ms(paints, recorder.ticks))
        # activating: load the plan and replay it on the globe and in the plots
        plans = window.plans
        plans.refresh()
        plans.table.selectRow(0)
        recorder.start()
        plans.set_status("approved")
        plans.set_status("active")
        _wait(qt_app, lambda: window.controller.plan_frame is not None, 120.0)
        _wait(qt_app, lambda: False, 1.0)
        out["replay_max_ms"].append(float((np.array(recorder.stop()) * 1000.0).max()) - INTERVAL_MS)
        window.plan_on_globe.show(None)
        recorder.start()  # baseline: the same console doing nothing extra for as long
        _wait(qt_app, lambda: False, took)
        idle = np.array(recorder.stop()) * 1000.0 - INTERVAL_MS
        out["idle_max_ms"].append(float(idle.max()))
        out["idle_p99_ms"].append(float(np.percentile(idle, 99)))
        out["idle_unpainted_max_ms"].append(float(paints.unpainted_gaps_ms(recorder.ticks).max()))
        out["idle_paint_max_ms"].append(_longest_paint_ms(paints, recorder.ticks))
    return finish(qt_app, window, out)


def finish(qt_app: Any, window: Any, out: dict[str, list[float]]) -> int:
    """Add the console's satellite and site counts to ``out``, print it as the child's
    one JSON line, close the window; returns the exit code."""
    out["satellites"] = [float(len(window.data.elements))]
    out["sites"] = [float(len(window.data.sites))]
    print(json.dumps(out))
    window.close()
    qt_app.processEvents()
    return 0


def _longest_paint_ms(paints: PaintTimer, ticks: list[float]) -> float:
    """Longest ``paintGL`` between the first and last tick (ms)."""
    inside = [end - start for start, end in paints.spans if ticks[0] <= start and end <= ticks[-1]]
    return 1000.0 * max(inside, default=0.0)


if __name__ == "__main__":
    raise SystemExit(main())

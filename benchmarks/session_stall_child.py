"""Longest UI-thread stall while a training session runs, and with the same console idle.

Run by ``benchmarks.stalls.session_stall`` under an X server:
``python -m benchmarks.session_stall_child ROUNDS SPEED``. Prints one JSON object.

The console opens its embedded default database (the synthetic demo constellation,
seeded in a scratch folder). Each round the Training dock starts the shipped
``plane-failure`` scenario (a whole plane fails, a demand surge, a late element update
that the console imports and loads), the clock runs at ``SPEED`` from the scenario's
start to its end, and the session ends (debrief computed and shown). Measured with the
5 ms timer of ``stall_child``, with and without the globe's GL paints:

- the session, from the clock's start to its end: every event, the Alerts dock judging
  the active plan 4 times a second and logging the alerts it opens, the session-log
  writes, the late update's import and the console's reload;
- ending: from *End session* to the debrief dialog shown;
- the baseline: the same console with the starting plan on the globe, the clock at the
  same speed over the same span, no session, for as long as the session ran.

Every session-log write (``training_repository.append``/``append_many``, on the UI
thread) and every ``TrainingPanel.tick`` and ``AlertsPanel.refresh`` call is timed, and
so are the End click itself (log write, restoring the starting element set) and the
construction of the debrief dialog.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.stall_child import INTERVAL_MS, GapRecorder, PaintTimer, finish

SCENARIO = "plane-failure"


def _timed(calls: list[float], function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` that appends each call's duration (ms) to ``calls``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            calls.append((time.perf_counter() - started) * 1000.0)

    return wrapper


def main() -> int:
    rounds, speed = int(sys.argv[1]), int(sys.argv[2])
    from opsconsole.app import _application, _wait, _window
    from opsconsole.store.seed import open_store
    from opsconsole.training import session as session_module

    writes: list[float] = []
    session_module.append = _timed(writes, session_module.append)  # type: ignore[assignment]
    session_module.append_many = _timed(writes, session_module.append_many)  # type: ignore[assignment]
    qt_app = _application()
    scratch = Path(tempfile.mkdtemp(prefix="opsconsole-session-stall-"))
    db = scratch / "training.sqlite"
    open_store(str(db)).close()
    window = _window(db, None, scratch / "stall.ini")
    window.resize(1600, 1000)
    window.show()
    gv, training, alerts = window.globe_view, window.training, window.alerts
    _wait(qt_app, lambda: gv.satellite_frames > 0, 120.0)
    ticks: list[float] = []
    refreshes: list[float] = []
    training.tick = _timed(ticks, training.tick)  # type: ignore[method-assign]
    alerts.refresh = _timed(refreshes, alerts.refresh)  # type: ignore[method-assign]
    recorder = GapRecorder()
    paints = PaintTimer(gv.canvas)
    names = ("session_max_ms", "session_p99_ms", "session_unpainted_max_ms",
             "idle_max_ms", "idle_p99_ms", "idle_unpainted_max_ms", "end_max_ms",
             "end_unpainted_max_ms", "end_click_ms", "dialog_ms", "write_max_ms",
             "write_median_ms", "tick_max_ms", "refresh_max_ms", "session_s", "writes",
             "alerts_logged")  # fmt: skip
    out: dict[str, list[float]] = {name: [] for name in names}
    dialogs: list[float] = []
    training._debriefed = _timed(dialogs, training._debriefed)  # type: ignore[method-assign]
    training.choice.setCurrentIndex(training.choice.findText(SCENARIO))
    for _ in range(rounds):
        training.start_button.click()
        _wait(qt_app, lambda: training.session is not None, 600.0)
        _wait(qt_app, lambda: window.plan_on_globe.playback is not None, 60.0)
        session = training.session
        scenario = session.scenario
        window.clock.pause()
        window.clock.scrub(scenario.start)
        training.set_speed(speed)
        writes.clear()
        ticks.clear()
        refreshes.clear()
        recorder.start()
        started = time.perf_counter()
        window.clock.play()
        _wait(qt_app, lambda s=scenario: window.clock.now() >= s.end, 3600.0)
        _wait(qt_app, lambda: not training.updates.loaded or window.data.element_info.id
              == training.updates.loaded[-1], 60.0)  # fmt: skip
        took = time.perf_counter() - started
        _record(out, "session", recorder, paints)
        out["session_s"].append(took)
        out["writes"].append(float(len(writes)))
        out["write_max_ms"].append(max(writes))
        out["write_median_ms"].append(float(np.median(writes)))
        out["tick_max_ms"].append(max(ticks))
        out["refresh_max_ms"].append(max(refreshes))
        log = session_module.session_log(session.store, session.id)
        out["alerts_logged"].append(float(sum(e.kind == "alert" for e in log)))
        training.report = None
        recorder.start()
        clicked = time.perf_counter()
        training.end_button.click()
        out["end_click_ms"].append((time.perf_counter() - clicked) * 1000.0)
        _wait(qt_app, lambda: training.report is not None, 600.0)
        _wait(qt_app, lambda: False, 0.5)  # the dialog shows
        _record(out, "end", recorder, paints, p99=False)
        out["dialog_ms"].append(dialogs[-1])
        for dialog in training.findChildren(object):
            if type(dialog).__name__ == "DebriefDialog":
                dialog.close()
        _wait(qt_app, lambda s=session: window.data.element_info.id == s.element_set_id, 60.0)
        window.plan_on_globe.show_active()  # baseline: the starting plan, same clock
        _wait(qt_app, lambda: window.plan_on_globe.playback is not None, 60.0)
        window.clock.pause()
        window.clock.scrub(scenario.start)
        window.clock.set_speed(speed)
        recorder.start()
        window.clock.play()
        _wait(qt_app, lambda: False, took)
        window.clock.pause()
        _record(out, "idle", recorder, paints)
    return finish(qt_app, window, out)


def _record(out: dict[str, list[float]], name: str, recorder: GapRecorder, paints: PaintTimer,
            *, p99: bool = True) -> None:  # fmt: skip
    gaps = np.array(recorder.stop()) * 1000.0 - INTERVAL_MS
    out[f"{name}_max_ms"].append(float(gaps.max()))
    if p99:
        out[f"{name}_p99_ms"].append(float(np.percentile(gaps, 99)))
    out[f"{name}_unpainted_max_ms"].append(float(paints.unpainted_gaps_ms(recorder.ticks).max()))


if __name__ == "__main__":
    raise SystemExit(main())

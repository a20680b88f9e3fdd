"""Start-up stays lean: what the first frame does not need is neither imported nor built
before it (docs/console.md, "Start-up: where the time goes")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from opsconsole.core.sim_clock import SimulationClock
from tests.conftest import SYNTHETIC_EPOCH
from tests.ui.conftest import FakeWall

LATE_PACKAGES = ("scipy", "pyqtgraph", "skyfield", "matplotlib")
"""Loaded on first use: scipy by planning and coverage (0.3 s), pyqtgraph by the Plots
dock (0.25 s), skyfield by the first instant propagated (on the feed thread)."""


def test_the_window_module_imports_nothing_the_first_frame_does_not_need() -> None:
    probe = (
        "import sys, opsconsole.ui.qt.main_window\n"
        f"late = {LATE_PACKAGES!r}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(late)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=True)  # fmt: skip
    assert done.stdout.strip() == "[]", done.stdout


def test_plots_and_the_satellite_tree_wait_for_the_deferred_build(
    qapp: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The live refresh before the deferred build must not build the Plots dock (it did:
    0.3 s before the first frame)."""
    from vispy import app

    app.use_app("pyside6")
    from opsconsole.ui.qt import main_window
    from opsconsole.ui.qt.main_window import MainWindow

    monkeypatch.setattr(main_window, "DEFERRED_BUILD_MS", 600_000)  # never, in this test
    clock = SimulationClock(SYNTHETIC_EPOCH, wall=FakeWall(), utc_now=lambda: SYNTHETIC_EPOCH)
    window = MainWindow(tmp_path / "console.sqlite", clock=clock,
                        settings_path=tmp_path / "console.ini")  # fmt: skip
    try:
        window.show()
        qtbot.waitUntil(lambda: window.globe_view.satellite_frames > 0, timeout=60_000)
        for _ in range(3):
            window._live_refresh()
        assert window._plots is None
        assert not window.satellite_tree_ready
        window._build_deferred()
        assert window._plots is not None and window.satellite_tree_ready
        window._live_refresh()  # and the built dock now follows the clock
    finally:
        window.close()
        window.deleteLater()

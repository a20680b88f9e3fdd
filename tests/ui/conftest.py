"""The ``make_console`` fixture: the real main window on a temporary database.

The window's clock is driven by a fake wall clock (``console.wall``) so that tests
decide how much time passes. Any top-level widget left alive after the test fails it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from opsconsole.core.sim_clock import SimulationClock
from tests.conftest import SYNTHETIC_EPOCH


@dataclass
class FakeWall:
    """Seconds of a wall clock that only moves when told."""

    seconds: float = 1000.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture()
def make_console(qapp, qtbot, tmp_path: Path) -> Iterator[Callable[..., object]]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication
    from vispy import app

    app.use_app("pyside6")
    from opsconsole.ui.qt.main_window import MainWindow

    before = set(QApplication.topLevelWidgets())
    made: list[MainWindow] = []

    def make(*, settings: Path | None = None, db: Path | None = None, elements=None) -> MainWindow:  # type: ignore[no-untyped-def]
        wall = FakeWall()
        clock = SimulationClock(SYNTHETIC_EPOCH, wall=wall, utc_now=lambda: SYNTHETIC_EPOCH)
        settings_path = settings or tmp_path / "console.ini"
        fresh = not settings_path.exists()
        window = MainWindow(db or tmp_path / "console.sqlite", clock=clock, elements=elements,
                            settings_path=settings_path)  # fmt: skip
        window.wall = wall  # type: ignore[attr-defined]
        if fresh:  # a restored layout keeps its own geometry
            window.resize(1600, 1000)  # a desktop-sized window
        window.show()
        qtbot.waitUntil(lambda: window.globe_view.satellite_frames > 0, timeout=60_000)
        qtbot.waitUntil(lambda: window.satellite_tree_ready, timeout=10_000)  # after frame 1
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()
        window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    leaked = [w for w in QApplication.topLevelWidgets() if w not in before]
    assert not leaked, f"top-level widgets left open: {leaked}"

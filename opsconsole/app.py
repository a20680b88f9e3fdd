"""Composition root of the graphical console, and its self-test.

``run_gui`` starts Qt, checks that OpenGL can draw, and opens :class:`MainWindow` on a
database. ``selftest`` does the same unattended: it waits for the first globe frame
with the satellites drawn, measures frame times while the clock runs at 60x, writes a
PNG of the window and returns the figures.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

SELFTEST_FRAMES = 120
SELFTEST_SPEED = 60


class GlNotAvailableError(RuntimeError):
    """OpenGL cannot draw on this display (no X server, or Qt's offscreen platform)."""


def check_display() -> None:
    """Refuse early (Qt would abort the process) when Linux has no display to draw on."""
    import os

    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise GlNotAvailableError(
            "no display (neither DISPLAY nor WAYLAND_DISPLAY is set); run on a desktop, or "
            "under a virtual X server: xvfb-run -a opsconsole ..."
        )
    if not os.environ.get("WAYLAND_DISPLAY"):
        from opsconsole.x_display import x_display_problem

        if problem := x_display_problem(os.environ["DISPLAY"]):
            raise GlNotAvailableError(f"{problem}; check DISPLAY, or run under xvfb-run -a")


def _icon() -> Any:
    """The application icon in every size of ``opsconsole.resources/icons`` (PNGs)."""
    from importlib import resources

    from PySide6.QtGui import QIcon

    icon = QIcon()
    for item in resources.files("opsconsole.resources").joinpath("icons").iterdir():
        if item.name.startswith("opsconsole-") and item.name.endswith(".png"):
            with resources.as_file(item) as path:
                icon.addFile(str(path))
    return icon


def _application() -> Any:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication
    from vispy import app as vispy_app

    if QApplication.instance() is None:
        check_display()
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setApplicationName("opsconsole")
    qt_app.setOrganizationName("opsconsole")
    QGuiApplication.setDesktopFileName("opsconsole")  # the .desktop entry (Wayland, docks)
    QGuiApplication.setWindowIcon(_icon())
    vispy_app.use_app("pyside6")
    platform = QGuiApplication.platformName()
    if platform in ("offscreen", "minimal"):
        raise GlNotAvailableError(
            f"Qt platform '{platform}' has no OpenGL; run under an X server or Wayland "
            "(e.g. xvfb-run) to see the globe"
        )
    return qt_app


def _window(db_path: str | Path, elements_file: str | None, settings: str | Path | None) -> Any:
    from opsconsole.ui.qt.main_window import MainWindow

    elements = None
    if elements_file:
        from opsconsole.core.element_readers import read_elements

        elements = read_elements(elements_file)
    return MainWindow(db_path, elements=elements, settings_path=settings)


def run_gui(db_path: str | Path) -> int:
    """Open the console on ``db_path`` and run until the window closes."""
    qt_app = _application()
    window = _window(db_path, None, None)
    _close_on_signals(window)
    window.show()
    return int(qt_app.exec())


def _close_on_signals(window: Any) -> None:
    """Ctrl-C in the terminal and ``kill`` (SIGTERM) close the window as its close box
    does (settings saved, background jobs and the store stopped) instead of raising
    inside a Qt slot. Python runs the handler between two calls into Python, which the
    window's 4 Hz status timer guarantees."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return

    def close(signum: int, frame: Any) -> None:
        window.close()

    signal.signal(signal.SIGINT, close)
    signal.signal(signal.SIGTERM, close)


def _wait(qt_app: Any, condition: Any, timeout_s: float) -> bool:
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        qt_app.processEvents()
        if condition():
            return True
        time.sleep(0.002)
    return False


def selftest(
    db_path: str | Path | None,
    screenshot: str | Path,
    *,
    elements_file: str | None = None,
    size: tuple[int, int] | None = None,
    started: float | None = None,
    frames: int = SELFTEST_FRAMES,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Start the real window, wait for the first frame, time frames, save a PNG.

    ``started`` is the ``time.perf_counter()`` reading the startup time counts from (the
    command's start by default); ``at`` (aware UTC) sets the clock instead of now, so a
    screenshot shows the same day and night side on every run. Raises
    :class:`GlNotAvailableError` without OpenGL.
    """
    started = time.perf_counter() if started is None else started
    qt_app = _application()
    with tempfile.TemporaryDirectory(prefix="opsconsole-selftest-") as scratch:
        db = db_path or Path(scratch) / "selftest.sqlite"
        window = _window(db, elements_file, Path(scratch) / "selftest.ini")
        if at is not None:
            window.clock.scrub(at)
        try:
            return _measure(qt_app, window, screenshot, size, started, frames)
        finally:
            window.close()
            window.deleteLater()
            qt_app.processEvents()


def _build_facts() -> dict[str, Any]:
    """What the self-test reports of the build: fast SGP4, frozen or not, version."""
    from opsconsole import __version__
    from opsconsole.core.propagation import check_accelerated

    return {
        "sgp4_accelerated": check_accelerated(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "version": __version__,
    }


def _measure(
    qt_app: Any,
    window: Any,
    screenshot: str | Path,
    size: tuple[int, int] | None,
    started: float,
    frames: int,
) -> dict[str, Any]:
    view, controller = window.globe_view, window.controller
    window.show()
    _wait(qt_app, lambda: window.isVisible(), 5.0)
    startup_s = time.perf_counter() - started
    # the first frame is at the window's own size; the canvas is fitted to ``size`` after
    # it (fitting waits for the layout to settle, which is not start-up time)
    if not _wait(qt_app, lambda: view.satellite_frames > 0, 60.0):
        if view.frames_drawn == 0:
            raise GlNotAvailableError("the globe never drew a frame: OpenGL is not working")
        raise RuntimeError("the satellites were never drawn (no positions computed)")
    first_frame_s = time.perf_counter() - started
    first_frame_unix = time.time()  # to time from outside, from the process's launch
    # time the steady state: the first Hermite window is still being computed just after
    # the first frame (it competes with the CPU renderer for the two cores here)
    _wait(qt_app, lambda: controller.feed is not None and controller.feed.window is not None, 30.0)
    window.clock.set_speed(SELFTEST_SPEED)
    window.clock.play()
    if size is not None:
        fit_canvas(qt_app, window, size)
    controller.timer.stop()  # frames are driven back to back below
    times = time_frames(qt_app, controller.tick, view.canvas, lambda: view.frames_drawn, frames)
    controller.timer.start()
    Path(screenshot).parent.mkdir(parents=True, exist_ok=True)
    from opsconsole.atomic_files import temporary_beside

    with temporary_beside(screenshot) as temporary:
        if not window.grab().save(str(temporary), "PNG"):
            raise OSError(f"could not write {screenshot}")
    return {
        "startup_s": round(startup_s, 3),
        "first_frame_s": round(first_frame_s, 3),
        "first_frame_unix": round(first_frame_unix, 3),
        "frame_ms_median": round(statistics.median(times) * 1000.0, 2),
        "frame_ms_min": round(min(times) * 1000.0, 2),
        "frames": len(times),
        "satellites": int(view.globe.satellites.drawn),
        "canvas": [view.canvas.native.width(), view.canvas.native.height()],
        "gl_renderer": _renderer(),
        **_build_facts(),
    }


def time_frames(qt_app: Any, step: Any, canvas: Any, drawn: Any, frames: int) -> list[float]:
    """Seconds per frame of ``frames`` frames driven back to back: ``step()`` updates the
    scene, then the canvas is painted and OpenGL finishes (``drawn()`` counts paints)."""
    times = []
    for _ in range(frames):
        before = drawn()
        t0 = time.perf_counter()
        step()
        canvas.native.repaint()
        _wait(qt_app, lambda b=before: drawn() > b, 2.0)
        canvas.context.finish()
        times.append(time.perf_counter() - t0)
    return times


def fit_canvas(qt_app: Any, window: Any, size: tuple[int, int]) -> None:
    """Resize the window so that the globe canvas is ``size`` pixels (width, height)."""
    for _ in range(6):  # docks and the status bar settle over a few passes
        qt_app.processEvents()
        native = window.globe_view.canvas.native
        dw, dh = size[0] - native.width(), size[1] - native.height()
        if dw == 0 and dh == 0:
            return
        window.resize(window.width() + dw, window.height() + dh)
        _wait(qt_app, lambda: False, 0.2)


def _renderer() -> str:
    try:
        from vispy.gloo import gl

        return str(gl.glGetParameter(gl.GL_RENDERER))
    except Exception:  # diagnostics only
        return "unknown"

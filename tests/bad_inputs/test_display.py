"""A display that does not answer: the console exits 1 with a message instead of Qt's
abort (exit 134), and creates nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from opsconsole.x_display import x_display_problem


def _unused_display() -> str:
    number = next(n for n in range(917, 999) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    return f":{number}"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X displays are Linux here")
def test_a_display_that_does_not_answer_is_refused(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["DISPLAY"] = display = _unused_display()
    db = tmp_path / "new.sqlite"
    done = subprocess.run(
        [sys.executable, "-m", "opsconsole", "--db", str(db)],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done
    assert f"cannot connect to the X display {display!r}" in done.stderr
    assert "Traceback" not in done.stderr and "created new database" not in done.stderr
    assert not db.exists()


def test_the_test_display_answers() -> None:
    display = os.environ.get("DISPLAY")
    if not display:
        pytest.skip("no DISPLAY in this test run")
    assert x_display_problem(display) is None
    assert "cannot connect" in str(x_display_problem(_unused_display()))


@pytest.mark.gl
def test_the_console_closes_cleanly_on_sigterm(tmp_path: Path) -> None:
    """``kill`` of the running console closes its window as the close box does: exit 0,
    no traceback (a KeyboardInterrupt raised inside a Qt slot would print one and keep
    running)."""
    import signal
    import time

    display = os.environ.get("DISPLAY")
    if not display:
        pytest.skip("no DISPLAY in this test run")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    env.pop("QT_QPA_PLATFORM", None)
    settings = tmp_path / "cfg"
    process = subprocess.Popen(
        [sys.executable, "-m", "opsconsole", "--db", str(tmp_path / "ops.sqlite")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 90.0
    while time.monotonic() < deadline and process.poll() is None:
        if (tmp_path / "ops.sqlite").exists():
            break
        time.sleep(0.5)
    time.sleep(8.0)  # the window is up and its timers run
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err, err
    assert any(settings.rglob("*")), "the window did not save its settings on the way out"

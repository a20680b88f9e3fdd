"""The packaged console against the source install, measured in the same run.

Needs a build in ``dist/`` (``./dev.sh package``). Start to first frame is timed from
outside: from just before the process is launched to the first frame's wall-clock
time that ``selftest`` reports (``first_frame_unix``), so the frozen bootloader and the
interpreter's start count. ``propagate`` is timed as a whole command for every
satellite of the element file. Runs alternate frozen / source. All runs share one Xvfb.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.frames import _elements_file
from benchmarks.timing import Timing
from opsconsole.core.element_sets import ElementSet

DIST = Path(__file__).resolve().parents[1] / "dist"
AT = "2026-05-13T06:00Z"


@contextmanager
def x_display() -> Iterator[str]:
    """The current ``DISPLAY``, or a private Xvfb for the duration."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1200x24", "-nolisten", "tcp"],
        pass_fds=(write,), stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def _first_frame_s(command: list[str], env: dict[str, str], shot: Path) -> float:
    launched = time.time()
    done = subprocess.run(
        [*command, "selftest", "--screenshot", str(shot), "--size", "1280x800", "--frames", "60"],
        capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} selftest failed:\n{done.stderr[-2000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return float(figures["first_frame_unix"]) - launched


def _propagate_s(command: list[str], elements: Path, db: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [*command, "propagate", "--elements", str(elements), "--at", AT, "--db", str(db)],
        check=True, stdout=subprocess.DEVNULL, env=env, timeout=600,
    )  # fmt: skip
    return time.perf_counter() - started


def frozen(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """Packaged vs source install: start to first frame, ``propagate`` of every satellite,
    bundle size and build time (from the last ``build-report.json``)."""
    executable = DIST / "opsconsole" / "opsconsole"
    report_file = DIST / "build-report.json"
    if not executable.is_file() or not report_file.is_file():
        raise SystemExit(f"no packaged build in {DIST}: run ./dev.sh package first")
    report = json.loads(report_file.read_text())
    source = [sys.executable, "-m", "opsconsole"]
    kinds = {"frozen": [str(executable)], "source": source}
    start = {k: Timing(f"{k}: launch to first frame") for k in kinds}
    prop = {k: Timing(f"{k}: propagate {len(elements)} satellites") for k in kinds}
    with tempfile.TemporaryDirectory(prefix="opsconsole-frozen-") as scratch, x_display() as disp:
        folder = Path(scratch)
        path = _elements_file(elements, folder)
        env = {**os.environ, "DISPLAY": disp, "HOME": str(folder / "home")}
        for i in range(repeats):
            for kind, command in kinds.items():
                start[kind].seconds.append(_first_frame_s(command, env, folder / "shot.png"))
                db = folder / f"{kind}-{i}.sqlite"
                prop[kind].seconds.append(_propagate_s(command, path, db, env))
    return {
        "timings": [start["frozen"], start["source"], prop["frozen"], prop["source"]],
        "ratios": {
            "frozen / source, launch to first frame (median)": start["frozen"].median
            / start["source"].median,
            "frozen / source, propagate (median)": prop["frozen"].median / prop["source"].median,
        },
        "PyInstaller build, s": report["pyinstaller_s"],
        "build with archive and .deb, s": report["total_s"],
        "bundle unpacked, MB": report["bundle_mb"],
        "archive (.tar.gz), MB": report["archive_mb"],
        ".deb, MB": report.get("deb_mb"),
    }

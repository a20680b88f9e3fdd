"""Globe frame time: the console against a bare vispy scene, and start to first frame.

Both run under an X server: the current ``DISPLAY`` if there is one, else ``xvfb-run``
(Mesa's llvmpipe renders on the CPU). Frame times come from one child process that
alternates rounds of the bare scene and the console (``benchmarks.frame_child``); start
and first-frame times come from fresh ``opsconsole selftest`` processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.timing import SAMPLE_TLE, Timing
from opsconsole.core.element_sets import ElementSet

SIZE = (1280, 800)
FRAMES_PER_ROUND = 90
SELFTEST_RUNS = 5


def _display_prefix() -> list[str]:
    if os.environ.get("DISPLAY"):
        return []
    return ["xvfb-run", "-a", "-s", "-screen 0 2560x1600x24"]


def _elements_file(elements: ElementSet, scratch: Path) -> Path:
    if SAMPLE_TLE.is_file():
        return SAMPLE_TLE
    path = scratch / "elements.tle"
    path.write_text("".join(f"{r.name}\n{r.line1}\n{r.line2}\n" for r in elements.records))
    return path


def _run(args: list[str]) -> dict[str, Any]:
    """Run a child; its last stdout line (JSON), with ``launched_unix`` added."""
    launched = time.time()
    done = subprocess.run(_display_prefix() + args, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return {**result, "launched_unix": launched}


def frame(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """Frame time at 1280x800 with the clock at 60x, console vs bare vispy (same run)."""
    with tempfile.TemporaryDirectory(prefix="opsconsole-bench-") as scratch:
        path = _elements_file(elements, Path(scratch))
        child = _run([sys.executable, "-m", "benchmarks.frame_child", str(path), str(SIZE[0]),
                      str(SIZE[1]), str(FRAMES_PER_ROUND), str(repeats)])  # fmt: skip
        starts, firsts, selftest_frames = (
            Timing("selftest: start to window shown"),
            Timing("selftest: start to first frame with satellites"),
            Timing("selftest: frame (median of its 120)"),
        )
        launch_bare = Timing("bare vispy scene: launch to first frame")
        launch_console = Timing("console: launch to first frame")
        for run in range(SELFTEST_RUNS):  # alternated, so that both see the same load
            bare_start = _run([sys.executable, "-m", "benchmarks.bare_start_child", str(path),
                               str(SIZE[0]), str(SIZE[1])])  # fmt: skip
            launch_bare.seconds.append(bare_start["first_frame_unix"] - bare_start["launched_unix"])
            figures = _run([sys.executable, "-m", "opsconsole", "selftest", "--elements",
                            str(path), "--size", f"{SIZE[0]}x{SIZE[1]}", "--screenshot",
                            str(Path(scratch) / f"shot{run}.png")])  # fmt: skip
            starts.seconds.append(figures["startup_s"])
            firsts.seconds.append(figures["first_frame_s"])
            launch_console.seconds.append(figures["first_frame_unix"] - figures["launched_unix"])
            selftest_frames.seconds.append(figures["frame_ms_median"] / 1000.0)
    bare = Timing("bare vispy scene: frame", child["bare_s"])
    console = Timing("console: frame", child["console_s"])
    return {
        "timings": [
            *(bare, console, selftest_frames),
            *(starts, firsts, launch_bare, launch_console),
        ],
        "ratios": {
            "console / bare frame (median)": console.median / bare.median,
            "console / bare frame (min)": console.min / bare.min,
            "console / bare launch to first frame (median)": (
                launch_console.median / launch_bare.median
            ),
        },
        "satellites": child["satellites"],
        "canvas": child["console_canvas"],
        "gl_renderer": figures.get("gl_renderer", "unknown"),
    }

"""Frame times of the console and of a bare vispy scene, in one process and one run.

Run by ``benchmarks.scenarios.frame`` under an X server (Xvfb + Mesa llvmpipe here):
``python -m benchmarks.frame_child ELEMENTS_FILE WIDTH HEIGHT FRAMES ROUNDS``. Prints one
JSON object. The bare scene is what vispy alone costs for the same picture: a
``SceneCanvas`` of the same size with the same textured sphere and the same satellite
markers moved every frame from the same Hermite nodes; the console adds everything else
(window, docks, lines, ground markers, selection, clock, track feed).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np


def main() -> int:
    path, width, height, frames, rounds = sys.argv[1], *map(int, sys.argv[2:6])

    from benchmarks.bare_scene import bare_scene
    from opsconsole.app import _application, _wait, _window, fit_canvas, time_frames
    from opsconsole.core.element_readers import read_elements
    from opsconsole.core.frames import WGS84_A_KM
    from opsconsole.core.sim_clock import SimulationClock
    from opsconsole.core.track_cache import TrackNodes

    qt_app = _application()
    elements = read_elements(path)
    now = datetime.now(UTC).replace(microsecond=0)

    # -- bare vispy: same sphere, texture, markers, camera, size -------------------------
    canvas, markers = bare_scene(width, height, show=True)
    nodes = TrackNodes.compute(elements, now, 3600.0)
    bare_clock = SimulationClock(now)
    bare_clock.set_speed(60)
    bare_clock.play()
    colors = np.ones((len(elements), 4), np.float32)
    draws = [0]
    canvas.events.draw.connect(lambda _e: draws.__setitem__(0, draws[0] + 1))

    def bare_step() -> None:
        pos = nodes.positions_at(bare_clock.now())
        ok = np.isfinite(pos).all(axis=1)
        markers.set_data((pos[ok] / WGS84_A_KM).astype(np.float32), colors[ok])
        canvas.update()

    _wait(qt_app, lambda: draws[0] > 0, 10.0)

    # -- the console -----------------------------------------------------------------
    scratch = tempfile.mkdtemp(prefix="opsconsole-bench-")
    window = _window(Path(scratch) / "bench.sqlite", None, Path(scratch) / "bench.ini")
    window.data.elements = elements  # same satellites as the bare scene
    from opsconsole.core.constellation_structure import constellation_structure

    window.data.structure = constellation_structure(elements, now)
    window.globe_view.globe.satellites.set_colors(colors)
    window.controller.set_data(window.data)
    window.show()
    fit_canvas(qt_app, window, (width, height))
    gv = window.globe_view
    _wait(qt_app, lambda: gv.satellite_frames > 0, 60.0)
    for layer in filter(None, os.environ.get("OPSCONSOLE_BENCH_HIDE", "").split(",")):
        window.set_layer(layer, False)  # for finding what a layer costs
    window.clock.set_speed(60)
    window.clock.play()
    _wait(qt_app, lambda: False, 1.0)  # let the status refresh settle the dock widths
    fit_canvas(qt_app, window, (width, height))
    window.controller.timer.stop()  # frames are driven back to back; the 4 Hz status
    # refresh (clock labels, fps, inspector) keeps running as in real use

    bare: list[float] = []
    console: list[float] = []
    for _ in range(rounds):
        bare += time_frames(qt_app, bare_step, canvas, lambda: draws[0], frames)
        console += time_frames(
            qt_app, window.controller.tick, gv.canvas, lambda: gv.frames_drawn, frames
        )
    result = {
        "bare_s": bare,
        "console_s": console,
        "satellites": int(gv.globe.satellites.drawn),
        "bare_canvas": [canvas.native.width(), canvas.native.height()],
        "console_canvas": [gv.canvas.native.width(), gv.canvas.native.height()],
    }
    print(json.dumps(result))
    window.close()
    canvas.close()
    qt_app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

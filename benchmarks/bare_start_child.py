"""Start to first frame of a bare vispy scene: the floor under the console's start-up.

``python -m benchmarks.bare_start_child ELEMENTS_FILE WIDTH HEIGHT`` in a fresh process
(run by ``benchmarks.frames``): a Qt application, a ``SceneCanvas`` with the console's
textured sphere and the same satellites as point sprites at one SGP4 instant, read from
the same file. Prints ``{"first_frame_unix": ...}`` when the first frame has been drawn,
so that the parent times it from the process's launch, as it times ``selftest``.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime


def main() -> int:
    path, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    import numpy as np

    from benchmarks.bare_scene import bare_scene
    from opsconsole.app import _application, _wait
    from opsconsole.core.element_readers import read_elements
    from opsconsole.core.frames import WGS84_A_KM
    from opsconsole.core.propagation import propagate
    from opsconsole.core.timescale import time_at

    qt_app = _application()
    elements = read_elements(path)
    canvas, markers = bare_scene(width, height, show=False)
    positions = propagate(elements, time_at(datetime.now(UTC)), velocities=False).position_km
    pos = positions[:, 0]
    ok = np.isfinite(pos).all(axis=1)
    colors = np.ones((int(ok.sum()), 4), np.float32)
    markers.set_data((pos[ok] / WGS84_A_KM).astype(np.float32), colors)
    draws = [0]
    canvas.events.draw.connect(lambda _e: draws.__setitem__(0, draws[0] + 1))
    canvas.show()
    if not _wait(qt_app, lambda: draws[0] > 0, 30.0):
        print("the bare scene never drew", file=sys.stderr)
        return 1
    print(json.dumps({"first_frame_unix": round(time.time(), 3)}), flush=True)
    canvas.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

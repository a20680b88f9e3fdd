"""Sites, gateways, points of presence and cloud regions as distinct markers on the Earth's surface.

All kinds share one ``Markers`` visual with a symbol, colour and size per point (one draw
call instead of one per kind, which matters on a CPU renderer); toggling a kind rebuilds
the visual's data from the kinds that are shown.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from vispy import scene

from opsconsole.ui.globe.reference_lines import lonlat_to_scene

GROUND_STYLES: dict[str, tuple[str, tuple[float, float, float, float], float]] = {
    "site": ("disc", (1.0, 0.92, 0.25, 1.0), 8.0),
    "gateway": ("triangle_up", (0.20, 1.0, 0.85, 1.0), 10.0),
    "gateway:planned": ("triangle_up", (0.20, 1.0, 0.85, 0.35), 8.0),
    "pop": ("star", (1.0, 1.0, 1.0, 1.0), 14.0),
    "pop:planned": ("star", (1.0, 1.0, 1.0, 0.35), 11.0),
    "region:azure": ("square", (0.25, 0.55, 1.0, 1.0), 10.0),
    "region:aws": ("diamond", (1.0, 0.55, 0.10, 1.0), 11.0),
}
"""(vispy marker symbol, RGBA, size in px) of each kind of ground object."""
LIFT = 1.003


class GroundLayer:
    """Ground objects by kind; positions from lat/lon (deg), scene units."""

    def __init__(self, parent: scene.Node) -> None:
        self.visual = scene.visuals.Markers(parent=parent, spherical=False, scaling=False)
        self.visual.set_gl_state("translucent", depth_test=True)
        self.visual.visible = False
        self.positions: dict[str, NDArray[np.float32]] = {
            kind: np.empty((0, 3), np.float32) for kind in GROUND_STYLES
        }
        self.enabled: dict[str, bool] = dict.fromkeys(GROUND_STYLES, True)

    def is_shown(self, kind: str) -> bool:
        """Whether objects of ``kind`` are drawn (enabled and present)."""
        return self.enabled[kind] and len(self.positions[kind]) > 0

    def set_objects(
        self, kind: str, lat_deg: NDArray[np.float64], lon_deg: NDArray[np.float64]
    ) -> None:
        """Place every object of ``kind`` (a key of :data:`GROUND_STYLES`)."""
        pos = lonlat_to_scene(np.asarray(lon_deg, float), np.asarray(lat_deg, float), LIFT)
        self.positions[kind] = pos.reshape(-1, 3)
        self._rebuild()

    def set_kind_visible(self, prefix: str, visible: bool) -> None:
        """Show or hide every kind starting with ``prefix`` (e.g. ``"region"``)."""
        for kind in GROUND_STYLES:
            if kind.startswith(prefix):
                self.enabled[kind] = visible
        self._rebuild()

    def _rebuild(self) -> None:
        shown = [kind for kind in GROUND_STYLES if self.is_shown(kind)]
        if not shown:
            self.visual.visible = False
            return
        pos = np.concatenate([self.positions[k] for k in shown])
        counts = [len(self.positions[k]) for k in shown]
        symbols = np.repeat([GROUND_STYLES[k][0] for k in shown], counts)
        colors = np.repeat(np.array([GROUND_STYLES[k][1] for k in shown]), counts, axis=0)
        sizes = np.repeat([GROUND_STYLES[k][2] for k in shown], counts).astype(np.float32)
        self.visual.set_data(
            pos,
            face_color=colors,
            edge_color=(0, 0, 0, 1),
            edge_width=1.0,
            size=sizes,
            symbol=symbols,
        )
        self.visual.visible = True

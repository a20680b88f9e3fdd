"""What the globe draws for the selection: highlight ring, orbit for one period, ground
track, coverage footprint at the terminal mask, links from a site to the satellites it
sees, and labels (selection and hover)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from vispy import scene

from opsconsole.core.frames import WGS84_A_KM

ORBIT_COLOR = (1.0, 1.0, 1.0, 0.75)
TRACK_COLOR = (1.0, 0.85, 0.3, 0.8)
FOOTPRINT_COLOR = (0.3, 1.0, 0.5, 0.9)
LINK_COLOR = (0.4, 1.0, 0.9, 0.9)


def _km(points_km: NDArray[np.float64], lift: float = 1.0) -> NDArray[np.float32]:
    return np.asarray(points_km / WGS84_A_KM * lift, dtype=np.float32)


class SelectionOverlay:
    """Visuals for the selected object; each part can be toggled by the layer actions."""

    def __init__(self, parent: scene.Node) -> None:
        def line(color: tuple[float, ...], connect: str = "strip") -> scene.visuals.Line:
            visual = scene.visuals.Line(
                color=color, connect=connect, method="gl", width=2.0, parent=parent
            )
            visual.set_gl_state("translucent", depth_test=True)
            visual.visible = False
            return visual

        self.orbit = line(ORBIT_COLOR)
        self.ground_track = line(TRACK_COLOR)
        self.footprint = line(FOOTPRINT_COLOR)
        self.links = line(LINK_COLOR, "segments")
        self.highlight = scene.visuals.Markers(parent=parent, scaling=False)
        self.highlight.set_gl_state("translucent", depth_test=False)
        self.highlight.visible = False
        self.label = scene.visuals.Text(
            "", color="white", font_size=9, anchor_x="left", anchor_y="bottom", parent=parent
        )
        self.label.set_gl_state("translucent", depth_test=False)
        self.hover = scene.visuals.Text(
            "",
            color=(0.85, 0.95, 1.0, 1.0),
            font_size=8,
            anchor_x="left",
            anchor_y="top",
            parent=parent,
        )
        self.hover.set_gl_state("translucent", depth_test=False)
        self.show = {
            "orbit": True,
            "ground_track": True,
            "footprint": True,
            "labels": True,
            "links": True,
        }

    @staticmethod
    def _set(visual: scene.visuals.Line, points: NDArray[np.float32] | None, on: bool) -> None:
        if points is None or len(points) < 2 or not np.isfinite(points).all():
            visual.visible = False
            return
        visual.set_data(pos=points)
        visual.visible = on

    def set_satellite_paths(
        self,
        orbit_km: NDArray[np.float64] | None,
        track_km: NDArray[np.float64] | None,
        footprint_km: NDArray[np.float64] | None,
    ) -> None:
        """Orbit (m, 3), ground track (m, 3) and footprint ring (k, 3), km Earth-fixed."""
        self._set(self.orbit, None if orbit_km is None else _km(orbit_km), self.show["orbit"])
        track = None if track_km is None else _km(track_km, 1.002)
        self._set(self.ground_track, track, self.show["ground_track"])
        ring = None if footprint_km is None else _km(footprint_km, 1.002)
        self._set(self.footprint, ring, self.show["footprint"])

    def set_links(
        self, site_km: NDArray[np.float64] | None, satellites_km: NDArray[np.float64]
    ) -> None:
        """Segments from a site (3,) to satellites (k, 3), km Earth-fixed."""
        if site_km is None or len(satellites_km) == 0:
            self.links.visible = False
            return
        pairs = np.empty((2 * len(satellites_km), 3))
        pairs[0::2] = site_km
        pairs[1::2] = satellites_km
        self._set(self.links, _km(pairs), self.show["links"])

    def set_highlight(self, position: NDArray[np.float32] | None, text: str) -> None:
        """Ring and label at the selection (scene units), or hide both."""
        if position is None or not np.isfinite(position).all():
            self.highlight.visible = False
            self.label.visible = False
            return
        point = np.asarray(position, np.float32).reshape(1, 3)
        self.highlight.set_data(
            point,
            face_color=(0, 0, 0, 0),
            edge_color=(1, 1, 1, 1),
            edge_width=2.0,
            size=18.0,
            symbol="ring",
        )
        self.highlight.visible = True
        self.label.text = f"  {text}"
        self.label.pos = point
        self.label.visible = self.show["labels"]

    def set_hover(self, position: NDArray[np.float32] | None, text: str) -> None:
        """Label for the object under the mouse (scene units), or hide it."""
        if position is None or not text or not self.show["labels"]:
            self.hover.visible = False
            return
        self.hover.text = f"  {text}"
        self.hover.pos = np.asarray(position, np.float32).reshape(1, 3)
        self.hover.visible = True

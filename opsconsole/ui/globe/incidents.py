"""Incidents in force on the globe: a red ring around every gateway or cloud region
that is down (failed satellites are recoloured by the satellite layer's owner)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from vispy import scene

from opsconsole.ui.globe.ground_objects import LIFT
from opsconsole.ui.globe.reference_lines import lonlat_to_scene

RING_RGBA = (0.95, 0.15, 0.10, 1.0)
RING_SIZE_PX = 26.0
FAILED_SATELLITE_RGBA = (0.55, 0.08, 0.08, 1.0)
"""Colour of a satellite an incident has taken out of service."""


class IncidentMarks:
    """Red rings over ground objects that are down."""

    def __init__(self, parent: scene.Node) -> None:
        self.visual = scene.visuals.Markers(parent=parent, spherical=False, scaling=False)
        self.visual.set_gl_state("translucent", depth_test=True)
        self.visual.visible = False
        self.count = 0

    def set_down(self, lat_deg: NDArray[np.float64], lon_deg: NDArray[np.float64]) -> None:
        """Ring the objects at these positions (degrees); none: hide the layer."""
        self.count = int(np.size(lat_deg))
        if self.count == 0:
            self.visual.visible = False
            return
        pos = lonlat_to_scene(np.asarray(lon_deg, float), np.asarray(lat_deg, float), LIFT)
        self.visual.set_data(pos.reshape(-1, 3), face_color=(0, 0, 0, 0), edge_color=RING_RGBA,
                             edge_width=3.0, size=RING_SIZE_PX, symbol="ring")  # fmt: skip
        self.visual.visible = True

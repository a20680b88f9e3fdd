"""Satellites as point sprites, coloured per satellite (shell, plane or status)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from vispy import scene

from opsconsole.core.frames import WGS84_A_KM
from opsconsole.ui.globe.points import PointSprites

SHELL_BANDS: tuple[tuple[str, float, float, tuple[float, float, float]], ...] = (
    ("43 deg", 40.0, 46.0, (1.00, 0.62, 0.20)),
    ("53 deg", 50.0, 56.0, (0.35, 0.85, 1.00)),
    ("70 deg", 60.0, 75.0, (0.60, 1.00, 0.45)),
    ("97.6 deg (polar)", 80.0, 110.0, (1.00, 0.45, 0.85)),
)
"""(legend label, min and max inclination in degrees, RGB) of each shell colour."""
OTHER_COLOR = (0.85, 0.85, 0.85)


def shell_colors(inclination_deg: NDArray[np.float64]) -> NDArray[np.float32]:
    """RGBA colour per satellite from its inclination, shape ``(n, 4)``."""
    colors = np.tile(np.array([*OTHER_COLOR, 1.0], dtype=np.float32), (len(inclination_deg), 1))
    for _, low, high, rgb in SHELL_BANDS:
        inside = (inclination_deg >= low) & (inclination_deg < high)
        colors[inside, :3] = rgb
    return colors


class SatelliteLayer:
    """Every satellite as one marker; NaN positions (failed satellites) are hidden."""

    def __init__(self, parent: scene.Node, colors: NDArray[np.float32], size_px: float = 4.0):
        self._colors = colors
        self._size = size_px
        self.markers = PointSprites(parent=parent, size_px=size_px)
        self.scene_positions = np.empty((0, 3), np.float32)
        """What was last drawn, scene units ``(n, 3)`` (failed satellites left out)."""
        self.drawn = 0
        self.enabled = True
        """The layer toggle: when false the markers stay hidden."""

    def set_colors(self, colors: NDArray[np.float32]) -> None:
        """New RGBA colours ``(n, 4)``; applied at the next :meth:`set_positions`."""
        self._colors = colors

    def set_positions(self, position_km: NDArray[np.float64]) -> None:
        """Show satellites at ITRS positions (km), shape ``(n, 3)``."""
        ok = np.isfinite(position_km).all(axis=1)
        self.drawn = int(ok.sum())
        self.markers.visible = self.enabled and self.drawn > 0
        if not self.drawn:  # vispy cannot take an empty marker set
            return
        self.scene_positions = (position_km[ok] / WGS84_A_KM).astype(np.float32)
        self.markers.set_data(self.scene_positions, self._colors[ok])

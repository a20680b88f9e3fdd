"""An N-1 study on the globe: every studied gateway and PoP as a disc coloured by the
share of demand its loss costs (pale yellow: nothing, deep red: the study's worst), and
the sites the focused element hurts ringed in orange."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from vispy import scene

from opsconsole.ui.globe.ground_objects import LIFT
from opsconsole.ui.globe.reference_lines import lonlat_to_scene

NO_IMPACT_RGBA = np.array([1.0, 0.95, 0.55, 0.9], np.float32)
WORST_RGBA = np.array([0.85, 0.05, 0.05, 1.0], np.float32)
HURT_SITE_RGBA = (1.0, 0.55, 0.0, 1.0)


def impact_colors(lost_pct: NDArray[np.float64]) -> NDArray[np.float32]:
    """``(n, 4)`` RGBA: linear from pale yellow (0) to red at the largest loss."""
    top = float(np.max(lost_pct)) if lost_pct.size else 0.0
    t = np.clip(lost_pct / top, 0.0, 1.0) if top > 0 else np.zeros_like(lost_pct)
    return (NO_IMPACT_RGBA[None, :] * (1 - t[:, None]) + WORST_RGBA[None, :] * t[:, None]).astype(
        np.float32
    )


class ImpactMarks:
    """Discs at studied ground elements, rings at the focused one's hurt sites."""

    def __init__(self, parent: scene.Node) -> None:
        def markers() -> scene.visuals.Markers:
            visual = scene.visuals.Markers(parent=parent, spherical=False, scaling=False)
            visual.set_gl_state("translucent", depth_test=True)
            visual.visible = False
            return visual

        self.elements, self.sites = markers(), markers()
        self.enabled = True
        self.counts = {"elements": 0, "sites": 0}

    def _scene(self, lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.float32]:
        pos = lonlat_to_scene(np.asarray(lon, float), np.asarray(lat, float), LIFT * 1.001)
        return np.asarray(pos, np.float32).reshape(-1, 3)

    def set_study(
        self,
        lat: NDArray[np.float64],
        lon: NDArray[np.float64],
        lost_pct: NDArray[np.float64],
    ) -> None:
        """Discs at ``(lat, lon)`` (deg) coloured by ``lost_pct``; none hides them."""
        self.counts["elements"] = int(lat.size)
        if lat.size == 0:
            self.elements.visible = False
            return
        size = 9.0 + 9.0 * (lost_pct / max(float(lost_pct.max()), 1e-12) if lost_pct.size else 0)
        self.elements.set_data(self._scene(lat, lon), face_color=impact_colors(lost_pct),
                               edge_color=(0, 0, 0, 0.8), edge_width=1.0, size=size)  # fmt: skip
        self.elements.visible = self.enabled

    def set_hurt_sites(self, lat: NDArray[np.float64], lon: NDArray[np.float64]) -> None:
        """Orange rings at the sites the focused element hurts (degrees); none hides."""
        self.counts["sites"] = int(lat.size)
        if lat.size == 0:
            self.sites.visible = False
            return
        self.sites.set_data(self._scene(lat, lon), face_color=(0, 0, 0, 0),
                            edge_color=HURT_SITE_RGBA, edge_width=2.5, size=20.0,
                            symbol="ring")  # fmt: skip
        self.sites.visible = self.enabled

    def set_enabled(self, on: bool) -> None:
        """The View menu's "Contingency impact" layer."""
        self.enabled = on
        self.elements.visible = on and self.counts["elements"] > 0
        self.sites.visible = on and self.counts["sites"] > 0

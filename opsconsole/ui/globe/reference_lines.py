"""Reference lines on the Earth: latitude/longitude graticule, coastlines, country borders.

Lines sit a hair above the surface (scene units are WGS84 equatorial radii) so that they
never fight with the Earth mesh for depth.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import NDArray
from vispy import scene

from opsconsole.core.basemap_outlines import coastlines, country_borders, polylines_to_segments
from opsconsole.core.frames import WGS84_F

LIFT = 1.0015


def lonlat_to_scene(
    lon_deg: NDArray[np.float64], lat_deg: NDArray[np.float64], lift: float = LIFT
) -> NDArray[np.float32]:
    """Scene coordinates of surface points on the WGS84 ellipsoid (radius-1 units)."""
    lam, phi = np.radians(lon_deg), np.radians(lat_deg)
    xyz = np.stack(
        (np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), (1.0 - WGS84_F) * np.sin(phi)),
        axis=-1,
    )
    return np.asarray(xyz * lift, dtype=np.float32)


def graticule_segments(step_deg: float = 15.0, resolution_deg: float = 3.0) -> NDArray[np.float32]:
    """Segments ``(2 s, 3)`` of parallels and meridians every ``step_deg`` degrees."""
    parts = []
    lons = np.arange(-180.0, 180.0 + resolution_deg / 2, resolution_deg)
    for lat in np.arange(-90.0 + step_deg, 90.0, step_deg):
        line = lonlat_to_scene(lons, np.full_like(lons, lat))
        parts.append(np.stack((line[:-1], line[1:]), axis=1))
    lats = np.arange(-90.0, 90.0 + resolution_deg / 2, resolution_deg)
    for lon in np.arange(-180.0, 180.0, step_deg):
        line = lonlat_to_scene(np.full_like(lats, lon), lats)
        parts.append(np.stack((line[:-1], line[1:]), axis=1))
    return np.concatenate(parts).reshape(-1, 3)


def outline_segments(which: str) -> NDArray[np.float32]:
    """Coastline (``"coast"``) or border (``"borders"``) segments ``(2 s, 3)``."""
    lines = coastlines() if which == "coast" else country_borders()
    seg = polylines_to_segments(lines)
    pts = lonlat_to_scene(seg[..., 0].ravel(), seg[..., 1].ravel())
    return pts.reshape(-1, 3)


class _Toggle:
    """Visibility of one part of :class:`ReferenceLines` (quacks like a visual's)."""

    def __init__(self, owner: ReferenceLines, name: str) -> None:
        self._owner, self._name = owner, name

    @property
    def visible(self) -> bool:
        return self._owner.shown[self._name]

    @visible.setter
    def visible(self, on: bool) -> None:
        self._owner.shown[self._name] = bool(on)
        self._owner.rebuild()


class ReferenceLines:
    """Graticule, coastlines and borders, drawn by one line visual (one draw call).

    ``graticule``, ``coastlines`` and ``borders`` each have a ``visible`` property;
    changing one rebuilds the visual's vertex data from the parts that are shown.
    """

    COLORS: ClassVar[dict[str, tuple[float, float, float, float]]] = {
        "graticule": (1.0, 1.0, 1.0, 0.18),
        "coastlines": (0.95, 0.95, 0.80, 0.55),
        "borders": (0.95, 0.80, 0.55, 0.35),
    }

    def __init__(self, parent: scene.Node) -> None:
        self.parts = {
            "graticule": graticule_segments(),
            "coastlines": outline_segments("coast"),
            "borders": outline_segments("borders"),
        }
        self.shown = {"graticule": True, "coastlines": True, "borders": False}
        self.visual = scene.visuals.Line(connect="segments", method="gl", parent=parent)
        self.visual.set_gl_state("translucent", depth_test=True)
        self.graticule = _Toggle(self, "graticule")
        self.coastlines = _Toggle(self, "coastlines")
        self.borders = _Toggle(self, "borders")
        self.rebuild()

    def rebuild(self) -> None:
        """Upload the segments of every shown part."""
        names = [name for name, on in self.shown.items() if on]
        if not names:
            self.visual.visible = False
            return
        pos = np.concatenate([self.parts[name] for name in names])
        colors = np.concatenate(
            [
                np.tile(np.array(self.COLORS[name], np.float32), (len(self.parts[name]), 1))
                for name in names
            ]
        )
        self.visual.set_data(pos=pos, color=colors)
        self.visual.visible = True

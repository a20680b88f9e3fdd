"""The globe scene: canvas, camera, Earth, reference lines, ground objects, satellites and
the selection overlay, all in Earth-fixed coordinates (units: WGS84 equatorial radii)."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from vispy import scene

from opsconsole.core.frames import WGS84_A_KM, WGS84_F
from opsconsole.core.orbit_geometry import visible_from
from opsconsole.ui.globe.earth import EarthLayer
from opsconsole.ui.globe.ground_objects import GroundLayer
from opsconsole.ui.globe.impact_marks import ImpactMarks
from opsconsole.ui.globe.incidents import IncidentMarks
from opsconsole.ui.globe.plan_links import PlanLinks
from opsconsole.ui.globe.reference_lines import ReferenceLines
from opsconsole.ui.globe.satellites import SatelliteLayer
from opsconsole.ui.globe.selection_overlay import SelectionOverlay

SPACE_COLOR = (0.02, 0.02, 0.05, 1.0)
DEFAULT_DISTANCE = 6.0
MIN_DISTANCE, MAX_DISTANCE = 1.6, 30.0


class GlobeScene:
    """A vispy ``SceneCanvas`` showing the Earth and everything on and around it.

    The camera orbits the Earth's centre; :meth:`look_at` puts a latitude/longitude at the
    centre of the view.
    """

    def __init__(
        self,
        satellite_colors: NDArray[np.float32],
        *,
        size: tuple[int, int] = (1280, 800),
        show: bool = False,
        parent: object = None,
        decorations: bool = True,
    ) -> None:
        self.canvas = scene.SceneCanvas(
            size=size, show=show, bgcolor=SPACE_COLOR, keys=None, parent=parent
        )
        self.view = self.canvas.central_widget.add_view()
        self.view.camera = scene.cameras.TurntableCamera(
            fov=30.0,
            distance=DEFAULT_DISTANCE,
            center=(0.0, 0.0, 0.0),
            elevation=20.0,
            azimuth=0.0,
        )
        self.earth = EarthLayer(self.view.scene)
        self.lines = ReferenceLines(self.view.scene) if decorations else None
        self.ground = GroundLayer(self.view.scene) if decorations else None
        self.satellites = SatelliteLayer(self.view.scene, satellite_colors)
        self.plan = PlanLinks(self.view.scene) if decorations else None
        self.incidents = IncidentMarks(self.view.scene) if decorations else None
        self.contingency = ImpactMarks(self.view.scene) if decorations else None
        self.overlay = SelectionOverlay(self.view.scene) if decorations else None

    # -- camera --------------------------------------------------------------------
    def look_at(self, lat_deg: float, lon_deg: float, distance: float | None = None) -> None:
        """Turn the camera so that (lat, lon) is at the centre of the view."""
        camera = self.view.camera
        # vispy's turntable looks along +y at azimuth 0, i.e. at longitude -90 deg
        camera.azimuth = lon_deg + 90.0
        camera.elevation = float(np.clip(lat_deg, -90.0, 90.0))
        if distance is not None:
            camera.distance = float(np.clip(distance, MIN_DISTANCE, MAX_DISTANCE))

    def view_center(self) -> tuple[float, float, float]:
        """Latitude, longitude (deg) at the centre of the view and the camera distance."""
        camera = self.view.camera
        lon = (camera.azimuth - 90.0 + 180.0) % 360.0 - 180.0
        return float(camera.elevation), float(lon), float(camera.distance)

    def eye(self) -> NDArray[np.float64]:
        """Camera position in scene units."""
        lat, lon, distance = self.view_center()
        phi, lam = math.radians(lat), math.radians(lon)
        return distance * np.array(
            [math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)]
        )

    # -- projection and picking ----------------------------------------------------
    def project(self, points: NDArray[np.floating]) -> NDArray[np.float64]:
        """Canvas pixel coordinates ``(n, 2)`` of scene points ``(n, 3)`` (NaN stays NaN)."""
        transform = self.satellites.markers.get_transform("visual", "canvas")
        mapped = np.asarray(transform.map(np.asarray(points, dtype=float)), dtype=float)
        return np.asarray(mapped[:, :2] / mapped[:, 3:4])

    def visible_mask(self, points: NDArray[np.floating], radius: float = 1.0) -> NDArray[np.bool_]:
        """Which scene points ``(n, 3)`` are not hidden behind the Earth."""
        return visible_from(self.eye(), np.asarray(points, dtype=float), radius)

    def ray(self, x: float, y: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Origin (the eye) and unit direction in scene units of the ray through pixel (x, y)."""
        transform = self.satellites.markers.get_transform("visual", "canvas")
        near = np.asarray(transform.imap([x, y, -1.0, 1.0]), dtype=float)
        far = np.asarray(transform.imap([x, y, 1.0, 1.0]), dtype=float)
        direction = far[:3] / far[3] - near[:3] / near[3]
        return self.eye(), np.asarray(direction / np.linalg.norm(direction))

    def surface_point(self, x: float, y: float) -> NDArray[np.float64] | None:
        """Earth-fixed point (km) on the WGS84 ellipsoid under pixel (x, y), or ``None``."""
        origin, direction = self.ray(x, y)
        squash = np.array([1.0, 1.0, 1.0 / (1.0 - WGS84_F)])  # ellipsoid -> unit sphere
        o, d = origin * squash, direction * squash
        d /= np.linalg.norm(d)
        b, c = float(o @ d), float(o @ o) - 1.0
        disc = b * b - c
        if disc < 0.0:
            return None
        t = -b - math.sqrt(disc)
        if t < 0.0:
            return None
        return np.asarray((o + t * d) / squash * WGS84_A_KM)

    def nearest(
        self, x: float, y: float, points: NDArray[np.floating], max_px: float = 8.0
    ) -> tuple[int, float] | None:
        """Index and pixel distance of the visible point ``(n, 3)`` nearest to (x, y)."""
        if len(points) == 0:
            return None
        screen = self.project(points)
        d2 = ((screen - np.array([x, y])) ** 2).sum(axis=1)
        d2[~np.isfinite(d2)] = np.inf
        candidates = np.flatnonzero(d2 <= max_px * max_px)
        if candidates.size == 0:
            return None
        candidates = candidates[self.visible_mask(np.asarray(points)[candidates])]
        if candidates.size == 0:
            return None
        best = int(candidates[np.argmin(d2[candidates])])
        return best, float(math.sqrt(d2[best]))

    # -- drawing -------------------------------------------------------------------
    def update(self, position_km: NDArray[np.float64], sun_ecef: NDArray[np.float64]) -> None:
        """Draw satellites at ``position_km`` (n, 3) and the terminator for ``sun_ecef``."""
        self.satellites.set_positions(position_km)
        self.earth.set_sun(sun_ecef)
        self.canvas.update()

    def render(self) -> NDArray[np.uint8]:
        """Draw now and return the image as RGB bytes, shape ``(height, width, 3)``."""
        return np.asarray(self.canvas.render(alpha=False))


def scene_units(position_km: NDArray[np.float64]) -> NDArray[np.float32]:
    """Earth-fixed km to scene units (float32)."""
    return np.asarray(position_km / WGS84_A_KM, dtype=np.float32)

"""The globe scene: canvas, camera, Earth and satellites, in Earth-fixed coordinates."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from vispy import scene

from opsconsole.ui.globe.earth import EarthLayer
from opsconsole.ui.globe.satellites import SatelliteLayer

SPACE_COLOR = (0.02, 0.02, 0.05, 1.0)


class GlobeScene:
    """A vispy ``SceneCanvas`` showing the Earth and satellites.

    The camera orbits the Earth's centre; :meth:`look_at` puts a latitude/longitude at the
    centre of the view. Scene units are equatorial radii.
    """

    def __init__(
        self, satellite_colors: NDArray[np.float32], *, size: tuple[int, int] = (1280, 800),
        show: bool = False,
    ) -> None:  # fmt: skip
        self.canvas = scene.SceneCanvas(size=size, show=show, bgcolor=SPACE_COLOR, keys=None)
        self.view = self.canvas.central_widget.add_view()
        self.view.camera = scene.cameras.TurntableCamera(
            fov=30.0, distance=6.0, center=(0.0, 0.0, 0.0), elevation=20.0, azimuth=0.0
        )
        self.earth = EarthLayer(self.view.scene)
        self.satellites = SatelliteLayer(self.view.scene, satellite_colors)

    def look_at(self, lat_deg: float, lon_deg: float, distance: float = 6.0) -> None:
        """Turn the camera so that (lat, lon) is at the centre of the view."""
        camera = self.view.camera
        # vispy's turntable looks along +y at azimuth 0, i.e. at longitude -90 deg
        camera.azimuth = lon_deg + 90.0
        camera.elevation = lat_deg
        camera.distance = distance

    def update(self, when: datetime, position_km: NDArray[np.float64],
               sun_ecef: NDArray[np.float64]) -> None:  # fmt: skip
        """Draw satellites at ``position_km`` (n, 3) and the terminator for ``sun_ecef``."""
        del when  # the caller's simulation time; kept for symmetry with later layers
        self.satellites.set_positions(position_km)
        self.earth.set_sun(sun_ecef)
        self.canvas.update()

    def render(self) -> NDArray[np.uint8]:
        """Draw now and return the image as RGB bytes, shape ``(height, width, 3)``."""
        return np.asarray(self.canvas.render(alpha=False))

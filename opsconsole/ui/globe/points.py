"""A lean point-sprite visual for many small markers (satellites).

vispy's ``Markers`` computes an antialiased signed-distance shape per fragment, which on a
CPU renderer (Mesa llvmpipe) costs more than the whole Earth for 10,000 points. Here each
point is a round sprite of a fixed pixel size with a flat colour: a few instructions per
fragment. Positions are scene coordinates ``(n, 3)`` float32, colours RGBA ``(n, 4)``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from vispy import gloo, visuals
from vispy.scene.visuals import create_visual_node

VERTEX = """
attribute vec3 a_position;
attribute vec4 a_color;
uniform float u_size;
varying vec4 v_color;
void main() {
    gl_Position = $transform(vec4(a_position, 1.0));
    gl_PointSize = u_size;
    v_color = a_color;
}
"""

FRAGMENT = """
varying vec4 v_color;
void main() {
    vec2 d = gl_PointCoord - vec2(0.5);
    if (dot(d, d) > 0.25) discard;
    gl_FragColor = v_color;
}
"""


class PointSpritesVisual(visuals.Visual):  # type: ignore[misc]
    """Round flat-coloured points of ``size_px`` pixels."""

    def __init__(self, size_px: float = 4.0) -> None:
        super().__init__(vcode=VERTEX, fcode=FRAGMENT)
        self._positions = gloo.VertexBuffer(np.zeros((1, 3), np.float32))
        self._colors = gloo.VertexBuffer(np.zeros((1, 4), np.float32))
        self.shared_program["a_position"] = self._positions
        self.shared_program["a_color"] = self._colors
        self.shared_program["u_size"] = float(size_px)
        self._count = 0
        self._draw_mode = "points"
        self.set_gl_state("opaque", depth_test=True)

    def set_data(self, positions: NDArray[np.float32], colors: NDArray[np.float32]) -> None:
        """Replace every point: positions ``(n, 3)`` and colours ``(n, 4)``."""
        self._positions.set_data(np.ascontiguousarray(positions, dtype=np.float32))
        self._colors.set_data(np.ascontiguousarray(colors, dtype=np.float32))
        self._count = len(positions)
        self.update()

    def _prepare_transforms(self, view: visuals.Visual) -> None:
        view.view_program.vert["transform"] = view.get_transform()

    def _prepare_draw(self, view: visuals.Visual) -> bool:
        return self._count > 0

    def _compute_bounds(self, axis: int, view: visuals.Visual) -> tuple[float, float]:
        return (-1.2, 1.2)


PointSprites = create_visual_node(PointSpritesVisual)

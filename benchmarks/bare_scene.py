"""The bare vispy scene the console is measured against: a ``SceneCanvas`` with the
console's textured sphere, its camera and the satellites as point sprites."""

from __future__ import annotations

from typing import Any


def bare_scene(width: int, height: int, *, show: bool) -> tuple[Any, Any]:
    """``(canvas, markers)`` at ``width`` x ``height`` pixels; markers get their
    positions (Earth radii) from the caller."""
    from vispy import scene
    from vispy.visuals.filters import TextureFilter

    from opsconsole.ui.globe.earth import blue_marble, uv_sphere
    from opsconsole.ui.globe.points import PointSprites

    canvas = scene.SceneCanvas(size=(width, height), show=show, bgcolor="black")
    view = canvas.central_widget.add_view()
    view.camera = scene.cameras.TurntableCamera(fov=30.0, distance=6.0, elevation=20.0)
    vertices, faces, texcoords = uv_sphere()
    mesh = scene.visuals.Mesh(vertices=vertices, faces=faces, parent=view.scene)
    mesh.attach(TextureFilter(blue_marble(2048), texcoords))
    return canvas, PointSprites(parent=view.scene, size_px=4.0)

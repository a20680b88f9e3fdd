"""Showing and hiding the globe's layers (the keys of ``actions.LAYERS``)."""

from __future__ import annotations

from opsconsole.ui.qt.globe_controller import GlobeController
from opsconsole.ui.qt.globe_view import GlobeView


def set_layer(view: GlobeView, controller: GlobeController, key: str, on: bool) -> None:
    """Show or hide one layer of ``view``'s globe; ``controller`` redraws what depends
    on it (the selection's overlays, the replayed plan, the Sun)."""
    globe = view.globe
    overlay, ground, lines = globe.overlay, globe.ground, globe.lines
    if key == "satellites":
        globe.satellites.markers.visible = on and globe.satellites.drawn > 0
        globe.satellites.enabled = on
    elif key in ("sites", "gateways", "pops", "regions") and ground is not None:
        ground.set_kind_visible(key[:-1], on)
    elif key in ("orbit", "ground_track", "footprint", "links", "labels") and overlay:
        overlay.show[key] = on
        controller.refresh_selection()
    elif key == "plan" and globe.plan is not None:
        globe.plan.enabled = on
        controller.set_playback(controller.playback)
    elif key == "contingency" and globe.contingency is not None:
        globe.contingency.set_enabled(on)
    elif key == "night":
        globe.earth.night_shading = on
        controller.force_sun()
    elif key in ("graticule", "coastlines", "borders") and lines is not None:
        getattr(lines, key).visible = on
    globe.canvas.update()

"""The globe's context menu: what an operator can do at a point on the Earth."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMenu, QWidget

PointAction = Callable[[float, float], object]
"""Something done at (lat, lon) in degrees."""


def globe_menu(
    parent: QWidget,
    lat: float,
    lon: float,
    new_site: PointAction,
    what_serves: PointAction,
    site_request: PointAction | None,
    where: QPoint,
) -> QMenu:
    """Pop up the menu for (lat, lon) at ``where`` (screen pixels): a new site here,
    what serves this point, and during a training session a customer's site request.
    The caller keeps the menu alive while it is open."""
    menu = QMenu(parent)
    menu.setObjectName("globe_context_menu")
    menu.addSection(f"{lat:+.3f}°, {lon:+.3f}°")
    menu.addAction("New site here", lambda: new_site(lat, lon))
    menu.addAction("What serves this point?", lambda: what_serves(lat, lon))
    if site_request is not None:
        menu.addAction("Training: a customer asks for a site here…",
                       lambda: site_request(lat, lon))  # fmt: skip
    menu.popup(where)
    return menu

"""The globe's context menu: what an operator can do at a point on the Earth, and on the
gateway, PoP or cloud region under the pointer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMenu, QWidget

from opsconsole.console.selection import ObjectRef

PointAction = Callable[[float, float], object]
"""Something done at (lat, lon) in degrees."""
ElementAction = Callable[[str, str], object]
"""Something done to a network element (kind, id)."""
ELEMENT_KINDS = {"gateway": "gateway", "pop": "PoP", "region": "cloud region"}
"""Objects under the pointer that incidents and maintenance can name, and their words."""


@dataclass(frozen=True)
class GlobeMenuActions:
    """What the menu offers (``None``: not offered now)."""

    new_site: PointAction
    what_serves: PointAction
    can_we_serve: PointAction
    log_incident: ElementAction
    plan_maintenance: ElementAction
    site_request: PointAction | None = None
    """During a training session: a customer asks for a site here."""


def globe_menu(parent: QWidget, lat: float, lon: float, under: ObjectRef | None,
               actions: GlobeMenuActions, where: QPoint) -> QMenu:  # fmt: skip
    """Pop up the menu for (lat, lon) at ``where`` (screen pixels), with the incident
    and maintenance entries of ``under`` when it is a gateway, PoP or region. The
    caller keeps the menu alive while it is open."""
    a = actions
    menu = QMenu(parent)
    menu.setObjectName("globe_context_menu")
    menu.addSection(f"{lat:+.3f}°, {lon:+.3f}°")
    menu.addAction("New site here", lambda: a.new_site(lat, lon))
    menu.addAction("What serves this point?", lambda: a.what_serves(lat, lon))
    menu.addAction("Can we serve a site here?…", lambda: a.can_we_serve(lat, lon))
    if a.site_request is not None:
        request = a.site_request
        menu.addAction("Training: a customer asks for a site here…",
                       lambda: request(lat, lon))  # fmt: skip
    if under is not None and under.kind in ELEMENT_KINDS:
        kind, key = under.kind, str(under.key)
        menu.addSection(f"{ELEMENT_KINDS[kind]} {key}")
        menu.addAction(f"Log an incident on {key}…", lambda: a.log_incident(kind, key))
        menu.addAction(f"Plan a maintenance of {key}…", lambda: a.plan_maintenance(kind, key))
    menu.popup(where)
    return menu

"""Incidents in force on the globe: rings around the gateways and regions that are down,
failed satellites drawn dark red (``GlobeController.set_incidents``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from opsconsole.ui.qt.main_window import MainWindow


def show_incidents(window: MainWindow, events: list[Any]) -> None:
    """Draw the outages among ``events`` (those in force) on the globe."""
    data = window.data
    down = {(e.kind, str(e.fields.get("gateway") or e.fields.get("region"))) for e in events}
    rows = [g for g in data.gateways if ("gateway_outage", str(g["id"])) in down]
    rows += [r for r in data.regions if ("region_outage", str(r["id"])) in down]
    numbers: set[int] = set()
    for e in events:
        if e.kind == "satellite_failure":
            numbers |= {int(n) for n in e.fields.get("satellites", [])}
            if "plane_of" in e.fields:
                numbers |= {int(n) for n in window.alerts.plane_members(int(e.fields["plane_of"]))}
    ids = np.asarray(data.elements.norad_ids)
    window.controller.set_incidents(
        [float(r["lat"]) for r in rows],
        [float(r["lon"]) for r in rows],
        np.isin(ids, list(numbers)),
    )

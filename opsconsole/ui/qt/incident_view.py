"""Incidents in force on the globe: rings around the gateways and regions that are down,
failed satellites drawn dark red (``GlobeController.set_incidents``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from opsconsole.console.console_data import ConsoleData
from opsconsole.console.training_state import TrainingState
from opsconsole.ui.qt.globe_controller import GlobeController


def show_incidents(
    controller: GlobeController, data: ConsoleData, training: TrainingState, events: list[Any]
) -> None:
    """Draw the outages among ``events`` (those in force) on the globe."""
    down = {(e.kind, str(e.fields.get("gateway") or e.fields.get("region"))) for e in events}
    rows = [g for g in data.gateways if ("gateway_outage", str(g["id"])) in down]
    rows += [r for r in data.regions if ("region_outage", str(r["id"])) in down]
    numbers = training.failed_satellites(events)
    ids = np.asarray(data.elements.norad_ids)
    controller.set_incidents(
        [float(r["lat"]) for r in rows],
        [float(r["lon"]) for r in rows],
        np.isin(ids, list(numbers)),
    )

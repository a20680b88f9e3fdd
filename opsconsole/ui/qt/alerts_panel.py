"""The Alerts dock, for everyone in a training session: sites out of objective now.

On every live refresh (4 times a second) the active plan's slot at the simulation time
is judged under the events fired so far (``training.alerts``). A new alert is logged
when it opens; it leaves the list when its site is back within objective. Acknowledge
logs who acknowledged what and when (the debrief's time to detect); a double click
selects the site, so the globe and the plots go to it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from opsconsole.training.alerts import Alert, AvailabilityTracker, PlanSlot, alerts_at
from opsconsole.training.world import plane_members

if TYPE_CHECKING:
    from opsconsole.ui.qt.main_window import MainWindow

COLUMNS = ("Severity", "Site", "Customer", "Reason", "Cause", "Since (UTC)", "Acknowledged")
COLOURS = {"critical": "#c0392b", "major": "#d68910", "minor": "#7f8c8d"}


class AlertsPanel(QWidget):
    """Open alerts of the running training session."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.ack_button = QPushButton("Acknowledge", self)
        self.summary = QLabel("No training session.", self)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.ack_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.ack_button.clicked.connect(self.acknowledge)
        self.table.cellDoubleClicked.connect(lambda r, _c: self.jump_to(r))
        self.open: dict[tuple[int, int, str], tuple[Alert, datetime, str | None]] = {}
        self._planes: dict[int, Any] = {}
        self.tracker: AvailabilityTracker | None = None

    def reset(self) -> None:
        """A session started, ended or a replay began: availability counts anew."""
        self.tracker = None
        self.open.clear()
        self._fill()

    def _slot(self, now: datetime) -> PlanSlot | None:
        playback = self.w.plan_on_globe.playback
        j = playback.slot_at(now) if playback is not None else None
        if playback is None or j is None:
            return None
        return PlanSlot(playback.satellite[j], playback.gateway[j], playback.region[j],
                        playback.rtt_ms[j], playback.status_code[j], playback.norad_ids,
                        playback.gateway_ids, playback.region_ids, playback.sites)  # fmt: skip

    def plane_members(self, number: int) -> Any:
        """Catalog numbers of every satellite in the orbital plane of ``number``."""
        if number not in self._planes:
            structure, ids = self.w.data.structure, self.w.data.elements.norad_ids
            self._planes[number] = plane_members(structure.shell, structure.plane, ids, number)
        return self._planes[number]

    def _late_links(self, now: datetime, slot: PlanSlot, fired: list[Any],
                    params: dict[str, Any]) -> Any:  # fmt: skip
        """``[k]`` links of the plan on the globe broken at ``now``, judged with the
        console's elements, once a late update has begun and the plan was made with
        other elements than the console's; ``None`` otherwise."""
        from opsconsole.planning.assignment import SERVED
        from opsconsole.training.late_elements import lost_now, site_geometry

        playback = self.w.plan_on_globe.playback
        if playback is None or playback.same_elements:
            return None
        if not any(e.kind == "element_update" for e in fired):
            return None
        sites, masks = site_geometry(slot.sites, float(params.get("site_mask_deg", 25.0)))
        sat = np.asarray(slot.satellite).astype(np.intp)
        planned = np.where(sat >= 0, slot.norad_ids[np.maximum(sat, 0)], -1)
        gateways = gw_masks = None
        if params.get("mode", "bent-pipe") == "bent-pipe":
            rows = {str(g["id"]): g for g in self.w.data.gateways}
            gws = [rows.get(str(g), {"lat": 0.0, "lon": 0.0, "min_elevation_deg": 90.0})
                   for g in slot.gateway_ids]  # fmt: skip
            gateways, _masks = site_geometry(gws, 90.0)
            gw_masks = np.array([float(g["min_elevation_deg"]) for g in gws])
        return lost_now(self.w.data.elements, now, planned, np.asarray(slot.status) == SERVED,
                        sites, masks, np.asarray(slot.gateway).astype(np.intp), gateways,
                        gw_masks)  # fmt: skip

    def refresh(self, now: datetime) -> None:
        """Alerts at ``now``: open new ones (logged), drop those resolved."""
        training = self.w.training
        session = training.session
        replaying = training.replays.replay is not None
        slot = self._slot(now) if session is not None or replaying else None
        if slot is None:
            if self.open:
                self.open.clear()
                self._fill()
            running = session is not None or replaying
            self.summary.setText(
                "No active plan covers the simulation time." if running else "No training session."
            )
            return
        fired = training.fired_events(now)
        planes = {int(e.fields["plane_of"]): self.plane_members(int(e.fields["plane_of"]))
                  for e in fired if "plane_of" in e.fields}  # fmt: skip
        params = self.w.plan_on_globe.playback.parameters  # type: ignore[union-attr]
        caps = {str(g["id"]): float(g["capacity_gbps"]) for g in self.w.data.gateways}
        limits = params.get("region_ingress_gbps") or {}
        replay = training.replays.replay
        scenario = session.scenario if session is not None else replay.scenario if replay else None
        assert scenario is not None  # a session or a replay is running (slot was found)
        if self.tracker is None:
            self.tracker = AvailabilityTracker()
        alerts = alerts_at(
            now, slot, fired, planes, float(params.get("satellite_capacity_gbps", 20.0)),
            np.array([caps.get(g, np.inf) for g in slot.gateway_ids]),
            np.array([float(limits.get(r, np.inf)) for r in slot.region_ids]),
            self.tracker, int((now - scenario.start).total_seconds() // scenario.step_s),
            self._late_links(now, slot, fired, params),
        )  # fmt: skip
        current = {a.key: a for a in alerts}
        changed = set(current) != set(self.open)
        opened = []
        for key, alert in current.items():
            if key not in self.open:
                self.open[key] = (alert, now, None)
                opened.append((alert.text, [alert.site_id], alert.reason_text))
            elif self.open[key][0].cause != alert.cause:  # same alert, its cause moved on
                self.open[key] = (alert, *self.open[key][1:])
                changed = True
        if session is not None and opened:  # a replay does not log again
            session.alerts(now, opened)
        for key in list(self.open):
            if key not in current:
                del self.open[key]
        if changed:
            self._fill()
        critical = sum(a.severity == "critical" for a, _t, _k in self.open.values())
        self.summary.setText(f"{len(self.open)} open, {critical} critical.")

    def _fill(self) -> None:
        rows = sorted(self.open.values(), key=lambda v: (v[0].priority, v[0].site, v[0].cause))
        self.table.setRowCount(len(rows))
        for r, (alert, since, acked) in enumerate(rows):
            cells = (alert.severity, alert.site, alert.customer, alert.reason_text, alert.cause,
                     f"{since:%H:%M:%S}", acked or "")  # fmt: skip
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setForeground(QColor(COLOURS[alert.severity]))
                    item.setData(256, alert.key)  # Qt.UserRole
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

    def _key(self, row: int) -> tuple[int, int, str] | None:
        item = self.table.item(row, 0)
        return tuple(item.data(256)) if item is not None else None

    def acknowledge(self) -> None:
        """Acknowledge the selected alerts (logged with who and when)."""
        session = self.w.training.session
        if session is None:
            return
        now = self.w.clock.now()
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        for row in rows:
            key = self._key(row)
            if key is None or key not in self.open:
                continue
            alert, since, acked = self.open[key]
            if acked is None:
                session.acknowledge(now, alert.text, [alert.site_id])
                self.open[key] = (alert, since, f"{session.store.who} {now:%H:%M:%S}")
        self._fill()

    def jump_to(self, row: int) -> None:
        """Select the alert's site: the globe and the plots follow the selection."""
        from opsconsole.ui.qt.selection import ObjectRef

        key = self._key(row)
        if key is not None:
            self.w.selection.select(ObjectRef("site", int(key[0])))

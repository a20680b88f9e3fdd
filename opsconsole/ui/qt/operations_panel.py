"""The Incidents dock: the operations record. One tab lists the incidents (log one,
close one), the other the planned maintenances (plan, move, cancel; each with its
notices). Both follow the database: what the command line or another console records
shows here within about 2 s (``Catalog.operations_changed``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from opsconsole.console.catalog import Catalog
from opsconsole.core.sim_clock import SimulationClock
from opsconsole.ui.qt.read_only_table import read_only_table

INCIDENT_COLUMNS = ("Id", "Element", "State", "From (UTC)", "To (UTC)", "Capacity left",
                    "Cause", "Ticket")  # fmt: skip
MAINTENANCE_COLUMNS = ("Tracking ID", "Element", "Status", "Rev.", "From (UTC)", "To (UTC)",
                       "Reason")  # fmt: skip


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]], keys: Sequence[object]) -> None:
    table.setRowCount(len(rows))
    for r, (cells, key) in enumerate(zip(rows, keys, strict=True)):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c == 0:
                item.setData(Qt.ItemDataRole.UserRole, key)
            table.setItem(r, c, item)


def _when(moment: datetime | None) -> str:
    return "open" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


class OperationsPanel(QTabWidget):
    """Incidents and maintenances of ``catalog``'s database."""

    def __init__(self, catalog: Catalog, clock: SimulationClock, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("operations_panel")
        self.setDocumentMode(True)
        self.catalog, self.clock = catalog, clock
        self.incidents = read_only_table(INCIDENT_COLUMNS, "incidents_table", self)
        self.open_only = QCheckBox("Open only", self)
        self.open_only.toggled.connect(lambda _on: self.refresh())
        log = QPushButton("Log incident…", self)
        log.clicked.connect(lambda: self.log_incident())
        self.close_button = QPushButton("Close at clock time", self)
        self.close_button.setToolTip("End the selected open incident at the console's clock time")
        self.close_button.clicked.connect(self.close_selected)
        self.addTab(self._page(self.incidents, [log, self.close_button], self.open_only),
                    "Incidents")  # fmt: skip
        self.maintenances = read_only_table(MAINTENANCE_COLUMNS, "maintenances_table", self)
        plan = QPushButton("Plan maintenance…", self)
        plan.clicked.connect(lambda: self.plan_maintenance())
        move = QPushButton("Move…", self)
        move.clicked.connect(self.move_selected)
        cancel = QPushButton("Cancel maintenance", self)
        cancel.clicked.connect(self.cancel_selected)
        self.addTab(self._page(self.maintenances, [plan, move, cancel], None), "Maintenance")
        catalog.operations_changed.connect(lambda _none: self.refresh())
        catalog.loaded.connect(lambda _none: self.refresh())
        self.refresh()

    def _page(self, table: QTableWidget, buttons: list[QPushButton],
              extra: QWidget | None) -> QWidget:  # fmt: skip
        page = QWidget(self)
        row = QHBoxLayout()
        for b in buttons:
            row.addWidget(b)
        row.addStretch(1)
        if extra is not None:
            row.addWidget(extra)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(table, 1)
        layout.addLayout(row)
        return page

    def refresh(self) -> None:
        """Re-read both lists (a database that cannot be read now keeps what is shown)."""
        from opsconsole.store.incident_repository import list_incidents
        from opsconsole.store.maintenance_repository import list_maintenances

        try:
            found = list_incidents(self.catalog.store, open_only=self.open_only.isChecked())
            planned = list_maintenances(self.catalog.store)
        except sqlite3.Error:
            return
        found = sorted(found, key=lambda i: (i.end is not None, -(i.id or 0)))
        _fill(self.incidents, [
            (str(i.id), i.element, "open" if i.end is None else "closed", _when(i.start),
             _when(i.end), "out" if i.capacity_pct is None else f"{i.capacity_pct:g} %",
             i.cause, i.ticket) for i in found
        ], [i.id for i in found])  # fmt: skip
        _fill(self.maintenances, [
            (m.tracking_id, m.element, m.status, str(m.revision), _when(m.start), _when(m.end),
             m.reason) for m in planned
        ], [m.tracking_id for m in planned])  # fmt: skip

    def _selected(self, table: QTableWidget) -> Any:
        item = table.item(table.currentRow(), 0)
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _changed(self) -> None:
        self.catalog.operations_edited()

    # -- incidents -----------------------------------------------------------------
    def log_incident(self, kind: str = "", key: str = "") -> Any:
        """Open the incident form (on ``kind:key`` when given); returns the dialog."""
        from opsconsole.ui.qt.incident_dialog import IncidentDialog

        self.setCurrentIndex(0)
        dialog = IncidentDialog(self.catalog.store, self.catalog.data, self.clock.now(), self)
        if kind:
            dialog.element.set_element(kind, key)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._changed)
        dialog.open()
        return dialog

    def close_selected(self) -> None:
        """End the selected open incident at the clock's time."""
        from opsconsole.store.incident_repository import close_incident

        incident_id = self._selected(self.incidents)
        if incident_id is None:
            return
        try:
            close_incident(self.catalog.store, int(incident_id), self.clock.now())
        except (ValueError, sqlite3.Error) as exc:
            QMessageBox.warning(self, "Incident not closed", str(exc))
            return
        self._changed()

    # -- maintenance ---------------------------------------------------------------
    def plan_maintenance(self, kind: str = "", key: str = "") -> Any:
        """Open the maintenance form (on ``kind:key`` when given); returns the dialog."""
        from opsconsole.ui.qt.maintenance_dialog import MaintenanceDialog

        self.setCurrentIndex(1)
        c = self.catalog
        dialog = MaintenanceDialog(c.db_path, c.store, c.data, self.clock.now(), self)
        if kind:
            dialog.element.set_element(kind, key)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._changed())
        dialog.open()
        return dialog

    def _maintenance(self) -> Any:
        from opsconsole.store.maintenance_repository import get_maintenance

        tracking_id = self._selected(self.maintenances)
        if tracking_id is None:
            return None
        found = get_maintenance(self.catalog.store, str(tracking_id))
        if found.status != "planned":
            QMessageBox.information(self, "Maintenance", f"{found.tracking_id} is {found.status}.")
            return None
        return found

    def move_selected(self) -> Any:
        """Open the form for a new window of the selected maintenance."""
        from opsconsole.ui.qt.maintenance_dialog import MaintenanceDialog

        current = self._maintenance()
        if current is None:
            return None
        c = self.catalog
        dialog = MaintenanceDialog(c.db_path, c.store, c.data, self.clock.now(), self, current)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._changed())
        dialog.open()
        return dialog

    def cancel_selected(self, *, confirm: bool = True) -> None:
        """Cancel the selected maintenance and send cancellation notices."""
        from opsconsole.customers.maintenance_flow import cancel_maintenance

        current = self._maintenance()
        if current is None:
            return
        if confirm and QMessageBox.question(
            self, "Cancel maintenance",
            f"Cancel {current.tracking_id} ({current.element}) and tell every customer "
            "notified of it?",
        ) != QMessageBox.StandardButton.Yes:  # fmt: skip
            return
        try:
            done = cancel_maintenance(self.catalog.store, current.tracking_id)
        except (ValueError, OSError, sqlite3.Error) as exc:
            QMessageBox.warning(self, "Maintenance not cancelled", str(exc))
            return
        self._changed()
        told = ", ".join(n.customer for n in done.notices) or "nobody had been notified"
        box = QMessageBox(QMessageBox.Icon.Information, "Maintenance cancelled",
                          f"{current.tracking_id} cancelled; notices: {told}.",
                          QMessageBox.StandardButton.Ok, self)  # fmt: skip
        box.setObjectName("maintenance_cancelled")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not modal: the record is written, nothing waits for the answer

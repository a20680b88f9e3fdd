"""Logging an incident: an element out of service (or degraded) from a time, to a time
or still open, with a cause and a ticket. Stored on OK (``incident_repository``,
audited); a refusal is shown in the dialog, which stays open, and nothing is written."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from opsconsole.console.console_data import ConsoleData
from opsconsole.core.incidents import DEGRADABLE, Incident, incident_problems, parse_element
from opsconsole.store.database import Store
from opsconsole.ui.qt.operations_inputs import ElementPicker, UtcTimeEdit


class IncidentDialog(QDialog):
    """A new incident on ``store``, starting at ``now`` by default; ``added`` holds the
    new incident's id after OK."""

    def __init__(self, store: Store, data: ConsoleData, now: datetime,
                 parent: QWidget | None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("incident_dialog")
        self.setWindowTitle("Log an incident")
        self.store = store
        self.added: int | None = None
        self.element = ElementPicker(data, self)
        self.degraded = QCheckBox("degraded, not out: capacity left", self)
        self.degraded.setObjectName("incident_degraded")
        self.capacity = QDoubleSpinBox(self)
        self.capacity.setObjectName("incident_capacity")
        self.capacity.setRange(0.0, 99.9)
        self.capacity.setSuffix(" %")
        self.capacity.setValue(50.0)
        self.start = UtcTimeEdit(now, self)
        self.still_open = QCheckBox("still open (no end yet)", self)
        self.still_open.setObjectName("incident_open")
        self.still_open.setChecked(True)
        self.end = UtcTimeEdit(now + timedelta(hours=1), self)
        self.cause = QLineEdit(self)
        self.cause.setObjectName("incident_cause")
        self.cause.setPlaceholderText("what happened, e.g. fibre cut at the gateway")
        self.ticket = QLineEdit(self)
        self.ticket.setObjectName("incident_ticket")
        self.problems = QLabel(self)
        self.problems.setObjectName("incident_problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020")
        self.problems.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Element", self.element)
        form.addRow("", self.degraded)
        form.addRow("Capacity left", self.capacity)
        form.addRow("From", self.start)
        form.addRow("", self.still_open)
        form.addRow("To", self.end)
        form.addRow("Cause", self.cause)
        form.addRow("Ticket", self.ticket)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.still_open.toggled.connect(lambda _on: self._enable())
        self.degraded.toggled.connect(lambda _on: self._enable())
        self.element.kind.currentIndexChanged.connect(lambda _i: self._enable())
        self._enable()

    def _enable(self) -> None:
        self.end.setEnabled(not self.still_open.isChecked())
        can_degrade = self.element.kind.currentData() in DEGRADABLE
        self.degraded.setEnabled(can_degrade)
        self.capacity.setEnabled(can_degrade and self.degraded.isChecked())

    def incident(self) -> tuple[Incident | None, list[str]]:
        """The incident the form describes, or the problems with it."""
        try:
            kind, key = parse_element(self.element.element())
        except ValueError as exc:
            return None, [str(exc)]
        degraded = self.degraded.isChecked() and kind in DEGRADABLE
        incident = Incident(kind, key, self.start.time(),
                            None if self.still_open.isChecked() else self.end.time(),
                            self.cause.text().strip(), self.ticket.text().strip(),
                            self.capacity.value() if degraded else None)  # fmt: skip
        problems = incident_problems(incident)
        return (None if problems else incident), problems

    def save(self) -> None:
        """Store the incident and close, or show why it cannot be stored."""
        from opsconsole.store.incident_repository import add_incident

        incident, problems = self.incident()
        if incident is not None:
            try:
                self.added = add_incident(self.store, incident)
            except (ValueError, sqlite3.Error) as exc:
                problems = [str(exc)]
        if problems:
            self.problems.setText("\n".join(f"• {p}" for p in problems))
            self.problems.show()
            return
        self.accept()

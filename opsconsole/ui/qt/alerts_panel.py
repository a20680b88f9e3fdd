"""The Alerts dock, for everyone in a training session: sites out of objective now.

The book itself (``console.alert_book``) judges the replayed plan's slot on every live
refresh; this dock shows it. Acknowledge logs who acknowledged what and when (the
debrief's time to detect); a double click selects the site, so the globe and the plots
go to it.
"""

from __future__ import annotations

from datetime import datetime

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

from opsconsole.console.alert_book import AlertBook, AlertKey
from opsconsole.console.selection import ObjectRef, Selection
from opsconsole.core.sim_clock import SimulationClock

COLUMNS = ("Severity", "Site", "Customer", "Reason", "Cause", "Since (UTC)", "Acknowledged")
COLOURS = {"critical": "#c0392b", "major": "#d68910", "minor": "#7f8c8d"}


class AlertsPanel(QWidget):
    """Open alerts of the running (or replayed) training session."""

    def __init__(
        self, book: AlertBook, selection: Selection, clock: SimulationClock, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.book, self.selection, self.clock = book, selection, clock
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.ack_button = QPushButton("Acknowledge", self)
        self.summary = QLabel(book.summary, self)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.ack_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.ack_button.clicked.connect(self.acknowledge)
        self.table.cellDoubleClicked.connect(lambda r, _c: self.jump_to(r))
        book.changed.connect(lambda _none: self._fill())

    def refresh(self, now: datetime) -> None:
        """Judge the alerts at ``now`` (the table follows the book's changes)."""
        self.book.refresh(now)
        self.summary.setText(self.book.summary)

    def _fill(self) -> None:
        rows = self.book.rows()
        self.table.setRowCount(len(rows))
        for r, entry in enumerate(rows):
            alert = entry.alert
            cells = (alert.severity, alert.site, alert.customer, alert.reason_text, alert.cause,
                     f"{entry.since:%H:%M:%S}", entry.acknowledged or "")  # fmt: skip
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setForeground(QColor(COLOURS[alert.severity]))
                    item.setData(256, alert.key)  # Qt.UserRole
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.summary.setText(self.book.summary)

    def _key(self, row: int) -> AlertKey | None:
        item = self.table.item(row, 0)
        if item is None:
            return None
        site, reason, topic = item.data(256)
        return int(site), int(reason), str(topic)

    def acknowledge(self) -> None:
        """Acknowledge the selected alerts (logged with who and when)."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        keys = [key for key in (self._key(r) for r in rows) if key is not None]
        self.book.acknowledge(keys, self.clock.now())

    def jump_to(self, row: int) -> None:
        """Select the alert's site: the globe and the plots follow the selection."""
        key = self._key(row)
        if key is not None:
            self.selection.select(ObjectRef("site", key[0]))

"""The Alerts dock, for everyone in a training session: sites out of objective now.

The book itself (``console.alert_book``) judges the replayed plan's slot on every live
refresh and keeps each alert's lifecycle; this dock shows it and sends the operator's
actions: acknowledge (with a comment), shelve for a chosen time, clear those back to
normal, and a filter (open, unacknowledged, shelved, all). A double click selects the
site, so the globe and the plots go to it. Actions are logged with the OS user.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from opsconsole.console.alert_book import FILTERS, AlertBook, AlertKey, BookEntry
from opsconsole.console.selection import ObjectRef, Selection
from opsconsole.core.sim_clock import SimulationClock

COLUMNS = ("Severity", "State", "Site", "Customer", "Reason", "Cause", "Since (UTC)",
           "Acknowledged", "Shelved until")  # fmt: skip
COLOURS = {"critical": "#c0392b", "major": "#d68910", "minor": "#7f8c8d"}
SHELVE_FOR = (("15 min", 15), ("1 h", 60), ("4 h", 240))
"""Shelving durations offered (simulation time)."""
KEY_ROLE = 256  # Qt.UserRole


class AlertsPanel(QWidget):
    """Alerts of the running (or replayed) training session."""

    def __init__(
        self,
        book: AlertBook,
        selection: Selection,
        clock: SimulationClock,
        who: str,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.book, self.selection, self.clock = book, selection, clock
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("alerts_table")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.view = QComboBox(self)
        self.view.setObjectName("alerts_filter")
        for name in FILTERS:
            self.view.addItem(name, name)
        self.ack_button = QPushButton("Acknowledge…", self)
        self.ack_button.setToolTip("Acknowledge the selected alerts, with a comment")
        self.shelve_for = QComboBox(self)
        for label, minutes in SHELVE_FOR:
            self.shelve_for.addItem(label, minutes)
        self.shelve_button = QPushButton("Shelve", self)
        self.shelve_button.setToolTip("Hide the selected alerts for the chosen time")
        self.clear_button = QPushButton("Clear", self)
        self.clear_button.setToolTip("Remove the selected alerts that are back to normal")
        self.summary = QLabel(book.summary, self)
        self.summary.setWordWrap(True)
        self.message = QLabel(f"acting as {who}", self)
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.message.setWordWrap(True)
        top = QHBoxLayout()  # two short rows: the dock never widens the window
        top.addWidget(QLabel("Show", self))
        top.addWidget(self.view)
        top.addWidget(self.summary, 1)
        actions = QHBoxLayout()
        for widget in (self.ack_button, self.shelve_for, self.shelve_button, self.clear_button):
            actions.addWidget(widget)
        actions.addWidget(self.message, 1)
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(top)
        layout.addLayout(actions)
        self.ack_button.clicked.connect(lambda _checked=False: self.acknowledge())
        self.shelve_button.clicked.connect(lambda _checked=False: self.shelve())
        self.clear_button.clicked.connect(lambda _checked=False: self.clear())
        self.view.currentIndexChanged.connect(lambda _i: self._fill())
        self.table.cellDoubleClicked.connect(lambda r, _c: self.jump_to(r))
        book.changed.connect(lambda _none: self._fill())

    def refresh(self, now: datetime) -> None:
        """Judge the alerts at ``now`` (the table follows the book's changes)."""
        self.book.refresh(now)
        self.summary.setText(self.book.summary)

    def _fill(self) -> None:
        rows = self.book.rows(str(self.view.currentData()), self.clock.now())
        self.table.setRowCount(len(rows))
        for r, entry in enumerate(rows):
            for c, text in enumerate(_cells(entry)):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setForeground(QColor(COLOURS[entry.alert.severity]))
                    item.setData(KEY_ROLE, list(_key(entry)))
                if not entry.active:
                    item.setForeground(QColor("#7f8c8d"))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.summary.setText(self.book.summary)

    def _key_at(self, row: int) -> AlertKey | None:
        item = self.table.item(row, 0)
        if item is None:
            return None
        site, topic = item.data(KEY_ROLE)
        return int(site), str(topic)

    def selected_keys(self) -> list[AlertKey]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [key for key in (self._key_at(r) for r in rows) if key is not None]

    def acknowledge(self, comment: str | None = None) -> None:
        """Acknowledge the selected alerts; without ``comment``, ask for one (it may be
        empty). Logged with who and when."""
        keys = self.selected_keys()
        if not keys:
            self.message.setText("Select the alerts to acknowledge.")
            return
        if comment is None:
            text, ok = QInputDialog.getText(self, "Acknowledge", "Comment (optional):")
            if not ok:
                return
            comment = text
        done = self.book.acknowledge(keys, self.clock.now(), comment)
        self.message.setText(
            f"{done} alert(s) acknowledged."
            if done
            else "Nothing to acknowledge (no session, or acknowledged already)."
        )

    def shelve(self) -> None:
        """Shelve the selected alerts for the chosen time (simulation time)."""
        keys = self.selected_keys()
        if not keys:
            self.message.setText("Select the alerts to shelve.")
            return
        minutes = int(self.shelve_for.currentData())
        done = self.book.shelve(keys, self.clock.now(), timedelta(minutes=minutes))
        self.message.setText(f"{done} alert(s) shelved for {self.shelve_for.currentText()}.")

    def clear(self) -> None:
        """Clear the selected alerts that are back to normal."""
        cleared, refused = self.book.clear(self.selected_keys(), self.clock.now())
        text = f"{cleared} alert(s) cleared."
        if refused:
            text += f" {refused} still active: acknowledge or shelve them instead."
        self.message.setText(text)

    def jump_to(self, row: int) -> None:
        """Select the alert's site: the globe and the plots follow the selection."""
        key = self._key_at(row)
        if key is not None:
            self.selection.select(ObjectRef("site", key[0]))


def _key(entry: BookEntry) -> AlertKey:
    alert = entry.alert
    return alert.site_id, alert.topic or alert.cause


def _cells(entry: BookEntry) -> tuple[str, ...]:
    alert = entry.alert
    state = entry.state if entry.occurrences == 1 else f"{entry.state} ({entry.occurrences}x)"
    acked = entry.acknowledged or ""
    if entry.comment:
        acked += f": {entry.comment}"
    shelved = f"{entry.shelved_until:%H:%M:%S}" if entry.shelved_until else ""
    return (alert.severity, state, alert.site, alert.customer, alert.reason_text, alert.cause,
            f"{entry.since:%H:%M:%S}", acked, shelved)  # fmt: skip

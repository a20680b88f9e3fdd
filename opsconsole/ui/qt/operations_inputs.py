"""Inputs the operations dialogs share: a time entered in UTC (with the operator's local
time beside it) and a network element chosen as ``KIND:ID`` from the catalog."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QHBoxLayout, QLabel, QWidget

from opsconsole.console.console_data import ConsoleData
from opsconsole.core.incidents import KINDS

KIND_TEXTS = {"gateway": "Gateway", "pop": "PoP", "region": "Cloud region",
              "satellite": "Satellite (catalog number)",
              "plane": "Orbital plane (a member's catalog number)"}  # fmt: skip


class UtcTimeEdit(QWidget):
    """A date and time in UTC, to the minute, and what it is in local time."""

    def __init__(self, when: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QDateTimeEdit(self)
        self.edit.setTimeZone(QTimeZone.utc())
        self.edit.setDisplayFormat("yyyy-MM-dd HH:mm 'UTC'")
        self.edit.setCalendarPopup(True)
        self.local = QLabel(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.local, 1)
        self.edit.dateTimeChanged.connect(lambda _dt: self._show_local())
        self.set_time(when)

    def set_time(self, when: datetime) -> None:
        """Show ``when`` (aware), rounded down to the minute."""
        seconds = int(when.replace(second=0, microsecond=0).timestamp())
        self.edit.setDateTime(QDateTime.fromSecsSinceEpoch(seconds, QTimeZone.utc()))
        self._show_local()

    def time(self) -> datetime:
        """The time shown (aware UTC)."""
        return datetime.fromtimestamp(self.edit.dateTime().toSecsSinceEpoch(), UTC)

    def _show_local(self) -> None:
        self.local.setText(f"{self.time().astimezone():%Y-%m-%d %H:%M %Z} local")


class ElementPicker(QWidget):
    """A kind and an id: gateways, PoPs and regions from ``data``; satellites and planes
    by catalog number (typed)."""

    def __init__(self, data: ConsoleData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.kind = QComboBox(self)
        self.kind.setObjectName("element_kind")
        for kind in KINDS:
            self.kind.addItem(KIND_TEXTS[kind], kind)
        self.key = QComboBox(self)
        self.key.setObjectName("element_id")
        self.key.setEditable(True)
        self.key.setMinimumContentsLength(24)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind)
        layout.addWidget(self.key, 1)
        self.kind.currentIndexChanged.connect(lambda _i: self._fill())
        self._fill()

    def _rows(self, kind: str) -> list[tuple[str, str]]:
        rows = {"gateway": self.data.gateways, "pop": self.data.pops,
                "region": self.data.regions}.get(kind, [])  # fmt: skip
        return [(str(r["id"]), f"{r['id']} — {r.get('name', r['id'])}") for r in rows]

    def _fill(self) -> None:
        self.key.clear()
        for key, text in self._rows(self.kind.currentData()):
            self.key.addItem(text, key)
        self.key.setCurrentIndex(0 if self.key.count() else -1)

    def set_element(self, kind: str, key: str) -> None:
        """Choose ``kind:key``."""
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        found = self.key.findData(key)
        if found >= 0:
            self.key.setCurrentIndex(found)
        else:
            self.key.setEditText(key)

    def element(self) -> str:
        """``KIND:ID`` as chosen (the id as typed when it is not in the list)."""
        text = self.key.currentText().strip()
        index = self.key.findText(text)
        key = self.key.itemData(index) if index >= 0 else text.split(" — ")[0].strip()
        return f"{self.kind.currentData()}:{key}"

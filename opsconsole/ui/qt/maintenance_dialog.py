"""Planning (or moving) a maintenance from the console: the element and the window, the
assessment in a child process (the window planned with and without the element; it
may be cancelled and writes nothing), then the maintenance and its notices recorded,
and who is affected, with the notices written, shown in the dialog."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from opsconsole.console.console_data import ConsoleData
from opsconsole.customers.maintenance_flow import MaintenanceOutcome, default_notice_root
from opsconsole.store.database import Store
from opsconsole.store.maintenance_repository import Maintenance
from opsconsole.ui.qt.background import BackgroundTask, failure_text
from opsconsole.ui.qt.operations_inputs import ElementPicker, UtcTimeEdit
from opsconsole.ui.qt.read_only_table import read_only_table

IMPACT_COLUMNS = ("Customer", "Site", "Served before", "Served during", "RTT p95 before",
                  "RTT p95 during", "RTT objective")  # fmt: skip


def _rtt(value_ms: float | None) -> str:
    return "no service" if value_ms is None else f"{value_ms:.1f} ms"


def _assess(db: str, element: str, start: datetime, end: datetime) -> Any:
    from opsconsole.customers.maintenance_flow import assess_at
    from opsconsole.jobs.child_process import run_in_child

    return run_in_child(assess_at, name="maintenance assessment", db_path=db, element=element,
                        start=start, end=end)  # fmt: skip


class MaintenanceDialog(QDialog):
    """A new maintenance on ``db_path`` (``moving`` ``None``), or a new window for
    ``moving``. ``outcome`` holds what was recorded."""

    def __init__(self, db_path: Path, store: Store, data: ConsoleData, now: datetime,
                 parent: QWidget | None, moving: Maintenance | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("maintenance_dialog")
        self.db_path, self.store, self.moving = db_path, store, moving
        self.outcome: MaintenanceOutcome | None = None
        self.task: BackgroundTask | None = None
        self.setWindowTitle("Plan a maintenance" if moving is None
                            else f"Move maintenance {moving.tracking_id}")  # fmt: skip
        self.element = ElementPicker(data, self)
        start = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=74)
        self.start = UtcTimeEdit(moving.start if moving else start, self)
        self.end = UtcTimeEdit(moving.end if moving else start + timedelta(hours=2), self)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("maintenance_reason")
        self.reason.setPlaceholderText("what is done, e.g. antenna bearing replacement")
        self.folder = QLineEdit(self)
        self.folder.setObjectName("maintenance_folder")
        self.folder.setPlaceholderText(f"{default_notice_root()}/<tracking ID>")
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        folder = QHBoxLayout()
        folder.addWidget(self.folder, 1)
        folder.addWidget(browse)
        form = QFormLayout()
        if moving is None:
            form.addRow("Element out of service", self.element)
        else:
            self.element.set_element(*moving.element.split(":", 1))
            form.addRow("Element", QLabel(f"{moving.element} ({moving.reason})", self))
            self.reason.setText(moving.reason)
        form.addRow("From", self.start)
        form.addRow("To", self.end)
        if moving is None:
            form.addRow("Reason", self.reason)
        form.addRow("Notices in", folder)
        self.message = QLabel(self)
        self.message.setObjectName("maintenance_message")
        self.message.setWordWrap(True)
        self.table = read_only_table(IMPACT_COLUMNS, "maintenance_impact", self)
        self.table.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.go = QPushButton("Assess and send notices", self)
        self.go.setObjectName("maintenance_go")
        self.open_folder = QPushButton("Open notices folder", self)
        self.buttons.addButton(self.go, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.open_folder, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_folder.hide()  # after addButton, which shows it: until notices exist
        self.buttons.rejected.connect(self.reject)
        self.go.clicked.connect(self.assess)
        self.open_folder.clicked.connect(self._open_folder)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(900, 320)

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Folder for the notices")
        if path:
            self.folder.setText(path)

    def _out_dir(self) -> Path | None:
        text = self.folder.text().strip()
        return Path(text) if text else None

    def assess(self) -> None:
        """Check the form, then assess the window in the background."""
        start, end = self.start.time(), self.end.time()
        problem = ""
        if end <= start:
            problem = "the maintenance must end after it starts"
        elif self.moving is None and not self.reason.text().strip():
            problem = "give the reason (it goes into the customers' notices)"
        if problem:
            self.message.setText(f"<span style='color:#b00020'>{problem}</span>")
            return
        element = self.moving.element if self.moving else self.element.element()
        self.go.setEnabled(False)
        self.message.setText(f"Planning {start:%Y-%m-%d %H:%M} to {end:%H:%M} UTC with and "
                             f"without {element}…")  # fmt: skip
        db = str(self.db_path)
        self.task = BackgroundTask(self, f"Assessing {element} out of service",
                                   lambda _p, _c: _assess(db, element, start, end),
                                   self.record, self._failed, busy=True)  # fmt: skip

    def record(self, assessment: Any) -> None:
        """Store the maintenance (or its new window) and issue the notices."""
        from opsconsole.customers.maintenance_flow import record_moved, record_planned

        self.task = None
        try:
            if self.moving is None:
                self.outcome = record_planned(self.store, assessment, self.reason.text().strip(),
                                              self._out_dir())  # fmt: skip
            else:
                self.outcome = record_moved(self.store, self.moving.tracking_id, assessment,
                                            self._out_dir())  # fmt: skip
        except (ValueError, OSError, sqlite3.Error) as exc:
            self._failed(exc)
            return
        self._show(self.outcome)

    def _show(self, done: MaintenanceOutcome) -> None:
        m, affected = done.maintenance, done.assessment.affected if done.assessment else ()
        told = ", ".join(sorted({n.customer for n in done.notices})) or "nobody"
        total = len(done.assessment.sites) if done.assessment else 0
        self.message.setText(
            f"<b>{m.tracking_id}</b> (revision {m.revision}) recorded: {m.element} "
            f"{m.start:%Y-%m-%d %H:%M} to {m.end:%Y-%m-%d %H:%M} UTC. "
            f"{len(affected)} of {total} sites affected"
            + (
                " (losing service, or a round trip pushed over its objective)"
                if affected
                else ": no customer is affected"
            )
            + f". Notices sent to {told}."
        )
        self.table.setRowCount(len(affected))
        for row, s in enumerate(affected):
            cells = (s.customer, s.site, f"{s.served_pct_before:.1f} %",
                     f"{s.served_pct_during:.1f} %", _rtt(s.rtt_before_ms),
                     _rtt(s.rtt_during_ms), f"{s.max_rtt_ms:g} ms")  # fmt: skip
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.setVisible(bool(affected))
        self.open_folder.setVisible(bool(done.notices))
        self.go.hide()
        self.resize(max(self.width(), 900), 520 if affected else 320)

    def _failed(self, error: BaseException) -> None:
        self.task = None
        self.go.setEnabled(True)
        self.message.setText(f"<span style='color:#b00020'>{failure_text(error)}</span>")

    def _open_folder(self) -> None:
        if self.outcome and self.outcome.notices:
            folder = Path(self.outcome.notices[0].files[0]).parent
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

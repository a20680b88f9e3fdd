"""The Planner dock (window, step, mode, customers, exclusions; Plan with progress and
Cancel) and the Plans dock (list with headline figures; approve, activate, archive,
revise, export).

Planning runs on a worker thread with its own database connection (``BackgroundTask``)
and a plan is written only when complete, so Cancel leaves nothing behind.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from opsconsole.ui.qt.background import BackgroundTask

if TYPE_CHECKING:
    from opsconsole.ui.qt.main_window import MainWindow

PLAN_COLUMNS = (
    "Id",
    "Name",
    "Status",
    "Served demand %",
    "Sites meeting SLO",
    "Handovers",
    "RTT p95 ms",
)


class PlannerPanel(QWidget):
    """Inputs of a planning run and the Plan button."""

    planned = Signal(int)
    """A plan was saved (its id)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.name = QLineEdit("Plan", self)
        self.hours = QDoubleSpinBox(self)
        self.hours.setRange(0.25, 72.0)
        self.hours.setValue(2.0)
        self.hours.setSuffix(" h")
        self.step = QComboBox(self)
        for seconds in (60, 30, 15):
            self.step.addItem(f"{seconds} s", float(seconds))
        self.mode = QComboBox(self)
        self.mode.addItem("bent-pipe", "bent-pipe")
        self.mode.addItem("inter-satellite links", "isl")
        self.terminal_mask = QDoubleSpinBox(self)
        self.terminal_mask.setRange(0.0, 80.0)
        self.terminal_mask.setValue(25.0)
        self.terminal_mask.setSuffix(" °")
        self.customers = QListWidget(self)
        self.customers.setSelectionMode(QListWidget.SelectionMode.MultiSelection)
        self.excluded = QListWidget(self)
        exclude = QPushButton("Exclude selection", self)
        clear = QPushButton("Clear exclusions", self)
        self.plan_button = QPushButton("Plan", self)
        self.plan_button.setObjectName("plan_button")
        self.status = QLabel("Starts at the simulation time.", self)
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Duration", self.hours)
        form.addRow("Step", self.step)
        form.addRow("Mode", self.mode)
        form.addRow("Terminal mask", self.terminal_mask)
        form.addRow("Customers (none: all)", self.customers)
        form.addRow("Excluded (whole window)", self.excluded)
        buttons = QHBoxLayout()
        for widget in (exclude, clear, self.plan_button):
            buttons.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)
        exclude.clicked.connect(self.exclude_selection)
        clear.clicked.connect(self.excluded.clear)
        self.plan_button.clicked.connect(self.run)
        self.task: BackgroundTask | None = None
        self.refresh()

    def refresh(self) -> None:
        """Customer list from the window's data."""
        chosen = {item.text() for item in self.customers.selectedItems()}
        self.customers.clear()
        for row in self.w.data.customers:
            self.customers.addItem(str(row["name"]))
            if row["name"] in chosen:
                self.customers.item(self.customers.count() - 1).setSelected(True)

    def exclude_selection(self) -> None:
        """Add the selected satellite, gateway or region to the exclusions."""
        ref = self.w.selection.current
        if ref is None or ref.kind not in ("satellite", "gateway", "region"):
            self.status.setText("Select a satellite, gateway or region to exclude.")
            return
        text = f"{ref.kind}:{ref.key}"
        if not self.excluded.findItems(text, self._exact()):
            self.excluded.addItem(text)

    @staticmethod
    def _exact() -> Any:
        from PySide6.QtCore import Qt

        return Qt.MatchFlag.MatchExactly

    def exclusions(self) -> list[Any]:
        """The exclusion list as planning ``Exclusion`` values."""
        from opsconsole.planning.inputs import Exclusion

        out = []
        for i in range(self.excluded.count()):
            kind, key = self.excluded.item(i).text().split(":", 1)
            out.append(Exclusion(kind, int(key) if kind == "satellite" else key))
        return out

    def run(self) -> None:
        """Plan in the background with the form's values."""
        from opsconsole.plan_service import create_plan
        from opsconsole.planning.parameters import PlanParameters
        from opsconsole.store.database import Store

        try:
            params = PlanParameters(
                start=self.w.clock.now().replace(microsecond=0),
                duration_s=self.hours.value() * 3600.0,
                step_s=float(self.step.currentData()),
                mode=self.mode.currentData(),
                site_mask_deg=self.terminal_mask.value(),
            )
        except ValueError as exc:
            self.status.setText(f"Not planned: {exc}")
            return
        name = self.name.text().strip() or "Plan"
        customers = [item.text() for item in self.customers.selectedItems()]
        exclusions, db = self.exclusions(), self.w.db_path
        started = time.monotonic()
        self.plan_button.setEnabled(False)
        self.status.setText("Planning…")

        def work(progress: Any, cancelled: Any) -> int:
            with Store(db) as store:
                return create_plan(
                    store,
                    name,
                    params,
                    customers=customers,
                    exclusions=exclusions,
                    workers=2,
                    cancelled=cancelled,
                    progress=lambda f, _stage: progress(f),
                )

        def done(plan_id: int) -> None:
            self.plan_button.setEnabled(True)
            elapsed = timedelta(seconds=round(time.monotonic() - started))
            self.status.setText(f"Plan {plan_id} saved ({elapsed}).")
            self.planned.emit(plan_id)

        def failed(error: BaseException) -> None:
            from opsconsole.planning.coverage import Cancelled

            self.plan_button.setEnabled(True)
            reason = "cancelled; nothing was saved" if isinstance(error, Cancelled) else error
            self.status.setText(f"Not planned: {reason}")

        self.task = BackgroundTask(self, f"Planning {name!r}…", work, done, failed)


class PlansPanel(QWidget):
    """Every stored plan with its headline figures, and what can be done with it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.table = QTableWidget(0, len(PLAN_COLUMNS), self)
        self.table.setObjectName("plans_table")
        self.table.setHorizontalHeaderLabels(list(PLAN_COLUMNS))
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for label in ("Approve", "Activate", "Archive", "Revise", "Export…"):
            button = QPushButton(label, self)
            buttons.addWidget(button)
            self.buttons[label] = button
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        for label, status in (
            ("Approve", "approved"),
            ("Activate", "active"),
            ("Archive", "archived"),
        ):
            self.buttons[label].clicked.connect(lambda _=False, s=status: self.set_status(s))
        self.buttons["Revise"].clicked.connect(self.revise)
        self.buttons["Export…"].clicked.connect(self.export)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the plan list."""
        from opsconsole.store.plan_repository import list_plans

        rows = list_plans(self.w.store)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            totals = row["totals"]
            values = (
                row["id"],
                row["name"],
                row["status"],
                f"{totals.get('served_demand_pct', 0):.2f}",
                totals.get("sites_meeting_slo", ""),
                totals.get("handovers", ""),
                f"{totals.get('rtt_p95_ms', float('nan')):.1f}",
            )
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(str(value)))
        self.table.resizeColumnsToContents()

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def selected_id(self) -> int | None:
        """The plan on the selected row."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.setText("Select a plan first.")
            return None
        return int(self._cell(rows[0].row(), 0))

    def select_plan(self, plan_id: int) -> None:
        """Select a plan's row (after it was created)."""
        for r in range(self.table.rowCount()):
            if self._cell(r, 0) == str(plan_id):
                self.table.selectRow(r)

    def set_status(self, status: str) -> None:
        """Approve, activate or archive the selected plan (refusals are shown)."""
        from opsconsole.store.plan_repository import set_status

        plan_id = self.selected_id()
        if plan_id is None:
            return
        try:
            set_status(self.w.store, plan_id, status)
        except (ValueError, KeyError) as exc:
            self.message.setText(f"Not changed: {exc}")
            return
        self.message.setText(f"Plan {plan_id} is {status}.")
        self.refresh()
        self.select_plan(plan_id)

    def revise(self) -> None:
        """A new draft from the selected plan."""
        from opsconsole.store.plan_repository import revise_plan

        plan_id = self.selected_id()
        if plan_id is not None:
            new = revise_plan(self.w.store, plan_id)
            self.message.setText(f"Plan {new} is a draft revision of plan {plan_id}.")
            self.refresh()
            self.select_plan(new)

    def export(self, path: str | None = None) -> None:
        """Write the selected plan's schedule (format from the file name)."""
        from opsconsole.plan_geo_exports import EXPORT_FORMATS, write_plan
        from opsconsole.store.plan_repository import load_plan

        plan_id = self.selected_id()
        if plan_id is None:
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self,
                "Export plan",
                f"plan-{plan_id}.csv",
                "CSV (*.csv);;JSON (*.json);;GeoJSON (*.geojson);;KML (*.kml);;CZML (*.czml)",
            )
            if not path:
                return
        fmt = Path(path).suffix.lower().lstrip(".")
        fmt = fmt if fmt in EXPORT_FORMATS else "csv"
        stored = load_plan(self.w.store, plan_id)  # the store stays on this thread
        gateways = {str(g["id"]): g for g in self.w.data.gateways}
        regions = {str(r["id"]): r for r in self.w.data.regions}
        target = path

        def work(_progress: Any, _cancelled: Any) -> None:  # seconds for a full-day plan
            with Path(target).open("w", encoding="utf-8", newline="") as out:
                write_plan(stored, fmt, gateways, regions, out)

        def done(_result: Any) -> None:
            self.message.setText(f"Plan {plan_id} written to {target}.")

        def failed(error: BaseException) -> None:
            QMessageBox.critical(self, "Export failed", f"{target}: {error}")

        self.message.setText(f"Writing plan {plan_id}…")
        BackgroundTask(self, f"Exporting plan {plan_id}…", work, done, failed)

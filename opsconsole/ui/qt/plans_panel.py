"""The Plans dock: every stored plan with its headline figures; approve, activate,
archive, duplicate, compare, show on the globe, re-plan and export.

An activated plan is replayed on the globe and in the plots; "Show on globe" previews
any other. Compare shows per-site and total deltas of two plans.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from opsconsole.console.catalog import Catalog
from opsconsole.console.intents import Intents, StatusChange
from opsconsole.console.replay import PlanReplay
from opsconsole.ui.qt.background import BackgroundTask
from opsconsole.ui.qt.compare_dialog import CompareDialog

PLAN_COLUMNS = (
    "Id",
    "Name",
    "Status",
    "Served demand %",
    "Sites meeting SLO",
    "Handovers",
    "RTT p95 ms",
)
BUTTONS = (
    ("Approve", "Approve the draft (it becomes immutable)"),
    ("Activate", "Make it the active plan (drawn on the globe)"),
    ("Archive", "Archive the plan"),
    ("Duplicate", "A new draft copied from this plan and linked to it as its revision"),
    ("Compare", "Per-site and total deltas of the two selected plans"),
    ("Show on globe", "Replay this plan on the globe and in the plots"),
    ("Re-plan…", "Load this plan's window, exclusions and pins into the Planner"),
    ("Export…", "Write the schedule as CSV, JSON, GeoJSON, KML or CZML"),
)


EXPORT_FILTERS = {
    "csv": "CSV (*.csv)",
    "json": "JSON (*.json)",
    "geojson": "GeoJSON (*.geojson)",
    "kml": "KML (*.kml)",
    "czml": "CZML (*.czml)",
}
"""The save dialog's file types, by export format."""


def _with_format_suffix(path: str, chosen_filter: str) -> str:
    """``path`` as typed, with the chosen file type's suffix added when the name has
    none of the export formats' own (so "plan-7" with GeoJSON chosen writes
    "plan-7.geojson" as GeoJSON)."""
    if Path(path).suffix.lower().lstrip(".") in EXPORT_FILTERS:
        return path
    for fmt, label in EXPORT_FILTERS.items():
        if label == chosen_filter:
            return f"{path}.{fmt}"
    return path


class PlansPanel(QWidget):
    """Every stored plan with its headline figures, and what can be done with it.
    Re-reads the list whenever ``catalog.plans_changed`` fires."""

    def __init__(
        self, catalog: Catalog, replay: PlanReplay, intents: Intents, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.catalog, self.replay, self.intents = catalog, replay, intents
        self.table = QTableWidget(0, len(PLAN_COLUMNS), self)
        self.table.setObjectName("plans_table")
        self.table.setHorizontalHeaderLabels(list(PLAN_COLUMNS))
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        rows = (QHBoxLayout(), QHBoxLayout())
        for n, (label, tip) in enumerate(BUTTONS):
            button = QPushButton(label, self)
            button.setToolTip(tip)
            rows[n // 4].addWidget(button)
            self.buttons[label] = button
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        for row in rows:
            layout.addLayout(row)
        layout.addWidget(self.message)
        for label, status in (
            ("Approve", "approved"),
            ("Activate", "active"),
            ("Archive", "archived"),
        ):
            self.buttons[label].clicked.connect(lambda _=False, s=status: self.request_status(s))
        self.buttons["Duplicate"].clicked.connect(self.revise)
        self.buttons["Compare"].clicked.connect(self.compare)
        self.buttons["Show on globe"].clicked.connect(self.show_selected)
        self.buttons["Re-plan…"].clicked.connect(self.replan)
        # clicked(bool) would arrive as the path: ask for one instead
        self.buttons["Export…"].clicked.connect(lambda _checked=False: self.export())
        self.compare_dialog: CompareDialog | None = None
        catalog.plans_changed.connect(lambda _plan_id: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        """Re-read the plan list."""
        from opsconsole.store.plan_repository import list_plans

        rows = list_plans(self.catalog.store)
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

    def request_status(self, status: str) -> None:
        """The operator's Approve / Activate / Archive: a draft must be approved before
        it is activated, and approving (irreversible) is confirmed first."""
        plan_id = self.selected_id()
        if plan_id is None:
            self.message.setText("Select a plan first.")
            return
        from opsconsole.store.plan_repository import plan_status

        current = plan_status(self.catalog.store, plan_id)
        if status == "active" and current == "draft":
            self.message.setText(f"Plan {plan_id} is a draft: approve it first.")
            return
        if status == "approved" and current == "draft":
            answer = QMessageBox.question(
                self,
                "Approve plan",
                f"Approve plan {plan_id}? An approved plan can no longer be changed "
                "(Duplicate makes an editable copy).",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.message.setText(f"Plan {plan_id} stays a draft.")
                return
        self.set_status(status)

    def set_status(self, status: str) -> None:
        """Approve, activate or archive the selected plan (refusals are shown)."""
        from opsconsole.store.plan_repository import set_status

        plan_id = self.selected_id()
        if plan_id is None:
            return
        try:
            set_status(self.catalog.store, plan_id, status)
        except (ValueError, KeyError) as exc:
            self.message.setText(f"Not changed: {exc}")
            return
        self.message.setText(f"Plan {plan_id} is {status}.")
        self.intents.status_changed.emit(StatusChange(plan_id, status))
        self.catalog.plans_changed.emit(plan_id)
        self.select_plan(plan_id)
        if status == "active":
            self.replay.request(plan_id, active=True)

    def selected_ids(self) -> list[int]:
        """Ids of every selected row, in table order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [int(self._cell(r, 0)) for r in rows]

    def compare(self) -> CompareDialog | None:
        """Compare the two selected plans (older first)."""
        from opsconsole.store.plan_repository import load_plan

        ids = sorted(self.selected_ids())
        if len(ids) != 2:
            self.message.setText("Select exactly two plans to compare (Ctrl+click).")
            return None
        a, b = (load_plan(self.catalog.store, plan_id) for plan_id in ids)
        dialog = CompareDialog(self, a, b)
        dialog.show()
        self.compare_dialog = dialog
        self.message.setText(f"Comparing plan {ids[0]} with plan {ids[1]}.")
        return dialog

    def show_selected(self) -> None:
        """Replay the selected plan on the globe and in the plots."""
        plan_id = self.selected_id()
        if plan_id is not None:
            self.replay.request(plan_id)
            self.message.setText(f"Plan {plan_id} is on the globe.")

    def replan(self) -> None:
        """Load the selected plan into the Planner dock (the ``replan`` intent)."""
        plan_id = self.selected_id()
        if plan_id is not None:
            self.intents.replan.emit(plan_id)

    def revise(self) -> None:
        """A new draft from the selected plan."""
        from opsconsole.store.plan_repository import revise_plan

        plan_id = self.selected_id()
        if plan_id is not None:
            new = revise_plan(self.catalog.store, plan_id)
            self.message.setText(f"Plan {new} is a draft copy (revision) of plan {plan_id}.")
            self.catalog.plans_changed.emit(new)
            self.select_plan(new)

    def export(self, path: str | None = None) -> None:
        """Write the selected plan's schedule (format from the file name)."""
        from opsconsole.atomic_files import atomic_text
        from opsconsole.plans.geo_exports import EXPORT_FORMATS, write_plan
        from opsconsole.store.plan_repository import load_plan

        plan_id = self.selected_id()
        if plan_id is None:
            return
        if path is None:
            path, chosen = QFileDialog.getSaveFileName(
                self,
                "Export plan",
                str(Path.home() / f"plan-{plan_id}.csv"),
                ";;".join(EXPORT_FILTERS.values()),
            )
            if not path:
                return
            path = _with_format_suffix(path, chosen)
        fmt = Path(path).suffix.lower().lstrip(".")
        fmt = fmt if fmt in EXPORT_FORMATS else "csv"
        stored = load_plan(self.catalog.store, plan_id)  # the store stays on this thread
        gateways = {str(g["id"]): g for g in self.catalog.data.gateways}
        regions = {str(r["id"]): r for r in self.catalog.data.regions}
        target = path

        def work(_progress: Any, _cancelled: Any) -> None:  # seconds for a full-day plan
            with atomic_text(target, newline="") as out:  # whole or not at all
                write_plan(stored, fmt, gateways, regions, out)

        def done(_result: Any) -> None:
            self.message.setText(f"Plan {plan_id} written to {target}.")

        def failed(error: BaseException) -> None:
            QMessageBox.critical(self, "Export failed", f"{target}: {error}")

        self.message.setText(f"Writing plan {plan_id}…")
        BackgroundTask(self, f"Exporting plan {plan_id}…", work, done, failed)

"""The Plans dock's Contingency tab: a plan's N-1 study, ranked worst first.

"Run study" re-plans the chosen plan's window once for each single gateway, PoP, cloud
region or orbital plane it uses taken out (in a child process, on the local pool or a
Dask cluster, with progress and Cancel) and stores the study with the plan. The newest
stored study is shown with its age; clicking a row selects that element and rings the
sites it hurts on the globe, whose gateways and PoPs are coloured by impact.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from opsconsole.console.catalog import Catalog
from opsconsole.console.contingency_focus import ContingencyFocus, Focus, ImpactMark
from opsconsole.console.selection import ObjectRef, Selection
from opsconsole.planning.contingency import KINDS
from opsconsole.store.contingency_repository import Study
from opsconsole.ui.qt.background import BackgroundTask
from opsconsole.ui.qt.plan_target import PlanTargetBox

COLUMNS = ("Rank", "Element", "Lost demand %", "Mbps·h", "Sites hurt", "Customers", "Worst site")
STUDY_WORKERS = 2


def age_text(created: datetime, now: datetime) -> str:
    """``"3 min ago"``, ``"5.2 h ago"``, ``"2.0 days ago"``."""
    seconds = max(0.0, (now - created).total_seconds())
    if seconds < 3600:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 86_400 * 2:
        return f"{seconds / 3600:.1f} h ago"
    return f"{seconds / 86_400:.1f} days ago"


class ContingencyPanel(QWidget):
    """Pick a plan, run or read its study, and point at what a failure hurts."""

    def __init__(
        self, catalog: Catalog, selection: Selection, focus: ContingencyFocus, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.catalog, self.selection, self.focus = catalog, selection, focus
        self.plan = QComboBox(self)
        self.plan.setObjectName("contingency_plan")
        self.kinds = {kind: QCheckBox(kind if kind != "pop" else "PoP", self) for kind in KINDS}
        for box in self.kinds.values():
            box.setChecked(True)
        self.run_button = QPushButton("Run study", self)
        self.run_button.setObjectName("contingency_run")
        self.run_button.setToolTip(
            "Re-plan the window once per single element out and rank them by impact"
        )
        self.target = PlanTargetBox(STUDY_WORKERS, self)
        self.age = QLabel("", self)
        self.age.setObjectName("contingency_age")
        self.age.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("contingency_table")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        top = QHBoxLayout()
        top.addWidget(QLabel("Plan", self))
        top.addWidget(self.plan, 1)
        top.addWidget(self.run_button)
        kinds = QHBoxLayout()
        kinds.addWidget(QLabel("Take out each", self))
        for box in self.kinds.values():
            kinds.addWidget(box)
        kinds.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(kinds)
        layout.addWidget(self.target)
        layout.addWidget(self.age)
        layout.addWidget(self.table, 1)
        self.study: Study | None = None
        self.task: BackgroundTask | None = None
        self.plan.currentIndexChanged.connect(lambda _i: self.load_study())
        self.run_button.clicked.connect(self.run)
        self.table.itemSelectionChanged.connect(self._row_picked)
        catalog.plans_changed.connect(lambda _plan_id: self.refresh_plans())
        self.refresh_plans()

    # -- plans and stored studies --------------------------------------------------
    def refresh_plans(self) -> None:
        """Re-read the plan list (keeps the chosen plan when it is still there)."""
        from opsconsole.store.plan_repository import list_plans

        chosen = self.plan.currentData()
        self.plan.blockSignals(True)
        self.plan.clear()
        for row in list_plans(self.catalog.store):
            self.plan.addItem(f"{row['id']}: {row['name']} ({row['status']})", int(row["id"]))
        at = self.plan.findData(chosen) if chosen is not None else 0
        self.plan.setCurrentIndex(max(at, 0))
        self.plan.blockSignals(False)
        self.load_study()

    def plan_id(self) -> int | None:
        value = self.plan.currentData()
        return None if value is None else int(value)

    def load_study(self) -> None:
        """Show the newest stored study of the chosen plan (or say there is none)."""
        from opsconsole.store.contingency_repository import latest_study

        plan_id = self.plan_id()
        self.study = None if plan_id is None else latest_study(self.catalog.store, plan_id)
        self._fill()

    def _fill(self) -> None:
        study = self.study
        self.table.clearSelection()
        rows = study.rows if study is not None else ()
        self.table.setRowCount(len(rows))
        names = {int(s["id"]): str(s["name"]) for s in self.catalog.data.sites}
        for r, row in enumerate(rows):
            worst = "—" if row.worst_site_id is None else (
                f"{names.get(row.worst_site_id, row.worst_site_id)} "
                f"(−{row.worst_drop_pct:.2f} pts)"
            )  # fmt: skip
            values = (row.rank, f"{row.kind} {row.label}", f"{row.lost_weighted_pct:.3f}",
                      f"{row.lost_demand_mbps_h:.1f}", len(row.sites_hurt), len(row.customers),
                      worst)  # fmt: skip
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(str(value)))
        self.table.resizeColumnsToContents()
        if self.plan_id() is None:
            self.age.setText("No plans yet: make one in the Planner.")
        elif study is None:
            self.age.setText("No study of this plan yet: Run study.")
        else:
            when = f"{study.created_utc:%Y-%m-%d %H:%M} UTC"
            self.age.setText(
                f"Study {study.id}: {len(study.rows)} single failures, run {when} "
                f"({age_text(study.created_utc, datetime.now(UTC))}) by {study.who} on "
                f"{study.executor} in {study.elapsed_s:.0f} s."
            )
        marks = [ImpactMark(r.kind, r.element_id, r.lost_weighted_pct, r.rank) for r in rows]
        self.focus.show_study(self.plan_id() if study else None, marks)

    def _row_picked(self) -> None:
        picked = self.table.selectionModel().selectedRows()
        if self.study is None or not picked:
            self.focus.set_focus(None)
            return
        row = self.study.rows[picked[0].row()]
        self.focus.set_focus(Focus(row.kind, row.element_id, row.label, row.sites_hurt))
        if row.kind in ("gateway", "pop", "region"):
            self.selection.select(ObjectRef(row.kind, row.element_id))

    # -- running a study -----------------------------------------------------------
    def run(self) -> None:
        """Run the chosen plan's study in the background."""
        from opsconsole.plans.contingency_process import study_in_process

        plan_id = self.plan_id()
        kinds = [kind for kind, box in self.kinds.items() if box.isChecked()]
        if plan_id is None or not kinds:
            self.age.setText("Choose a plan and at least one kind of element.")
            return
        try:
            cluster = self.target.cluster()
        except ValueError as exc:
            self.age.setText(f"Not run: {exc}")
            return
        db, started = self.catalog.db_path, time.monotonic()
        self.run_button.setEnabled(False)
        self.age.setText(f"Studying plan {plan_id}…")

        def work(progress: Any, cancelled: Any) -> int:  # a child process studies
            return study_in_process(db, plan_id, kinds, workers=STUDY_WORKERS, cluster=cluster,
                                    progress=progress, cancelled=cancelled)  # fmt: skip

        def done(_study_id: int) -> None:
            self.run_button.setEnabled(True)
            self.load_study()
            seconds = time.monotonic() - started
            self.age.setText(f"{self.age.text()} (finished after {seconds:.0f} s)")

        def failed(error: BaseException) -> None:
            from opsconsole.jobs.cancel import Cancelled

            self.run_button.setEnabled(True)
            reason = "cancelled; nothing was stored" if isinstance(error, Cancelled) else error
            self.age.setText(f"Not run: {reason}")

        self.task = BackgroundTask(self, f"N-1 study of plan {plan_id}…", work, done, failed)

"""The Customers dock: every customer with this month's availability so far, SLA status
and the credit already due (``customers.standing``), recomputed in a child process as
the clock runs and whenever plans, contracts, incidents or maintenances change.
Double click opens the customer's SLA report; "Contract…" edits the contract (undoable,
audited); contracts are imported from and exported to TOML or CSV."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from opsconsole.console.catalog import Catalog
from opsconsole.core.sim_clock import SimulationClock
from opsconsole.customers.standing import AT_RISK, MET, MISSED, CustomerStanding, Standings
from opsconsole.ui.qt.background import BackgroundTask
from opsconsole.ui.qt.read_only_table import read_only_table

COLUMNS = ("Customer", "Sites", "Status", "Availability so far", "Objective", "Credit so far",
           "Best month end (worst site)", "Downtime so far")  # fmt: skip
TIPS = (
    "",
    "",
    "met so far; at risk: a site is below the objective so far or misses its round trip;"
    " missed: a site can no longer meet the month's objective",
    "Mean over the sites, from the first instant of the month (UTC) to the clock's time",
    "The contract's availability objective per calendar month",
    "Credit already certain to be due (at each site's best month-end availability)",
    "What the worst site ends the month with if nothing else goes wrong",
    "Counted outage time so far, all sites; in brackets what the objective allows one "
    "site over the whole month",
)
STATUS_COLOURS = {MET: "#1b7f3b", AT_RISK: "#b26a00", MISSED: "#b00020"}
REFRESH_SIM_S = 60.0
"""Recompute when the clock has moved this far since the figures shown (s)."""
MIN_INTERVAL_S = 10.0
"""...but not more often than this (wall clock, s): each run is a child process."""


def _standings_in_child(db: str, now: datetime) -> Standings:
    from opsconsole.customers.standing import customer_standings
    from opsconsole.jobs.child_process import run_in_child

    result: Standings = run_in_child(customer_standings, name="customer standings",
                                     db_path=db, now=now)  # fmt: skip
    return result


def duration_text(seconds: float) -> str:
    """A duration in the unit that reads best: minutes, hours or days."""
    if seconds < 2 * 3600.0:
        return f"{seconds / 60.0:,.1f} min"
    if seconds < 2 * 86_400.0:
        return f"{seconds / 3600.0:,.1f} h"
    return f"{seconds / 86_400.0:,.1f} d"


def standing_cells(c: CustomerStanding) -> tuple[str, ...]:
    """The table's texts for one customer (:data:`COLUMNS`)."""
    if c.objective_pct is None:
        return (c.customer, str(c.sites), c.status, "—", "—", "—", "—", "—")
    worst = (
        "—" if c.worst_month_end_pct is None else f"{c.worst_month_end_pct:.3f} % ({c.worst_site})"
    )
    return (
        c.customer,
        str(c.sites),
        c.status,
        "—" if c.availability_pct is None else f"{c.availability_pct:.3f} %",
        f"{c.objective_pct:g} %",
        f"{c.credit:,.2f} {c.currency}",
        worst,
        f"{duration_text(c.downtime_s)} ({duration_text(c.allowed_s)} per site allowed)",
    )


class CustomersPanel(QWidget):
    """Customers and their month so far, on ``catalog``'s database at ``clock``'s time."""

    def __init__(
        self, catalog: Catalog, clock: SimulationClock, undo: QUndoStack, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("customers_panel")
        self.catalog, self.clock, self.undo = catalog, clock, undo
        self.standings: Standings | None = None
        self.task: BackgroundTask | None = None
        self._stale = True
        self._started_wall = -1e9
        self.summary = QLabel("Computing this month's figures…", self)
        self.summary.setObjectName("customers_summary")
        self.summary.setWordWrap(True)
        self.table = read_only_table(COLUMNS, "customers_table", self)
        for i, tip in enumerate(TIPS):
            header = self.table.horizontalHeaderItem(i)
            if header is not None and tip:
                header.setToolTip(tip)
        self.table.cellDoubleClicked.connect(lambda row, _col: self.open_report(row))
        self.report_button = QPushButton("Report…", self)
        self.contract_button = QPushButton("Contract…", self)
        import_button = QPushButton("Import contracts…", self)
        export_button = QPushButton("Export contracts…", self)
        self.report_button.clicked.connect(lambda: self.open_report(self.table.currentRow()))
        self.contract_button.clicked.connect(lambda: self.edit_contract(self.current_customer()))
        import_button.clicked.connect(self.import_dialog)
        export_button.clicked.connect(self.export_dialog)
        buttons = QHBoxLayout()
        for b in (self.report_button, self.contract_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (import_button, export_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        for event in (catalog.operations_changed, catalog.plans_changed,
                      catalog.ground_reloaded, catalog.loaded):  # fmt: skip
            event.connect(lambda _none: self.mark_stale())
        catalog.ground_changed.connect(lambda _ref: self.mark_stale())

    # -- figures -------------------------------------------------------------------
    def mark_stale(self) -> None:
        """Something the figures depend on changed: recompute at the next tick."""
        self._stale = True

    def refresh_live(self, now: datetime) -> None:
        """Called as the clock runs: start a recomputation when the figures are stale
        or ``REFRESH_SIM_S`` behind the clock (one at a time, at most every
        ``MIN_INTERVAL_S`` of wall time)."""
        if self.task is not None or not self.isVisible():
            return
        shown = self.standings
        behind = shown is None or abs((now - shown.now).total_seconds()) >= REFRESH_SIM_S
        if not (self._stale or behind):
            return
        if time.monotonic() - self._started_wall < MIN_INTERVAL_S and shown is not None:
            return
        self.recompute(now)

    def recompute(self, now: datetime) -> None:
        """Compute every customer's standing at ``now`` in the background."""
        self._stale = False
        self._started_wall = time.monotonic()
        db = str(self.catalog.db_path)
        self.task = BackgroundTask(self, "Customer figures",
                                   lambda _p, _c: _standings_in_child(db, now),
                                   self._shown, self._failed, show_dialog=False)  # fmt: skip

    def _shown(self, standings: Standings) -> None:
        self.task = None
        self.standings = standings
        current = self.current_customer()
        self.table.setRowCount(len(standings.customers))
        for row, c in enumerate(standings.customers):
            for col, text in enumerate(standing_cells(c)):
                item = QTableWidgetItem(text)
                if col in (1, 3, 4, 5, 7):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if col == 2 and c.status in STATUS_COLOURS:
                    item.setForeground(QBrush(QColor(STATUS_COLOURS[c.status])))
                self.table.setItem(row, col, item)
            if c.customer == current:
                self.table.selectRow(row)
        counts = {
            s: sum(c.status == s for c in standings.customers) for s in (MET, AT_RISK, MISSED)
        }
        self.summary.setText(
            f"<b>{standings.start:%B %Y}</b> so far, to {standings.now:%d %b %H:%M} UTC "
            f"({standings.now.astimezone():%H:%M %Z} local): {counts[MET]} met so far, "
            f"{counts[AT_RISK]} at risk, {counts[MISSED]} missed. Double click a customer "
            "for the report."
            + (
                ""
                if standings.plan_in_force
                else "<br><span style='color:#b00020'>No plan has been active this month: "
                "every site counts as down until one is (Plans dock: approve, then "
                "activate).</span>"
            )
        )

    def _failed(self, error: BaseException) -> None:
        self.task = None
        self.summary.setText(f"Cannot compute this month's figures: {error}")

    def current_customer(self) -> str | None:
        """The selected customer's name."""
        item = self.table.item(self.table.currentRow(), 0)
        return item.text() if item is not None else None

    # -- actions -------------------------------------------------------------------
    def open_report(self, row: int) -> Any:
        """Open the SLA report of the customer in ``row`` (the dialog, or ``None``)."""
        item = self.table.item(row, 0)
        if item is None:
            return None
        from opsconsole.ui.qt.sla_report_dialog import SlaReportDialog

        standing = self.standings.customers[row] if self.standings else None
        if standing is not None and standing.objective_pct is None:
            QMessageBox.information(self, "No contract", f"{item.text()} has no contract yet: "
                                    "give it one with Contract… first.")  # fmt: skip
            return None
        dialog = SlaReportDialog(self.catalog.db_path, item.text(), self.clock.now(), self)
        dialog.show()
        return dialog

    def edit_contract(self, customer: str | None) -> Any:
        """Open the contract form of ``customer``; OK pushes an undoable change."""
        if customer is None:
            return None
        from opsconsole.store.contract_repository import get_contract
        from opsconsole.ui.qt.contract_dialog import ContractDialog

        dialog = ContractDialog(customer, get_contract(self.catalog.store, customer), self)

        def accepted() -> None:
            contract = dialog.contract()
            if contract is not None:
                self.change_contracts(f"Edit contract of {customer}", {customer: contract})

        dialog.accepted.connect(accepted)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def change_contracts(self, text: str, new: dict[str, Any], action: str = "contract.set"
                         ) -> bool:  # fmt: skip
        """Write ``new`` (customer: contract or ``None``) as one undoable, audited change;
        a refusal is shown and nothing is written."""
        import sqlite3

        from opsconsole.ui.qt.contract_commands import ContractsCommand

        try:
            command = ContractsCommand(self.catalog.store, text, new, self._edited,
                                       self._replay_failed, action)  # fmt: skip
            command.apply()
        except (ValueError, sqlite3.Error) as exc:
            QMessageBox.critical(self, "Contract not saved", f"{exc}\n\nNothing was written.")
            return False
        self.undo.push(command)
        return True

    def _edited(self) -> None:
        self.catalog.operations_edited()

    def _replay_failed(self, message: str) -> None:
        QMessageBox.critical(self, "Contract change not replayed", message)

    def import_contracts(self, path: str) -> bool:
        """Import every contract of a TOML or CSV file (all or nothing, undoable)."""
        from opsconsole.core.contract_files import read_contracts

        try:
            contracts = read_contracts(path)
        except (ValueError, OSError) as exc:
            QMessageBox.critical(self, "Contracts not imported", f"{exc}\n\nNothing was written.")
            return False
        new = {c.customer: c for c in contracts}
        return self.change_contracts(f"Import contracts from {path}", new, "contract.import")

    def import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import contracts", "",
                                              "Contracts (*.toml *.csv)")  # fmt: skip
        if path:
            self.import_contracts(path)

    def export_contracts(self, path: str) -> None:
        """Write every contract as TOML (or CSV for a ``.csv`` name), atomically."""
        from opsconsole.atomic_files import atomic_text
        from opsconsole.core.contract_files import CSV_COLUMNS, contract_csv_row, contracts_toml
        from opsconsole.row_formats import write_rows
        from opsconsole.store.contract_repository import list_contracts

        contracts = list_contracts(self.catalog.store)
        try:
            with atomic_text(path, newline="") as out:
                if path.lower().endswith(".csv"):
                    write_rows([contract_csv_row(c) for c in contracts], CSV_COLUMNS, "csv",
                               out=out)  # fmt: skip
                else:
                    out.write(contracts_toml(contracts))
        except OSError as exc:
            QMessageBox.critical(self, "Contracts not exported", f"{path}: {exc.strerror or exc}")

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export contracts", "contracts.toml",
                                              "TOML (*.toml);;CSV (*.csv)")  # fmt: skip
        if path:
            self.export_contracts(path)

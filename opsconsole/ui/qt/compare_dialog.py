"""Two plans side by side: totals and per-site deltas (B minus A), in words an operator
reads: column names, yes/no, integers as integers, numbers that sort as numbers."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

TOTAL_DELTAS = (
    ("served_demand_pct", "Served demand %"),
    ("mean_availability_pct", "Mean availability %"),
    ("sites_meeting_slo", "Sites meeting SLO"),
    ("handovers", "Handovers"),
    ("rtt_p50_ms", "Round trip p50 (ms)"),
    ("rtt_p95_ms", "Round trip p95 (ms)"),
)
SITE_HEADERS = {
    "site": "Site",
    "customer": "Customer",
    "availability_pct_a": "Availability % (A)",
    "availability_pct_b": "Availability % (B)",
    "availability_delta": "Δ availability (points)",
    "rtt_p50_ms_a": "Round trip p50 ms (A)",
    "rtt_p50_ms_b": "Round trip p50 ms (B)",
    "rtt_p50_delta": "Δ round trip p50 ms",
    "handovers_a": "Handovers (A)",
    "handovers_b": "Handovers (B)",
    "main_gateway_a": "Main gateway (A)",
    "main_gateway_b": "Main gateway (B)",
    "main_region_a": "Main region (A)",
    "main_region_b": "Main region (B)",
    "changed": "Gateway or region changed",
}
"""Column names of ``plan_reports.COMPARE_COLUMNS`` as the dialog shows them."""


def cell_text(value: Any, delta: bool = False) -> str:
    """How a value reads: yes/no, integers without decimals, two decimals otherwise (a
    sign on deltas), a dash for a missing number."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:+d}" if delta else str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return "—"
        if value.is_integer() and not delta:
            return f"{value:.0f}"
        return f"{value:+.2f}" if delta else f"{value:.2f}"
    return str(value)


class _Cell(QTableWidgetItem):
    """A table cell that sorts by its value, not its text."""

    def __init__(self, value: Any, delta: bool = False) -> None:
        super().__init__(cell_text(value, delta))
        self.key = value
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _Cell):
            a, b = self.key, other.key
            numbers = (int, float)
            if isinstance(a, numbers) and isinstance(b, numbers):
                fa = float(a) if math.isfinite(float(a)) else -math.inf
                fb = float(b) if math.isfinite(float(b)) else -math.inf
                return fa < fb
        return bool(self.text() < other.text())


class CompareDialog(QDialog):
    """Totals and per-site deltas (B minus A) of two plans."""

    def __init__(self, parent: QWidget, a: Any, b: Any) -> None:
        from opsconsole.plans.reports import COMPARE_COLUMNS, compare_rows

        super().__init__(parent)
        self.setObjectName("compare_dialog")
        self.setWindowTitle(f"Plan {a.id} (A) → plan {b.id} (B)")
        ta, tb = a.totals, b.totals
        self.totals = QTableWidget(len(TOTAL_DELTAS), 4, self)
        self.totals.setHorizontalHeaderLabels(["", f"Plan {a.id} (A)", f"Plan {b.id} (B)", "Δ"])
        self.totals.verticalHeader().hide()
        for r, (key, label) in enumerate(TOTAL_DELTAS):
            va, vb = float(ta.get(key, math.nan)), float(tb.get(key, math.nan))
            self.totals.setItem(r, 0, QTableWidgetItem(label))
            self.totals.setItem(r, 1, _Cell(va))
            self.totals.setItem(r, 2, _Cell(vb))
            delta = vb - va
            self.totals.setItem(r, 3, _Cell(int(delta) if delta.is_integer() else delta, True))
        self.totals.resizeColumnsToContents()
        self.totals.resizeRowsToContents()
        frame = 2 * self.totals.frameWidth()
        self.totals.setFixedHeight(  # every total visible, no scroll bar
            self.totals.horizontalHeader().height() + self.totals.verticalHeader().length() + frame
        )
        rows = compare_rows(a, b)
        self.sites = QTableWidget(len(rows), len(COMPARE_COLUMNS), self)
        self.sites.setHorizontalHeaderLabels([SITE_HEADERS.get(c, c) for c in COMPARE_COLUMNS])
        self.sites.setSortingEnabled(False)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                delta = COMPARE_COLUMNS[c].endswith("_delta")
                self.sites.setItem(r, c, _Cell(value, delta))
        self.sites.setSortingEnabled(True)
        self.sites.resizeColumnsToContents()
        changed = sum(1 for row in rows if row[-1])
        summary = QLabel(
            f"{len(rows)} sites in both plans; {changed} changed gateway or region. "
            "Δ is B minus A.",
            self,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.totals)
        layout.addWidget(summary)
        layout.addWidget(self.sites, 1)
        self.resize(1000, 600)

"""A customer's SLA report in the console: the customer-facing document (the same as
the PDF) for this month so far or an earlier month, with "Export PDF…" and
"Export CSV…". The report is computed in a child process (``jobs.child_process``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from opsconsole.customers.sla import month_bounds
from opsconsole.ui.qt.background import BackgroundTask

MONTHS_BACK = 12
"""How many earlier months the period list offers."""


def months_before(now: datetime, count: int) -> list[tuple[datetime, datetime]]:
    """``now``'s month so far (ending ``now``), then the ``count`` whole months before."""
    start, _ = month_bounds(now.year, now.month)
    out = [(start, now)]
    year, month = now.year, now.month
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        out.append(month_bounds(year, month))
    return out


def _compute(db: str, customer: str, start: datetime, end: datetime) -> Any:
    from opsconsole.customers.standing import period_report
    from opsconsole.jobs.child_process import run_in_child

    return run_in_child(period_report, name="sla report", db_path=db, customer=customer,
                        start=start, end=end)  # fmt: skip


class SlaReportDialog(QDialog):
    """``customer``'s report from the database at ``db_path``; ``now`` (UTC) is the
    console's clock, so this month's report runs to the simulated present."""

    def __init__(
        self,
        db_path: Path,
        customer: str,
        now: datetime,
        parent: QWidget | None,
        compute: Callable[[str, str, datetime, datetime], Any] = _compute,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sla_report_dialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"SLA report: {customer}")
        self.db_path, self.customer, self._compute = db_path, customer, compute
        self.report: Any = None
        self.figures: dict[str, Any] | None = None
        self.task: BackgroundTask | None = None
        self.periods = months_before(now, MONTHS_BACK)
        self.period = QComboBox(self)
        self.period.setObjectName("sla_period")
        for i, (start, end) in enumerate(self.periods):
            text = f"{start:%B %Y}" + (f" so far (to {end:%d %b %H:%M} UTC)" if i == 0 else "")
            self.period.addItem(text)
        self.view = QTextBrowser(self)
        self.view.setObjectName("sla_report_view")
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.pdf = QPushButton("Export PDF…", self)
        self.csv = QPushButton("Export CSV…", self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        for button in (self.pdf, self.csv):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            button.setEnabled(False)
        buttons.rejected.connect(self.close)
        self.pdf.clicked.connect(self._export_pdf)
        self.csv.clicked.connect(self._export_csv)
        top = QHBoxLayout()
        top.addWidget(QLabel("Period:", self))
        top.addWidget(self.period, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(900, 780)
        self.period.currentIndexChanged.connect(self.load)
        self.load()

    def load(self, _index: int = 0) -> None:
        """Compute the chosen period's report (in the background)."""
        start, end = self.periods[self.period.currentIndex()]
        self.pdf.setEnabled(False)
        self.csv.setEnabled(False)
        self.message.setText(f"Computing {self.customer}'s report for {start:%B %Y}…")
        db, customer = str(self.db_path), self.customer
        self.task = BackgroundTask(
            self, "SLA report", lambda _p, _c: self._compute(db, customer, start, end),
            self._loaded, self._failed, show_dialog=False,
        )  # fmt: skip

    def _loaded(self, report: Any) -> None:
        from opsconsole.customers.sla_output import report_json
        from opsconsole.ui.qt.sla_document import sla_document

        self.task = None
        self.report, self.figures = report, report_json(report)
        document = sla_document(self.figures, f"{datetime.now(UTC):%d %B %Y %H:%M} UTC")
        document.setParent(self)
        self.view.setDocument(document)
        state = "met" if report.met else "missed"
        money = report.contract.currency
        text = (f"Availability {report.availability_pct:.3f} % (mean of {len(report.sites)} "
                f"sites), SLA {state}, credit {report.credit:,.2f} {money}.")  # fmt: skip
        if self.period.currentIndex() == 0:  # the month so far: as the Customers view says
            from opsconsole.customers.standing import standing_of

            _, month_end = month_bounds(report.start.year, report.start.month)
            whole = standing_of(report, month_end)
            text = (f"So far: {text[0].lower()}{text[1:-1]} (on the elapsed part's fee). For "
                    f"the whole month, a credit of {whole.credit:,.2f} {money} is already "
                    f"certain; status {whole.status}.")  # fmt: skip
        self.message.setText(text)
        self.pdf.setEnabled(True)
        self.csv.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        self.task = None
        self.view.clear()
        self.message.setText(f"Cannot compute the report: {error}")

    def _name(self, suffix: str) -> str:
        start, _ = self.periods[self.period.currentIndex()]
        safe = "".join(c if c.isalnum() else "-" for c in self.customer).strip("-")
        return f"sla-{safe}-{start:%Y-%m}{suffix}"

    def _export_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export SLA report", self._name(".pdf"),
                                              "PDF (*.pdf)")  # fmt: skip
        if path:
            self.export_pdf(path)

    def export_pdf(self, path: str) -> int:
        """Write the shown report as the customer-facing PDF; returns its page count."""
        from opsconsole.ui.qt.sla_document import write_sla_pdf

        assert self.figures is not None
        try:
            pages = write_sla_pdf(self.figures, path)
        except OSError as exc:
            self.message.setText(f"Cannot write {path}: {exc.strerror or exc}")
            return 0
        self.message.setText(f"Wrote {path} ({pages} pages).")
        return pages

    def _export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export SLA figures", self._name(".csv"),
                                              "CSV (*.csv)")  # fmt: skip
        if path:
            self.export_csv(path)

    def export_csv(self, path: str) -> None:
        """Write one row per site (``sla report --format csv``)."""
        from opsconsole.atomic_files import atomic_text
        from opsconsole.customers.sla_output import report_csv_rows
        from opsconsole.row_formats import write_rows

        columns, rows = report_csv_rows(self.report)
        try:
            with atomic_text(path, newline="") as out:
                write_rows(rows, columns, "csv", out=out)
        except OSError as exc:
            self.message.setText(f"Cannot write {path}: {exc.strerror or exc}")
            return
        self.message.setText(f"Wrote {path} ({len(rows)} sites).")

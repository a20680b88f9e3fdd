"""Editing one customer's contract: every figure of ``core.contracts.Contract`` in a
form, checked as it is typed (``contract_problems``); OK stays disabled while anything
is wrong and the problems are listed in words."""

from __future__ import annotations

from zoneinfo import available_timezones

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from opsconsole.core.contract_files import parse_tiers, tiers_text
from opsconsole.core.contracts import (
    MAX_MIN_OUTAGE_S,
    MAX_MONTHLY_FEE,
    MAX_NOTICE_H,
    MAX_RTT_OBJECTIVE_MS,
    Contract,
    CreditTier,
    contract_problems,
)

UTC_ONLY = "(UTC only)"


def _spin(low: float, high: float, decimals: int, suffix: str, name: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setObjectName(name)
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setSuffix(suffix)
    box.setKeyboardTracking(True)
    return box


class ContractDialog(QDialog):
    """The contract of ``customer``: ``contract`` to edit, or ``None`` for a new one
    (the defaults of :class:`Contract`). :meth:`contract` is the accepted result."""

    def __init__(self, customer: str, contract: Contract | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("contract_dialog")
        self.setWindowTitle(f"Contract: {customer}")
        self.customer = customer
        c = contract or Contract(customer)
        self.availability = _spin(0.001, 100.0, 3, " %", "availability")
        self.min_outage = _spin(0.0, MAX_MIN_OUTAGE_S, 0, " s", "min_outage")
        self.own_rtt = QCheckBox("each site's own objective")
        self.own_rtt.setObjectName("own_rtt")
        self.max_rtt = _spin(0.1, MAX_RTT_OBJECTIVE_MS, 1, " ms", "max_rtt")
        self.percentile = _spin(1.0, 100.0, 1, "", "percentile")
        self.fee = _spin(0.0, MAX_MONTHLY_FEE, 2, "", "fee")
        self.currency = QLineEdit()
        self.currency.setObjectName("currency")
        self.currency.setMaxLength(3)
        self.currency.setFixedWidth(60)
        self.kind = QComboBox()
        self.kind.setObjectName("credit_kind")
        self.kind.addItems(["flat", "tiered"])
        self.flat_pct = _spin(0.0, 100.0, 2, " %", "flat_pct")
        self.tiers = QLineEdit()
        self.tiers.setObjectName("tiers")
        self.tiers.setPlaceholderText("below %:credit %;…  e.g. 99.99:10;99:25;95:100")
        self.notice = _spin(0.0, MAX_NOTICE_H, 1, " h", "notice")
        self.zone = QComboBox()
        self.zone.setObjectName("time_zone")
        self.zone.setEditable(True)
        self.zone.addItems([UTC_ONLY, *sorted(available_timezones())])
        self.problems = QLabel()
        self.problems.setObjectName("contract_problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self._show(c)
        for box in (self.availability, self.min_outage, self.max_rtt, self.percentile,
                    self.fee, self.flat_pct, self.notice):  # fmt: skip
            box.valueChanged.connect(self._check)
        for line in (self.currency, self.tiers):
            line.textChanged.connect(self._check)
        self.own_rtt.toggled.connect(self._check)
        self.kind.currentTextChanged.connect(self._check)
        self.zone.currentTextChanged.connect(self._check)
        self._check()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow("Availability objective (per month)", self.availability)
        form.addRow("Shortest outage that counts", self.min_outage)
        rtt = QHBoxLayout()
        rtt.addWidget(self.max_rtt)
        rtt.addWidget(self.own_rtt)
        form.addRow("Round-trip objective", rtt)
        form.addRow("Round-trip percentile", self.percentile)
        fee = QHBoxLayout()
        fee.addWidget(self.fee)
        fee.addWidget(self.currency)
        form.addRow("Monthly fee per site", fee)
        form.addRow("Credit schedule", self.kind)
        form.addRow("Flat credit (of the fee)", self.flat_pct)
        form.addRow("Tiers", self.tiers)
        form.addRow("Maintenance excluded when notified", self.notice)
        form.addRow("Time zone of notices", self.zone)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

    def _show(self, c: Contract) -> None:
        self.availability.setValue(c.availability_pct)
        self.min_outage.setValue(c.min_outage_s)
        self.own_rtt.setChecked(c.max_rtt_ms is None)
        self.max_rtt.setValue(c.max_rtt_ms if c.max_rtt_ms is not None else 100.0)
        self.percentile.setValue(c.rtt_percentile)
        self.fee.setValue(c.monthly_fee)
        self.currency.setText(c.currency)
        self.kind.setCurrentText(c.credit_kind)
        self.flat_pct.setValue(c.tiers[0].credit_pct if c.tiers else 20.0)
        self.tiers.setText(tiers_text(c.tiers) if c.credit_kind == "tiered" else "")
        self.notice.setValue(c.maintenance_notice_h)
        self.zone.setCurrentText(c.time_zone or UTC_ONLY)

    def _read(self) -> tuple[Contract | None, list[str]]:
        flat = self.kind.currentText() == "flat"
        try:
            tiers = (
                (CreditTier(self.availability.value(), self.flat_pct.value()),)
                if flat
                else parse_tiers(self.tiers.text())
            )
        except ValueError as exc:
            return None, [str(exc)]
        zone = self.zone.currentText().strip()
        contract = Contract(
            self.customer,
            availability_pct=self.availability.value(),
            min_outage_s=self.min_outage.value(),
            max_rtt_ms=None if self.own_rtt.isChecked() else self.max_rtt.value(),
            rtt_percentile=self.percentile.value(),
            monthly_fee=self.fee.value(),
            currency=self.currency.text().strip(),
            credit_kind=self.kind.currentText(),
            tiers=tiers,
            maintenance_notice_h=self.notice.value(),
            time_zone=None if zone in ("", UTC_ONLY) else zone,
        )
        problems = contract_problems(contract)
        return (None if problems else contract), problems

    def _check(self) -> None:
        flat = self.kind.currentText() == "flat"
        self.flat_pct.setEnabled(flat)
        self.tiers.setEnabled(not flat)
        self.max_rtt.setEnabled(not self.own_rtt.isChecked())
        contract, problems = self._read()
        self.problems.setText("\n".join(f"• {p}" for p in problems))
        self.problems.setVisible(bool(problems))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(contract is not None)

    def contract(self) -> Contract | None:
        """The contract as the form shows it (``None`` while something is wrong)."""
        return self._read()[0]

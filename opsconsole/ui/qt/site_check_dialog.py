""" "Can we serve a site here?": the onboarding check (``customers.onboarding``) from the
console. The candidate is planned with the catalog's sites over the next hours at 15 s
in a child process (cancellable, writes nothing); the verdict, the share of slots
served, the round-trip percentiles and the gateways, PoPs and regions that would
serve are shown, and "New site here…" hands the point to the Inspector's new-site
form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from opsconsole.core.catalog import SiteSpec, residency_zones
from opsconsole.ui.qt.background import BackgroundTask, failure_text

VERDICT_COLOURS = {"meets": "#1b7f3b", "meets with risks": "#b26a00"}
"""Verdict colours (anything else, "cannot meet", in red)."""


def _check(db: str, spec: SiteSpec, start: datetime, hours: float) -> Any:
    from opsconsole.customers.onboarding import check_site_at
    from opsconsole.jobs.child_process import run_in_child

    return run_in_child(check_site_at, name="onboarding check", db_path=db, spec=spec,
                        start=start, hours=hours)  # fmt: skip


def _spin(low: float, high: float, value: float, suffix: str, decimals: int = 1) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setValue(value)
    box.setSuffix(suffix)
    return box


def check_html(found: Any, spec: SiteSpec) -> str:
    """The check's result as rich text."""
    colour = VERDICT_COLOURS.get(found.verdict, "#b00020")
    reasons = "".join(f"<li>{r}</li>" for r in found.reasons)
    p = found.rtt_percentiles_ms
    rtt = ", ".join(f"{k} {v:.1f} ms" for k, v in p.items() if v is not None) or "no service"
    gateways = ", ".join(f"{g} ({s:g} %)" for g, s in found.gateways) or "none"
    regions = ", ".join(f"{r} ({s:g} %)" for r, s in found.regions) or "none"
    return (
        f"<h2 style='color:{colour}'>{found.verdict}</h2>"
        + (f"<ul>{reasons}</ul>" if reasons else "")
        + f"<p>Over {found.hours:g} h from {found.start:%Y-%m-%d %H:%M} UTC at "
        f"{found.step_s:g} s: served <b>{found.served_pct:.2f} %</b> of slots "
        f"(objective {spec.min_availability_pct:g} %).</p>"
        f"<p>Round trip: {rtt} (objective {spec.max_rtt_ms:g} ms).</p>"
        f"<p>Gateways: {gateways}<br>PoPs: {', '.join(found.pops) or 'none'}<br>"
        f"Regions: {regions}</p>"
    )


class SiteCheckDialog(QDialog):
    """The check for a site at (``lat``, ``lon``) degrees, from ``now`` (UTC)."""

    def __init__(
        self,
        db_path: Path,
        lat: float,
        lon: float,
        now: datetime,
        parent: QWidget | None,
        new_site: Callable[[float, float], object],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("site_check_dialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Can we serve a site here?")
        self.db_path, self.now, self._new_site = db_path, now, new_site
        self.found: Any = None
        self.task: BackgroundTask | None = None
        self.lat = _spin(-90.0, 90.0, lat, "°", 4)
        self.lon = _spin(-180.0, 180.0, lon, "°", 4)
        self.alt = _spin(-500.0, 9000.0, 0.0, " m", 0)
        self.demand = _spin(0.1, 100_000.0, 50.0, " Mbps")
        self.max_rtt = _spin(1.0, 10_000.0, 100.0, " ms")
        self.availability = _spin(0.1, 100.0, 99.0, " %", 2)
        self.residency = QLineEdit(self)
        self.residency.setObjectName("check_residency")
        self.residency.setPlaceholderText("any zone; or e.g. EU;GB")
        self.residency.setToolTip("Known zones: " + ", ".join(sorted(residency_zones())))
        self.own_mask = QCheckBox("terminal's own mask", self)
        self.mask_deg = _spin(-5.0, 90.0, 25.0, "°")
        self.hours = _spin(1.0, 168.0, 24.0, " h", 0)
        for box in (self.lat, self.lon, self.alt, self.demand, self.max_rtt, self.availability,
                    self.mask_deg, self.hours):  # fmt: skip
            box.setParent(self)
        self.mask_deg.setEnabled(False)
        self.own_mask.toggled.connect(self.mask_deg.setEnabled)
        form = QFormLayout()
        for label, widget in (("Latitude", self.lat), ("Longitude", self.lon),
                              ("Altitude", self.alt), ("Demand", self.demand),
                              ("Round-trip objective", self.max_rtt),
                              ("Availability objective", self.availability),
                              ("Data residency", self.residency), ("", self.own_mask),
                              ("Minimum elevation", self.mask_deg),
                              ("Look ahead", self.hours)):  # fmt: skip
            form.addRow(label, widget)
        self.result_view = QTextBrowser(self)
        self.result_view.setObjectName("check_result")
        self.result_view.setHtml("<p>Press <b>Check</b>: the site is planned with the catalog's "
                            "sites over the look-ahead, every 15 s.</p>")  # fmt: skip
        self.go = QPushButton("Check", self)
        self.go.setObjectName("check_go")
        self.add = QPushButton("New site here…", self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.go, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.add, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        self.go.clicked.connect(self.check)
        self.add.clicked.connect(lambda: self._new_site(self.lat.value(), self.lon.value()))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result_view, 1)
        layout.addWidget(buttons)
        self.resize(620, 700)

    def spec(self) -> tuple[SiteSpec | None, str]:
        """The candidate site, or why the form cannot describe one."""
        zones = tuple(z.strip().upper() for z in self.residency.text().split(";") if z.strip())
        unknown = sorted(set(zones) - residency_zones())
        if unknown:
            return None, f"unknown residency zone(s) {', '.join(unknown)}"
        mask = self.mask_deg.value() if self.own_mask.isChecked() else None
        spec = SiteSpec("candidate", self.lat.value(), self.lon.value(), self.alt.value(),
                        self.demand.value(), self.max_rtt.value(), self.availability.value(),
                        zones, 2, mask)  # fmt: skip
        return spec, ""

    def check(self) -> None:
        """Run the check in the background."""
        spec, problem = self.spec()
        if spec is None:
            self.result_view.setHtml(f"<p style='color:#b00020'>{problem}</p>")
            return
        start = (self.now + timedelta(minutes=1)).replace(second=0, microsecond=0)
        hours, db = self.hours.value(), str(self.db_path)
        self.go.setEnabled(False)
        self.result_view.setHtml(f"<p>Planning {hours:g} h from {start:%Y-%m-%d %H:%M} UTC…</p>")
        self.task = BackgroundTask(self, "Can we serve a site here?",
                                   lambda _p, _c: _check(db, spec, start, hours),
                                   lambda found: self._shown(found, spec), self._failed,
                                   busy=True)  # fmt: skip

    def _shown(self, found: Any, spec: SiteSpec) -> None:
        self.task, self.found = None, found
        self.go.setEnabled(True)
        self.result_view.setHtml(check_html(found, spec))

    def _failed(self, error: BaseException) -> None:
        self.task = None
        self.go.setEnabled(True)
        text = failure_text(error).replace("Nothing was recorded: ", "The check failed: ")
        self.result_view.setHtml(f"<p style='color:#b00020'>{text}</p>")

"""The main window's status bar: replayed plan, UTC and local time, element age, the
reach of the Earth-orientation data, frame rate and satellites drawn; refreshed at 4 Hz
by the window. (The colour legend is under the globe: ``GlobeView.set_legend``.)"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar

from opsconsole.core.element_sets import ElementSet, age_status
from opsconsole.core.timescale import earth_orientation_ends
from opsconsole.ui.qt.time_format import format_times

AGE_COLORS = {"ok": "#7bd88f", "warning": "#ffcc66", "stale": "#ff6b6b"}


class ConsoleStatus:
    """Labels added to ``bar``; :meth:`refresh` rewrites the ones that change."""

    def __init__(self, bar: QStatusBar) -> None:
        self.time = QLabel()
        self.age = QLabel()
        self.eop = QLabel()
        self.eop.setObjectName("status_eop")
        self.eop_ends = earth_orientation_ends()
        self.fps = QLabel()
        self.drawn = QLabel()
        self.plan = QLabel()
        self.plan.setObjectName("status_plan")
        # the plan's line may be long: it must never widen the window (full in the tooltip)
        self.plan.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.plan.setMinimumWidth(120)
        bar.addWidget(self.plan, 1)
        for label in (self.time, self.age, self.eop, self.fps, self.drawn):
            bar.addPermanentWidget(label)

    def refresh(
        self,
        now: datetime,
        elements: ElementSet,
        fps: float,
        drawn: int,
        plan_text: str,
        playing: bool = True,
    ) -> None:
        """Rewrite the time, element age, frame rate (only while the clock plays: a
        paused globe draws only when something changes), satellites drawn and plan."""
        utc, local = format_times(now)
        self.time.setText(f"{utc} · {local}")
        median = elements.median_epoch()
        if median is not None:
            age = (now - median) / timedelta(days=1)
            status = age_status(age)
            when = f"{age:.1f} d old" if age >= 0 else f"epoch {-age:.1f} d in the future"
            self.age.setText(f"elements {when}" + (" (synthetic)" if elements.synthetic else ""))
            self.age.setStyleSheet(f"color: {AGE_COLORS[status]}")
            self.age.setToolTip(
                f"median element epoch {median:%Y-%m-%d %H:%M} UTC; status: {status}"
            )
        self._show_eop(now)
        self.fps.setText(f"{fps:.0f} fps" if playing else "paused")
        self.drawn.setText(f"{drawn} satellites drawn")
        self.plan.setText(plan_text)
        self.plan.setToolTip(plan_text)

    def _show_eop(self, now: datetime) -> None:
        """ "EOP to DATE": green while the clock is within the IERS table, amber after it
        (UT1 and polar motion held constant: Earth-fixed positions off by metres)."""
        past = (now - self.eop_ends) / timedelta(days=1)
        self.eop.setText(f"EOP to {self.eop_ends:%Y-%m-%d}")
        self.eop.setStyleSheet(f"color: {AGE_COLORS['ok' if past <= 0 else 'warning']}")
        held = (
            f"the clock is {past:.0f} days past it: UT1 and polar motion are held constant, "
            "Earth-fixed positions may be off by metres (opsconsole eop refresh)"
            if past > 0
            else "the clock is within it"
        )
        self.eop.setToolTip(
            f"IERS Earth-orientation data (UT1-UTC, polar motion) ends "
            f"{self.eop_ends:%Y-%m-%d} UTC; {held}"
        )

"""The main window's status bar: colour legend, replayed plan, UTC and local time,
element age, frame rate and satellites drawn; refreshed at 4 Hz by the window."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar

from opsconsole.core.element_sets import ElementSet, age_status
from opsconsole.ui.qt.time_format import format_times

AGE_COLORS = {"ok": "#7bd88f", "warning": "#ffcc66", "stale": "#ff6b6b"}


class ConsoleStatus:
    """Labels added to ``bar``; :meth:`refresh` rewrites the ones that change."""

    def __init__(self, bar: QStatusBar) -> None:
        self.time = QLabel()
        self.age = QLabel()
        self.fps = QLabel()
        self.drawn = QLabel()
        self.plan = QLabel()
        self.plan.setObjectName("status_plan")
        self.legend = QLabel()
        # legend and plan may be long: they must never widen the window
        for label in (self.legend, self.plan):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(120)
        bar.addWidget(self.legend, 1)  # left, sharing the space that is left
        bar.addWidget(self.plan, 1)
        for label in (self.time, self.age, self.fps, self.drawn):
            bar.addPermanentWidget(label)

    def set_legend(self, entries: list[tuple[str, tuple[float, float, float]]]) -> None:
        """Colour legend (label, RGB 0..1); the first eight shown, all in the tooltip."""
        html = " ".join(
            f"<span style='color: rgb({int(r * 255)},{int(g * 255)},{int(b * 255)})'>●</span>"
            f"&nbsp;{label}"
            for label, (r, g, b) in entries[:8]
        )
        self.legend.setText(html)
        self.legend.setToolTip("<br>".join(label for label, _ in entries))

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
        self.fps.setText(f"{fps:.0f} fps" if playing else "paused")
        self.drawn.setText(f"{drawn} satellites drawn")
        self.plan.setText(plan_text)
        self.plan.setToolTip(plan_text)

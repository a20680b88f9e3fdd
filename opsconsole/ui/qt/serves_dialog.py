""" "What serves this point?": satellites in view now, and 24-hour coverage computed on a
worker thread (progress and cancel)."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from PySide6.QtWidgets import QDialog, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from opsconsole.core.element_sets import ElementSet
from opsconsole.core.look_angles import Sites
from opsconsole.jobs.cancel import Cancelled
from opsconsole.planning.coverage import Coverage, coverage, in_view
from opsconsole.ui.qt.background import BackgroundTask


class ServesDialog(QDialog):
    """Answers "what serves (lat, lon)?" at ``when`` for a mask in degrees."""

    def __init__(
        self,
        parent: QWidget,
        elements: ElementSet,
        positions: NDArray[np.float64],
        lat: float,
        lon: float,
        when: datetime,
        mask_deg: float,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("serves_dialog")
        self.setWindowTitle(f"What serves {lat:+.3f}°, {lon:+.3f}°?")
        site = Sites.from_geodetic([lat], [lon])
        seen = in_view(site, positions, mask_deg)
        self.in_view = seen
        header = QLabel(
            f"At {when:%Y-%m-%d %H:%M:%S} UTC, {len(seen.satellite)} satellite(s) "
            f"are at or above {mask_deg:g}° elevation:"
        )
        header.setWordWrap(True)
        self.table = QTableWidget(len(seen.satellite), 4, self)
        self.table.setHorizontalHeaderLabels(["Satellite", "Elevation °", "Azimuth °", "Range km"])
        for row, i in enumerate(seen.satellite):
            values = (
                elements.names[i],
                f"{seen.elevation_deg[row]:.1f}",
                f"{seen.azimuth_deg[row]:.1f}",
                f"{seen.range_km[row]:.0f}",
            )
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.coverage_label = QLabel("Next 24 h: computing coverage…", self)
        self.coverage_label.setObjectName("coverage_label")
        self.coverage_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(self.table)
        layout.addWidget(self.coverage_label)
        self.resize(520, 420)
        self.coverage_result: Coverage | None = None

        def work(progress, cancelled):  # type: ignore[no-untyped-def]
            return coverage(
                elements,
                site,
                when,
                min_elevation_deg=mask_deg,
                progress=progress,
                cancelled=cancelled,
            )

        self.task = BackgroundTask(
            self, "Coverage over the next 24 h", work, self._done, self._failed, show_dialog=False
        )
        self.finished.connect(lambda _code: self.task.cancel())

    def _done(self, result: Coverage) -> None:
        self.coverage_result = result
        self.coverage_label.setText(
            f"Next 24 h (sampled every {result.step_s:g} s): at least one satellite above the "
            f"mask {100 * result.fraction:.1f} % of the time; longest gap "
            f"{result.longest_gap_s / 60:.0f} min; {result.count.mean():.1f} in view on average."
        )

    def _failed(self, error: BaseException) -> None:
        text = "cancelled" if isinstance(error, Cancelled) else f"failed: {error}"
        self.coverage_label.setText(f"Next 24 h: {text}")

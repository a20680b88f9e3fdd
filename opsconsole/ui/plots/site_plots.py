"""One site under a plan: its serving satellite's elevation over time, with a marker at
every handover, and its round trip over time against the site's objective."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from opsconsole.plans.playback import SiteSeries
from opsconsole.ui.plots.time_plots import (
    MASK_PEN,
    OBJECTIVE_PEN,
    TimeCursor,
    show_window,
    time_plot,
)

ELEVATION_PEN = pg.mkPen((120, 200, 255), width=1.5)
RTT_PEN = pg.mkPen((140, 255, 150), width=1.5)
MISS_BRUSH = pg.mkBrush(255, 160, 30)
HANDOVER_BRUSH = pg.mkBrush(255, 255, 255)


class SitePlots(QWidget):
    """Elevation (deg) and round trip (ms) of one site over the plan window; x linked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("Select a site to see its service under the plan.", self)
        self.title.setWordWrap(True)
        self.elevation_plot = time_plot(self, "Elevation", "°")
        self.rtt_plot = time_plot(self, "Round trip", "ms")
        self.rtt_plot.setXLink(self.elevation_plot)
        self.elevation_curve = self.elevation_plot.plot([], [], pen=ELEVATION_PEN, connect="finite")
        self.handovers = pg.ScatterPlotItem(size=9, symbol="t", brush=HANDOVER_BRUSH, pen=None)
        self.elevation_plot.addItem(self.handovers)
        self.mask_line = pg.InfiniteLine(angle=0, movable=False, pen=MASK_PEN)
        self.elevation_plot.addItem(self.mask_line, ignoreBounds=True)
        # with a horizon profile: the horizon under the serving satellite, slot by slot
        self.horizon_curve = self.elevation_plot.plot([], [], pen=MASK_PEN, connect="finite")
        self.rtt_curve = self.rtt_plot.plot([], [], pen=RTT_PEN, connect="finite")
        self.misses = pg.ScatterPlotItem(size=5, symbol="o", brush=MISS_BRUSH, pen=None)
        self.rtt_plot.addItem(self.misses)
        self.objective_line = pg.InfiniteLine(angle=0, movable=False, pen=OBJECTIVE_PEN)
        self.rtt_plot.addItem(self.objective_line)
        self.time_cursor = TimeCursor(self.elevation_plot, self.rtt_plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.title)
        layout.addWidget(self.elevation_plot, 1)
        layout.addWidget(self.rtt_plot, 1)
        layout.addStretch(0)
        self._show_plots(False)  # no empty axes with meaningless ticks: the title says why

    def _show_plots(self, visible: bool) -> None:
        self.elevation_plot.setVisible(visible)
        self.rtt_plot.setVisible(visible)

    def clear(self, message: str) -> None:
        """No plots, and a message saying why."""
        self.title.setText(message)
        self._show_plots(False)
        for item in (self.elevation_curve, self.rtt_curve, self.horizon_curve):
            item.setData([], [])
        self.handovers.setData([], [])
        self.misses.setData([], [])

    def show_series(
        self,
        title: str,
        epochs: NDArray[np.float64],
        series: SiteSeries,
        elevation_deg: NDArray[np.float64] | None,
        mask_deg: float,
        horizon_deg: NDArray[np.float64] | None = None,
    ) -> None:
        """Draw one site: slot starts (POSIX s), its series and (when known) the serving
        satellite's elevation per slot; the terminal mask as a line, or, for a site with
        a horizon profile, the horizon at the serving satellite's azimuth per slot."""
        self._show_plots(True)
        served = int(np.isfinite(series.rtt_ms).sum())
        self.title.setText(
            f"{title}: {served}/{len(epochs)} slots served, "
            f"{len(series.handover_slots)} handovers, objective {series.max_rtt_ms:g} ms; "
            + (
                f"dotted: the {mask_deg:g}° mask"
                if horizon_deg is None
                else "dotted: its horizon under the serving satellite"
            )
        )
        self.rtt_curve.setData(epochs, series.rtt_ms)
        miss = np.isfinite(series.rtt_ms) & (series.rtt_ms > series.max_rtt_ms)
        self.misses.setData(epochs[miss], series.rtt_ms[miss])
        self.objective_line.setValue(series.max_rtt_ms)
        self.mask_line.setValue(mask_deg)
        self.mask_line.setVisible(horizon_deg is None)
        self.horizon_curve.setData(*(([], []) if horizon_deg is None else (epochs, horizon_deg)))
        if elevation_deg is None:
            self.elevation_curve.setData([], [])
            self.handovers.setData([], [])
        else:
            self.elevation_curve.setData(epochs, elevation_deg)
            h = series.handover_slots
            self.handovers.setData(epochs[h], elevation_deg[h])
        show_window(self.elevation_plot, float(epochs[0]), float(epochs[-1]))
        show_window(self.rtt_plot, float(epochs[0]), float(epochs[-1]))
        self.elevation_plot.setYRange(0.0, 90.0, padding=0.02)

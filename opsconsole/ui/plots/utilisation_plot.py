"""Load on one satellite, gateway or cloud region over a plan window, against capacity."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from opsconsole.ui.plots.time_plots import OBJECTIVE_PEN, TimeCursor, show_window, time_plot

LOAD_PEN = pg.mkPen((120, 200, 255), width=1.5)
LOAD_BRUSH = pg.mkBrush(120, 200, 255, 60)


class UtilisationPlot(QWidget):
    """Planned load (Gbps) per slot as steps, and the capacity line when finite."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("Select a satellite, gateway or cloud region.", self)
        self.title.setWordWrap(True)
        self.plot = time_plot(self, "Load", "Gbps")
        self.curve = self.plot.plot([], [], pen=LOAD_PEN, fillLevel=0.0, brush=LOAD_BRUSH)
        self.capacity = pg.InfiniteLine(angle=0, movable=False, pen=OBJECTIVE_PEN)
        self.plot.addItem(self.capacity)
        self.time_cursor = TimeCursor(self.plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)
        layout.addStretch(0)
        self.plot.hide()  # no empty axes with meaningless ticks: the title says why

    def clear(self, message: str) -> None:
        """No plot, and a message saying why."""
        self.title.setText(message)
        self.curve.setData([], [])
        self.capacity.hide()
        self.plot.hide()

    def show_load(
        self,
        title: str,
        epochs: NDArray[np.float64],
        step_s: float,
        load_gbps: NDArray[np.float64],
        capacity_gbps: float,
    ) -> None:
        """Steps of ``load_gbps`` per slot starting at ``epochs`` (POSIX s)."""
        self.plot.show()
        edges = np.append(epochs, epochs[-1] + step_s)
        self.curve.setData(edges, load_gbps, stepMode="center")
        peak = float(load_gbps.max()) if load_gbps.size else 0.0
        text = f"{title}: peak {peak:.2f} Gbps"
        if math.isfinite(capacity_gbps):
            self.capacity.setValue(capacity_gbps)
            self.capacity.show()
            text += f" of {capacity_gbps:g} Gbps ({100.0 * peak / capacity_gbps:.0f} %)"
        else:
            self.capacity.hide()
            text += " (no capacity limit in the plan)"
        self.title.setText(text)
        show_window(self.plot, float(edges[0]), float(edges[-1]))

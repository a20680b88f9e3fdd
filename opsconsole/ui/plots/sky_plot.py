"""Polar sky plot of one site now: every satellite above the horizon by azimuth and
elevation, those above the terminal mask brighter, the plan's serving satellite ringed.

Radius is the zenith angle (90° - elevation): the zenith is at the centre and the
horizon on the outer ring; north is up and east to the right.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QLabel, QVBoxLayout, QWidget

from opsconsole.ui.plots.time_plots import plot_widget

RING_PEN = pg.mkPen((110, 110, 110), width=1)
MASK_RING_PEN = pg.mkPen((255, 200, 80), width=1.5)
ABOVE_BRUSH = pg.mkBrush(120, 220, 255)
BELOW_BRUSH = pg.mkBrush(110, 110, 130)
SERVING_PEN = pg.mkPen((90, 255, 120), width=2.5)


def sky_xy(
    azimuth_deg: NDArray[np.float64], elevation_deg: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Plot coordinates of (azimuth, elevation) in degrees: x east, y north."""
    r = 90.0 - elevation_deg
    az = np.radians(azimuth_deg)
    return r * np.sin(az), r * np.cos(az)


class SkyPlot(QWidget):
    """Satellites over one site at one instant."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("Select a site to see its sky.", self)
        self.title.setWordWrap(True)
        self.plot = plot_widget(self)
        self.plot.setAspectLocked(True)
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.setMouseEnabled(x=False, y=False)
        for elevation in (0.0, 30.0, 60.0):
            self._ring(90.0 - elevation, RING_PEN)
        self.mask_ring = self._ring(65.0, MASK_RING_PEN)
        for az in range(0, 360, 30):
            ex, ny = sky_xy(np.array([az], float), np.array([0.0]))
            self.plot.plot([0.0, float(ex[0])], [0.0, float(ny[0])], pen=RING_PEN)
        for text, (lx, ly) in (("N", (0, 96)), ("E", (96, 0)), ("S", (0, -96)), ("W", (-96, 0))):
            label = pg.TextItem(text, color=(200, 200, 200), anchor=(0.5, 0.5))
            label.setPos(lx, ly)
            self.plot.addItem(label)
        self.points = pg.ScatterPlotItem(size=7, pen=None)
        self.serving = pg.ScatterPlotItem(size=16, symbol="o", brush=None, pen=SERVING_PEN)
        self.plot.addItem(self.points)
        self.plot.addItem(self.serving)
        self.plot.setRange(xRange=(-100, 100), yRange=(-100, 100), padding=0.0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)
        self.shown = 0

    def _ring(self, radius: float, pen: QPen) -> QGraphicsEllipseItem:
        ring = QGraphicsEllipseItem(-radius, -radius, 2 * radius, 2 * radius)
        ring.setPen(pen)
        self.plot.addItem(ring)
        return ring

    def set_mask(self, mask_deg: float) -> None:
        """Draw the terminal mask ring at ``mask_deg`` elevation."""
        r = 90.0 - mask_deg
        self.mask_ring.setRect(-r, -r, 2 * r, 2 * r)

    def clear(self, message: str) -> None:
        """No site: empty sky and a message."""
        self.title.setText(message)
        self.points.setData([], [])
        self.serving.setData([], [])
        self.shown = 0

    def show_sky(
        self,
        title: str,
        azimuth_deg: NDArray[np.float64],
        elevation_deg: NDArray[np.float64],
        mask_deg: float,
        serving: int | None,
        names: list[str],
    ) -> None:
        """Satellites above the horizon ``(n,)`` (degrees); ``serving`` indexes them."""
        self.set_mask(mask_deg)
        x, y = sky_xy(azimuth_deg, elevation_deg)
        above = elevation_deg >= mask_deg
        brushes = [ABOVE_BRUSH if a else BELOW_BRUSH for a in above]
        self.points.setData(x=x, y=y, brush=brushes, data=names)
        if serving is not None:
            self.serving.setData([float(x[serving])], [float(y[serving])])
        else:
            self.serving.setData([], [])
        self.shown = len(x)
        text = f"{title}: {int(above.sum())} above the {mask_deg:g}° mask, {len(x)} above horizon"
        if serving is not None:
            text += f"; serving {names[serving]} at {elevation_deg[serving]:.1f}°"
        self.title.setText(text)

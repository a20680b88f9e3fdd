"""Polar sky plot of one site now: every satellite above the horizon by azimuth and
elevation, those above the site's horizon (its terminal mask raised by its horizon
profile, ``core.horizon``) brighter, the part of the sky the site cannot use shaded,
and the plan's serving satellite ringed.

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
BLOCKED_BRUSH = pg.mkBrush(255, 200, 80, 45)
HORIZON_AZIMUTHS = np.linspace(0.0, 360.0, 361)
"""Azimuths (deg) at which the site's horizon is drawn."""


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
        outer_x, outer_y = sky_xy(HORIZON_AZIMUTHS, np.zeros(HORIZON_AZIMUTHS.size))
        self.outer = pg.PlotCurveItem(outer_x, outer_y, pen=None)
        self.horizon = pg.PlotCurveItem(pen=MASK_RING_PEN)
        self.blocked = pg.FillBetweenItem(self.outer, self.horizon, brush=BLOCKED_BRUSH)
        self.plot.addItem(self.outer)
        self.plot.addItem(self.blocked)
        self.plot.addItem(self.horizon)
        self.set_horizon(np.full(HORIZON_AZIMUTHS.size, 25.0))
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

    def set_horizon(self, required_deg: NDArray[np.float64]) -> None:
        """Draw the site's horizon: the elevation (deg) it needs at each of
        :data:`HORIZON_AZIMUTHS`; the sky below it is shaded."""
        x, y = sky_xy(HORIZON_AZIMUTHS, np.clip(required_deg, 0.0, 90.0))
        self.horizon.setData(x, y)
        self.horizon_deg = np.asarray(required_deg, dtype=float)

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
        above: NDArray[np.bool_],
        horizon_deg: NDArray[np.float64],
        serving: int | None,
        names: list[str],
    ) -> None:
        """Satellites above the geometric horizon ``(n,)`` (degrees) and which of them
        are above the site's own horizon (``above``); ``horizon_deg`` is the elevation the
        site needs at each of :data:`HORIZON_AZIMUTHS`; ``serving`` indexes the
        satellites."""
        self.set_horizon(horizon_deg)
        x, y = sky_xy(azimuth_deg, elevation_deg)
        brushes = [ABOVE_BRUSH if a else BELOW_BRUSH for a in above]
        self.points.setData(x=x, y=y, brush=brushes, data=names)
        if serving is not None:
            self.serving.setData([float(x[serving])], [float(y[serving])])
        else:
            self.serving.setData([], [])
        self.shown = len(x)
        low, high = float(horizon_deg.min()), float(horizon_deg.max())
        mask = f"the {low:g}° mask" if high - low < 1e-9 else f"its horizon ({low:g}–{high:g}°)"
        text = f"{title}: {int(above.sum())} above {mask}, {len(x)} above the geometric horizon"
        if serving is not None:
            text += f"; serving {names[serving]} at {elevation_deg[serving]:.1f}°"
        self.title.setText(text)

"""Shared pieces of the time plots: a UTC time axis and the simulation-time cursor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

CURSOR_PEN = pg.mkPen((255, 255, 255, 170), width=1, style=Qt.PenStyle.DashLine)
OBJECTIVE_PEN = pg.mkPen((255, 90, 90), width=1.5, style=Qt.PenStyle.DashLine)
MASK_PEN = pg.mkPen((160, 160, 160), width=1, style=Qt.PenStyle.DotLine)


def plot_widget(parent: QWidget | None, **kwargs: Any) -> pg.PlotWidget:
    """A ``PlotWidget`` without pyqtgraph's context menus. Those are parentless
    top-level ``QMenu`` objects that outlive the window until Python collects them; the
    options menu that is always built is handed to the widget so it goes with it."""
    plot = pg.PlotWidget(parent, enableMenu=False, **kwargs)
    item = plot.getPlotItem()
    item.ctrlMenu.setParent(plot, Qt.WindowType.Popup)
    return plot


def time_plot(parent: QWidget | None, y_label: str, units: str = "") -> pg.PlotWidget:
    """A plot whose x axis is UTC time (POSIX seconds), with a grid and a y label."""
    axis = pg.DateAxisItem(orientation="bottom", utcOffset=0)
    plot = plot_widget(parent, axisItems={"bottom": axis})
    plot.setLabel("left", y_label, units=units)
    plot.setLabel("bottom", "UTC")
    plot.showGrid(x=True, y=True, alpha=0.25)
    plot.setMouseEnabled(x=True, y=False)
    return plot


def show_window(plot: pg.PlotWidget, start_epoch: float, end_epoch: float) -> None:
    """Show ``start_epoch .. end_epoch`` (POSIX s) with the dates in the axis label
    ("UTC, 2026-12-03" or "UTC, 2026-12-03 – 2026-12-04"): tick labels give only the
    time of day inside a day."""
    first = datetime.fromtimestamp(start_epoch, UTC).date()
    last = datetime.fromtimestamp(end_epoch, UTC).date()
    dates = f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} – {last:%Y-%m-%d}"
    plot.setLabel("bottom", f"UTC, {dates}")
    plot.setXRange(start_epoch, end_epoch, padding=0.01)


class TimeCursor:
    """A vertical line at the simulation time on each of several plots."""

    def __init__(self, *plots: pg.PlotWidget) -> None:
        self.lines = []
        for plot in plots:
            line = pg.InfiniteLine(angle=90, movable=False, pen=CURSOR_PEN)
            line.setZValue(10)
            plot.addItem(line, ignoreBounds=True)
            self.lines.append(line)

    def set_time(self, when: datetime) -> None:
        """Move every line to ``when`` (UTC)."""
        for line in self.lines:
            line.setValue(when.timestamp())

    @property
    def value(self) -> float:
        """Where the cursor is (POSIX seconds)."""
        return float(self.lines[0].value()) if self.lines else float("nan")

"""Coverage timeline of every site in a plan: one row per site, one column per slot,
coloured served within objective, served above objective, or unserved.

Every row carries its site's name; as many rows as fit at ``ROW_PX`` pixels each are
shown at once, and the rest scroll (the scroll bar, or the mouse wheel over the names).
The time axis zooms and pans as in the other time plots."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollBar, QVBoxLayout, QWidget

from opsconsole.plans.playback import STATE_NAMES
from opsconsole.ui.plots.time_plots import TimeCursor, show_window, time_plot

STATE_RGB = ((90, 220, 110), (255, 160, 30), (200, 50, 50))
"""Colours of the drawing states, in ``plan_playback`` order."""
ROW_PX = 18
"""Height of one site's row (pixels): its name stays readable."""


def lookup_table() -> NDArray[np.uint8]:
    """256-entry RGBA table: state codes to colours (other codes transparent)."""
    lut = np.zeros((256, 4), dtype=np.uint8)
    for code, rgb in enumerate(STATE_RGB):
        lut[code] = (*rgb, 255)
    return lut


class CoverageGantt(QWidget):
    """All sites of the plan over its window, with the time cursor. Clicking a row
    emits ``row_clicked`` with the row (site) index."""

    row_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        legend = "   ".join(
            f"<span style='color: rgb{rgb}'>■</span> {name}"
            for rgb, name in zip(STATE_RGB, STATE_NAMES, strict=True)
        )
        self.legend = QLabel(legend, self)
        self.plot = time_plot(self, "")
        self.plot.setToolTip("One row per site; click a row to select the site.")
        self.plot.invertY(True)
        self.plot.getPlotItem().vb.setMouseEnabled(x=True, y=False)  # rows scroll instead
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.time_cursor = TimeCursor(self.plot)
        self.row_bar = QScrollBar(Qt.Orientation.Vertical, self)
        self.row_bar.setObjectName("coverage_rows")
        self.row_bar.setToolTip("Scroll through the sites")
        self.row_bar.valueChanged.connect(lambda _v: self._show_rows())
        self.plot.getAxis("left").wheelEvent = self._wheel
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.plot, 1)
        row.addWidget(self.row_bar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.legend)
        layout.addLayout(row, 1)
        self.rows = 0
        self.names: list[str] = []
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.plot.getPlotItem().vb.sigResized.connect(lambda _vb: self._show_rows())

    def row_at(self, scene_pos: QPointF) -> int | None:
        """The row under a scene position, or ``None``."""
        point = self.plot.getPlotItem().vb.mapSceneToView(scene_pos)
        row = int(np.floor(point.y()))
        return row if 0 <= row < self.rows else None

    def _clicked(self, event: Any) -> None:
        row = self.row_at(event.scenePos())
        if row is not None:
            self.row_clicked.emit(row)

    def show_raster(
        self, raster: NDArray[np.uint8], start_epoch: float, step_s: float, names: list[str]
    ) -> None:
        """``raster`` ``(k, slots)`` of drawing states from ``start_epoch`` (POSIX s)."""
        k, slots = raster.shape
        self.rows, self.names = k, list(names)
        self.image.setImage(raster, lut=lookup_table(), levels=(0, 255), autoLevels=False)
        self.image.setRect(QRectF(start_epoch, 0.0, slots * step_s, float(k)))
        self.plot.getAxis("left").setTicks([[(i + 0.5, name) for i, name in enumerate(names)]])
        show_window(self.plot, start_epoch, start_epoch + slots * step_s)
        self.row_bar.setValue(0)
        self._show_rows()

    def visible_rows(self) -> int:
        """How many rows fit at ``ROW_PX`` each (at least 3, at most all)."""
        height = self.plot.getPlotItem().vb.height()
        return max(1, min(self.rows, max(3, int(height // ROW_PX)))) if self.rows else 0

    def _show_rows(self) -> None:
        shown = self.visible_rows()
        self.row_bar.setRange(0, max(0, self.rows - shown))
        self.row_bar.setPageStep(max(1, shown))
        self.row_bar.setVisible(self.rows > shown)
        top = min(self.row_bar.value(), max(0, self.rows - shown))
        self.plot.setYRange(float(top), float(top + max(shown, 1)), padding=0.0)

    def _wheel(self, event: Any) -> None:
        """The wheel over the site names scrolls the rows (three at a time)."""
        steps = event.delta() / 120.0 if hasattr(event, "delta") else 0.0
        self.row_bar.setValue(self.row_bar.value() - round(3 * steps))
        event.accept()

    def clear(self) -> None:
        """No plan."""
        self.image.clear()
        self.rows, self.names = 0, []
        self.row_bar.setVisible(False)

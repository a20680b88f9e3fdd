"""Coverage timeline of every site in a plan: one row per site, one column per slot,
coloured served within objective, served above objective, or unserved."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from opsconsole.plans.playback import STATE_NAMES
from opsconsole.ui.plots.time_plots import TimeCursor, time_plot

STATE_RGB = ((90, 220, 110), (255, 160, 30), (200, 50, 50))
"""Colours of the drawing states, in ``plan_playback`` order."""
MAX_NAMED_ROWS = 20


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
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.time_cursor = TimeCursor(self.plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.legend)
        layout.addWidget(self.plot, 1)
        self.rows = 0
        self.plot.scene().sigMouseClicked.connect(self._clicked)

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
        self.rows = k
        self.image.setImage(raster, lut=lookup_table(), levels=(0, 255), autoLevels=False)
        self.image.setRect(QRectF(start_epoch, 0.0, slots * step_s, float(k)))
        every = max(1, -(-k // MAX_NAMED_ROWS))  # at most MAX_NAMED_ROWS names
        ticks = [(i + 0.5, names[i]) for i in range(0, k, every)]
        self.plot.getAxis("left").setTicks([ticks])
        self.plot.setXRange(start_epoch, start_epoch + slots * step_s, padding=0.01)
        self.plot.setYRange(0.0, float(k), padding=0.0)

    def clear(self) -> None:
        """No plan."""
        self.image.clear()
        self.rows = 0

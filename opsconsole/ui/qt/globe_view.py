"""The globe as a Qt widget: the vispy canvas, clicks, hover, context menu requests and
smooth camera flights. Rotation, zoom and pan come from vispy's turntable camera (left
drag rotates, wheel or right drag zooms, Shift + left drag pans)."""

from __future__ import annotations

import math
import time

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from opsconsole.ui.globe.scene import DEFAULT_DISTANCE, GlobeScene

CLICK_SLOP_PX = 4.0
FLIGHT_S = 0.6


class GlobeView(QWidget):
    """Hosts a :class:`GlobeScene`; emits picks in canvas pixels."""

    clicked = Signal(float, float)
    """Left click (not a drag) at canvas pixel (x, y)."""
    context_requested = Signal(float, float, QPoint)
    """Right click (not a drag) at canvas pixel (x, y) and global screen position."""
    hovered = Signal(float, float)
    left = Signal()
    """The pointer left the globe (its hover label must go)."""

    def __init__(self, colors: NDArray[np.float32], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.globe = GlobeScene(colors, size=(800, 600), parent=self)
        self.canvas = self.globe.canvas
        self.canvas.native.setObjectName("globe_canvas")
        self.canvas.native.setMinimumSize(320, 240)
        # A native child window: Qt then composes and swaps only the globe each frame,
        # not the whole main window (~7 ms per frame saved on a CPU renderer).
        self.canvas.native.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas.native, 1)
        self.legend = QLabel(self)
        """The colour legend, every entry, wrapping onto more lines rather than cut."""
        self.legend.setObjectName("globe_legend")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setContentsMargins(6, 2, 6, 2)
        self.legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        self.legend.setStyleSheet("background: #05070d; color: #d0d6e0;")
        layout.addWidget(self.legend)
        self._press: tuple[float, float, int] | None = None
        self._flight: tuple[float, tuple[float, float, float], tuple[float, float, float]] | None
        self._flight = None
        self.frames_drawn = 0
        self.satellite_frames = 0
        """Frames drawn with at least one satellite on them."""
        self.canvas.events.mouse_press.connect(self._on_press)
        self.canvas.events.mouse_release.connect(self._on_release)
        self.canvas.events.mouse_move.connect(self._on_move)
        self.canvas.events.draw.connect(self._on_draw)
        self.canvas.native.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Tell when the pointer leaves the canvas; every event goes on as usual."""
        if watched is self.canvas.native and event.type() == QEvent.Type.Leave:
            self.left.emit()
        return super().eventFilter(watched, event)

    def set_legend(self, entries: list[tuple[str, tuple[float, float, float]]]) -> None:
        """Colour legend: (label, RGB 0..1) entries, all of them."""
        self.legend.setText("&nbsp;&nbsp; ".join(
            f"<span style='white-space: nowrap'><span style='color: rgb({int(r * 255)},"
            f"{int(g * 255)},{int(b * 255)})'>●</span>&nbsp;{label}</span>"
            for label, (r, g, b) in entries
        ))  # fmt: skip
        self.legend.setToolTip("Colours of the satellites (View → Colour by …)")

    # -- events --------------------------------------------------------------------
    def _on_draw(self, _event: object) -> None:
        self.frames_drawn += 1
        if self.globe.satellites.drawn > 0:
            self.satellite_frames += 1

    def _on_press(self, event: object) -> None:
        x, y = event.pos[:2]  # type: ignore[attr-defined]
        self._press = (float(x), float(y), int(event.button))  # type: ignore[attr-defined]

    def _on_release(self, event: object) -> None:
        if self._press is None:
            return
        x0, y0, button = self._press
        self._press = None
        x, y = (float(v) for v in event.pos[:2])  # type: ignore[attr-defined]
        if math.hypot(x - x0, y - y0) > CLICK_SLOP_PX:
            return  # a drag: the camera handled it
        if button == 1:
            self.clicked.emit(x, y)
        elif button == 2:
            self.context_requested.emit(x, y, QCursor.pos())

    def _on_move(self, event: object) -> None:
        if not getattr(event, "is_dragging", False):
            x, y = event.pos[:2]  # type: ignore[attr-defined]
            self.hovered.emit(float(x), float(y))

    # -- camera flights ------------------------------------------------------------
    def fly_to(self, lat_deg: float, lon_deg: float, distance: float | None = None) -> None:
        """Turn the camera to (lat, lon) over :data:`FLIGHT_S` seconds."""
        start = self.globe.view_center()
        target = (lat_deg, lon_deg, start[2] if distance is None else distance)
        self._flight = (time.monotonic(), start, target)

    def reset_view(self) -> None:
        """Whole Earth, north up, looking at the current view's longitude from 20 deg N."""
        _, lon, _ = self.globe.view_center()
        self.fly_to(20.0, lon, DEFAULT_DISTANCE)

    @property
    def flying(self) -> bool:
        """Whether a flight is in progress."""
        return self._flight is not None

    def advance_flight(self) -> None:
        """Move the camera along the current flight (called every frame)."""
        if self._flight is None:
            return
        began, (lat0, lon0, d0), (lat1, lon1, d1) = self._flight
        u = min(1.0, (time.monotonic() - began) / FLIGHT_S)
        s = u * u * (3.0 - 2.0 * u)
        dlon = (lon1 - lon0 + 180.0) % 360.0 - 180.0
        self.globe.look_at(lat0 + (lat1 - lat0) * s, lon0 + dlon * s, d0 + (d1 - d0) * s)
        if u >= 1.0:
            self._flight = None
        self.canvas.update()

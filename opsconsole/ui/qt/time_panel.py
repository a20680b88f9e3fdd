"""The Time dock: UTC and local clocks, play/pause, speed, reverse, steps, jump to now,
and a scrub slider over a 24-hour window around the simulation time."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QSlider,
    QStyle,
    QToolButton,
    QWidget,
)

from opsconsole.core.sim_clock import SPEED_STEPS, SimulationClock
from opsconsole.ui.qt.time_format import format_times

WINDOW = timedelta(hours=24)
STEP_S = 60.0


class TimePanel(QWidget):
    """Controls for a :class:`SimulationClock`; :meth:`refresh` repaints from the clock."""

    changed = Signal()
    """The operator changed the clock (play, speed, step, scrub, jump)."""

    def __init__(self, clock: SimulationClock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.utc_label = QLabel(self)
        self.utc_label.setObjectName("time_utc")
        self.local_label = QLabel(self)
        self.local_label.setObjectName("time_local")
        font = self.utc_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.utc_label.setFont(font)

        style = self.style()
        icon = QStyle.StandardPixmap

        def button(text: str, tip: str, slot: object, pixmap: QStyle.StandardPixmap | None = None
                   ) -> QToolButton:  # fmt: skip
            widget = QToolButton(self)
            widget.setText(text)
            widget.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            if pixmap is not None:  # standard icons: no reliance on symbol fonts
                widget.setIcon(style.standardIcon(pixmap))
            widget.setToolTip(tip)
            widget.clicked.connect(slot)
            return widget

        self.back_button = button(
            "-1 min",
            "Step back 1 minute (,)",
            lambda: self.step(-STEP_S),
            icon.SP_MediaSeekBackward,
        )
        self.reverse_button = button(
            "Reverse", "Run the clock the other way (Backspace)", self.reverse
        )
        self.play_button = button("Play", "Play / pause (Space)", self.toggle, icon.SP_MediaPlay)
        self.play_button.setObjectName("time_play")
        self.forward_button = button(
            "+1 min",
            "Step forward 1 minute (.)",
            lambda: self.step(STEP_S),
            icon.SP_MediaSeekForward,
        )
        for stepper in (self.back_button, self.forward_button):  # icons: the dock stays narrow
            stepper.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.now_button = button("Now", "Jump to the current time (Ctrl+J)", self.jump_to_now)
        self.speed = QComboBox(self)
        self.speed.setObjectName("time_speed")
        for step in SPEED_STEPS:
            self.speed.addItem(f"{step}x", step)
        self.speed.activated.connect(self._speed_chosen)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("time_scrub")
        self.slider.setRange(0, int(WINDOW.total_seconds() // 60))
        self.slider.setToolTip("Scrub over the 24-hour window (minutes)")
        self.slider.sliderMoved.connect(self._scrubbed)
        self.window_label = QLabel(self)
        self.window_label.setWordWrap(True)
        layout = QGridLayout(self)
        layout.addWidget(self.utc_label, 0, 0, 1, 7)
        layout.addWidget(self.local_label, 1, 0, 1, 7)
        for column, widget in enumerate(
            (
                self.back_button,
                self.reverse_button,
                self.play_button,
                self.forward_button,
                self.speed,
                self.now_button,
            )
        ):
            layout.addWidget(widget, 2, column)
        layout.addWidget(self.slider, 3, 0, 1, 7)
        layout.addWidget(self.window_label, 4, 0, 1, 7)
        layout.setRowStretch(5, 1)
        self.window_start = self._window_for(clock.now())
        self.refresh()

    @staticmethod
    def _window_for(moment: datetime) -> datetime:
        return (moment - WINDOW / 2).replace(minute=0, second=0, microsecond=0)

    # -- operator actions (also called by the window's actions) -------------------------
    def _changed(self) -> None:
        self.refresh()
        self.changed.emit()

    def toggle(self) -> None:
        """Play or pause (Space)."""
        self.clock.toggle()
        self._changed()

    def reverse(self) -> None:
        """Run the clock the other way (Backspace)."""
        self.clock.reverse()
        self._changed()

    def step(self, seconds: float) -> None:
        """Jump by ``seconds`` (negative steps back)."""
        self.clock.step(seconds)
        self._changed()

    def jump_to_now(self) -> None:
        """Jump to the current time and centre the scrub window on it."""
        self.clock.jump_to_now()
        self.window_start = self._window_for(self.clock.now())
        self._changed()

    def _speed_chosen(self, index: int) -> None:
        magnitude = int(self.speed.itemData(index))
        self.clock.set_speed(magnitude if self.clock.speed > 0 else -magnitude)
        self._changed()

    def _scrubbed(self, minutes: int) -> None:
        self.clock.scrub(self.window_start + timedelta(minutes=minutes))
        self._changed()

    def faster(self) -> None:
        """Next speed step up."""
        self.clock.faster()
        self._changed()

    def slower(self) -> None:
        """Next speed step down."""
        self.clock.slower()
        self._changed()

    def scrub_to_minute(self, minutes: int) -> None:
        """Move the slider (as the operator would) and scrub there."""
        self.slider.setValue(minutes)
        self._scrubbed(minutes)

    # -- display -----------------------------------------------------------------------
    def refresh(self) -> None:
        """Repaint labels, buttons and the slider from the clock."""
        now = self.clock.now()
        if not self.window_start <= now <= self.window_start + WINDOW:
            self.window_start = self._window_for(now)
        utc, local = format_times(now)
        self.utc_label.setText(utc)
        self.local_label.setText(local)
        playing = self.clock.playing
        self.play_button.setText("Pause" if playing else "Play")
        pixmap = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.play_button.setIcon(self.style().standardIcon(pixmap))
        index = self.speed.findData(abs(self.clock.speed))
        if index != self.speed.currentIndex():
            self.speed.setCurrentIndex(index)
        direction = "reverse" if self.clock.speed < 0 else "forward"
        state = "playing" if self.clock.playing else "paused"
        end = self.window_start + WINDOW
        self.window_label.setText(
            f"{state}, {abs(self.clock.speed)}x {direction} · window "
            f"{self.window_start:%d %b %H:%M} – {end:%d %b %H:%M} UTC"
        )
        if not self.slider.isSliderDown():
            minutes = int((now - self.window_start).total_seconds() // 60)
            self.slider.blockSignals(True)
            self.slider.setValue(minutes)
            self.slider.blockSignals(False)

"""Dock widgets of the main window. The form-like docks scroll (``SCROLLING_DOCKS``) so
that what they show (a long Inspector page, the Planner's form) never raises the
window's minimum size past the screen."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QWidget

SCROLLING_DOCKS = frozenset({"Inspector", "Planner", "Training"})
"""Docks whose content scrolls rather than setting the window's minimum size."""


def make_dock(window: QMainWindow, title: str, widget: QWidget) -> QDockWidget:
    """A dock titled ``title`` holding ``widget`` (inside a scroll area for the
    ``SCROLLING_DOCKS``); its object name (``dock_<title>``) keeps saved layouts."""
    dock = QDockWidget(title, window)
    dock.setObjectName(f"dock_{title.lower()}")
    if title in SCROLLING_DOCKS:
        area = QScrollArea(dock)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(widget)
        dock.setWidget(area)
    else:
        dock.setWidget(widget)
    return dock

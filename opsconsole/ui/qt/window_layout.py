"""Where the docks go: the layout restored from the settings file or the first-launch
layout, docks that appear when there is something for them, and what is saved."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabWidget, QWidget

from opsconsole.ui.qt.docks import make_dock


def plans_dock_tabs(plans: QWidget, contingency: QWidget, parent: QWidget) -> QTabWidget:
    """The Plans dock's content: the plan list and the Contingency (N-1) tab."""
    tabs = QTabWidget(parent)
    tabs.setObjectName("plans_tabs")
    tabs.setDocumentMode(True)
    tabs.addTab(plans, "Plans")
    tabs.addTab(contingency, "Contingency")
    return tabs


_LEFT = Qt.DockWidgetArea.LeftDockWidgetArea
_RIGHT = Qt.DockWidgetArea.RightDockWidgetArea
_BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea
DOCKS = (
    ("explorer", "Explorer", _LEFT),
    ("inspector", "Inspector", _RIGHT),
    ("time", "Time", _RIGHT),
    ("planner", "Planner", _LEFT),
    ("plans", "Plans", _RIGHT),
    ("plots", "Plots", _BOTTOM),
    ("training", "Training", _RIGHT),
    ("alerts", "Alerts", _BOTTOM),
    ("customers", "Customers", _BOTTOM),
    ("incidents", "Incidents", _BOTTOM),
)
"""Every dock: its key, title and area, in the order they are added."""
TABBED = (("explorer", "planner"), ("inspector", "plans"), ("plans", "training"),
          ("plots", "alerts"), ("plots", "customers"), ("plots", "incidents"))  # fmt: skip
"""Docks that share tabs (the second joins the first's tabs)."""

FIRST_LAUNCH_SIZE = (1600, 1000)
"""The first-launch window: the screen's available area, up to this (px)."""
SIDE_DOCK_PX = 330
"""First-launch width of the Explorer and the Inspector: the globe takes the rest."""
PLOTS_PX = 280
"""Height of the Plots dock when the first plan is shown at first launch."""


def add_docks(window: QMainWindow, widgets: dict[str, QWidget]) -> dict[str, QDockWidget]:
    """A dock for each of :data:`DOCKS` holding ``widgets[key]``, arranged: the side
    docks take the full height and the bottom ones only the globe's width (so the globe
    keeps most of the window), the planning docks share tabs with the Explorer and the
    Inspector, and the operator's tabs are in front (not the instructor's)."""
    docks = {}
    for key, title, area in DOCKS:
        docks[key] = make_dock(window, title, widgets[key])
        window.addDockWidget(area, docks[key])
    window.setCorner(Qt.Corner.BottomLeftCorner, _LEFT)
    window.setCorner(Qt.Corner.BottomRightCorner, _RIGHT)
    for first, second in TABBED:
        window.tabifyDockWidget(docks[first], docks[second])
    for key in ("explorer", "plots", "inspector"):
        docks[key].raise_()
    return docks


def restore_layout(
    window: QMainWindow, docks: dict[str, QDockWidget], settings: QSettings, globe: Any
) -> bool:
    """Restore geometry, dock layout and camera; returns True when there was no saved
    layout and the first-launch one was applied (narrow side docks; Plots come with
    the first plan, Training and Alerts with a session, Customers and Incidents from the
    Customers menu; the View menu has them all)."""
    geometry = settings.value("window/geometry")
    state = settings.value("window/state")
    if state is None:
        for key in ("plots", "training", "alerts", "customers", "incidents"):
            docks[key].hide()
    layout = window.layout()
    if layout is not None:
        # the window's minimum size was last computed before the docks were tabbed (all
        # side by side: wider than a 1600 px screen) and would clamp the size set here
        layout.activate()
    if geometry is not None:
        window.restoreGeometry(geometry)
    else:
        available = window.screen().availableGeometry()
        window.resize(min(available.width(), FIRST_LAUNCH_SIZE[0]),
                      min(available.height(), FIRST_LAUNCH_SIZE[1]))  # fmt: skip
    if state is not None:
        window.restoreState(state)
    else:
        window.resizeDocks([docks["explorer"], docks["inspector"]],
                           [SIDE_DOCK_PX, SIDE_DOCK_PX], Qt.Orientation.Horizontal)  # fmt: skip
    camera: Any = settings.value("globe/camera")
    if isinstance(camera, list) and len(camera) == 3:
        globe.look_at(*(float(v) for v in camera))
    return state is None


def save_layout(window: QMainWindow, settings: QSettings, globe: Any) -> None:
    """Write window geometry, dock layout and camera to ``settings``."""
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    settings.setValue("globe/camera", list(globe.view_center()))
    settings.sync()


def show_dock(docks: dict[str, QDockWidget], key: str) -> None:
    """Show dock ``key`` and bring it to the front of its tabs."""
    docks[key].show()
    docks[key].raise_()


def show_plots(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """The first plan is shown at first launch: the Plots dock appears, 280 px tall."""
    if docks["plots"].isHidden():
        show_dock(docks, "plots")
        window.resizeDocks([docks["plots"]], [PLOTS_PX], Qt.Orientation.Vertical)


def show_session_docks(docks: dict[str, QDockWidget]) -> None:
    """A session (or a replay) is loaded: Training and Alerts appear, Alerts in front."""
    for key in ("training", "alerts"):
        docks[key].show()
    docks["alerts"].raise_()

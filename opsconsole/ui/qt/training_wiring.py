"""Puts the Training and Alerts docks into the main window and records what trainees
do (exclusions, pins, ingress limits, plans, status changes) in the running session."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from opsconsole.ui.qt.alerts_panel import AlertsPanel
from opsconsole.ui.qt.training_panel import TrainingPanel

if TYPE_CHECKING:
    from opsconsole.ui.qt.main_window import MainWindow


def attach_training(window: MainWindow) -> tuple[TrainingPanel, AlertsPanel]:
    """Create both docks (Training beside the Inspector, Alerts beside the Plots) and
    connect the trainees' tools to the session log."""
    training, alerts = TrainingPanel(window), AlertsPanel(window)
    right, bottom = Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea
    window.docks["training"] = window._dock("Training", training, right)
    window.docks["alerts"] = window._dock("Alerts", alerts, bottom)
    window.tabifyDockWidget(window.docks["plans"], window.docks["training"])
    window.tabifyDockWidget(window.docks["plots"], window.docks["alerts"])
    window.docks["plots"].raise_()
    window.docks["inspector"].raise_()  # the operator's tab in front, not the instructor's
    window.planner.planned.connect(
        lambda plan_id: training.record(f"planned plan {plan_id}", {"plan_id": plan_id})
    )
    window.planner.inputs_changed.connect(lambda what: training.record(what))

    def status_set(plan_id: int, status: str) -> None:
        detail = {"plan_id": plan_id, "status": status}
        if status == "active":
            detail["activated_plan_id"] = plan_id
        training.record(f"plan {plan_id} {status}", detail)

    window.plans.status_set.connect(status_set)
    training.session_changed.connect(alerts.reset)

    def follow_session() -> None:  # while a session runs, plans default to its customers
        session = training.session
        window.planner.select_customers(session.scenario.customers if session else ())

    training.session_changed.connect(follow_session)
    training.replays.started.connect(alerts.reset)
    return training, alerts

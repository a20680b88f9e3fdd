"""The Training and Alerts panels, and what ties training to the rest of the console
through the model alone: the trainees' plans, exclusions, pins, limits and status
changes go into the running session's log, and while a session runs the Planner
defaults to the session's customers."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from opsconsole.console.intents import StatusChange
from opsconsole.console.model import ConsoleModel
from opsconsole.ui.qt.alerts_panel import AlertsPanel
from opsconsole.ui.qt.training_panel import TrainingPanel


def training_panels(model: ConsoleModel, parent: QWidget) -> tuple[TrainingPanel, AlertsPanel]:
    """Both panels, with the session log and the Planner's customers connected."""
    state, intents = model.training, model.intents
    training = TrainingPanel(state, model.catalog, model.clock, model.replay, intents, parent)
    alerts = AlertsPanel(model.alerts, model.selection, model.clock,
                         model.catalog.store.who, parent)  # fmt: skip
    intents.planned.connect(
        lambda plan_id: state.record(f"planned plan {plan_id}", {"plan_id": plan_id})
    )
    intents.trainee_action.connect(lambda what: state.record(what))

    def status_set(change: StatusChange) -> None:
        detail: dict[str, object] = {"plan_id": change.plan_id, "status": change.status}
        if change.status == "active":
            detail["activated_plan_id"] = change.plan_id
        state.record(f"plan {change.plan_id} {change.status}", detail)

    intents.status_changed.connect(status_set)

    def follow_session(_none: None) -> None:  # while a session runs, plan its customers
        session = state.session
        intents.plan_customers.emit(tuple(session.scenario.customers) if session else ())

    state.session_changed.connect(follow_session)
    return training, alerts

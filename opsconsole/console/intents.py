"""What a panel asks of the console without knowing who does it: each intent is an
:class:`Event`; the composition root (``ui.qt.main_window``) connects the handlers.
Panels never call other panels."""

from __future__ import annotations

from dataclasses import dataclass

from opsconsole.console.events import Event


@dataclass(frozen=True)
class StatusChange:
    """A plan's status was changed by the operator."""

    plan_id: int
    status: str


class Intents:
    """The console's intents."""

    def __init__(self) -> None:
        self.replan: Event[int] = Event("re-plan this plan")
        """Load this plan's window, exclusions and pins into the Planner."""
        self.planned: Event[int] = Event("a plan was made")
        self.status_changed: Event[StatusChange] = Event("plan status changed")
        self.trainee_action: Event[str] = Event("trainee action")
        """An exclusion, pin or ingress limit was set (what, in words), for the log."""
        self.plan_customers: Event[tuple[str, ...]] = Event("plan these customers")
        """Preselect these customers in the Planner (empty: all)."""
        self.reload: Event[bool] = Event("reload the catalog")
        """Re-read everything from the database (``True``: only the elements changed)."""
        self.show_dock: Event[str] = Event("show a dock")
        """Bring a dock to the front by its key ("planner", "inspector", ...)."""

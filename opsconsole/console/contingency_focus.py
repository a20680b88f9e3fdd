"""The N-1 study the console shows: the focused element and the sites it hurts, and
the impact of every gateway and PoP of the study (for the globe's colouring)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from opsconsole.console.events import Event


@dataclass(frozen=True)
class ImpactMark:
    """One studied element on the globe: ``kind`` gateway, pop, region or plane, its id,
    the share of priority-weighted demand its loss costs (%) and its rank (1: worst)."""

    kind: str
    element_id: str
    lost_weighted_pct: float
    rank: int


@dataclass(frozen=True)
class Focus:
    """The element picked in the study's table and the site ids it hurts."""

    kind: str
    element_id: str
    label: str
    site_ids: tuple[int, ...]


class ContingencyFocus:
    """What of a study the views show; ``changed`` fires after any change."""

    def __init__(self) -> None:
        self.plan_id: int | None = None
        self.marks: tuple[ImpactMark, ...] = ()
        self.focus: Focus | None = None
        self.changed: Event[ContingencyFocus] = Event("contingency focus changed")

    def show_study(self, plan_id: int | None, marks: Sequence[ImpactMark]) -> None:
        """Show a study's impacts (none: clear), with no element focused."""
        self.plan_id, self.marks, self.focus = plan_id, tuple(marks), None
        self.changed.emit(self)

    def set_focus(self, focus: Focus | None) -> None:
        """Focus one element (``None``: none)."""
        if focus == self.focus:
            return
        self.focus = focus
        self.changed.emit(self)

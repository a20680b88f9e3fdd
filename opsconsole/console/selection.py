"""The one current selection shared by the globe, the explorer and the inspector.

Views never talk to each other: each calls :meth:`Selection.select` and reacts to
:attr:`Selection.changed`. Selecting what is already selected emits nothing, which is
what breaks feedback loops (a view reacting to ``changed`` by selecting the same object
again is a no-op).
"""

from __future__ import annotations

from dataclasses import dataclass

from opsconsole.console.events import Event

KINDS = ("satellite", "site", "customer", "gateway", "pop", "region")


@dataclass(frozen=True)
class ObjectRef:
    """A selectable object: ``kind`` is one of :data:`KINDS`; ``key`` its identity
    (catalog number, site id, customer id, gateway id, region id)."""

    kind: str
    key: int | str


class Selection:
    """Holds the selected :class:`ObjectRef` (or ``None``); :attr:`changed` carries it."""

    def __init__(self) -> None:
        self._current: ObjectRef | None = None
        self.changed: Event[ObjectRef | None] = Event("selection changed")

    @property
    def emitted(self) -> int:
        """How many times :attr:`changed` fired (tests use it to prove there is no loop)."""
        return self.changed.emitted

    @property
    def current(self) -> ObjectRef | None:
        """The selected object."""
        return self._current

    def select(self, ref: ObjectRef | None) -> None:
        """Select ``ref`` (``None`` clears); no signal when nothing changes."""
        if ref == self._current:
            return
        self._current = ref
        self.changed.emit(ref)

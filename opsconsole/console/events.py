"""A small observer: an :class:`Event` holds callbacks and calls them in order.

The console model's state objects own events; views connect to the events they need and
never to each other (napari's ``EmitterGroup`` and glue's state callbacks work alike).
Everything runs on the thread that emits: the console model is used on the UI thread,
and work done elsewhere comes back through the UI's own queued signals first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Event(Generic[T]):
    """Callbacks taking one value of type ``T`` (use ``Event[None]`` for none)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._callbacks: list[Callable[[T], object]] = []
        self.emitted = 0
        """How many times :meth:`emit` ran (tests use it to prove there is no loop)."""

    def connect(self, callback: Callable[[T], object]) -> Callable[[T], object]:
        """Call ``callback(value)`` on every emit, after those connected before."""
        self._callbacks.append(callback)
        return callback

    def disconnect(self, callback: Callable[[T], object]) -> None:
        """Stop calling ``callback`` (no error when it was not connected)."""
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, value: T) -> None:
        """Call every connected callback with ``value``; a callback connected or
        disconnected meanwhile takes effect from the next emit."""
        self.emitted += 1
        for callback in list(self._callbacks):
            callback(value)

    def __repr__(self) -> str:
        return f"Event({self.name!r}, {len(self._callbacks)} callbacks)"

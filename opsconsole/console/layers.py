"""Which globe layers are shown (the View menu's toggles), as plain state."""

from __future__ import annotations

from opsconsole.console.events import Event


class Layers:
    """Visibility by layer key (see ``ui.qt.actions.LAYERS``); ``changed`` carries
    ``(key, visible)``."""

    def __init__(self, visible: dict[str, bool] | None = None) -> None:
        self.visible: dict[str, bool] = dict(visible or {})
        self.changed: Event[tuple[str, bool]] = Event("layer toggled")

    def set(self, key: str, on: bool) -> None:
        """Show or hide ``key`` (an event only when it changes)."""
        if self.visible.get(key) == on:
            return
        self.visible[key] = on
        self.changed.emit((key, on))

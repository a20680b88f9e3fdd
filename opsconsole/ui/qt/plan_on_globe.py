"""Which plan the console replays (on the globe and in the plots), loaded off the UI
thread: the active plan by default, or one the operator previews from the Plans dock."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from opsconsole.plan_playback import MEETS_OBJECTIVE, MISSES_OBJECTIVE, UNSERVED, PlanPlayback
from opsconsole.store.database import Store
from opsconsole.store.plan_repository import active_plan_id, load_plan
from opsconsole.ui.qt.background import BackgroundTask

if TYPE_CHECKING:
    from opsconsole.ui.qt.main_window import MainWindow


class PlanOnGlobe(QObject):
    """Loads a stored plan into a :class:`PlanPlayback` for the window's current data."""

    changed = Signal(object)
    """The replayed plan changed (a :class:`PlanPlayback` or ``None``)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.plan_id: int | None = None
        self.playback: PlanPlayback | None = None
        self.error = ""
        self._generation = 0

    def show_active(self) -> None:
        """Replay the active plan (or nothing when no plan is active)."""
        self.show(active_plan_id(self.w.store))

    def reload(self) -> None:
        """Rebuild the current plan against freshly loaded data."""
        self.show(self.plan_id)

    def show(self, plan_id: int | None) -> None:
        """Replay ``plan_id`` (``None``: no plan). Loading runs on a worker thread; a
        later request wins over an earlier one still loading."""
        self._generation += 1
        generation, self.plan_id = self._generation, plan_id
        if plan_id is None:
            self._set(None, "")
            return
        data, db = self.w.data, self.w.db_path
        norad, gateways, regions = data.elements.norad_ids, data.gateways, data.regions
        set_id = data.element_info.id if data.element_info is not None else None

        def work(_progress: Any, _cancelled: Any) -> PlanPlayback:
            with Store(db) as store:
                stored = load_plan(store, plan_id)
            return PlanPlayback(stored, norad, gateways, regions, set_id)

        def done(playback: PlanPlayback) -> None:
            if generation == self._generation:
                self._set(playback, "")

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self._set(None, f"plan {plan_id} cannot be shown: {error}")

        BackgroundTask(self.w, "", work, done, failed, show_dialog=False)

    def _set(self, playback: PlanPlayback | None, error: str) -> None:
        self.playback, self.error = playback, error
        self.w.controller.set_playback(playback)
        self.changed.emit(playback)

    def status_text(self, when: datetime) -> str:
        """One line for the status bar: which plan, and what it does at ``when``."""
        playback = self.playback
        if playback is None:
            return self.error or "no plan on the globe"
        head = f"plan {playback.plan_id} “{playback.name}” ({playback.status})"
        if not playback.same_elements:
            head += " — drawn with the console's element set"
        slot = playback.slot_at(when)
        if slot is None:
            window = f"{playback.start:%m-%d %H:%M}–{playback.end:%m-%d %H:%M} UTC"
            return f"{head}: outside its window {window}"
        state = playback.state[slot]
        return (
            f"{head}: {int((state == MEETS_OBJECTIVE).sum())} within objective, "
            f"{int((state == MISSES_OBJECTIVE).sum())} above, {int((state == UNSERVED).sum())} "
            "unserved"
        )

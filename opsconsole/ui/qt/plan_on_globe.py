"""Loads the plan the console replays (``console.replay.PlanReplay``) off the UI thread:
the active plan by default, or one the operator previews from the Plans dock."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from opsconsole.console.catalog import Catalog
from opsconsole.console.replay import PlanReplay
from opsconsole.plans.playback import PlanPlayback
from opsconsole.store.database import Store
from opsconsole.store.plan_repository import active_plan_id, load_plan
from opsconsole.ui.qt.background import BackgroundTask


class PlanOnGlobe(QObject):
    """Answers ``replay.requested`` by loading the plan into a :class:`PlanPlayback`
    for the catalog's current data; a later request wins over one still loading."""

    def __init__(self, replay: PlanReplay, catalog: Catalog, parent: QWidget) -> None:
        super().__init__(parent)
        self.replay, self.catalog, self.widget = replay, catalog, parent
        self._generation = 0
        replay.requested.connect(self._load)

    @property
    def playback(self) -> PlanPlayback | None:
        """The replayed plan, once loaded."""
        return self.replay.playback

    def show_active(self) -> None:
        """Replay the active plan (or nothing when no plan is active)."""
        self.replay.request(active_plan_id(self.catalog.store), active=True)

    def reload(self) -> None:
        """Rebuild the current plan against freshly loaded data (the active plan's
        successor when the active plan is followed)."""
        if self.replay.follows_active:
            self.show_active()
        else:
            self.replay.request(self.replay.plan_id)

    def show(self, plan_id: int | None) -> None:
        """Replay ``plan_id`` (``None``: no plan)."""
        self.replay.request(plan_id)

    def _load(self, plan_id: int | None) -> None:
        self._generation += 1
        generation = self._generation
        if plan_id is None:
            self.replay.set(None)
            return
        data, db = self.catalog.data, self.catalog.db_path
        norad, gateways, regions = data.elements.norad_ids, data.gateways, data.regions
        set_id = data.element_info.id if data.element_info is not None else None

        def work(_progress: Any, _cancelled: Any) -> PlanPlayback:
            with Store(db) as store:
                stored = load_plan(store, plan_id)
            return PlanPlayback(stored, norad, gateways, regions, set_id)

        def done(playback: PlanPlayback) -> None:
            if generation == self._generation:
                self.replay.set(playback)

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self.replay.set(None, f"plan {plan_id} cannot be shown: {error}")

        BackgroundTask(self.widget, "", work, done, failed, show_dialog=False)

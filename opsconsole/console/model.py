"""The console model: the state every view of the console shares, without Qt.

It holds the database and what was loaded from it (``catalog``), the simulation
``clock``, the ``selection``, the replayed plan (``replay``), layer visibility
(``layers``), the training session (``training``) with its ``alerts``, the N-1 study
shown (``contingency``), and the
``intents`` panels send instead of calling each other. Each part emits plain-Python
events (``console.events``); each view connects to the parts it needs and is given
nothing more (napari's ``ViewerModel`` and glue's viewer states are the models here).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from opsconsole.console.alert_book import AlertBook
from opsconsole.console.catalog import Catalog
from opsconsole.console.console_data import ConsoleData
from opsconsole.console.contingency_focus import ContingencyFocus
from opsconsole.console.intents import Intents
from opsconsole.console.layers import Layers
from opsconsole.console.replay import PlanReplay
from opsconsole.console.selection import Selection
from opsconsole.console.training_state import TrainingState
from opsconsole.core.sim_clock import SimulationClock
from opsconsole.store.database import Store


class ConsoleModel:
    """Everything the console's views share; built by the composition root."""

    def __init__(
        self, db_path: Path, store: Store, data: ConsoleData, clock: SimulationClock
    ) -> None:
        self.catalog = Catalog(db_path, store, data)
        self.clock = clock
        self.selection = Selection()
        self.replay = PlanReplay()
        self.layers = Layers()
        self.training = TrainingState(self.catalog, clock)
        self.alerts = AlertBook(self.catalog, self.replay, self.training)
        self.intents = Intents()
        self.contingency = ContingencyFocus()

    @classmethod
    def open(cls, db_path: Path, store: Store, clock: SimulationClock) -> ConsoleModel:
        """Load everything from ``store`` (on this thread) for ``clock``'s time."""
        return cls(db_path, store, ConsoleData.load(store, clock.now()), clock)

    def now(self) -> datetime:
        """The simulation time (UTC)."""
        return self.clock.now()

    def follow_other_writers(self) -> str:
        """Take in what other processes wrote (plans, the ground catalog) and say what
        the views must still do: ``"elements"`` (other elements became active: reload
        everything), ``"replay"`` (another plan was activated, or the replayed plan's
        status moved on: reload it) or ``""``. Raises ``sqlite3.Error`` when the
        database cannot be read now."""
        from opsconsole.store.plan_repository import active_plan_id, plan_status

        self.catalog.refresh()
        if self.catalog.elements_stale():
            return "elements"
        store, replay = self.catalog.store, self.replay
        status = None
        if replay.plan_id is not None:
            status = plan_status(store, replay.plan_id) or "gone"
        return "replay" if replay.stale(active_plan_id(store), status) else ""

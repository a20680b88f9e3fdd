"""The console takes up a late element update during a training session.

When an ``element_update`` event begins, the update's elements (the session's starting
set moved on, ``training.late_elements.advanced``) are imported and activated in a
child process (``child_process.run_in_child``), the session logs the new set's id, and
the console reloads: the globe shows the satellites where they really are and the
Planner plans with them. The plan in force keeps its old elements, so its links break
(the Alerts dock says which) until a trainee re-plans. When the session ends, the
starting set is made active again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from opsconsole.console.catalog import Catalog
from opsconsole.console.intents import Intents
from opsconsole.core.sim_clock import SimulationClock
from opsconsole.ui.qt.background import BackgroundTask

if TYPE_CHECKING:
    from opsconsole.training.scenario import Event
    from opsconsole.training.session import TrainingSession


class LateUpdates:
    """Loads late updates for the running session, and restores its set at the end."""

    def __init__(
        self,
        catalog: Catalog,
        clock: SimulationClock,
        intents: Intents,
        report: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        self.catalog, self.clock, self.intents, self.parent = catalog, clock, intents, parent
        self.report = report
        """Called with one line for the Training dock's status."""
        self.loaded: list[int] = []
        self.ended: set[int] = set()
        """Sessions ended (an update finishing after its session's end is undone)."""
        self.task: BackgroundTask | None = None

    def take_up(self, session: TrainingSession, event: Event) -> None:
        """Import and activate ``event``'s elements, log them, reload the console."""
        from opsconsole.jobs.child_process import run_in_child
        from opsconsole.training.late_elements import import_update_at

        base = session.element_set_id
        if base is None:
            self.report("The late update cannot be loaded: the starting plan's elements are "
                        "not in the database.")  # fmt: skip
            return
        db, shift = self.catalog.db_path, float(event.fields["along_track_s"])

        def work(_progress: Any, cancelled: Any) -> int:
            # a child process: building 10,000 satellites on a thread holds the GIL
            set_id: int = run_in_child(import_update_at, name="opsconsole-late-update",
                                       cancelled=cancelled, db_path=str(db), base_set_id=base,
                                       along_track_s=shift, session_id=session.id)  # fmt: skip
            return set_id

        def done(set_id: int) -> None:
            self.loaded.append(set_id)
            if session.id in self.ended:
                self.restore(session)
                return
            session.update_loaded(self.clock.now(), event, set_id)
            self.report(
                f"Fresh elements arrived ({shift:+g} s along track): element set {set_id} is "
                "now active. Plans made before use the old elements."
            )
            self.intents.reload.emit(True)

        def failed(error: BaseException) -> None:
            self.report(f"The late update could not be loaded: {error}")

        self.report("Loading the late element update…")
        self.task = BackgroundTask(self.parent, "", work, done, failed, show_dialog=False)

    def restore(self, session: TrainingSession) -> None:
        """The session ended: make its starting set active again if updates replaced it."""
        from opsconsole.store.element_repository import activate_element_set

        self.ended.add(session.id)
        if not self.loaded or session.element_set_id is None:
            return
        self.loaded.clear()
        activate_element_set(self.catalog.store, session.element_set_id)
        self.intents.reload.emit(True)

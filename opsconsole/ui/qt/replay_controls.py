"""Replaying a logged training session in the console, at any speed.

Read-only: the clock runs over the session's scenario, the events in force, the plan
in force (shown on the globe and in the plots) and the log entries reached so far
follow the simulation time alone (``training.replay``), whatever the speed or
direction. Alerts are recomputed from the replayed events (and not logged again).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from opsconsole.console.catalog import Catalog
from opsconsole.console.replay import PlanReplay
from opsconsole.console.training_state import TrainingState
from opsconsole.core.sim_clock import SimulationClock
from opsconsole.store.plan_repository import active_plan_id
from opsconsole.training.replay import SessionReplay


class ReplayControls(QWidget):
    """The "Replay…" and "Stop replay" buttons, and the timeline of the replay (held
    in ``TrainingState.replay``)."""

    def __init__(
        self,
        state: TrainingState,
        catalog: Catalog,
        clock: SimulationClock,
        plan: PlanReplay,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.state, self.catalog, self.clock, self.plan = state, catalog, clock, plan
        self.replay_button = QPushButton("Replay a session…", self)
        self.stop_button = QPushButton("Stop replay", self)
        self.timeline = QListWidget(self)
        self.timeline.setMaximumHeight(110)
        self.label = QLabel("", self)
        row = QHBoxLayout()
        row.addWidget(self.replay_button)
        row.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.label)
        layout.addWidget(self.timeline)
        self.replay_button.clicked.connect(self._choose)
        self.stop_button.clicked.connect(self.stop)
        self._shown_plan: int | None = None
        self.update_buttons()

    @property
    def replay(self) -> SessionReplay | None:
        """The replayed session."""
        return self.state.replay

    def update_buttons(self) -> None:
        live = self.state.session is not None
        self.replay_button.setEnabled(self.replay is None and not live)
        self.stop_button.setEnabled(self.replay is not None)
        self.timeline.setVisible(self.replay is not None)

    def _choose(self) -> None:
        from opsconsole.store.training_repository import list_sessions

        rows = [r for r in list_sessions(self.catalog.store) if r["ended_utc"]]
        if not rows:
            self.label.setText("No ended session to replay.")
            return
        labels = [f"{r['id']}: {r['title']} ({r['started_utc'][:16]}, {r['who']})" for r in rows]
        choice, ok = QInputDialog.getItem(self, "Replay", "Session:", labels, 0, False)
        if ok and choice:
            self.start(int(choice.split(":", 1)[0]))

    def start(self, session_id: int) -> None:
        """Replay a logged session from its start at the clock's current speed."""
        replay = SessionReplay.load(self.catalog.store, session_id)
        self.state.set_replay(replay)
        self._shown_plan = None
        self.timeline.clear()
        self.clock.pause()
        self.clock.scrub(replay.scenario.start)
        self.label.setText(f"Replaying session {session_id}: {replay.scenario.title}")
        self.update_buttons()
        self.tick(self.clock.now())
        self.clock.play()

    def stop(self) -> None:
        """Leave the replay; the globe goes back to the active plan."""
        self.state.set_replay(None)
        self.timeline.clear()
        self.label.setText("")
        self.clock.pause()
        self.plan.request(active_plan_id(self.catalog.store), active=True)
        self.update_buttons()

    def tick(self, now: datetime) -> None:
        """Follow the simulation time: plan in force and the log reached so far."""
        replay = self.replay
        if replay is None:
            return
        plan_id = replay.plan_at(now)
        if plan_id is not None and plan_id != self._shown_plan:
            self._shown_plan = plan_id
            self.plan.request(plan_id)
        entries = replay.entries_until(now)
        if len(entries) != self.timeline.count():
            self.timeline.clear()
            for entry in entries:
                self.timeline.addItem(f"{entry.sim:%H:%M:%S} {entry.who}: {entry.what}")
            self.timeline.scrollToBottom()

"""The Training dock, for the instructor: load a scenario, read the briefing, start,
pause, change speed, inject an event now, end the session and read the debrief.

Starting makes the starting plan in the background (a child process, as the Planner
does), approves and activates it, puts the clock at the scenario's start and speed, and
opens the session. From then on the main window's live refresh calls :meth:`tick`,
which logs every event the clock reaches (at its exact simulation time), and the
trainees' exclusions, pins, plans and activations are recorded through :meth:`record`.
"""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from opsconsole.console.catalog import Catalog
from opsconsole.console.intents import Intents
from opsconsole.console.replay import PlanReplay
from opsconsole.console.training_state import TrainingState
from opsconsole.core.sim_clock import SPEED_STEPS, SimulationClock
from opsconsole.training.scenario import Scenario, ScenarioError, load_scenario
from opsconsole.ui.qt.background import BackgroundTask
from opsconsole.ui.qt.late_update import LateUpdates
from opsconsole.ui.qt.replay_controls import ReplayControls

if TYPE_CHECKING:
    from opsconsole.training.session import TrainingSession

INJECTABLE = {
    "gateway_outage": ("gateway", None),
    "gateway_capacity_loss": ("gateway", "remaining_pct"),
    "region_outage": ("region", None),
    "satellite_failure": ("plane_of", None),
    "demand_surge": ("customer", "factor"),
    "element_update": (None, "along_track_s"),
}
"""Event kinds the panel injects: the field its target fills, and its value field."""


def shipped_scenarios() -> dict[str, Path]:
    """Name -> path of every scenario in ``opsconsole.resources/scenarios``."""
    folder = resources.files("opsconsole.resources").joinpath("scenarios")
    return {
        item.name.removesuffix(".toml"): Path(str(item))
        for item in sorted(folder.iterdir(), key=lambda i: i.name)
        if item.name.endswith(".toml")
    }


class TrainingPanel(QWidget):
    """Instructor controls over one training session at a time (its state lives in
    ``console.training_state``; the session starts and ends here)."""

    def __init__(
        self,
        state: TrainingState,
        catalog: Catalog,
        clock: SimulationClock,
        replay: PlanReplay,
        intents: Intents,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.state, self.catalog, self.clock = state, catalog, clock
        self.replay, self.intents = replay, intents
        self.scenario: Scenario | None = None
        self.report: dict[str, Any] | None = None
        self.task: BackgroundTask | None = None
        self.choice = QComboBox(self)
        for name, path in shipped_scenarios().items():
            self.choice.addItem(name, str(path))
        open_file = QPushButton("Open…", self)
        self.briefing = QTextBrowser(self)
        self.start_button = QPushButton("Start session", self)
        self.pause_button = QPushButton("Pause", self)
        self.speed = QComboBox(self)
        for step in SPEED_STEPS:
            self.speed.addItem(f"{step}x", step)
        self.kind = QComboBox(self)
        self.kind.addItems(list(INJECTABLE))
        self.target = QLineEdit(self)
        self.target.setPlaceholderText("gateway, region or customer id; satellite number")
        self.value = QDoubleSpinBox(self)
        self.value.setRange(-600.0, 600.0)
        self.value.setValue(20.0)
        self.minutes = QDoubleSpinBox(self)
        self.minutes.setRange(1.0, 4320.0)
        self.minutes.setValue(30.0)
        self.minutes.setSuffix(" min")
        self.inject_button = QPushButton("Inject now", self)
        self.end_button = QPushButton("End session", self)
        self.in_force = QListWidget(self)
        self.in_force.setMaximumHeight(90)
        self.status = QLabel("No session.", self)
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.choice, 1)
        top.addWidget(open_file)
        controls = QHBoxLayout()
        for widget in (self.start_button, self.pause_button, self.speed, self.end_button):
            controls.addWidget(widget)
        form = QFormLayout()
        form.addRow("Event", self.kind)
        form.addRow("Target", self.target)
        form.addRow("Remaining % / factor / s ahead", self.value)
        form.addRow("Lasting", self.minutes)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.briefing, 1)
        layout.addLayout(controls)
        layout.addWidget(QLabel("Events in force", self))
        layout.addWidget(self.in_force)
        layout.addLayout(form)
        layout.addWidget(self.inject_button)
        layout.addWidget(self.status)
        self.replays = ReplayControls(state, catalog, clock, replay, self)
        self.updates = LateUpdates(catalog, clock, intents, self.status.setText, self)
        layout.addWidget(self.replays)
        self.choice.currentIndexChanged.connect(lambda _i: self.load(self.choice.currentData()))
        open_file.clicked.connect(self._open_file)
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle)
        self.speed.activated.connect(lambda _i: self.set_speed(int(self.speed.currentData())))
        self.inject_button.clicked.connect(self.inject)
        self.end_button.clicked.connect(self.end)
        self._enable()
        self._loaded_once = False  # the first scenario loads when the dock is first shown

    @property
    def session(self) -> TrainingSession | None:
        """The running session."""
        return self.state.session

    def showEvent(self, event: Any) -> None:
        """Load the selected scenario the first time the dock shows (not at start-up)."""
        super().showEvent(event)
        if not self._loaded_once and self.scenario is None and self.choice.count():
            self._loaded_once = True
            self.load(self.choice.currentData())

    # -- scenario and session ---------------------------------------------------
    def _open_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Open scenario", "", "TOML (*.toml)")
        if path:
            self.load(path)

    def load(self, path: str) -> None:
        """Read a scenario and show its briefing (errors name the line)."""
        self._loaded_once = True
        try:
            self.scenario = load_scenario(path)
        except ScenarioError as exc:
            self.scenario = None
            self.briefing.setPlainText(str(exc))
            self.status.setText("The scenario has errors: nothing loaded.")
        else:
            s = self.scenario
            events = "".join(f"<li>{e.start:%H:%M} UTC: {e.label}</li>" for e in s.events)
            goals = "".join(f"<li>{o.name}</li>" for o in s.objectives)
            self.briefing.setHtml(
                f"<h3>{s.title}</h3><p>{s.briefing}</p><p>Starts {s.start:%Y-%m-%d %H:%M} UTC,"
                f" {s.duration}, at {s.speed:g}x.</p><p>Objectives:</p><ul>{goals}</ul>"
                f"<p>Script (instructor only):</p><ul>{events}</ul>"
            )  # fmt: skip
            self.status.setText("Loaded. Press Start session.")
        self._enable()

    def _enable(self) -> None:
        running = self.session is not None
        self.start_button.setEnabled(self.scenario is not None and not running)
        for widget in (self.pause_button, self.inject_button, self.end_button):
            widget.setEnabled(running)

    def start(self) -> None:
        """Plan the scenario's window in the background, then open the session."""
        from opsconsole.planning.parameters import PlanParameters
        from opsconsole.plans.process import PlanRequest, create_plan_in_process

        if self.scenario is None and not self._loaded_once and self.choice.count():
            self.load(self.choice.currentData())
        scenario = self.scenario
        if scenario is None or self.session is not None:
            return
        params = PlanParameters(
            start=scenario.start, duration_s=scenario.duration.total_seconds(),
            step_s=scenario.step_s, mode="isl" if scenario.mode == "isl" else "bent-pipe",
            site_mask_deg=scenario.site_mask_deg,
        )  # fmt: skip
        db, customers = self.catalog.db_path, tuple(scenario.customers)
        self.clock.pause()
        self.clock.scrub(scenario.start)
        self.start_button.setEnabled(False)
        self.status.setText("Making the starting plan…")

        request = PlanRequest(f"Training: {scenario.title}", params, customers=customers)

        def work(progress: Any, cancelled: Any) -> int:
            return create_plan_in_process(db, request, workers=1, progress=progress,
                                          cancelled=cancelled)  # fmt: skip

        self.task = BackgroundTask(self, "Starting the training session…", work,
                                   self._opened, self._failed)  # fmt: skip

    def _opened(self, plan_id: int) -> None:
        from opsconsole.store.plan_repository import set_status
        from opsconsole.training.session import TrainingSession

        scenario = self.scenario
        assert scenario is not None
        set_status(self.catalog.store, plan_id, "approved")
        set_status(self.catalog.store, plan_id, "active")
        session = TrainingSession.start(self.catalog.store, scenario, plan_id)
        self.state.set_session(session)
        self.catalog.plans_changed.emit(plan_id)
        self.replay.request(plan_id, active=True)
        self.set_speed(min(SPEED_STEPS, key=lambda s: abs(s - scenario.speed)), log=False)
        self.clock.play()
        self.status.setText(f"Session {session.id} running; starting plan {plan_id}.")
        self._enable()
        self.replays.update_buttons()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(f"Not started: {error}")
        self._enable()

    # -- running ------------------------------------------------------------------
    def fired_events(self, now: datetime) -> list[Any]:
        """Events begun so far (see ``TrainingState.fired_events``)."""
        return self.state.fired_events(now)

    def tick(self, now: datetime) -> None:
        """Log the events the clock has reached; pause at the scenario's end. In a
        replay, follow the replayed session instead."""
        session = self.session
        replay = self.state.replay
        if replay is not None:
            self._show_in_force(replay.in_force(now))
            self.replays.tick(now)
        if session is None:
            return
        changes = session.advance(now)
        if changes:
            self._show_in_force(session.in_force(now))
        for what, event in changes:
            if what == "begins" and event.kind == "element_update":
                self.updates.take_up(session, event)
        if now >= session.scenario.end and self.clock.playing:
            self.clock.pause()
            session.control(now, "clock paused at the scenario's end")
            self.status.setText("The scenario's time is over: end the session for the debrief.")

    def _show_in_force(self, events: list[Any]) -> None:
        texts = [f"{event.label} until {event.end:%H:%M} UTC" for event in events]
        if texts != [self.in_force.item(i).text() for i in range(self.in_force.count())]:
            self.in_force.clear()
            self.in_force.addItems(texts)
            self.state.in_force_changed.emit(events)

    def toggle(self) -> None:
        """Pause or play the clock (logged)."""
        if self.session is None:
            return
        self.clock.toggle()
        playing = self.clock.playing
        self.pause_button.setText("Pause" if playing else "Play")
        self.session.control(self.clock.now(), "play" if playing else "pause")

    def set_speed(self, speed: int, *, log: bool = True) -> None:
        """Clock speed (logged while a session runs)."""
        self.clock.set_speed(speed)
        self.speed.setCurrentIndex(max(self.speed.findData(speed), 0))
        if self.session is not None and log:
            self.session.control(self.clock.now(), f"speed {speed}x", {"speed": speed})

    def inject(self) -> None:
        """Inject the form's event now."""
        session = self.session
        if session is None:
            return
        kind = self.kind.currentText()
        target_field, value_field = INJECTABLE[kind]
        text = self.target.text().strip()
        fields: dict[str, Any] = {}
        if target_field:
            fields[target_field] = int(text) if text.isdigit() else text
        if value_field:
            fields[value_field] = self.value.value()
        try:
            event = session.inject(kind, fields, self.clock.now(), self.minutes.value())
        except ValueError as exc:
            self.status.setText(f"Not injected: {exc}")
            return
        self.status.setText(f"Injected {event.label} until {event.end:%H:%M} UTC.")
        self.tick(self.clock.now())

    def ask_site_request(self, lat: float, lon: float) -> None:
        """Ask which customer requests a site at (lat, lon), then inject the request."""
        from PySide6.QtWidgets import QInputDialog

        names = sorted({str(c["name"]) for c in self.catalog.data.customers})
        customer, ok = QInputDialog.getItem(self, "Site request", "Customer:", names, 0, False)
        if ok and customer:
            self.request_site(lat, lon, customer)

    def request_site(self, lat: float, lon: float, customer: str, *, demand_mbps: float = 200.0,
                     priority: int = 2, max_rtt_ms: float = 100.0) -> Any:  # fmt: skip
        """Inject a new-site request now at (lat, lon) degrees for ``customer``; it must be
        placed (created in the catalog and planned for) before the session ends."""
        session = self.session
        if session is None:
            return None
        fields = {"customer": customer, "name": f"{customer} request {lat:+.2f} {lon:+.2f}",
                  "lat": lat, "lon": lon, "demand_mbps": demand_mbps, "priority": priority,
                  "max_rtt_ms": max_rtt_ms}  # fmt: skip
        try:
            event = session.inject("new_site", fields, self.clock.now(), None)
        except ValueError as exc:
            self.status.setText(f"Not injected: {exc}")
            return None
        self.status.setText(f"Injected {event.label}: place it before the session ends.")
        self.tick(self.clock.now())
        return event

    def record(self, what: str, detail: dict[str, Any] | None = None) -> None:
        """Log a trainee's action (nothing when no session runs)."""
        self.state.record(what, detail)

    def end(self) -> None:
        """End the session and compute its debrief in the background."""
        session = self.session
        if session is None:
            return
        session.end(self.clock.now())
        self.clock.pause()
        self.updates.restore(session)
        self.state.set_session(None)
        self._enable()
        self.replays.update_buttons()
        db, session_id = self.catalog.db_path, session.id
        self.status.setText("Computing the debrief…")

        def work(_progress: Any, cancelled: Any) -> dict[str, Any]:
            from opsconsole.jobs.child_process import run_in_child
            from opsconsole.training.session_debrief import session_report_at

            report: dict[str, Any] = run_in_child(session_report_at, name="opsconsole-debrief",
                                                  cancelled=cancelled, db_path=str(db),
                                                  session_id=session_id)  # fmt: skip
            return report

        self.task = BackgroundTask(self, "Debrief…", work, self._debriefed, self._failed,
                                   show_dialog=False)  # fmt: skip

    def _debriefed(self, report: dict[str, Any]) -> None:
        from opsconsole.ui.qt.debrief_dialog import DebriefDialog

        self.report = report
        self.status.setText(f"Session {report['session_id']} ended.")
        DebriefDialog(report, self).show()

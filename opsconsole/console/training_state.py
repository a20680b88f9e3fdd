"""The training session running in the console (or the logged session replayed), and
what it means for the rest of the console: events fired and in force, the exclusions
and factors the planner must honour, and the trainees' actions for the log."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.console.catalog import Catalog
from opsconsole.console.events import Event
from opsconsole.core.sim_clock import SimulationClock
from opsconsole.planning.inputs import Exclusion
from opsconsole.training.replay import SessionReplay
from opsconsole.training.scenario import Event as ScenarioEvent
from opsconsole.training.scenario import Scenario
from opsconsole.training.session import (
    TrainingSession,
    outage_exclusions,
    planner_factors,
)
from opsconsole.training.world import plane_members


class TrainingState:
    """At most one of ``session`` (running) and ``replay`` (a logged one) at a time."""

    def __init__(self, catalog: Catalog, clock: SimulationClock) -> None:
        self.catalog, self.clock = catalog, clock
        self.session: TrainingSession | None = None
        self.replay: SessionReplay | None = None
        self.session_changed: Event[None] = Event("session started or ended")
        self.replay_changed: Event[None] = Event("replay started or stopped")
        self.in_force_changed: Event[list[ScenarioEvent]] = Event("incidents in force")
        """Events in force changed (the new list), in a session or a replay."""
        self._planes: dict[int, NDArray[np.int64]] = {}
        catalog.loaded.connect(lambda _none: self._planes.clear())

    @property
    def scenario(self) -> Scenario | None:
        """The running or replayed session's scenario."""
        if self.session is not None:
            return self.session.scenario
        return self.replay.scenario if self.replay is not None else None

    def set_session(self, session: TrainingSession | None) -> None:
        self.session = session
        self.session_changed.emit(None)

    def set_replay(self, replay: SessionReplay | None) -> None:
        self.replay = replay
        self.replay_changed.emit(None)

    def plane_members(self, number: int) -> NDArray[np.int64]:
        """Catalog numbers of every satellite in the orbital plane of ``number``."""
        if number not in self._planes:
            data = self.catalog.data
            structure, ids = data.structure, data.elements.norad_ids
            self._planes[number] = plane_members(structure.shell, structure.plane, ids, number)
        return self._planes[number]

    def planes_of(self, events: list[ScenarioEvent]) -> dict[int, NDArray[np.int64]]:
        """Plane members of every ``plane_of`` event among ``events``."""
        return {int(e.fields["plane_of"]): self.plane_members(int(e.fields["plane_of"]))
                for e in events if "plane_of" in e.fields}  # fmt: skip

    def fired_events(self, now: datetime) -> list[ScenarioEvent]:
        """Events begun so far: the running session's, or the replayed session's."""
        if self.session is not None:
            return [e for e in self.session.events if e.index in self.session.fired]
        return self.replay.fired(now) if self.replay is not None else []

    def in_force(self, now: datetime) -> list[ScenarioEvent]:
        """Events in force at ``now`` (session or replay)."""
        if self.session is not None:
            return self.session.in_force(now)
        return self.replay.in_force(now) if self.replay is not None else []

    def incident_exclusions(self, now: datetime) -> list[Exclusion]:
        """What the planner must leave out while a session runs: every outage in force
        at ``now``, from its start until further notice (nobody knows when it ends)."""
        if self.session is None:
            return []
        events = self.session.in_force(now)
        planes = {k: [int(n) for n in v] for k, v in self.planes_of(events).items()}
        return [replace(x, end=None) for x in outage_exclusions(events, planes)]

    def incident_factors(self, now: datetime) -> tuple[dict[str, float], dict[str, float]]:
        """Rain fades and demand surges in force at ``now``, for the planner (see
        ``training.session.planner_factors``); empty without a session."""
        return planner_factors(self.session.in_force(now) if self.session is not None else [])

    def failed_satellites(self, events: list[ScenarioEvent]) -> set[int]:
        """Catalog numbers failed by ``satellite_failure`` events among ``events``."""
        numbers: set[int] = set()
        for e in events:
            if e.kind == "satellite_failure":
                numbers |= {int(n) for n in e.fields.get("satellites", [])}
                if "plane_of" in e.fields:
                    numbers |= {int(n) for n in self.plane_members(int(e.fields["plane_of"]))}
        return numbers

    def record(self, what: str, detail: dict[str, Any] | None = None) -> None:
        """Log a trainee's action at the simulation time (nothing when no session)."""
        if self.session is not None:
            self.session.record(self.clock.now(), what, detail)

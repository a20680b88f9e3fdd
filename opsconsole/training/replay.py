"""Replaying a logged session: what had happened by any simulation time.

Built from the store alone (the scenario text kept with the session, the log); the
replay is read-only and may run at any speed or backwards: every answer depends only
on the simulation time asked about.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime

from opsconsole.store.database import Store
from opsconsole.store.training_repository import LogEntry, session_log, session_row
from opsconsole.training.scenario import Event, Scenario, parse_scenario
from opsconsole.training.session import replayed_events
from opsconsole.training.session_debrief import plan_switches


@dataclass(frozen=True)
class SessionReplay:
    """A logged session: its scenario, events, log (simulation-time order) and the plan
    in force from each moment."""

    session_id: int
    scenario: Scenario
    events: tuple[Event, ...]
    log: tuple[LogEntry, ...]
    switches: tuple[tuple[datetime, int], ...]

    @classmethod
    def load(cls, store: Store, session_id: int) -> SessionReplay:
        row = session_row(store, session_id)
        scenario = parse_scenario(str(row["scenario_text"]), str(row["scenario_path"]))
        log = tuple(session_log(store, session_id))
        return cls(session_id, scenario, tuple(replayed_events(store, session_id)), log,
                   tuple(plan_switches(row, log)))  # fmt: skip

    def fired(self, now: datetime) -> list[Event]:
        """Events that had begun by ``now`` (in force or over)."""
        return [e for e in self.events if e.start <= now]

    def in_force(self, now: datetime) -> list[Event]:
        return [e for e in self.events if e.start <= now < e.end]

    def plan_at(self, now: datetime) -> int | None:
        """The plan in force at ``now`` (``None`` before the first)."""
        times = [t for t, _p in self.switches]
        at = bisect_right(times, now)
        return self.switches[at - 1][1] if at else None

    def entries_until(self, now: datetime) -> list[LogEntry]:
        """Log entries at or before ``now``."""
        return [e for e in self.log if e.sim <= now]

"""A running training session, with no Qt: the console's clock drives it.

``advance(now)`` fires every event whose start the simulation clock has reached, at any
clock speed, and logs it at the event's own simulation time (not at the tick that
noticed it), so the log and the debrief are exact whatever the speed. Ends are logged
the same way. The instructor can inject any event now; operator actions,
acknowledgements and controls are logged as they happen. Every log entry holds what is
needed to rebuild the session's events, so a replay fires the same events at the same
simulation times (``replayed_events``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from opsconsole.planning.inputs import Exclusion
from opsconsole.store.database import Store
from opsconsole.store.plan_repository import plan_element_set_id
from opsconsole.store.training_repository import (
    LogEntry,
    append,
    append_many,
    end_session,
    session_log,
    start_session,
)
from opsconsole.training.catalog_refs import CatalogRefs
from opsconsole.training.scenario import EVENT_FIELDS, Event, Scenario

OUTAGE_KINDS = {"gateway_outage": "gateway", "region_outage": "region"}
"""Event kinds that take one gateway or region down, and the planner's exclusion kind."""


def _event_detail(event: Event, injected: bool) -> dict[str, Any]:
    return {
        "index": event.index,
        "kind": event.kind,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "fields": event.fields,
        "injected": injected,
    }


@dataclass
class TrainingSession:
    """One session of one scenario, logged to the store as it happens."""

    store: Store
    scenario: Scenario
    id: int
    events: list[Event]
    fired: set[int] = field(default_factory=set)
    ended: set[int] = field(default_factory=set)
    refs: CatalogRefs = field(default_factory=CatalogRefs.builtin)
    element_set_id: int | None = None
    """The starting plan's element set: late updates are built from it."""

    @classmethod
    def start(
        cls, store: Store, scenario: Scenario, starting_plan_id: int | None = None
    ) -> TrainingSession:
        """Open a session (its row keeps the scenario's text) and log the start."""
        text = scenario.text or Path(scenario.path).read_text(encoding="utf-8")
        set_id = None if starting_plan_id is None else plan_element_set_id(store, starting_plan_id)
        session_id = start_session(store, scenario.title, scenario.path, text, scenario.start,
                                   starting_plan_id)  # fmt: skip
        append(store, session_id, scenario.start, "control", "session started",
               {"speed": scenario.speed, "starting_plan_id": starting_plan_id,
                "element_set_id": set_id})  # fmt: skip
        return cls(store, scenario, session_id, list(scenario.events), element_set_id=set_id)

    def advance(self, now: datetime) -> list[tuple[str, Event]]:
        """Log and return ``("begins" | "ends", event)`` for every start and end the clock
        has reached since the last call, in simulation-time order. The clock running
        backwards undoes nothing: what happened stays logged."""
        changes: list[tuple[datetime, int, str, Event]] = []
        for event in self.events:
            if event.index not in self.fired and event.start <= now:
                changes.append((event.start, event.index, "begins", event))
            if event.index not in self.ended and event.end <= now:
                changes.append((event.end, event.index, "ends", event))
        changes.sort(key=lambda c: (c[0], c[2] == "begins", c[1]))
        for moment, index, what, event in changes:
            (self.fired if what == "begins" else self.ended).add(index)
            append(self.store, self.id, moment, "event", f"{event.label} {what}",
                   _event_detail(event, event.index >= len(self.scenario.events)))  # fmt: skip
        return [(what, event) for _m, _i, what, event in changes]

    def inject(self, kind: str, fields: dict[str, Any], at: datetime,
               minutes: float | None) -> Event:  # fmt: skip
        """An event the instructor adds now (``minutes`` long, or to the scenario's end,
        as an element update always is); ``ValueError`` when a field is missing or names
        nothing known."""
        if kind not in EVENT_FIELDS:
            raise ValueError(f"unknown event {kind!r}")

        def fail(key: str | None, reason: str) -> Exception:
            return ValueError(f"{key}: {reason}" if key else reason)

        own = {key: value for key, value in fields.items() if key in EVENT_FIELDS[kind]}
        if "along_track_s" in own:
            own["along_track_s"] = float(own["along_track_s"])
        if kind != "satellite_failure":
            missing = sorted(set(EVENT_FIELDS[kind]) - set(own))
            if missing:
                raise ValueError(f"{kind} needs {', '.join(missing)}")
        elif not own:
            raise ValueError("satellite_failure needs satellites or plane_of")
        self.refs.check_event(kind, own, fail)
        end = self.scenario.end  # an element update holds to the end, as in a scenario file
        if minutes is not None and kind != "element_update":
            end = min(at + timedelta(minutes=minutes), self.scenario.end)
        if end <= at:
            raise ValueError("the event would end before it starts")
        event = Event(len(self.events), kind, at, end, own, 0)
        self.events.append(event)
        append(self.store, self.id, at, "control", f"instructor injected {event.label}",
               _event_detail(event, True))  # fmt: skip
        return event

    def record(self, now: datetime, what: str, detail: dict[str, Any] | None = None) -> None:
        """An operator action (exclude, pin, plan, activate ...)."""
        append(self.store, self.id, now, "action", what, detail)

    def acknowledge(self, now: datetime, alert: str, site_ids: list[int],
                    comment: str = "") -> None:  # fmt: skip
        """An operator acknowledged an alert about the sites ``site_ids`` (catalog ids),
        with an optional ``comment``."""
        detail: dict[str, Any] = {"site_ids": site_ids}
        what = f"acknowledged: {alert}"
        if comment:
            detail["comment"] = comment
            what += f" ({comment})"
        append(self.store, self.id, now, "ack", what, detail)

    def alerts(self, now: datetime, opened: list[tuple[str, list[int], str]]) -> None:
        """Alerts opened at ``now``: (text, site catalog ids, reason) each, one write."""
        entries = [(text, {"site_ids": ids, "reason": reason}) for text, ids, reason in opened]
        append_many(self.store, self.id, now, "alert", entries)

    def update_loaded(self, now: datetime, event: Event, element_set_id: int) -> None:
        """The console imported and activated ``element_set_id``, the elements of the
        late update ``event`` (its id and shift logged for the debrief)."""
        detail = {"element_set_id": element_set_id, "event_index": event.index,
                  "along_track_s": float(event.fields["along_track_s"])}  # fmt: skip
        append(
            self.store,
            self.id,
            now,
            "event",
            f"element set {element_set_id} loaded: {event.label}",
            detail,
        )

    def control(self, now: datetime, what: str, detail: dict[str, Any] | None = None) -> None:
        """An instructor control: pause, play, speed."""
        append(self.store, self.id, now, "control", what, detail)

    def in_force(self, now: datetime) -> list[Event]:
        """Events fired and still in force at ``now``."""
        return [e for e in self.events if e.index in self.fired and e.start <= now < e.end]

    def end(self, now: datetime) -> None:
        """Log the end and close the session."""
        append(self.store, self.id, now, "control", "session ended")
        end_session(self.store, self.id)


def replayed_events(store: Store, session_id: int) -> list[Event]:
    """The events of a logged session (scripted and injected) as they fired."""
    events: dict[int, Event] = {}
    for entry in session_log(store, session_id):
        detail = entry.detail
        if entry.kind in ("event", "control") and "index" in detail and "kind" in detail:
            index = int(detail["index"])
            events.setdefault(index, Event(
                index, str(detail["kind"]), datetime.fromisoformat(detail["start"]),
                datetime.fromisoformat(detail["end"]), dict(detail["fields"]), 0,
            ))  # fmt: skip
    return [events[i] for i in sorted(events)]


def loaded_updates(log: list[LogEntry]) -> dict[int, float]:
    """Element sets the console loaded for late updates: set id -> ``along_track_s``."""
    return {int(e.detail["element_set_id"]): float(e.detail["along_track_s"]) for e in log
            if e.kind == "event" and "element_set_id" in e.detail}  # fmt: skip


def outage_exclusions(events: list[Event], plane_members: dict[int, list[int]]) -> list[Exclusion]:
    """What the planner must leave out because of the given (fired) events: each
    outage for its own span (``plane_members``: a satellite's whole plane). Capacity
    losses and demand surges are not exclusions: the planner has no capacity or
    demand that changes within a window."""
    out: list[Exclusion] = []
    for event in events:
        f = event.fields
        if event.kind in OUTAGE_KINDS:
            key = f[OUTAGE_KINDS[event.kind]]
            out.append(Exclusion(OUTAGE_KINDS[event.kind], key, event.start, event.end))
        elif event.kind == "satellite_failure":
            numbers = [int(n) for n in f.get("satellites", [])]
            if "plane_of" in f:
                numbers += plane_members.get(int(f["plane_of"]), [])
            out += [Exclusion("satellite", n, event.start, event.end) for n in sorted(set(numbers))]
    return out


def planner_factors(events: list[Event]) -> tuple[dict[str, float], dict[str, float]]:
    """Rain fades (gateway id -> share of capacity left, the lowest) and demand surges
    (customer -> product of factors) among ``events``, for ``plan_service.create_plan``."""
    fade: dict[str, float] = {}
    surge: dict[str, float] = {}
    for event in events:
        f = event.fields
        if event.kind == "gateway_capacity_loss":
            key = str(f["gateway"])
            fade[key] = min(fade.get(key, 1.0), float(f["remaining_pct"]) / 100.0)
        elif event.kind == "demand_surge":
            key = str(f["customer"])
            surge[key] = surge.get(key, 1.0) * float(f["factor"])
    return fade, surge

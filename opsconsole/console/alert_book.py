"""The alert book of a training session (or a replayed one), with the lifecycle of
OPC UA alarms and Yamcs / Open MCT fault management.

``refresh(now)`` judges the replayed plan's slot at ``now`` under the events fired so
far (``training.alerts``). There is one alert per site and cause (``AlertKey``):

- it is **raised** (and logged, in a running session) when its cause first appears;
  while the site has another active alert, a falling availability is that alert's
  consequence, not an alert of its own;
- it **returns to normal** when the cause goes, and stays in the book until it is
  acknowledged (or cleared); if the cause comes back meanwhile it is the same alert
  again (``occurrences`` counts), not a new one;
- **acknowledge** (with an optional comment) is logged with the acting OS user;
  an acknowledged alert that has returned to normal leaves the book;
- **shelve** hides it until a chosen simulation time (logged); **clear** removes
  alerts that have returned to normal.

Keyed by site id, so the replayed plan may cover any set of sites. Times are the
simulation's (aware UTC).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from opsconsole.console.catalog import Catalog
from opsconsole.console.events import Event
from opsconsole.console.replay import PlanReplay
from opsconsole.console.training_state import TrainingState
from opsconsole.training.alerts import (
    AVAILABILITY,
    Alert,
    AvailabilityTracker,
    PlanSlot,
    alerts_at,
)
from opsconsole.training.scenario import Event as ScenarioEvent

AlertKey = tuple[int, str]
"""Site id and cause topic: one alert per site and cause."""
FILTERS = ("open", "unacknowledged", "shelved", "all")
"""What the Alerts dock lists: not shelved; not acknowledged (and not shelved); shelved;
everything."""


def alert_key(alert: Alert) -> AlertKey:
    """The book's key of ``alert``: its site and the stable part of its cause."""
    return alert.site_id, alert.topic or alert.cause


@dataclass(frozen=True)
class BookEntry:
    """One alert in the book: the latest ``alert`` for its key, when it was raised
    (``since``), whether its cause is present now (``active``), how many times it has
    come back (``occurrences``), its acknowledgement ("who HH:MM:SS", and a comment)
    and the simulation time it is shelved until."""

    alert: Alert
    since: datetime
    active: bool = True
    occurrences: int = 1
    acknowledged: str | None = None
    comment: str = ""
    shelved_until: datetime | None = None

    def shelved(self, now: datetime) -> bool:
        return self.shelved_until is not None and now < self.shelved_until

    @property
    def state(self) -> str:
        """``active`` or ``returned`` (to normal), for the operator."""
        return "active" if self.active else "returned"


class AlertBook:
    """Alerts of the running or replayed session; ``changed`` after any change."""

    def __init__(self, catalog: Catalog, replay: PlanReplay, training: TrainingState) -> None:
        self.catalog, self.replay, self.training = catalog, replay, training
        self.entries: dict[AlertKey, BookEntry] = {}
        self.tracker: AvailabilityTracker | None = None
        self.summary = "No training session."
        self.now: datetime | None = None
        self.changed: Event[None] = Event("alerts changed")
        training.session_changed.connect(lambda _none: self.reset())
        training.replay_changed.connect(lambda _none: self.reset())

    @property
    def open(self) -> dict[AlertKey, BookEntry]:
        """Entries whose cause is present now."""
        return {k: e for k, e in self.entries.items() if e.active}

    def reset(self) -> None:
        """A session started, ended or a replay began: availability counts anew."""
        self.tracker = None
        self.entries.clear()
        self.changed.emit(None)

    # -- judging ---------------------------------------------------------------------
    def refresh(self, now: datetime) -> None:
        """Alerts at ``now``: raise new ones (logged), return resolved ones to normal."""
        self.now = now
        training = self.training
        session, scenario = training.session, training.scenario
        slot = self.replay.slot(now) if scenario is not None else None
        playback = self.replay.playback
        if slot is None or scenario is None or playback is None:
            changed = bool(self.entries)
            self.entries.clear()
            self.summary = ("No active plan covers the simulation time." if scenario is not None
                            else "No training session.")  # fmt: skip
            if changed:
                self.changed.emit(None)
            return
        fired = training.fired_events(now)
        params = playback.parameters
        caps = {str(g["id"]): float(g["capacity_gbps"]) for g in self.catalog.data.gateways}
        limits = params.region_ingress_gbps
        if self.tracker is None:
            self.tracker = AvailabilityTracker()
        alerts = alerts_at(
            now, slot, fired, training.planes_of(fired), params.satellite_capacity_gbps,
            np.array([caps.get(g, np.inf) for g in slot.gateway_ids]),
            np.array([float(limits.get(r, np.inf)) for r in slot.region_ids]),
            self.tracker, int((now - scenario.start).total_seconds() // scenario.step_s),
            self._late_links(now, slot, fired),
        )  # fmt: skip
        changed, raised = self.fold(now, alerts)
        if session is not None and raised:  # a replay does not log again
            session.alerts(now, [(a.text, [a.site_id], a.reason_text) for a in raised])
        self._summarise(now)
        if changed:
            self.changed.emit(None)

    def fold(self, now: datetime, alerts: list[Alert]) -> tuple[bool, list[Alert]]:
        """The lifecycle step: fold one slot's alerts (``training.alerts.alerts_at``)
        into the book; returns (anything changed?, the alerts newly raised)."""
        busy = {a.site_id for a in alerts if a.reason != AVAILABILITY}
        current: dict[AlertKey, Alert] = {}
        for alert in alerts:  # availability is a consequence while another cause is on
            if alert.reason == AVAILABILITY and alert.site_id in busy:
                continue
            current[alert_key(alert)] = alert
        changed, raised = False, []
        for key, alert in current.items():
            entry = self.entries.get(key)
            if entry is None:
                self.entries[key] = BookEntry(alert, now)
                raised.append(alert)
                changed = True
            elif not entry.active:  # back again: the same alert, not a new one
                self.entries[key] = replace(entry, alert=alert, active=True,
                                            occurrences=entry.occurrences + 1)  # fmt: skip
                changed = True
            elif entry.alert.cause != alert.cause:  # same alert, its cause moved on
                self.entries[key] = replace(entry, alert=alert)
                changed = True
        for key, entry in list(self.entries.items()):
            if key in current or not entry.active:
                continue
            if entry.acknowledged is not None:  # acknowledged and back to normal: done
                del self.entries[key]
            else:
                self.entries[key] = replace(entry, active=False)
            changed = True
        for key, entry in list(self.entries.items()):  # shelving ended
            if entry.shelved_until is not None and now >= entry.shelved_until:
                self.entries[key] = replace(entry, shelved_until=None)
                changed = True
        return changed, raised

    def _summarise(self, now: datetime) -> None:
        entries = list(self.entries.values())
        active = [e for e in entries if e.active]
        critical = sum(e.alert.severity == "critical" for e in active)
        unacked = sum(e.acknowledged is None for e in entries)
        shelved = sum(e.shelved(now) for e in entries)
        self.summary = (f"{len(active)} open, {critical} critical; {unacked} unacknowledged, "
                        f"{shelved} shelved.")  # fmt: skip

    def _late_links(self, now: datetime, slot: PlanSlot,
                    fired: list[ScenarioEvent]) -> NDArray[np.bool_] | None:  # fmt: skip
        """``[k]`` links of the replayed plan broken at ``now``, judged with the
        console's elements, once a late update has begun and the plan was made with
        other elements than the console's; ``None`` otherwise."""
        from opsconsole.planning.assignment import SERVED
        from opsconsole.training.late_elements import lost_now, site_geometry

        playback, data = self.replay.playback, self.catalog.data
        if playback is None or playback.same_elements:
            return None
        if not any(e.kind == "element_update" for e in fired):
            return None
        params = playback.parameters
        sites, masks = site_geometry(slot.sites, params.site_mask_deg)
        sat = np.asarray(slot.satellite).astype(np.intp)
        planned = np.where(sat >= 0, slot.norad_ids[np.maximum(sat, 0)], -1)
        gateways = gw_masks = None
        if params.mode == "bent-pipe":
            rows = {str(g["id"]): g for g in data.gateways}
            gws = [rows.get(str(g), {"lat": 0.0, "lon": 0.0, "min_elevation_deg": 90.0})
                   for g in slot.gateway_ids]  # fmt: skip
            gateways, _masks = site_geometry(gws, 90.0)
            gw_masks = np.array([float(g["min_elevation_deg"]) for g in gws])
        lost: NDArray[np.bool_] = lost_now(
            data.elements, now, planned, np.asarray(slot.status) == SERVED, sites, masks,
            np.asarray(slot.gateway).astype(np.intp), gateways, gw_masks,
        )  # fmt: skip
        return lost

    # -- the operator's actions ---------------------------------------------------------
    def acknowledge(self, keys: list[AlertKey], now: datetime, comment: str = "") -> int:
        """Acknowledge alerts (logged with the acting OS user, the time and ``comment``
        in a running session); an acknowledged alert that has returned to normal leaves
        the book. How many were newly acknowledged."""
        session = self.training.session
        if session is None:
            return 0
        done = 0
        for key in keys:
            entry = self.entries.get(key)
            if entry is None or entry.acknowledged is not None:
                continue
            session.acknowledge(now, entry.alert.text, [entry.alert.site_id], comment.strip())
            who = f"{session.store.who} {now:%H:%M:%S}"
            if entry.active:
                self.entries[key] = replace(entry, acknowledged=who, comment=comment.strip())
            else:
                del self.entries[key]
            done += 1
        if done:
            self._summarise(now)
            self.changed.emit(None)
        return done

    def shelve(self, keys: list[AlertKey], now: datetime, duration: timedelta) -> int:
        """Hide alerts until ``now + duration`` (simulation time; logged in a running
        session). How many were shelved."""
        until = now + duration
        done = 0
        for key in keys:
            entry = self.entries.get(key)
            if entry is None:
                continue
            self.entries[key] = replace(entry, shelved_until=until)
            self.training.record(f"shelved until {until:%H:%M} UTC: {entry.alert.text}",
                                 {"site_ids": [entry.alert.site_id],
                                  "until": until.isoformat()})  # fmt: skip
            done += 1
        if done:
            self._summarise(now)
            self.changed.emit(None)
        return done

    def clear(self, keys: list[AlertKey], now: datetime) -> tuple[int, int]:
        """Remove alerts that have returned to normal; ``(cleared, refused)``: an
        alert whose cause is still present cannot be cleared."""
        cleared = refused = 0
        for key in keys:
            entry = self.entries.get(key)
            if entry is None:
                continue
            if entry.active:
                refused += 1
                continue
            del self.entries[key]
            self.training.record(f"cleared: {entry.alert.text}",
                                 {"site_ids": [entry.alert.site_id]})  # fmt: skip
            cleared += 1
        if cleared:
            self._summarise(now)
            self.changed.emit(None)
        return cleared, refused

    def rows(self, view: str = "open", now: datetime | None = None) -> list[BookEntry]:
        """Entries the ``view`` (one of :data:`FILTERS`) lists, in display order:
        active first, then priority, site, cause."""
        if view not in FILTERS:
            raise ValueError(f"alert filter must be one of {', '.join(FILTERS)}, got {view!r}")
        at = now or self.now

        def keep(e: BookEntry) -> bool:
            shelved = at is not None and e.shelved(at)
            if view == "open":
                return not shelved
            if view == "unacknowledged":
                return e.acknowledged is None and not shelved
            if view == "shelved":
                return shelved
            return True

        return sorted((e for e in self.entries.values() if keep(e)),
                      key=lambda e: (not e.active, e.alert.priority, e.alert.site,
                                     e.alert.cause))  # fmt: skip

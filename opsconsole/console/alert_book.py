"""The alert book of a training session (or a replayed one): which sites are out of
objective now, since when, and who acknowledged what.

``refresh(now)`` judges the replayed plan's slot at ``now`` under the events fired so
far (``training.alerts``): an alert opens when its cause appears (logged in a running
session, not again in a replay) and closes when its site is back within objective.
Keyed by site id, so the replayed plan may cover any set of sites.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from opsconsole.console.catalog import Catalog
from opsconsole.console.events import Event
from opsconsole.console.replay import PlanReplay
from opsconsole.console.training_state import TrainingState
from opsconsole.training.alerts import Alert, AvailabilityTracker, PlanSlot, alerts_at
from opsconsole.training.scenario import Event as ScenarioEvent

AlertKey = tuple[int, int, str]
"""Site id, reason code, topic: one alert per cause and site."""


@dataclass(frozen=True)
class OpenAlert:
    """An open alert, when it opened (simulation time, UTC) and its acknowledgement
    ("who HH:MM:SS", or ``None``)."""

    alert: Alert
    since: datetime
    acknowledged: str | None = None


class AlertBook:
    """Open alerts of the running or replayed session; ``changed`` after any change."""

    def __init__(self, catalog: Catalog, replay: PlanReplay, training: TrainingState) -> None:
        self.catalog, self.replay, self.training = catalog, replay, training
        self.open: dict[AlertKey, OpenAlert] = {}
        self.tracker: AvailabilityTracker | None = None
        self.summary = "No training session."
        self.changed: Event[None] = Event("alerts changed")
        training.session_changed.connect(lambda _none: self.reset())
        training.replay_changed.connect(lambda _none: self.reset())

    def reset(self) -> None:
        """A session started, ended or a replay began: availability counts anew."""
        self.tracker = None
        self.open.clear()
        self.changed.emit(None)

    def refresh(self, now: datetime) -> None:
        """Alerts at ``now``: open new ones (logged), drop those resolved."""
        training = self.training
        session, scenario = training.session, training.scenario
        slot = self.replay.slot(now) if scenario is not None else None
        playback = self.replay.playback
        if slot is None or scenario is None or playback is None:
            changed = bool(self.open)
            self.open.clear()
            self.summary = ("No active plan covers the simulation time." if scenario is not None
                            else "No training session.")  # fmt: skip
            if changed:
                self.changed.emit(None)
            return
        fired = training.fired_events(now)
        params = playback.parameters
        gateways = self.catalog.data.gateways
        caps = {str(g["id"]): float(g["capacity_gbps"]) for g in gateways}
        limits = params.region_ingress_gbps
        if self.tracker is None:
            self.tracker = AvailabilityTracker()
        alerts = alerts_at(
            now, slot, fired, training.planes_of(fired),
            params.satellite_capacity_gbps,
            np.array([caps.get(g, np.inf) for g in slot.gateway_ids]),
            np.array([float(limits.get(r, np.inf)) for r in slot.region_ids]),
            self.tracker, int((now - scenario.start).total_seconds() // scenario.step_s),
            self._late_links(now, slot, fired),
        )  # fmt: skip
        current = {a.key: a for a in alerts}
        changed = set(current) != set(self.open)
        opened = []
        for key, alert in current.items():
            if key not in self.open:
                self.open[key] = OpenAlert(alert, now)
                opened.append((alert.text, [alert.site_id], alert.reason_text))
            elif self.open[key].alert.cause != alert.cause:  # same alert, its cause moved on
                self.open[key] = replace(self.open[key], alert=alert)
                changed = True
        if session is not None and opened:  # a replay does not log again
            session.alerts(now, opened)
        for key in [k for k in self.open if k not in current]:
            del self.open[key]
        critical = sum(o.alert.severity == "critical" for o in self.open.values())
        self.summary = f"{len(self.open)} open, {critical} critical."
        if changed:
            self.changed.emit(None)

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

    def acknowledge(self, keys: list[AlertKey], now: datetime) -> int:
        """Acknowledge open alerts (logged with who and when in a running session);
        how many were newly acknowledged."""
        session = self.training.session
        if session is None:
            return 0
        done = 0
        for key in keys:
            entry = self.open.get(key)
            if entry is None or entry.acknowledged is not None:
                continue
            session.acknowledge(now, entry.alert.text, [entry.alert.site_id])
            who = f"{session.store.who} {now:%H:%M:%S}"
            self.open[key] = replace(entry, acknowledged=who)
            done += 1
        if done:
            self.changed.emit(None)
        return done

    def rows(self) -> list[OpenAlert]:
        """Open alerts in display order: priority, site, cause."""
        return sorted(self.open.values(),
                      key=lambda o: (o.alert.priority, o.alert.site, o.alert.cause))  # fmt: skip

"""Alerts at one moment: the active plan's slot under the events in force.

A site gets an alert when it is not within its objective in the slot containing the
moment, for the reasons of ``service.evaluate``. Severity follows the site's priority:
1 critical, 2 major, 3 and lower minor. The cause names what is down (satellite,
gateway or region), or the capacity, or the round trip against the objective. An alert
is the same alert while its site, reason and cause stay the same (``key``).

Availability objectives are watched over the session so far (``AvailabilityTracker``):
a site whose share of slots within objective has fallen below its objective, once
``MIN_SLOTS`` slots have passed, has an ``availability`` alert of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.planning.planner import PlanResult
from opsconsole.training.scenario import Event
from opsconsole.training.service import (
    CAPACITY,
    OK,
    OUTAGE,
    REASON_NAMES,
    SLO_MISS,
    UNPLANNED,
    SiteFacts,
    evaluate,
)
from opsconsole.training.world import build_world

SEVERITY = {1: "critical", 2: "major"}
AVAILABILITY = 100
"""Reason code of an availability alert (the others are ``service`` codes)."""
MIN_SLOTS = 10
"""Slots that must have passed before availability is judged."""


@dataclass(frozen=True)
class Alert:
    """One site out of objective: its column in the plan, id, name, customer, priority,
    severity, reason (``service`` code and text) and cause. ``topic`` is the stable part
    of the cause (the cause's satellite or round trip may change from slot to slot while
    it stays the same alert)."""

    column: int
    site_id: int
    site: str
    customer: str
    priority: int
    severity: str
    reason: int
    reason_text: str
    cause: str
    topic: str = ""

    @property
    def key(self) -> tuple[int, int, str]:
        return self.site_id, self.reason, self.topic or self.cause

    @property
    def text(self) -> str:
        return f"{self.severity}: {self.site} ({self.customer}): {self.cause}"


@dataclass(frozen=True)
class PlanSlot:
    """The active plan's choice in one slot, per site ``[k]``, with the plan's
    satellite catalog numbers, gateway and region ids, and its site rows."""

    satellite: NDArray[Any]
    gateway: NDArray[Any]
    region: NDArray[Any]
    rtt_ms: NDArray[Any]
    status: NDArray[Any]
    norad_ids: NDArray[np.int64]
    gateway_ids: Sequence[str]
    region_ids: Sequence[str]
    sites: Sequence[Mapping[str, Any]]


def alerts_at(
    now: datetime,
    slot: PlanSlot,
    events: Sequence[Event],
    plane_members: Mapping[int, NDArray[np.int64]],
    satellite_capacity_gbps: float,
    gateway_capacity_gbps: NDArray[np.float64],
    region_capacity_gbps: NDArray[np.float64],
    tracker: AvailabilityTracker | None = None,
    slot_index: int | None = None,
    link_lost: NDArray[np.bool_] | None = None,
) -> list[Alert]:
    """Every site not within objective at ``now`` (events: those fired so far). With a
    ``tracker``, the slot (``slot_index`` in the session) is counted for availability
    and the sites below their availability objective are alerted too. ``link_lost``
    ``[k]`` marks planned links a late element update has broken
    (``late_elements.lost_now``)."""
    k = len(slot.sites)
    world = build_world(
        events, [now], norad_ids=slot.norad_ids, plane_of=dict(plane_members),
        gateway_ids=slot.gateway_ids, region_ids=slot.region_ids,
        site_customers=[str(s["customer"]) for s in slot.sites], new_site_events=[],
        link_lost=None if link_lost is None else np.asarray(link_lost, dtype=bool)[None, :],
    )  # fmt: skip
    facts = SiteFacts.from_rows(slot.sites)
    one = PlanResult(now, 60.0, *(np.asarray(a).reshape(1, k) for a in (
        slot.satellite, slot.gateway, slot.region, slot.rtt_ms, slot.status)))  # fmt: skip
    reason = evaluate(one, world, facts, satellite_capacity_gbps, gateway_capacity_gbps,
                      region_capacity_gbps)[0]  # fmt: skip
    out = []
    if tracker is not None and slot_index is not None:
        tracker.update(slot_index, [int(site["id"]) for site in slot.sites], reason)
    for i in (int(c) for c in np.flatnonzero(reason != OK)):
        code = int(reason[i])
        site = slot.sites[i]
        out.append(Alert(
            int(i), int(site["id"]), str(site["name"]), str(site["customer"]),
            int(site["priority"]), SEVERITY.get(int(site["priority"]), "minor"), code,
            REASON_NAMES[code], *_cause(code, i, slot, world, facts),
        ))  # fmt: skip
    if tracker is not None:
        out += availability_alerts(tracker, slot.sites)
    return sorted(out, key=lambda a: (a.priority, a.site, a.reason))


class AvailabilityTracker:
    """Slots within objective per site, by site id, each slot of the session counted
    once. Keyed by id, not by position, so the plan on the globe may change to one with
    other sites (another customer set) at any time: each site is judged over the slots
    in which a plan covered it."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.ok: dict[int, int] = {}
        self.total: dict[int, int] = {}

    def update(self, slot: int, site_ids: Sequence[int], reason: NDArray[np.uint8]) -> None:
        """Count ``slot`` (the reason code of each site of ``site_ids``) unless it was
        counted already."""
        if slot in self.seen:
            return
        self.seen.add(slot)
        for site_id, code in zip(site_ids, reason.tolist(), strict=True):
            self.total[site_id] = self.total.get(site_id, 0) + 1
            self.ok[site_id] = self.ok.get(site_id, 0) + int(code == OK)

    def below(self, site_ids: Sequence[int], min_pct: NDArray[np.float64]) -> NDArray[np.float64]:
        """Availability % of each site of ``site_ids`` below its objective ``min_pct``
        (NaN where it is met, or before the site has :data:`MIN_SLOTS` slots)."""
        total = np.array([self.total.get(i, 0) for i in site_ids], dtype=float)
        ok = np.array([self.ok.get(i, 0) for i in site_ids], dtype=float)
        pct = np.divide(100.0 * ok, total, out=np.full(total.shape, np.nan), where=total > 0)
        return np.where((total >= MIN_SLOTS) & (pct < min_pct), pct, np.nan)


def availability_alerts(tracker: AvailabilityTracker,
                        sites: Sequence[Mapping[str, Any]]) -> list[Alert]:  # fmt: skip
    """One alert per site below its availability objective so far."""
    objective = np.array([float(s["min_availability_pct"]) for s in sites])
    pct = tracker.below([int(s["id"]) for s in sites], objective)
    out = []
    for i in (int(c) for c in np.flatnonzero(np.isfinite(pct))):
        site = sites[i]
        priority = int(site["priority"])
        out.append(Alert(i, int(site["id"]), str(site["name"]), str(site["customer"]),
                         priority, SEVERITY.get(priority, "minor"), AVAILABILITY,
                         "availability below objective",
                         f"availability {pct[i]:.1f} % < {objective[i]:g} %",
                         "availability"))  # fmt: skip
    return out


def _cause(code: int, i: int, slot: PlanSlot, world: Any, facts: SiteFacts) -> tuple[str, str]:
    """The cause of site ``i``'s alert, and its topic (see ``Alert``)."""
    if code == OUTAGE:
        sat, gw, reg = int(slot.satellite[i]), int(slot.gateway[i]), int(slot.region[i])
        if world.gateway_down[0, gw]:
            return f"gateway {slot.gateway_ids[gw]} down", ""
        if world.region_down[0, reg]:
            return f"region {slot.region_ids[reg]} down", ""
        number = int(slot.norad_ids[sat])
        if world.link_lost[0, i] and not world.satellite_down[0, sat]:
            return f"satellite {number} out of view (late elements)", "late elements"
        return f"satellite {number} down", "satellite down"
    if code == CAPACITY:
        return f"shed for capacity at gateway {slot.gateway_ids[int(slot.gateway[i])]}", ""
    if code == SLO_MISS:
        rtt = f"round trip {float(slot.rtt_ms[i]):.0f} ms > {facts.max_rtt_ms[i]:g} ms"
        return rtt, "round trip"
    if code == UNPLANNED:
        return "the active plan does not serve it", ""
    return REASON_NAMES[code], ""

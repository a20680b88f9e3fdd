"""Debrief figures of a session from the reason code of every slot and site.

- SLO minutes lost per customer: slots in which a site that exists is not within its
  objective, times the slot length (minutes), summed over the customer's sites.
- An incident is an event. Its affected sites are those it puts out of objective: out
  in some slot while it is in force, yet within objective in that slot in the same
  world without this one event (for a site request: the new site). Time to restore:
  minutes from the event's start to the first slot in which every affected site is
  within objective again (``None`` when that never happens before the session ends).
  Time to detect: minutes to the first acknowledgement of an alert about it (``None``
  headless: nobody acknowledges).
- Objectives: ``rtt_restored`` is met when, for every incident, the affected sites of
  the objective's priority or higher are all restored within ``within_minutes``;
  ``availability`` when each such site is within objective for at least ``min_pct`` %
  of the slots it exists.
- Service level: per slot, the share of existing sites, and of their demand, within
  objective.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.training.scenario import Event, Objective
from opsconsole.training.service import INACTIVE, OK, REASON_NAMES, SiteFacts


def incident_figures(event: Event, reason: NDArray[np.uint8], without: NDArray[np.uint8],
                     times: Sequence[datetime], step_s: float,
                     new_site: int | None) -> dict[str, Any]:  # fmt: skip
    """Affected sites and time to restore of one event; ``without`` is the reason code
    of every slot and site in the world without this event."""
    starts = np.array([t >= event.start for t in times])
    first = int(np.argmax(starts)) if starts.any() else len(times)
    during = np.array([event.start <= t < event.end for t in times])
    if new_site is not None:
        affected = np.array([new_site])
    else:
        caused = (reason != OK) & (reason != INACTIVE) & (without == OK)
        affected = np.flatnonzero(caused[during].any(axis=0))
    restored_at = None
    for j in range(first, len(times)):
        if affected.size and (reason[j, affected] == OK).all():
            restored_at = j
            break
    minutes = None if restored_at is None or not affected.size else (
        (restored_at - first) * step_s / 60.0)  # fmt: skip
    return {
        "event": event.label,
        "kind": event.kind,
        "start_utc": event.start.isoformat(),
        "end_utc": event.end.isoformat(),
        "affected_sites": [int(i) for i in affected],
        "time_to_restore_min": minutes if affected.size else 0.0,
        "time_to_detect_min": None,
    }


def objective_met(objective: Objective, reason: NDArray[np.uint8], facts: SiteFacts,
                  incidents: Sequence[Mapping[str, Any]]) -> bool:  # fmt: skip
    """Whether one objective holds (see the module docstring)."""
    wanted = facts.priority <= objective.priority
    if objective.kind == "availability":
        exists = reason != INACTIVE
        ok = (reason == OK).sum(axis=0) / np.maximum(exists.sum(axis=0), 1) * 100.0
        assert objective.min_pct is not None
        return bool((ok[wanted & exists.any(axis=0)] >= objective.min_pct).all())
    assert objective.within_minutes is not None
    for incident in incidents:
        if not any(wanted[i] for i in incident["affected_sites"]):
            continue
        took = incident["time_to_restore_min"]
        if took is None or took > objective.within_minutes:
            return False
    return True


def debrief(
    title: str,
    events: Sequence[Event],
    objectives: Sequence[Objective],
    reason: NDArray[np.uint8],
    facts: SiteFacts,
    site_names: Sequence[str],
    times: Sequence[datetime],
    step_s: float,
    new_site_of: Mapping[int, int],
    without: Mapping[int, NDArray[np.uint8]],
) -> dict[str, Any]:
    """Every debrief figure as JSON-ready values; ``new_site_of`` maps an event's index
    to the site column it requested, ``without`` to the reason codes without it."""
    exists = reason != INACTIVE
    lost = exists & (reason != OK)
    minutes = step_s / 60.0
    per_customer: dict[str, float] = {}
    for i, customer in enumerate(facts.customers):
        per_customer[customer] = per_customer.get(customer, 0.0) + float(lost[:, i].sum()) * minutes
    incidents = [
        incident_figures(
            e, reason, without.get(e.index, reason), times, step_s, new_site_of.get(e.index)
        )
        for e in events
    ]
    for incident in incidents:
        incident["affected_site_names"] = [site_names[i] for i in incident["affected_sites"]]
    demand = facts.demand_mbps[None, :] * exists
    within = reason == OK
    counts = {name: int((reason == code).sum()) for code, name in enumerate(REASON_NAMES)}
    return {
        "title": title,
        "slots": len(times),
        "step_s": step_s,
        "slo_minutes_lost_by_customer": dict(sorted(per_customer.items())),
        "incidents": incidents,
        "objectives": [
            {"name": o.name, "kind": o.kind, "met": objective_met(o, reason, facts, incidents)}
            for o in objectives
        ],
        "service_level": {
            "times_utc": [t.isoformat() for t in times],
            "sites_within_objective_pct": np.round(
                100.0 * within.sum(axis=1) / np.maximum(exists.sum(axis=1), 1), 3
            ).tolist(),
            "demand_within_objective_pct": np.round(
                100.0 * (demand * within).sum(axis=1) / np.maximum(demand.sum(axis=1), 1e-9), 3
            ).tolist(),
        },
        "site_slots_by_reason": counts,
    }

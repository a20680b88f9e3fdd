"""What the network actually delivered over a period, from the operations record.

Nothing is inferred: the plan in force at each moment comes from the audited plan
activations (``plan.active``; an active plan moved to approved or archived stops being
in force), and what went wrong from the recorded incidents (``core.incidents``). Slot by
slot, the service model of the training debrief (``training.service.evaluate``) judges
each site under the incidents in force; slots no plan covers are "no plan in force".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.incidents import Incident
from opsconsole.planning.assignment import SERVED
from opsconsole.store.database import Store
from opsconsole.store.incident_repository import list_incidents
from opsconsole.store.plan_repository import StoredPlan, load_plan
from opsconsole.training.plans_in_force import (
    UNSERVED,
    compose_plans,
    failed_plane_members,
    gateway_capacities,
    universe_of,
)
from opsconsole.training.scenario import Event
from opsconsole.training.service import OK, SLO_MISS, UNPLANNED, SiteFacts, evaluate
from opsconsole.training.world import build_world

NO_PLAN = np.uint8(7)
"""Reason code of a slot no plan in force covers (after ``training.service``'s 0-6)."""
DEFAULT_STEP_S = 60.0


@dataclass(frozen=True)
class ServiceRecord:
    """Per slot ``[m]`` from ``start`` (UTC, ``step_s`` apart) and site ``[k]``: the reason
    code, the round trip (ms, NaN unserved), and the planned gateway, region and
    satellite ids (``None`` where unserved); the plans in force; the incidents used."""

    start: datetime
    step_s: float
    site_ids: tuple[int, ...]
    site_rows: tuple[dict[str, Any], ...]
    reason: NDArray[np.uint8]
    rtt_ms: NDArray[np.float64]
    gateway: NDArray[np.object_]
    region: NDArray[np.object_]
    satellite: NDArray[np.object_]
    switches: tuple[tuple[datetime, int | None], ...]
    incidents: tuple[Incident, ...]


def plan_switches(
    store: Store, start: datetime, end: datetime
) -> list[tuple[datetime, int | None]]:
    """``(from, plan id or None)`` in force over ``[start, end)``: the plan in force at
    ``start`` first, then every change, from the audit log."""
    rows = store.conn.execute(
        "SELECT at_utc, action, entity_id FROM audit_log WHERE entity = 'plan' AND action IN "
        "('plan.active', 'plan.approved', 'plan.archived') ORDER BY id"
    ).fetchall()
    current: int | None = None
    timeline: list[tuple[datetime, int | None]] = []
    for at_text, action, entity_id in rows:
        at = datetime.fromisoformat(str(at_text))
        if action == "plan.active":
            current = int(entity_id)
        elif entity_id is not None and current == int(entity_id):
            current = None
        else:
            continue
        timeline.append((at, current))
    before = [s for s in timeline if s[0] <= start]
    out = [(start, before[-1][1] if before else None)]
    out += [s for s in timeline if start < s[0] < end]
    return out


def _events(incidents: Sequence[Incident], end: datetime, pop_gateways: dict[str, list[str]],
            gateway_ids: Sequence[str], region_ids: Sequence[str]) -> list[Event]:  # fmt: skip
    """The incidents as the service model's events (a PoP takes its gateways with it)."""
    events: list[Event] = []
    for incident in incidents:
        until = incident.end or end
        targets: list[tuple[str, dict[str, Any]]] = []
        if incident.kind in ("gateway", "pop"):
            gateways = (
                [incident.element_id]
                if incident.kind == "gateway"
                else pop_gateways.get(incident.element_id, [])
            )
            for g in (g for g in gateways if g in gateway_ids):
                if incident.capacity_pct is None:
                    targets.append(("gateway_outage", {"gateway": g}))
                else:
                    left = {"gateway": g, "remaining_pct": incident.capacity_pct}
                    targets.append(("gateway_capacity_loss", left))
        elif incident.kind == "region" and incident.element_id in region_ids:
            targets.append(("region_outage", {"region": incident.element_id}))
        elif incident.kind == "satellite":
            targets.append(("satellite_failure", {"satellites": [int(incident.element_id)]}))
        elif incident.kind == "plane":
            targets.append(("satellite_failure", {"plane_of": int(incident.element_id)}))
        for kind, fields in targets:
            events.append(Event(len(events), kind, incident.start, until, fields, 0))
    return events


def pop_gateways(store: Store) -> dict[str, list[str]]:
    from opsconsole.store.catalog_repository import list_gateways

    out: dict[str, list[str]] = {}
    for g in list_gateways(store):
        if g.get("pop_id"):
            out.setdefault(str(g["pop_id"]), []).append(str(g["id"]))
    return out


def service_record(
    store: Store, start: datetime, end: datetime, site_ids: Sequence[int]
) -> ServiceRecord:
    """What ``site_ids`` got over ``[start, end)`` (aware UTC). Every site of the plans
    in force is judged with them, so capacity shed under an incident falls as the
    service model says (lowest priority first), whoever's the sites are."""
    switches = plan_switches(store, start, end)
    plans: dict[int, StoredPlan] = {pid: load_plan(store, pid) for _, pid in switches if pid}
    step = min((p.step_s for p in plans.values()), default=DEFAULT_STEP_S)
    # every instant of [start, end) is in a slot: a period that ends inside a slot
    # (a month so far, ending now) has a last, shorter slot
    times = [
        start + timedelta(seconds=j * step)
        for j in range(math.ceil((end - start).total_seconds() / step))
    ]
    rows_by_id: dict[int, dict[str, Any]] = {}
    for stored in plans.values():
        for row in stored.sites:
            rows_by_id.setdefault(int(row["id"]), dict(row))
    wanted = list(site_ids)
    all_ids = wanted + [i for i in rows_by_id if i not in set(wanted)]
    k, m = len(all_ids), len(times)
    reason = np.full((m, k), NO_PLAN, dtype=np.uint8)
    rtt = np.full((m, k), np.nan)
    gw = np.full((m, k), None, dtype=object)
    reg, sat = gw.copy(), gw.copy()
    incidents = tuple(list_incidents(store, start, end))
    present = [s for s in switches if s[1] is not None]
    if plans and m and all_ids:
        universe = universe_of(list(plans.values()))
        names = [str(rows_by_id.get(i, {}).get("name", i)) for i in all_ids]
        chosen = [(t, p) for t, p in present if p is not None]
        composed = compose_plans(plans, chosen, times, all_ids, names, universe, k)
        force = np.zeros(m, dtype=bool)
        for (at, pid), nxt in zip(switches, [*switches[1:], (end, None)], strict=True):
            if pid is not None:
                force |= np.array([at <= t < nxt[0] for t in times])
        status = np.where(force[:, None], composed.status, UNSERVED)
        missing = _not_in_plan(switches, end, times, plans, all_ids)
        facts = _facts(all_ids, rows_by_id)
        served = status == SERVED
        rtt = np.where(served, composed.rtt_ms.astype(float), np.nan)
        reason = np.where(status == UNSERVED, NO_PLAN, UNPLANNED).astype(np.uint8)
        reason[missing] = UNPLANNED  # a plan is in force, without the site
        reason[served] = np.where(
            rtt[served] <= facts.max_rtt_ms[np.nonzero(served)[1]], OK, SLO_MISS
        )
        ids = {kind: np.array(list(universe[kind]), dtype=object) for kind in universe}
        for out, name, kind in (
            (gw, "gateway", "gateway"),
            (reg, "region", "region"),
            (sat, "satellite", "satellite"),
        ):
            index = getattr(composed, name)
            out[served] = ids[kind][index[served]]
        judged = _judge(
            store,
            incidents,
            times,
            end,
            composed,
            universe,
            plans,
            present,
            facts,
            all_ids,
            rows_by_id,
        )
        if judged is not None:
            rows, codes = judged
            keep = reason[rows] == NO_PLAN
            reason[rows] = np.where(keep, NO_PLAN, codes)
            lost = ~np.isin(reason, (OK, SLO_MISS))
            rtt[lost] = np.nan
    return ServiceRecord(start, step, tuple(all_ids), tuple(rows_by_id.get(i, {}) for i in all_ids),
                         reason, rtt, gw, reg, sat, tuple(switches), incidents)  # fmt: skip


def _not_in_plan(switches: Sequence[tuple[datetime, int | None]], end: datetime,
                 times: Sequence[datetime], plans: dict[int, StoredPlan],
                 all_ids: Sequence[int]) -> NDArray[np.bool_]:  # fmt: skip
    """``[m, k]``: a plan is in force in the slot, and the site is not in it."""
    out = np.zeros((len(times), len(all_ids)), dtype=bool)
    stamps = np.array([t.timestamp() for t in times])
    for (at, pid), nxt in zip(switches, [*switches[1:], (end, None)], strict=True):
        if pid is None:
            continue
        rows = (stamps >= at.timestamp()) & (stamps < nxt[0].timestamp())
        planned = {int(s["id"]) for s in plans[pid].sites}
        cols = np.array([i not in planned for i in all_ids])
        out |= rows[:, None] & cols[None, :]
    return out


def _facts(all_ids: Sequence[int], rows: dict[int, dict[str, Any]]) -> SiteFacts:
    default = {"demand_mbps": 0.0, "priority": 5, "max_rtt_ms": np.inf, "customer": ""}
    return SiteFacts.from_rows([{**default, **rows.get(i, {})} for i in all_ids])


def _judge(
    store: Store,
    incidents: Sequence[Incident],
    times: Sequence[datetime],
    end: datetime,
    composed: Any,
    universe: dict[str, dict[Any, int]],
    plans: dict[int, StoredPlan],
    present: Sequence[tuple[datetime, int | None]],
    facts: SiteFacts,
    all_ids: Sequence[int],
    rows: dict[int, dict[str, Any]],
) -> tuple[NDArray[np.intp], NDArray[np.uint8]] | None:
    """Reason codes on the slots where some incident is in force (``None``: none is)."""
    if not incidents:
        return None
    gateway_ids, region_ids = list(universe["gateway"]), list(universe["region"])
    events = _events(incidents, end, pop_gateways(store), gateway_ids, region_ids)
    active = np.array([any(e.start <= t < e.end for e in events) for t in times])
    slots = np.flatnonzero(active)
    if not slots.size:
        return None
    sub_times = [times[int(j)] for j in slots]
    sub = type(composed)(
        sub_times[0],
        composed.step_s,
        composed.satellite[slots],
        composed.gateway[slots],
        composed.region[slots],
        composed.rtt_ms[slots],
        composed.status[slots],
    )
    base = plans[int(next(p for _, p in present if p is not None))]
    world = build_world(
        events,
        sub_times,
        norad_ids=np.array(list(universe["satellite"]), dtype=np.int64),
        plane_of=failed_plane_members(events, universe, store, base),
        gateway_ids=gateway_ids,
        region_ids=region_ids,
        site_customers=[str(rows.get(i, {}).get("customer", "")) for i in all_ids],
        new_site_events=[],
    )
    limits = base.parameters.region_ingress_gbps
    region_caps = np.array([float(limits.get(r, np.inf)) for r in region_ids])
    codes = evaluate(sub, world, facts, base.parameters.satellite_capacity_gbps,
                     gateway_capacities(store, gateway_ids), region_caps)  # fmt: skip
    return slots, codes

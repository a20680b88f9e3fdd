"""The debrief of a logged session: what the trainees' plans did under the events.

Everything comes from the store: the scenario text kept with the session, its events as
they fired (scripted and injected), the starting plan and every plan a trainee
activated (log entries ``action`` with ``activated_plan_id``), and the acknowledgements.
Each slot of the scenario is served by the plan active at that slot's time; the plans'
columns are matched to the session's sites by site id, and a requested site by name
(the trainee creates it in the catalog and plans for it). Time to detect an incident
is the first acknowledgement, at or after its start, of an alert naming one of its
affected sites.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.planning.planner import PlanResult
from opsconsole.store.database import Store
from opsconsole.store.plan_repository import StoredPlan, load_plan
from opsconsole.store.training_repository import LogEntry, session_log, session_row
from opsconsole.training.debrief import debrief
from opsconsole.training.late_elements import links_lost, shift_per_slot, site_geometry
from opsconsole.training.plans_in_force import (
    compose_plans,
    failed_plane_members,
    gateway_capacities,
    universe_of,
)
from opsconsole.training.scenario import Event, Scenario, parse_scenario
from opsconsole.training.service import SiteFacts, evaluate
from opsconsole.training.session import loaded_updates, replayed_events
from opsconsole.training.world import build_world, slot_times


def plan_switches(row: dict[str, Any], log: Sequence[LogEntry]) -> list[tuple[datetime, int]]:
    """``(from simulation time, plan id)`` in force over the session, in order."""
    start = datetime.fromisoformat(str(row["sim_start_utc"]))
    switches = [(start, int(row["starting_plan_id"]))] if row["starting_plan_id"] else []
    switches += [(e.sim, int(e.detail["activated_plan_id"])) for e in log
                 if e.kind == "action" and "activated_plan_id" in e.detail]  # fmt: skip
    return sorted(switches, key=lambda s: s[0])


def session_report(store: Store, session_id: int) -> dict[str, Any]:
    """The debrief figures of a logged session (the same shape as the headless run's),
    with each incident's time to detect and the plans used."""
    row = session_row(store, session_id)
    scenario: Scenario = parse_scenario(str(row["scenario_text"]), str(row["scenario_path"]))
    log = session_log(store, session_id)
    events = replayed_events(store, session_id)
    switches = plan_switches(row, log)
    if not switches:
        raise ValueError("the session has no starting plan and no plan was activated")
    plans = {pid: load_plan(store, pid) for _t, pid in switches}
    base = plans[switches[0][1]]
    requests = [e for e in events if e.kind == "new_site"]
    site_ids = [int(s["id"]) for s in base.sites]
    names = [str(s["name"]) for s in base.sites] + [str(e.fields["name"]) for e in requests]
    universe = universe_of(list(plans.values()))
    times = slot_times(scenario.start, scenario.step_s,
                       int(scenario.duration.total_seconds() // scenario.step_s))  # fmt: skip
    k = len(names)
    composed = compose_plans(plans, switches, times, site_ids, names, universe, k)
    plane_members = failed_plane_members(events, universe, store, base)
    facts = SiteFacts.from_rows([*base.sites, *(e.fields for e in requests)])
    parameters = base.parameters
    gw_caps = gateway_capacities(store, list(universe["gateway"]))
    region_limits = parameters.region_ingress_gbps
    region_caps = np.array([float(region_limits.get(r, np.inf)) for r in universe["region"]])
    sat_cap = parameters.satellite_capacity_gbps

    late = _LateLinks(store, base, composed, times, universe, requests, plans, switches, log)

    def reasons(subset: Sequence[Event]) -> NDArray[np.uint8]:
        w = build_world(
            subset, times, norad_ids=np.array(list(universe["satellite"]), dtype=np.int64),
            plane_of=plane_members, gateway_ids=list(universe["gateway"]),
            region_ids=list(universe["region"]),
            site_customers=[str(s["customer"]) for s in base.sites], new_site_events=requests,
            link_lost=late.lost(subset),
        )  # fmt: skip
        return evaluate(composed, w, facts, sat_cap, gw_caps, region_caps)

    reason = reasons(events)
    without = {e.index: reasons([o for o in events if o is not e])
               for e in events if e.kind != "new_site"}  # fmt: skip
    new_site_of = {e.index: len(site_ids) + i for i, e in enumerate(requests)}
    report = debrief(scenario.title, events, scenario.objectives, reason, facts, names, times,
                     scenario.step_s, new_site_of, without)  # fmt: skip
    for incident, event in zip(report["incidents"], events, strict=True):
        affected_ids = [site_ids[i] for i in incident["affected_sites"] if i < len(site_ids)]
        incident["time_to_detect_min"] = _detected(event, affected_ids, log)
    report["session_id"] = session_id
    report["plans"] = [{"from_utc": t.isoformat(), "plan_id": pid} for t, pid in switches]
    report["log"] = [{"sim_utc": e.sim.isoformat(), "wall_utc": e.wall.isoformat(),
                      "who": e.who, "kind": e.kind, "what": e.what} for e in log]  # fmt: skip
    return report


def session_report_at(db_path: str, session_id: int) -> dict[str, Any]:
    """:func:`session_report` on its own connection to the database at ``db_path`` (the
    console runs it in a child process: propagation holds the GIL)."""
    with Store(db_path) as store:
        return session_report(store, session_id)


class _LateLinks:
    """Links broken by late element updates, per set of events (cached by shift).

    The truth is the starting plan's element set moved on by the update in force
    (``late_elements``). Each slot is judged against the elements its plan was made
    with: the starting set (no shift) or an update the console loaded (its shift, from
    the log). A plan made with any other set cannot be judged: ``ValueError``."""

    def __init__(
        self,
        store: Store,
        base: StoredPlan,
        composed: PlanResult,
        times: Sequence[datetime],
        universe: dict[str, dict[Any, int]],
        requests: Sequence[Event],
        plans: dict[int, StoredPlan],
        switches: Sequence[tuple[datetime, int]],
        log: Sequence[LogEntry],
    ) -> None:
        self.store, self.base, self.composed, self.times = store, base, composed, times
        self.universe, self.requests = universe, requests
        self._cache: dict[bytes, NDArray[np.bool_]] = {}
        shifts: dict[int | None, float] = {base.element_set_id: 0.0}
        for update_id, shift in loaded_updates(list(log)).items():
            shifts[update_id] = shift
        self.planned = np.zeros(len(times))
        self.unknown: list[str] = []
        for when, pid in switches:
            set_id = plans[pid].element_set_id
            if set_id not in shifts:
                self.unknown.append(f"plan {pid} used element set {set_id}")
            self.planned[[t >= when for t in times]] = shifts.get(set_id, np.nan)

    def lost(self, events: Sequence[Event]) -> NDArray[np.bool_] | None:
        shift = shift_per_slot(events, self.times)
        if not shift.any() and not self.planned.any():
            return None
        if self.unknown:
            raise ValueError(
                f"{'; '.join(self.unknown)}: neither the session's starting set "
                "nor a late update it loaded, so its links cannot be judged"
            )
        if shift.tobytes() not in self._cache:
            self._cache[shift.tobytes()] = self._compute(shift)
        return self._cache[shift.tobytes()]

    def _compute(self, shift: NDArray[np.float64]) -> NDArray[np.bool_]:
        from opsconsole.core.look_angles import Sites
        from opsconsole.store.catalog_repository import list_gateways
        from opsconsole.store.element_repository import load_element_set

        base = self.base
        if base.element_set_id is None:
            raise ValueError("a late element update needs the plans' element set in the store")
        elements = load_element_set(self.store, int(base.element_set_id))
        if [int(n) for n in elements.norad_ids] != list(self.universe["satellite"]):
            raise ValueError("the session's plans used element sets of other satellites")
        parameters = base.parameters
        rows = [*base.sites, *(e.fields for e in self.requests)]
        sites, masks = site_geometry(rows, parameters.site_mask_deg)
        catalog = {str(g["id"]): g for g in list_gateways(self.store)}
        gws = [catalog[g] for g in self.universe["gateway"]]
        gateways = Sites.from_geodetic([float(g["lat"]) for g in gws],
                                       [float(g["lon"]) for g in gws],
                                       [float(g["alt_m"]) / 1000.0 for g in gws])  # fmt: skip
        gw_mask = np.array([float(g["min_elevation_deg"]) for g in gws])
        bent = parameters.mode == "bent-pipe"
        return links_lost(elements, self.composed, self.times, shift, sites, masks,
                          gateways if bent else None, gw_mask, self.planned)  # fmt: skip


def _detected(event: Event, site_ids: Sequence[int], log: Sequence[LogEntry]) -> float | None:
    """Minutes from the event's start to the first acknowledgement naming one of the
    affected sites (by catalog id)."""
    for entry in log:
        named = set(entry.detail.get("site_ids", []))
        if entry.kind == "ack" and entry.sim >= event.start and named & set(site_ids):
            return (entry.sim - event.start).total_seconds() / 60.0
    return None

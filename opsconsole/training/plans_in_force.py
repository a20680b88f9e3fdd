"""The plans in force over a stretch of time, composed into one slot grid.

Each slot is served by the plan in force at its start; a plan's columns are matched to
the wanted sites by site id (and a requested site by name), and its satellite, gateway
and region indices are mapped into one shared ``universe`` of ids. A slot or site no
plan covers has status :data:`UNSERVED`. Used by the training debrief and by the SLA
accounting of customer operations.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.planning.planner import PlanResult
from opsconsole.store.database import Store
from opsconsole.store.plan_repository import StoredPlan
from opsconsole.training.scenario import Event
from opsconsole.training.world import plane_members

UNSERVED = np.uint8(255)
"""Status of a slot no plan covers (anything but ``SERVED`` counts as not served)."""


def universe_of(plans: Sequence[StoredPlan]) -> dict[str, dict[Any, int]]:
    """One index per satellite (catalog number), gateway and region id over ``plans``."""
    universe: dict[str, dict[Any, int]] = {"satellite": {}, "gateway": {}, "region": {}}
    for stored in plans:
        satellites = [int(n) for n in stored.norad_ids]
        for kind, ids in (("satellite", satellites), ("gateway", stored.gateway_ids),
                          ("region", stored.region_ids)):  # fmt: skip
            for key in ids:
                universe[kind].setdefault(key, len(universe[kind]))
    return universe


def aligned_plan(stored: StoredPlan, times: Sequence[datetime], columns: NDArray[np.intp],
             k: int, universe: dict[str, dict[Any, int]]) -> PlanResult:  # fmt: skip
    """The plan's choice for the session's slots and sites, in the session's indices
    (satellite, gateway and region ids mapped into ``universe``)."""
    slots = len(times)
    sat = np.full((slots, k), -1, dtype=np.int32)
    gw = np.full((slots, k), -1, dtype=np.int16)
    reg = gw.copy()
    rtt = np.full((slots, k), np.nan, dtype=np.float32)
    status = np.full((slots, k), UNSERVED, dtype=np.uint8)
    a = stored.arrays
    start, step = stored.start, stored.step_s
    rows = np.array([int((t - start).total_seconds() // step) for t in times])
    inside = (rows >= 0) & (rows < a["status"].shape[0])
    have = columns >= 0
    src = rows[inside][:, None], columns[have][None, :]
    dst = np.ix_(np.flatnonzero(inside), np.flatnonzero(have))
    maps = (
        (sat, a["satellite"], np.array([universe["satellite"][int(n)] for n in stored.norad_ids])),
        (gw, a["gateway"], np.array([universe["gateway"][g] for g in stored.gateway_ids])),
        (reg, a["region"], np.array([universe["region"][r] for r in stored.region_ids])),
    )
    for out, planned, lookup in maps:
        values = planned[src]
        out[dst] = np.where(values >= 0, lookup[np.maximum(values, 0)], -1)
    rtt[dst] = a["rtt_ms"][src]
    status[dst] = a["status"][src]
    return PlanResult(times[0], step, sat, gw, reg, rtt, status)


def compose_plans(plans: dict[int, StoredPlan], switches: Sequence[tuple[datetime, int]],
             times: Sequence[datetime], site_ids: Sequence[int], names: Sequence[str],
             universe: dict[str, dict[Any, int]], k: int) -> PlanResult:  # fmt: skip
    """Per slot, the choice of the plan in force then."""
    parts = {}
    for pid, stored in plans.items():
        by_id = {int(s["id"]): i for i, s in enumerate(stored.sites)}
        by_name = {str(s["name"]): i for i, s in enumerate(stored.sites)}
        requested = [by_name.get(n, -1) for n in names[len(site_ids) :]]
        columns = np.array([by_id.get(sid, -1) for sid in site_ids] + requested, dtype=np.intp)
        parts[pid] = aligned_plan(stored, times, columns, k, universe)
    first = parts[switches[0][1]]
    out = PlanResult(first.start, first.step_s, first.satellite.copy(), first.gateway.copy(),
                     first.region.copy(), first.rtt_ms.copy(), first.status.copy())  # fmt: skip
    for when, pid in switches[1:]:
        rows = np.array([t >= when for t in times])
        for name in ("satellite", "gateway", "region", "rtt_ms", "status"):
            getattr(out, name)[rows] = getattr(parts[pid], name)[rows]
    return out


def failed_plane_members(events: Sequence[Event], universe: dict[str, dict[Any, int]], store: Store,
            base: StoredPlan) -> dict[int, NDArray[np.int64]]:  # fmt: skip
    """Members of each failed plane, from the starting plan's element set."""
    wanted = [int(e.fields["plane_of"]) for e in events if "plane_of" in e.fields]
    if not wanted:
        return {}
    from opsconsole.core.constellation_structure import constellation_structure
    from opsconsole.store.element_repository import load_element_set

    if base.element_set_id is None:
        raise ValueError("a failed plane needs the starting plan's element set in the store")
    elements = load_element_set(store, int(base.element_set_id))
    structure = constellation_structure(elements, base.start)
    ids = np.asarray(elements.norad_ids, dtype=np.int64)
    return {n: plane_members(structure.shell, structure.plane, ids, n) for n in wanted}


def gateway_capacities(store: Store, gateway_ids: Sequence[str]) -> NDArray[np.float64]:
    from opsconsole.store.catalog_repository import list_gateways

    caps = {str(g["id"]): float(g["capacity_gbps"]) for g in list_gateways(store)}
    return np.array([caps.get(g, np.inf) for g in gateway_ids])

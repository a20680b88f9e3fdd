"""Planning over the store: build a run's inputs from the catalog, run it, keep it.

The one place where ``planning`` (pure arrays) and ``store`` (SQLite) meet, used by the
command line and the console alike. A plan is written only once it is complete, in one
transaction: cancelling or crashing while planning leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

import numpy as np

from opsconsole import __version__
from opsconsole.core.element_sets import ElementSet
from opsconsole.planning.inputs import Exclusion, Pin, PlanInputs, build_inputs
from opsconsole.planning.metrics import plan_totals, site_metrics
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.planner import RESULT_ARRAYS, PlanResult, plan
from opsconsole.store.catalog_edits import SITE_FIELDS, site_rows
from opsconsole.store.catalog_repository import list_gateways, list_regions
from opsconsole.store.database import Store
from opsconsole.store.element_repository import active_element_set_id, load_element_set
from opsconsole.store.plan_repository import StoredPlan, save_plan

SITE_KEYS = ("id", "customer", *SITE_FIELDS)
"""What a plan keeps of each site (as it was when planned)."""


def plan_inputs(
    store: Store,
    params: PlanParameters,
    *,
    customers: Sequence[str] = (),
    pins: Sequence[Pin] = (),
    gateway_capacity_factor: Mapping[str, float] | None = None,
    demand_factor: Mapping[str, float] | None = None,
) -> tuple[PlanInputs, list[dict[str, Any]]]:
    """Inputs for the sites of ``customers`` (all when empty) and the site rows used.

    ``gateway_capacity_factor`` (gateway id -> share of its capacity left) and
    ``demand_factor`` (customer -> factor on its sites' demand) describe incidents in
    force (a rain fade, a surge) for the whole window; the site rows carry the demand
    planned for."""
    rows = site_rows(store)
    if customers:
        known = {str(r["customer"]) for r in rows}
        missing = sorted(set(customers) - known)
        if missing:
            raise ValueError(f"no customer called {', '.join(map(repr, missing))}")
        rows = [r for r in rows if r["customer"] in set(customers)]
    if not rows:
        raise ValueError("no sites to plan for")
    sites = [{key: row[key] for key in SITE_KEYS} for row in rows]
    surge = demand_factor or {}
    for site in sites:
        site["demand_mbps"] = float(site["demand_mbps"]) * surge.get(str(site["customer"]), 1.0)
    fade = gateway_capacity_factor or {}
    gateways = [
        {**g, "capacity_gbps": float(g["capacity_gbps"]) * fade.get(str(g["id"]), 1.0)}
        for g in list_gateways(store)
    ]
    inputs = build_inputs(sites, gateways, list_regions(store), params, pins=pins)
    return inputs, sites


def create_plan(
    store: Store,
    name: str,
    params: PlanParameters,
    *,
    customers: Sequence[str] = (),
    exclusions: Sequence[Exclusion] = (),
    pins: Sequence[Pin] = (),
    elements: ElementSet | None = None,
    progress: Callable[[float, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int = 1,
    parent_plan_id: int | None = None,
    gateway_capacity_factor: Mapping[str, float] | None = None,
    demand_factor: Mapping[str, float] | None = None,
) -> int:
    """Plan with the active element set (or ``elements``) and save it; returns its id.

    ``parent_plan_id`` links the new plan to the one it re-plans (a revision); the two
    factors are incidents in force (see :func:`plan_inputs`), kept in the parameters."""
    set_id = None
    if elements is None:
        set_id = active_element_set_id(store)
        elements = load_element_set(store, set_id)
    inputs, sites = plan_inputs(store, params, customers=customers, pins=pins,
                                gateway_capacity_factor=gateway_capacity_factor,
                                demand_factor=demand_factor)  # fmt: skip
    result = plan(
        elements,
        inputs,
        params,
        exclusions,
        progress=progress,
        cancelled=cancelled,
        workers=workers,
    )
    if progress is not None:
        progress(1.0, "computing metrics and saving")
    metrics = site_metrics(result, inputs)
    totals = plan_totals(result, inputs, metrics)
    median = elements.median_epoch()
    row = {
        "name": name,
        "author": store.who,
        "software_version": __version__,
        "parameters": {
            **_parameters_json(params, customers),
            "gateway_capacity_factor": dict(gateway_capacity_factor or {}),
            "demand_factor": dict(demand_factor or {}),
        },
        "element_set_id": set_id,
        "element_epoch_utc": median.isoformat() if median else None,
        "start_utc": result.start.isoformat(),
        "step_s": result.step_s,
        "slots": result.slots,
        "exclusions": [_exclusion_json(e) for e in exclusions],
        "pins": [asdict(p) for p in pins],
        "totals": asdict(totals),
    }
    if parent_plan_id is not None:
        row["parent_plan_id"] = parent_plan_id
    arrays = {name: getattr(result, name) for name in RESULT_ARRAYS}
    return save_plan(
        store,
        row,
        sites,
        list(inputs.gateway_ids),
        list(inputs.region_ids),
        elements.norad_ids,
        arrays,
        {k: np.asarray(v) for k, v in asdict(metrics).items()},
    )


def _parameters_json(params: PlanParameters, customers: Sequence[str]) -> dict[str, Any]:
    out = asdict(params)
    out["start"] = params.start.isoformat()
    out["priority_weights"] = {str(k): v for k, v in params.priority_weights.items()}
    out["customers"] = list(customers)
    return out


def _exclusion_json(ex: Exclusion) -> dict[str, Any]:
    def when(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {"kind": ex.kind, "key": ex.key, "start": when(ex.start), "end": when(ex.end)}


def stored_result(stored: StoredPlan) -> PlanResult:
    """The :class:`PlanResult` of a stored plan."""
    a = stored.arrays
    return PlanResult(
        datetime.fromisoformat(str(stored.row["start_utc"])),
        float(stored.row["step_s"]),
        a["satellite"],
        a["gateway"],
        a["region"],
        a["rtt_ms"],
        a["status"],
        a.get("rtt_start_ms"),
        a.get("rtt_end_ms"),
        a.get("limited"),
    )

"""Planning over the store: build a run's inputs from the catalog, run it, keep it.

The one place where ``planning`` (pure arrays) and ``store`` (SQLite) meet, used by the
command line and the console alike. A plan is written only once it is complete, in one
transaction: cancelling or crashing while planning leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import numpy as np

from opsconsole import __version__
from opsconsole.core.element_sets import ElementSet
from opsconsole.jobs.cancel import Progress
from opsconsole.planning.inputs import PlanInputs, build_inputs
from opsconsole.planning.metrics import plan_totals, site_metrics
from opsconsole.planning.planner import RESULT_ARRAYS, PlanResult, plan
from opsconsole.plans.request import PlanRequest
from opsconsole.store.catalog_edits import SITE_FIELDS, site_rows
from opsconsole.store.catalog_repository import list_gateways, list_regions
from opsconsole.store.database import Store
from opsconsole.store.element_repository import active_element_set_id, load_element_set
from opsconsole.store.plan_repository import StoredPlan, save_plan

SITE_KEYS = ("id", "customer", *SITE_FIELDS)
"""What a plan keeps of each site (as it was when planned)."""


def plan_inputs(store: Store, request: PlanRequest) -> tuple[PlanInputs, list[dict[str, Any]]]:
    """Inputs for the sites of the request's customers (all when none) and the site
    rows used. The request's ``gateway_capacity_factor`` and ``demand_factor``
    (incidents in force: a rain fade, a surge) hold for the whole window; the site rows
    carry the demand planned for."""
    rows = site_rows(store)
    customers = set(request.customers)
    if customers:
        known = {str(r["customer"]) for r in rows}
        missing = sorted(customers - known)
        if missing:
            raise ValueError(f"no customer called {', '.join(map(repr, missing))}")
        rows = [r for r in rows if r["customer"] in customers]
    if not rows:
        raise ValueError("no sites to plan for")
    sites = [{key: row[key] for key in SITE_KEYS} for row in rows]
    surge = request.demand_factor
    for site in sites:
        site["demand_mbps"] = float(site["demand_mbps"]) * surge.get(str(site["customer"]), 1.0)
    fade = request.gateway_capacity_factor
    gateways = [
        {**g, "capacity_gbps": float(g["capacity_gbps"]) * fade.get(str(g["id"]), 1.0)}
        for g in list_gateways(store)
    ]
    params = request.parameters
    inputs = build_inputs(sites, gateways, list_regions(store), params, pins=request.pins)
    return inputs, sites


def create_plan(
    store: Store,
    request: PlanRequest,
    *,
    elements: ElementSet | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int = 1,
) -> int:
    """Plan ``request`` with the active element set (or ``elements``) and save it;
    returns its id. The stored plan keeps the whole request (``StoredPlan`` reads it
    back as typed fields; ``PlanRequest.of_stored`` rebuilds it)."""
    set_id = None
    if elements is None:
        set_id = active_element_set_id(store)
        elements = load_element_set(store, set_id)
    inputs, sites = plan_inputs(store, request)
    params = request.parameters
    result = plan(elements, inputs, params, request.exclusions, progress=progress,
                  cancelled=cancelled, workers=workers)  # fmt: skip
    if progress is not None:
        progress(1.0, "computing metrics and saving")
    metrics = site_metrics(result, inputs)
    totals = plan_totals(result, inputs, metrics)
    median = elements.median_epoch()
    described = request.to_json()
    row = {
        "name": request.name,
        "author": store.who,
        "software_version": __version__,
        "parameters": {
            **described["parameters"],
            "customers": described["customers"],
            "gateway_capacity_factor": described["gateway_capacity_factor"],
            "demand_factor": described["demand_factor"],
        },
        "element_set_id": set_id,
        "element_epoch_utc": median.isoformat() if median else None,
        "start_utc": result.start.isoformat(),
        "step_s": result.step_s,
        "slots": result.slots,
        "exclusions": described["exclusions"],
        "pins": described["pins"],
        "totals": asdict(totals),
    }
    if request.parent_plan_id is not None:
        row["parent_plan_id"] = request.parent_plan_id
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


def stored_result(stored: StoredPlan) -> PlanResult:
    """The :class:`PlanResult` of a stored plan."""
    a = stored.arrays
    return PlanResult(
        stored.start,
        stored.step_s,
        a["satellite"],
        a["gateway"],
        a["region"],
        a["rtt_ms"],
        a["status"],
        a.get("rtt_start_ms"),
        a.get("rtt_end_ms"),
        a.get("limited"),
    )

"""Planning over the store: build a run's inputs from the catalog, run it, keep it.

The one place where ``planning`` (pure arrays) and ``store`` (SQLite) meet, used by the
command line and the console alike. A plan is written only once it is complete, in one
transaction: cancelling or crashing while planning leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from typing import Any

import numpy as np

from opsconsole import __version__
from opsconsole.core.catalog import CustomerSite
from opsconsole.core.element_sets import ElementSet
from opsconsole.jobs.cancel import Progress
from opsconsole.jobs.part_executor import PartExecutor
from opsconsole.planning.inputs import PlanInputs, build_inputs
from opsconsole.planning.metrics import plan_totals, site_metrics
from opsconsole.planning.planner import RESULT_ARRAYS, PlanResult, plan
from opsconsole.plans.request import PlanRequest
from opsconsole.store.catalog_edits import SITE_FIELDS, customer_sites
from opsconsole.store.catalog_repository import ground_network
from opsconsole.store.database import Store
from opsconsole.store.element_repository import active_element_set_id, load_element_set
from opsconsole.store.plan_repository import StoredPlan, save_plan

SITE_KEYS = ("id", "customer", *SITE_FIELDS)
"""What a plan keeps of each site (as it was when planned)."""


def site_record(site: CustomerSite) -> dict[str, Any]:
    """The row a plan keeps of ``site`` (:data:`SITE_KEYS`; residency ``;``-joined)."""
    values = {**asdict(site.spec), "residency": ";".join(site.spec.residency),
              "min_elevation_deg": site.spec.min_elevation_deg}  # fmt: skip
    return {"id": site.id, "customer": site.customer, **{k: values[k] for k in SITE_FIELDS}}


def plan_inputs(store: Store, request: PlanRequest) -> tuple[PlanInputs, list[CustomerSite]]:
    """Inputs for the sites of the request's customers (all when none) and those
    sites. The request's ``gateway_capacity_factor`` and ``demand_factor`` (incidents in
    force: a rain fade, a surge) hold for the whole window; the sites returned carry the
    demand planned for."""
    sites = customer_sites(store)
    customers = set(request.customers)
    if customers:
        missing = sorted(customers - {s.customer for s in sites})
        if missing:
            raise ValueError(f"no customer called {', '.join(map(repr, missing))}")
        sites = [s for s in sites if s.customer in customers]
    if not sites:
        raise ValueError("no sites to plan for")
    surge = request.demand_factor
    sites = [
        replace(s, spec=replace(s.spec, demand_mbps=s.spec.demand_mbps * surge[s.customer]))
        if s.customer in surge else s
        for s in sites
    ]  # fmt: skip
    fade = request.gateway_capacity_factor
    network = ground_network(store)
    network = replace(network, gateways=tuple(
        replace(g, capacity_gbps=g.capacity_gbps * fade[g.id]) if g.id in fade else g
        for g in network.gateways
    ))  # fmt: skip
    inputs = build_inputs(sites, network, request.parameters, pins=request.pins)
    return inputs, sites


def create_plan(
    store: Store,
    request: PlanRequest,
    *,
    elements: ElementSet | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    workers: int = 1,
    executor: PartExecutor | None = None,
) -> int:
    """Plan ``request`` with the active element set (or ``elements``) and save it;
    returns its id. The window runs on ``executor`` when given (a Dask cluster, say),
    else on ``workers`` local processes. The stored plan keeps the whole request
    (``StoredPlan`` reads it back as typed fields; ``PlanRequest.of_stored`` rebuilds
    it)."""
    set_id = None
    if elements is None:
        set_id = active_element_set_id(store)
        elements = load_element_set(store, set_id)
    inputs, sites = plan_inputs(store, request)
    params = request.parameters
    result = plan(elements, inputs, params, request.exclusions, progress=progress,
                  cancelled=cancelled, workers=workers, executor=executor)  # fmt: skip
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
        [site_record(site) for site in sites],
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

"""Planned maintenance: who it hurts, by re-planning its window with the element out.

The window is planned twice with the same request (the active plan's customers,
exclusions, pins and model constants; all customers when no plan is active) and the
same element set: once with everything in service (what the plan in force would do)
and once with the element out. Per site, the share of slots served and the round-trip
percentile are compared; a site is **affected** when it loses served slots, or its
round trip rises above its objective. None affected is an answer too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np

from opsconsole.core.incidents import parse_element
from opsconsole.planning.assignment import SERVED
from opsconsole.planning.inputs import Exclusion
from opsconsole.planning.planner import PlanResult, plan
from opsconsole.plans.request import PlanRequest
from opsconsole.plans.service import plan_inputs
from opsconsole.store.database import Store

RTT_PERCENTILE = 95.0


@dataclass(frozen=True)
class SiteImpact:
    """One site over the window: served share (%) and p95 round trip (ms, ``None`` never
    served), with everything in service and with the element out."""

    site_id: int
    site: str
    customer: str
    max_rtt_ms: float
    served_pct_before: float
    served_pct_during: float
    rtt_before_ms: float | None
    rtt_during_ms: float | None

    @property
    def affected(self) -> bool:
        lost = self.served_pct_during < self.served_pct_before - 1e-9
        slower = self.rtt_during_ms is not None and self.rtt_during_ms > self.max_rtt_ms and (
            self.rtt_before_ms is None or self.rtt_before_ms <= self.max_rtt_ms)  # fmt: skip
        return lost or slower


@dataclass(frozen=True)
class Assessment:
    """The impact of taking ``element`` (``KIND:ID``) out over ``[start, end)`` UTC."""

    element: str
    start: datetime
    end: datetime
    plan_id: int | None
    """The active plan whose request was re-planned (``None``: all customers, defaults)."""
    sites: tuple[SiteImpact, ...]

    @property
    def affected(self) -> tuple[SiteImpact, ...]:
        return tuple(s for s in self.sites if s.affected)

    @property
    def customers(self) -> tuple[str, ...]:
        return tuple(sorted({s.customer for s in self.affected}))


def _exclusions(store: Store, element: str, start: datetime, end: datetime,
                norad_ids: np.ndarray, elements: object) -> list[Exclusion]:  # fmt: skip
    """The planner's exclusions for ``element`` (a PoP: its gateways; a plane: its
    satellites). ``ValueError`` when the element does not exist."""
    from opsconsole.store.catalog_repository import list_gateways, list_pops, list_regions

    kind, key = parse_element(element)
    if kind == "gateway":
        if key not in {str(g["id"]) for g in list_gateways(store)}:
            raise ValueError(f"no gateway {key!r} in the catalog")
        return [Exclusion("gateway", key, start, end)]
    if kind == "pop":
        if key not in {str(p["id"]) for p in list_pops(store)}:
            raise ValueError(f"no PoP {key!r} in the catalog")
        homed = [str(g["id"]) for g in list_gateways(store) if g.get("pop_id") == key]
        return [Exclusion("gateway", g, start, end) for g in homed]
    if kind == "region":
        if key not in {str(r["id"]) for r in list_regions(store)}:
            raise ValueError(f"no region {key!r} in the catalog")
        return [Exclusion("region", key, start, end)]
    number = int(key)
    if number not in set(int(n) for n in norad_ids):
        raise ValueError(f"no satellite {number} in the active element set")
    if kind == "satellite":
        return [Exclusion("satellite", number, start, end)]
    from opsconsole.core.constellation_structure import constellation_structure
    from opsconsole.training.world import plane_members

    structure = constellation_structure(elements, start)  # type: ignore[arg-type]
    members = plane_members(structure.shell, structure.plane, np.asarray(norad_ids), number)
    return [Exclusion("satellite", int(n), start, end) for n in members]


def _figures(result: PlanResult, column: int) -> tuple[float, float | None]:
    served = result.status[:, column] == SERVED
    rtt = np.asarray(result.rtt_ms[:, column], dtype=float)[served]
    rtt = rtt[np.isfinite(rtt)]
    p95 = float(np.percentile(rtt, RTT_PERCENTILE)) if rtt.size else None
    return 100.0 * float(served.mean()) if served.size else 0.0, p95


def assess_maintenance(store: Store, element: str, start: datetime, end: datetime,
                       *, workers: int = 1) -> Assessment:  # fmt: skip
    """Plan ``[start, end)`` with and without ``element`` and compare, site by site."""
    from opsconsole.planning.parameters import PlanParameters
    from opsconsole.store.element_repository import active_element_set_id, load_element_set
    from opsconsole.store.plan_repository import active_plan_id, load_plan

    if end <= start:
        raise ValueError("the maintenance must end after it starts")
    plan_id = active_plan_id(store)
    duration = (end - start).total_seconds()
    if plan_id is not None:
        stored = load_plan(store, plan_id)
        base = PlanRequest.of_stored(stored)
        params = replace(base.parameters, start=start, duration_s=duration)
        request = replace(base, name="maintenance", parameters=params)
        set_id = stored.row.get("element_set_id") or active_element_set_id(store)
    else:
        request = PlanRequest("maintenance", PlanParameters(start=start, duration_s=duration))
        set_id = active_element_set_id(store)
    elements = load_element_set(store, None if set_id is None else int(set_id))
    out = _exclusions(store, element, start, end, elements.norad_ids, elements)
    inputs, sites = plan_inputs(store, request)
    before = plan(elements, inputs, request.parameters, request.exclusions, workers=workers)
    during = plan(elements, inputs, request.parameters, (*request.exclusions, *out),
                  workers=workers)  # fmt: skip
    impacts = []
    for column, site in enumerate(sites):
        served_before, rtt_before = _figures(before, column)
        served_during, rtt_during = _figures(during, column)
        impact = SiteImpact(site.id, site.spec.name, site.customer, site.spec.max_rtt_ms,
                            served_before, served_during, rtt_before, rtt_during)  # fmt: skip
        impacts.append(impact)
    kind, key = parse_element(element)
    return Assessment(f"{kind}:{key}", start, end, plan_id, tuple(impacts))

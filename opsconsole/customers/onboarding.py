"""Onboarding check: can we serve a new site here?

The candidate is planned together with every site in the catalog (in the place a site
created now would take), with the active element set and the ground network, over the
coming hours at 15 s: exactly what a plan that includes the site would deliver, with
the same capacities shared. From the candidate's column: the share of slots served
(a path inside its residency rules and within capacity), the round-trip distribution
against its objective, and the gateways, PoPs and regions that serve it.

Verdict: **meets** (served share at least the availability objective and the round
trip's 95th percentile within the objective), **meets with risks** (named: one gateway
or one region carries it all, a margin under 0.5 percentage point on availability, the
99th percentile above the objective), or **cannot meet** (why: no path inside the
residency rules, availability or round trip out of reach).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from opsconsole.core.catalog import CustomerSite, SiteSpec
from opsconsole.planning.assignment import SERVED
from opsconsole.planning.inputs import build_inputs
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.planner import plan
from opsconsole.store.catalog_edits import customer_sites
from opsconsole.store.catalog_repository import ground_network
from opsconsole.store.database import Store
from opsconsole.store.element_repository import load_element_set

CANDIDATE_ID = -1
AVAILABILITY_MARGIN_PCT = 0.5


@dataclass(frozen=True)
class OnboardingCheck:
    """What a plan including the candidate delivers to it over ``[start, start + hours)``."""

    spec: SiteSpec
    start: datetime
    hours: float
    step_s: float
    served_pct: float
    rtt_percentiles_ms: dict[str, float | None]
    """``p50``, ``p95``, ``p99`` of the served slots' round trips (ms)."""
    gateways: tuple[tuple[str, float], ...]
    """Gateway ids with their share (%) of the served slots, most used first."""
    pops: tuple[str, ...]
    regions: tuple[tuple[str, float], ...]
    verdict: str
    reasons: tuple[str, ...]


def check_site(store: Store, spec: SiteSpec, start: datetime, hours: float = 24.0, *,
               customer: str = "(candidate)", step_s: float = 15.0,
               workers: int = 1) -> OnboardingCheck:  # fmt: skip
    """Plan the catalog's sites and the candidate ``spec`` of ``customer`` from ``start``
    (UTC). The candidate takes the place a stored site would (by customer, then name):
    the same plan, column for column, as one made after adding it."""
    params = PlanParameters(start=start, duration_s=hours * 3600.0, step_s=step_s)
    stored = customer_sites(store)
    candidate = CustomerSite(CANDIDATE_ID, customer, spec)
    at = sum((s.customer, s.spec.name) <= (customer, spec.name) for s in stored)
    sites = [*stored[:at], candidate, *stored[at:]]
    network = ground_network(store)
    inputs = build_inputs(sites, network, params)
    elements = load_element_set(store)
    result = plan(elements, inputs, params, workers=workers)
    column = at
    served = result.status[:, column] == SERVED
    share = 100.0 * float(served.mean())
    rtt = np.asarray(result.rtt_ms[:, column], dtype=float)[served]
    rtt = rtt[np.isfinite(rtt)]
    percentiles = {
        f"p{q}": (float(np.percentile(rtt, q)) if rtt.size else None) for q in (50, 95, 99)
    }
    gateway_ids = [g.id for g in network.gateways]
    region_ids = [r.id for r in network.regions]
    home = {g.id: g.pop_id for g in network.gateways}
    gws = _shares(result.gateway[:, column][served], gateway_ids)
    regions = _shares(result.region[:, column][served], region_ids)
    pops = tuple(sorted({pop for g, _ in gws if (pop := home.get(g))}))
    verdict, reasons = _verdict(spec, share, percentiles, gws, regions)
    return OnboardingCheck(spec, start, hours, step_s, share, percentiles, gws, pops, regions,
                           verdict, reasons)  # fmt: skip


def _shares(index: np.ndarray, ids: list[str]) -> tuple[tuple[str, float], ...]:
    if not index.size:
        return ()
    counts = np.bincount(index[index >= 0], minlength=len(ids))
    order = np.argsort(-counts, kind="stable")
    total = float(counts.sum())
    return tuple((ids[i], round(100.0 * counts[i] / total, 2)) for i in order if counts[i])


def _verdict(spec: SiteSpec, share: float, p: dict[str, float | None],
             gateways: tuple[tuple[str, float], ...],
             regions: tuple[tuple[str, float], ...]) -> tuple[str, tuple[str, ...]]:  # fmt: skip
    zones = "/".join(spec.residency) or "any zone"
    if share == 0.0:
        return "cannot meet", (f"no path inside the residency rules ({zones}) in the window",)
    problems = []
    if share < spec.min_availability_pct:
        problems.append(
            f"served {share:.2f} % of slots, below the {spec.min_availability_pct:g} % objective"
        )
    p95 = p["p95"]
    if p95 is not None and p95 > spec.max_rtt_ms:
        problems.append(f"round trip p95 {p95:.1f} ms above the {spec.max_rtt_ms:g} ms objective")
    if problems:
        return "cannot meet", tuple(problems)
    risks = []
    if share - spec.min_availability_pct < AVAILABILITY_MARGIN_PCT and share < 100.0:
        risks.append(f"availability margin {share - spec.min_availability_pct:.2f} points")
    if len(gateways) == 1:
        risks.append(f"one gateway carries it all ({gateways[0][0]})")
    if len(regions) == 1:
        risks.append(f"one cloud region carries it all ({regions[0][0]})")
    p99 = p["p99"]
    if p99 is not None and p99 > spec.max_rtt_ms:
        risks.append(f"round trip p99 {p99:.1f} ms above the objective")
    return ("meets with risks", tuple(risks)) if risks else ("meets", ())


def check_site_at(db_path: str, spec: SiteSpec, start: datetime, hours: float = 24.0,
                  customer: str = "(candidate)") -> OnboardingCheck:  # fmt: skip
    """:func:`check_site` on the database at ``db_path`` (the console runs it in a
    child process; it writes nothing)."""
    from opsconsole.store.database import Store

    with Store(db_path) as store:
        return check_site(store, spec, start, hours, customer=customer)

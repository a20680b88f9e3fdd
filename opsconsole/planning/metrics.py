"""What a plan achieves: per-site availability, handovers, round trips and SLOs;
utilisation of satellites, gateways and regions; plan totals.

Availability is the share of slots served (%). The round-trip SLO is met when the 95th
percentile of served slots is within the site's objective; the site's SLO is met when
both availability and round trip are. Handovers count changes of serving satellite
between consecutive served slots (a gap does not count as one).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from opsconsole.planning.assignment import SERVED
from opsconsole.planning.inputs import PlanInputs
from opsconsole.planning.planner import PlanResult

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class SiteMetrics:
    """Per site ``(k,)``: availability %, handovers, gateway changes, round-trip p50,
    p95 and max (ms, NaN when never served), share of served slots within the
    objective (%), and whether availability, round trip and both meet the SLO."""

    availability_pct: FloatArray
    handovers: NDArray[np.int64]
    gateway_changes: NDArray[np.int64]
    rtt_p50_ms: FloatArray
    rtt_p95_ms: FloatArray
    rtt_max_ms: FloatArray
    rtt_within_pct: FloatArray
    availability_met: NDArray[np.bool_]
    rtt_met: NDArray[np.bool_]
    slo_met: NDArray[np.bool_]


@dataclass(frozen=True)
class PlanTotals:
    """Headline figures of a plan."""

    sites: int
    slots: int
    served_demand_pct: float
    mean_availability_pct: float
    sites_meeting_slo: int
    handovers: int
    rtt_p50_ms: float
    rtt_p95_ms: float
    limited_slots: int = 0
    """Slots where the solver's work limit stopped the search before optimality was
    proved (the assignment kept is the best found, still within every capacity)."""


def site_metrics(result: PlanResult, inputs: PlanInputs) -> SiteMetrics:
    """Per-site figures (vectorised over sites x slots)."""
    served = result.status == SERVED
    slots = max(result.slots, 1)
    availability = 100.0 * served.sum(axis=0) / slots
    sat = result.satellite
    both = served[1:] & served[:-1]
    handovers = (both & (sat[1:] != sat[:-1])).sum(axis=0).astype(np.int64)
    gw_changes = (both & (result.gateway[1:] != result.gateway[:-1])).sum(axis=0)
    rtt = np.where(served, result.rtt_ms.astype(np.float64), np.nan)
    never = ~served.any(axis=0)
    safe = np.where(never[None, :], 0.0, rtt)  # all-NaN columns would warn
    p50, p95 = np.nanpercentile(safe, [50, 95], axis=0)
    mx = np.nanmax(safe, axis=0)
    p50, p95, mx = (np.where(never, np.nan, v) for v in (p50, p95, mx))
    within = (served & (result.rtt_ms <= inputs.max_rtt_ms[None, :])).sum(axis=0)
    within_pct = np.where(never, 0.0, 100.0 * within / np.maximum(served.sum(axis=0), 1))
    availability_met = availability >= inputs.min_availability_pct
    rtt_met = ~never & (p95 <= inputs.max_rtt_ms)
    return SiteMetrics(
        availability,
        handovers,
        gw_changes.astype(np.int64),
        p50,
        p95,
        mx,
        within_pct,
        availability_met,
        rtt_met,
        availability_met & rtt_met,
    )


def plan_totals(result: PlanResult, inputs: PlanInputs, metrics: SiteMetrics) -> PlanTotals:
    """Headline figures: share of demand served, SLOs met, handovers, round trips."""
    served = result.status == SERVED
    demand = inputs.demand_mbps[None, :]
    total = float((demand * np.ones_like(served)).sum())
    rtt = result.rtt_ms[served].astype(np.float64)
    p50, p95 = np.percentile(rtt, [50, 95]) if rtt.size else (np.nan, np.nan)
    return PlanTotals(
        sites=len(inputs.sites),
        slots=result.slots,
        served_demand_pct=100.0 * float((demand * served).sum()) / total if total else 0.0,
        mean_availability_pct=float(metrics.availability_pct.mean()) if len(inputs.sites) else 0.0,
        sites_meeting_slo=int(metrics.slo_met.sum()),
        handovers=int(metrics.handovers.sum()),
        rtt_p50_ms=float(p50),
        rtt_p95_ms=float(p95),
        limited_slots=0 if result.limited is None else int(result.limited.sum()),
    )


def utilisation(result: PlanResult, inputs: PlanInputs, kind: str, index: int) -> FloatArray:
    """Load (Gbps) per slot ``(slots,)`` on one satellite, gateway or region."""
    columns: dict[str, NDArray[np.integer]] = {
        "satellite": result.satellite,
        "gateway": result.gateway,
        "region": result.region,
    }
    return load_gbps(columns[kind], index, inputs.demand_mbps)


def load_gbps(column: NDArray[np.integer], index: int, demand_mbps: FloatArray) -> FloatArray:
    """Load (Gbps) per slot ``(slots,)`` of the sites whose ``column`` ``[slots, k]``
    entry is ``index``, each site carrying ``demand_mbps`` ``(k,)``."""
    users = column == index
    return np.asarray((users * demand_mbps[None, :]).sum(axis=1) / 1000.0)

"""Handover policies side by side: the demo customers over 6 h at 15 s on the real
snapshot and ground network, bent-pipe, with the ``rtt`` and the ``dwell`` policy
(docs/planning.md, "Handover policy")."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from benchmarks.timing import Timing
from opsconsole.core.catalog import demo_sites, embedded_network
from opsconsole.core.element_sets import ElementSet
from opsconsole.planning.assignment import SERVED
from opsconsole.planning.inputs import build_inputs
from opsconsole.planning.parameters import HANDOVER_POLICIES, PlanParameters
from opsconsole.planning.planner import PlanResult, plan

HOURS = 6.0
STEP_S = 15.0


def handover_figures(
    result: PlanResult, hours: float, max_rtt_ms: np.ndarray[Any, Any]
) -> dict[str, float]:
    """Satellite handovers per site per hour (the serving satellite changes between two
    served slots), gateway changes likewise, round-trip p50/p95 (ms, served slots),
    availability (% of site-slots served) and round-trip objective misses (% of served
    site-slots above the site's ``max_rtt_ms``)."""
    served = result.status == SERVED
    both = served[1:] & served[:-1]
    k = result.satellite.shape[1]
    satellite = both & (result.satellite[1:] != result.satellite[:-1])
    gateway = both & (result.gateway[1:] != result.gateway[:-1])
    rtt = result.rtt_ms[served].astype(np.float64)
    return {
        "satellite handovers per site per hour": float(satellite.sum()) / k / hours,
        "gateway changes per site per hour": float(gateway.sum()) / k / hours,
        "round trip p50 (ms)": float(np.percentile(rtt, 50)) if rtt.size else float("nan"),
        "round trip p95 (ms)": float(np.percentile(rtt, 95)) if rtt.size else float("nan"),
        "availability (%)": 100.0 * float(served.mean()),
        "objective misses (% of served)": 100.0
        * float(result.slo_miss(max_rtt_ms).sum() / max(int(served.sum()), 1)),
    }


def handover(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """Both policies on the demo customers, 6 h at 15 s, one process."""
    from benchmarks.scenarios import AT

    rows, network = demo_sites(), embedded_network()
    out: dict[str, Any] = {"timings": [], "ratios": {}}
    medians = {}
    for policy in HANDOVER_POLICIES:
        params = PlanParameters(
            start=AT, duration_s=HOURS * 3600.0, step_s=STEP_S, handover_policy=policy
        )
        inputs = build_inputs(rows, network, params)
        timing = Timing(f"plan {HOURS:g} h at {STEP_S:g} s, {len(rows)} sites, {policy}")
        for _ in range(repeats):
            t0 = time.perf_counter()
            result = plan(elements, inputs, params)
            timing.seconds.append(time.perf_counter() - t0)
        out["timings"].append(timing)
        medians[policy] = timing.median
        for name, value in handover_figures(result, HOURS, inputs.max_rtt_ms).items():
            out[f"{policy}: {name}"] = round(value, 3)
    out["ratios"]["dwell / rtt planning time (median)"] = medians["dwell"] / medians["rtt"]
    return out

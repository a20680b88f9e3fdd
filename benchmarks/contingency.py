"""N-1 study: the demo customers over 6 h at 15 s, every gateway and PoP they use taken
out in turn, on the local pool (2 processes) and on a 2-worker Dask LocalCluster; per
contingency against one plan of the same window in one process."""

from __future__ import annotations

import time
from typing import Any

from benchmarks.timing import Timing
from opsconsole.core.catalog import demo_sites, embedded_network
from opsconsole.core.constellation_structure import constellation_structure
from opsconsole.core.element_sets import ElementSet
from opsconsole.planning.contingency import contingencies
from opsconsole.planning.contingency_runs import baseline, new_job, run_study, with_contingencies
from opsconsole.planning.inputs import build_inputs
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.planner import plan


def study(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """The demo customers, 6 h at 15 s, real network: every gateway and PoP in use."""
    from benchmarks.scenarios import AT
    from opsconsole.jobs.dask_executor import DaskExecutor
    from opsconsole.jobs.part_executor import LocalPool

    params = PlanParameters(start=AT, duration_s=6 * 3600.0, step_s=15.0)
    inputs = build_inputs(list(demo_sites()), embedded_network(), params)
    one = Timing("one plan of the window, 1 process")
    for _ in range(repeats):
        t0 = time.perf_counter()
        plan(elements, inputs, params)
        one.seconds.append(time.perf_counter() - t0)
    job = new_job(elements, inputs, params, ())
    _, base = baseline(job)
    found = contingencies(base, inputs, elements.norad_ids,
                          constellation_structure(elements, AT), ["gateway", "pop"])  # fmt: skip
    n = len(found)
    pool, dask = LocalPool(2), DaskExecutor("local:2")
    timings = {
        "pool": Timing(f"study of {n} contingencies, local pool (2 processes)"),
        "dask": Timing(f"study of {n} contingencies, Dask local:2"),
    }
    results = {}
    try:
        for _ in range(repeats):
            for name, executor in (("pool", pool), ("dask", dask)):
                fresh = with_contingencies(new_job(elements, inputs, params, ()), found)
                t0 = time.perf_counter()  # each worker plans the baseline once, as in use
                results[name] = run_study(fresh, executor)
                timings[name].seconds.append(time.perf_counter() - t0)
    finally:
        dask.close()
    per_pool, per_dask = timings["pool"].median / n, timings["dask"].median / n
    return {
        "timings": [one, *timings.values()],
        "ratios": {
            "per contingency (pool) / one plan (median)": per_pool / one.median,
            "Dask local:2 / local pool (median)": timings["dask"].median / timings["pool"].median,
        },
        "contingencies (gateways, PoPs in use)": f"{sum(c.kind == 'gateway' for c in found)} "
        f"gateways, {sum(c.kind == 'pop' for c in found)} PoPs",
        "wall per contingency, pool / Dask (median, s)": f"{per_pool:.2f} / {per_dask:.2f}",
        "same impacts on both": results["pool"] == results["dask"],
    }

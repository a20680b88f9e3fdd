"""Planner benchmark: 24 h, 1,000 land sites, every satellite, the catalog's gateways,
bent-pipe; compared with the raw SGP4 call for the same satellites and slots."""

from __future__ import annotations

import resource
import time
from dataclasses import asdict
from typing import Any

import numpy as np

from benchmarks.land_sites import land_sites
from benchmarks.timing import Timing
from opsconsole.core.catalog import CustomerSite, SiteSpec, embedded_network
from opsconsole.core.element_sets import ElementSet
from opsconsole.core.timescale import sgp4_julian_dates, times_from
from opsconsole.planning.assignment import SERVED
from opsconsole.planning.inputs import build_inputs
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.planner import RESULT_ARRAYS, plan

SITES = 1000
RAW_CHUNK = 240


def _inputs(params: PlanParameters) -> Any:
    lat, lon = land_sites(SITES)
    sites = [
        CustomerSite(i, "bench", SiteSpec(f"site {i}", float(lat[i]), float(lon[i])))
        for i in range(SITES)
    ]
    return build_inputs(sites, embedded_network(), params)


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024.0  # Linux reports KiB; an upper bound of the sum


def _save_and_load(result: Any, inputs: Any, elements: ElementSet) -> list[Timing]:
    """Store the 24 h plan in a fresh database and read it back, three times each."""
    import tempfile
    from pathlib import Path

    from opsconsole.planning.metrics import site_metrics
    from opsconsole.store.database import Store
    from opsconsole.store.plan_repository import load_plan, save_plan

    arrays = {name: getattr(result, name) for name in RESULT_ARRAYS}
    metrics = {k: np.asarray(v) for k, v in asdict(site_metrics(result, inputs)).items()}
    save, load = Timing("save the 24 h plan (1,000 sites)"), Timing("load it back")
    with tempfile.TemporaryDirectory() as scratch, Store(Path(scratch) / "b.sqlite") as store:
        for _ in range(3):
            t0 = time.perf_counter()
            plan_id = save_plan(
                store,
                {"name": "bench", "author": "bench", "software_version": "bench"},
                [{"id": int(i)} for i in inputs.site_ids],
                list(inputs.gateway_ids),
                list(inputs.region_ids),
                elements.norad_ids,
                arrays,
                metrics,
            )
            save.seconds.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            load_plan(store, plan_id)
            load.seconds.append(time.perf_counter() - t0)
    return [save, load]


def plan_day(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """24 h plans at 60 s and at 15 s, 1,000 land sites, bent-pipe, 2 processes."""
    from benchmarks.scenarios import AT

    out: dict[str, Any] = {"timings": [], "ratios": {}}
    for step, runs in ((60.0, repeats), (15.0, repeats)):
        params = PlanParameters(start=AT, duration_s=86_400.0, step_s=step)
        inputs = _inputs(params)
        offsets = np.arange(params.slots + 1) * step  # every slot end: m slots, m + 1 ends
        jd, fr = sgp4_julian_dates(times_from(AT, offsets))
        satrecs = elements.satrec_array
        planned, raw = (
            Timing(f"plan 24 h at {step:g} s (2 processes)"),
            Timing(f"raw SatrecArray.sgp4, same satellites x {params.slots + 1} slot ends"),
        )
        served = 0.0
        for _ in range(runs):
            t0 = time.perf_counter()
            for lo in range(0, jd.size, RAW_CHUNK):  # chunks keep the baseline's memory low
                satrecs.sgp4(jd[lo : lo + RAW_CHUNK], fr[lo : lo + RAW_CHUNK])
            raw.seconds.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            result = plan(elements, inputs, params, workers=2)
            planned.seconds.append(time.perf_counter() - t0)
            served = float((result.status == SERVED).mean())
        out["timings"] += [planned, raw]
        if step == 60.0:
            out["timings"] += _save_and_load(result, inputs, elements)
        out["ratios"][f"plan / raw SGP4 at {step:g} s (median)"] = planned.median / raw.median
        out[f"served slots at {step:g} s"] = f"{100 * served:.2f} %"
    params = PlanParameters(start=AT, duration_s=86_400.0, step_s=60.0, mode="isl")
    inputs = _inputs(params)
    isl = Timing("plan 24 h at 60 s, inter-satellite links (2 processes)")
    t0 = time.perf_counter()
    result = plan(elements, inputs, params, workers=2)
    isl.seconds.append(time.perf_counter() - t0)
    out["timings"].append(isl)
    out["served slots, inter-satellite links"] = f"{100 * (result.status == SERVED).mean():.2f} %"
    out["peak memory (self + largest child), MB"] = round(_peak_mb())
    return out


CONGESTED_HOURS = 2.0
REGION_LIMIT_GBPS = 2.0
"""Every region's ingress limit in the congested case; the busiest region of the 1,000
land sites takes ~6.5 Gbps unlimited, so most large regions bind."""
TIGHT_SATELLITE_GBPS = 0.3


def plan_congested(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """2 h at 60 s, 1,000 land sites, 2 processes: no binding capacity (baseline), every
    region's ingress limited, and a tight satellite capacity."""
    from benchmarks.scenarios import AT

    duration = CONGESTED_HOURS * 3600.0
    regions = _inputs(PlanParameters(start=AT, duration_s=duration, step_s=60.0)).region_ids
    cases = {
        "free": PlanParameters(start=AT, duration_s=duration, step_s=60.0),
        "regions": PlanParameters(
            start=AT,
            duration_s=duration,
            step_s=60.0,
            region_ingress_gbps={r: REGION_LIMIT_GBPS for r in regions},
        ),
        "satellites": PlanParameters(
            start=AT, duration_s=duration, step_s=60.0, satellite_capacity_gbps=TIGHT_SATELLITE_GBPS
        ),
    }
    names = {
        "free": "plan 2 h, no capacity binds",
        "regions": f"plan 2 h, every region <= {REGION_LIMIT_GBPS:g} Gbps",
        "satellites": f"plan 2 h, satellites <= {TIGHT_SATELLITE_GBPS:g} Gbps",
    }
    timings = {case: Timing(names[case]) for case in cases}
    out: dict[str, Any] = {"timings": list(timings.values()), "ratios": {}}
    for _ in range(repeats):
        for case, params in cases.items():
            inputs = _inputs(params)
            t0 = time.perf_counter()
            result = plan(elements, inputs, params, workers=2)
            timings[case].seconds.append(time.perf_counter() - t0)
            out[f"served slots, {case}"] = f"{100 * (result.status == SERVED).mean():.2f} %"
    for case in ("regions", "satellites"):
        ratio = timings[case].median / timings["free"].median
        out["ratios"][f"{case} limited / free (median)"] = ratio
    return out

"""N-1 study of a stored plan: re-plan its window once per single element out, rank
the elements by impact and store the study with the plan (``contingency_repository``).

The window, customers, exclusions and pins are the plan's own (``PlanRequest.of_stored``)
and its element set; sites and the ground network are read from the database as they
are now, so a study re-run after catalog edits shows the edited network.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from opsconsole import __version__
from opsconsole.core.constellation_structure import constellation_structure
from opsconsole.core.timescale import as_utc
from opsconsole.jobs.cancel import Progress
from opsconsole.jobs.part_executor import PartExecutor, executor_for
from opsconsole.planning.contingency import KINDS, Contingency, Impact, contingencies, ranked
from opsconsole.planning.contingency_runs import baseline, new_job, run_study, with_contingencies
from opsconsole.planning.inputs import PlanInputs
from opsconsole.plans.request import PlanRequest
from opsconsole.plans.service import plan_inputs
from opsconsole.store.catalog_repository import list_gateways, list_pops, list_regions
from opsconsole.store.contingency_repository import StudyRow, save_study
from opsconsole.store.database import Store
from opsconsole.store.element_repository import load_element_set
from opsconsole.store.plan_repository import load_plan


def catalog_names(store: Store) -> dict[tuple[str, str], str]:
    """People's names of gateways, PoPs and regions by (kind, id), e.g. "Santiago,
    Chile" for ``("pop", "pop-santiago")``."""
    rows = {"gateway": list_gateways(store), "pop": list_pops(store)}
    names = {(kind, str(r["id"])): str(r["name"]) for kind, table in rows.items() for r in table}
    for r in list_regions(store):
        names[("region", str(r["id"]))] = f"{r.get('display_name') or r['name']} ({r['id']})"
    return names


def study_rows(
    found: Sequence[Contingency], impacts: Sequence[Impact], inputs: PlanInputs
) -> list[StudyRow]:
    """Ranked rows (worst first) with site ids and customer names."""
    rows = []
    for rank, i in enumerate(ranked(impacts), start=1):
        c, hit = found[i], impacts[i]
        ids = inputs.site_ids
        customers = sorted({inputs.customers[s] for s in hit.sites_hurt})
        rows.append(
            StudyRow(
                rank, c.kind, c.element_id, c.label, hit.lost_weighted_pct,
                hit.lost_demand_mbps_h,
                tuple(int(ids[s]) for s in hit.sites_losing_availability),
                tuple(int(ids[s]) for s in hit.sites_losing_rtt), tuple(customers),
                None if hit.worst_site < 0 else int(ids[hit.worst_site]), hit.worst_drop_pct,
            )
        )  # fmt: skip
    return rows


def study_plan(
    store: Store,
    plan_id: int,
    kinds: Sequence[str] = KINDS,
    *,
    executor: PartExecutor | None = None,
    workers: int = 2,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Run and store the N-1 study of plan ``plan_id``; returns the study's id.
    ``ValueError`` names what is wrong (no such plan, its elements gone, a bad kind)."""
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown or not kinds:
        raise ValueError(f"--kinds: choose from {', '.join(KINDS)} (got {', '.join(kinds)})")
    try:
        stored = load_plan(store, plan_id)
    except KeyError:
        raise ValueError(f"no plan {plan_id}") from None
    set_id = stored.row.get("element_set_id")
    if set_id is None:
        raise ValueError(f"plan {plan_id}'s element set is not in the database")
    elements = load_element_set(store, int(set_id))
    request = PlanRequest.of_stored(stored)
    inputs, _sites = plan_inputs(store, request)
    params = request.parameters
    executor = executor if executor is not None else executor_for(workers)
    names = catalog_names(store)
    started = time.monotonic()
    job = new_job(elements, inputs, params, request.exclusions)
    if progress is not None:
        progress(0.0, "planning the window with everything in service")
    _, base = baseline(job, cancelled)
    structure = constellation_structure(elements, as_utc(params.start))
    found = [
        replace(c, label=names.get((c.kind, c.element_id), c.label))
        for c in contingencies(base, inputs, elements.norad_ids, structure, kinds)
    ]
    if progress is not None:
        progress(0.0, f"{len(found)} contingencies on {executor.description}")
    impacts = run_study(with_contingencies(job, found), executor, progress, cancelled)
    rows = study_rows(found, impacts, inputs)
    elapsed = time.monotonic() - started
    return save_study(store, plan_id, [k for k in KINDS if k in kinds], executor.description,
                      elapsed, __version__, rows)  # fmt: skip

"""The headless baseline of a scenario: what happens if nobody acts.

The starting plan is made at the scenario's start for its whole window with the
shipped catalog (gateways, regions, the scenario's demo customers) and its element set,
knowing nothing of the events. It is then followed as it is while the events happen
(``service.evaluate``) and the debrief figures are computed (``debrief.debrief``).
Deterministic: the same scenario file gives the same report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.training.scenario import Event, Scenario
from opsconsole.training.world import World


def run_baseline(scenario: Scenario) -> dict[str, Any]:
    """Plan, follow the plan through the events, and return the debrief figures."""
    from opsconsole.core.catalog import demo_sites, embedded_network
    from opsconsole.core.constellation_structure import constellation_structure
    from opsconsole.core.element_readers import read_elements
    from opsconsole.core.walker import synthetic_constellation
    from opsconsole.planning.inputs import build_inputs
    from opsconsole.planning.parameters import PlanParameters
    from opsconsole.planning.planner import plan
    from opsconsole.training.debrief import debrief
    from opsconsole.training.late_elements import links_lost, shift_per_slot
    from opsconsole.training.service import SiteFacts, evaluate
    from opsconsole.training.world import build_world, plane_members, slot_times

    if scenario.elements == "synthetic":
        elements = synthetic_constellation(scenario.start)
    else:
        elements = read_elements(scenario.elements)
    params = PlanParameters(
        start=scenario.start,
        duration_s=scenario.duration.total_seconds(),
        step_s=scenario.step_s,
        mode="isl" if scenario.mode == "isl" else "bent-pipe",
        site_mask_deg=scenario.site_mask_deg,
    )
    sites = demo_sites(scenario.customers)
    inputs = build_inputs(sites, embedded_network(), params)
    result = plan(elements, inputs, params, workers=1)
    requests = [e for e in scenario.events if e.kind == "new_site"]
    structure = constellation_structure(elements, scenario.start)
    ids = np.asarray(elements.norad_ids, dtype=np.int64)
    plane_of = {
        int(e.fields["plane_of"]): plane_members(
            structure.shell, structure.plane, ids, int(e.fields["plane_of"])
        )
        for e in scenario.events
        if "plane_of" in e.fields
    }
    times = slot_times(scenario.start, params.step_s, params.slots)

    lost_by_shift: dict[bytes, NDArray[np.bool_]] = {}

    def world_of(events: Sequence[Event]) -> World:
        shift = shift_per_slot(events, times)
        if shift.tobytes() not in lost_by_shift:
            lost_by_shift[shift.tobytes()] = links_lost(
                elements, result, times, shift, inputs.sites, inputs.horizons,
                inputs.gateways if params.mode == "bent-pipe" else None, inputs.gateway_mask_deg,
            )  # fmt: skip
        return build_world(
            events, times, norad_ids=ids, plane_of=plane_of,
            gateway_ids=inputs.gateway_ids, region_ids=inputs.region_ids,
            site_customers=inputs.customers, new_site_events=requests,
            link_lost=lost_by_shift[shift.tobytes()],
        )  # fmt: skip

    facts = SiteFacts.from_rows(
        [*({**asdict(s.spec), "customer": s.customer} for s in sites),
         *(e.fields for e in requests)]
    )  # fmt: skip

    def reasons(events: Sequence[Event]) -> NDArray[np.uint8]:
        return evaluate(result, world_of(events), facts, params.satellite_capacity_gbps,
                        inputs.gateway_capacity_gbps, inputs.region_capacity_gbps)  # fmt: skip

    reason = reasons(scenario.events)
    without = {e.index: reasons([o for o in scenario.events if o is not e])
               for e in scenario.events if e.kind != "new_site"}  # fmt: skip
    names = [*inputs.site_names, *(str(e.fields["name"]) for e in requests)]
    new_site_of = {e.index: len(inputs.site_names) + i for i, e in enumerate(requests)}
    report = debrief(scenario.title, scenario.events, scenario.objectives, reason, facts,
                     names, times, params.step_s, new_site_of, without)  # fmt: skip
    report["baseline"] = "the starting plan followed as it is; nobody acts"
    report["elements"] = elements.source
    return report

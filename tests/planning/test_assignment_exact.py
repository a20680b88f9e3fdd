"""The per-slot assignment (constraint generation over a reduced problem) against a
plain reference: one MILP over every candidate path with every capacity constrained.

Congested slots of the demo customers with tight satellite capacity and region ingress
limits: the served priority-weighted demand must equal the reference optimum exactly, and
the summed round trip must be within stage 2's optimality gap of the reference's best for
the same served sites."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix, vstack

from opsconsole.core.catalog import demo_sites, embedded_network
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import times_from
from opsconsole.planning.assignment import SECOND_STAGE_GAP, SERVED, assign_slot
from opsconsole.planning.candidates import Candidates, RegionChooser, slot_candidates
from opsconsole.planning.inputs import PlanInputs, build_inputs
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.slot_geometry import slot_view
from tests.conftest import SYNTHETIC_EPOCH


def _reference_matrix(c: Candidates, inputs: PlanInputs, params: PlanParameters, n_sat: int):  # type: ignore[no-untyped-def]
    """One row per site (at most one path) and per finite-capacity resource."""
    n, k = len(c), len(inputs.sites)
    demand = inputs.demand_mbps[c.site] / 1000.0
    rows = [csr_matrix((np.ones(n), (c.site, np.arange(n))), shape=(k, n))]
    bounds = [np.ones(k)]
    for res, caps in (
        (c.satellite, np.full(n_sat, params.satellite_capacity_gbps)),
        (c.gateway, inputs.gateway_capacity_gbps),
        (c.region, inputs.region_capacity_gbps),
    ):
        finite = np.isfinite(caps[res])
        rows.append(
            csr_matrix((demand[finite], (res[finite], np.flatnonzero(finite))), (caps.size, n))
        )
        bounds.append(np.where(np.isfinite(caps), caps, 1e9))
    return vstack(rows).tocsr(), np.concatenate(bounds)


@pytest.mark.parametrize("hour", [1.0, 5.0, 9.5])
def test_slot_choice_equals_the_full_reference_optimum(synthetic_elements, hour: float) -> None:  # type: ignore[no-untyped-def]
    sites = list(demo_sites())
    network = embedded_network()
    gws, regions = network.gateways, network.regions
    start = SYNTHETIC_EPOCH + timedelta(hours=hour)
    limits = {r.id: 2.0 for r in regions}
    params = PlanParameters(
        start=start, duration_s=60.0, satellite_capacity_gbps=1.0, region_ingress_gbps=limits
    )
    inputs = build_inputs(sites, network, params)
    n_sat = len(synthetic_elements)
    ends = propagate(synthetic_elements, times_from(start, [0.0, params.step_s])).position_km
    c = slot_candidates(
        inputs,
        params,
        slot_view(inputs, ends[:, 0], ends[:, 1]),
        np.ones(n_sat, dtype=bool),
        np.ones(len(gws), dtype=bool),
        RegionChooser(inputs),
        np.ones(len(regions), dtype=bool),
    )
    ours = assign_slot(c, inputs, params, n_sat)

    a, ub = _reference_matrix(c, inputs, params, n_sat)
    weight = np.array([params.priority_weights[int(p)] for p in inputs.priority])
    value = weight[c.site] * inputs.demand_mbps[c.site]
    n = len(c)
    ref = milp(-value, constraints=[LinearConstraint(a, -np.inf, ub)],
               integrality=np.ones(n), bounds=Bounds(0, 1))  # fmt: skip
    assert ref.x is not None
    served = ours.status == SERVED
    site_value = weight * inputs.demand_mbps
    assert site_value[served].sum() == pytest.approx(-ref.fun, rel=1e-12)
    reachable = np.bincount(c.site, minlength=len(sites)) > 0
    assert site_value[served].sum() < site_value[reachable].sum()  # capacity binds

    # our choice fits every capacity
    demand = inputs.demand_mbps[served] / 1000.0
    assert np.bincount(ours.satellite[served], demand, n_sat).max() <= 1.0 + 1e-9
    assert (np.bincount(ours.region[served], demand, len(regions)) <= 2.0 + 1e-9).all()
    assert (
        np.bincount(ours.gateway[served], demand, len(gws)) <= inputs.gateway_capacity_gbps + 1e-9
    ).all()

    # the best round trip for exactly our served sites, every capacity constrained
    k = len(sites)
    lower = np.concatenate([served.astype(float), np.full(ub.size - k, -np.inf)])
    upper = np.concatenate([served.astype(float), ub[k:]])
    best = milp(c.rtt_ms, constraints=[LinearConstraint(a, lower, upper)],
                integrality=np.ones(n), bounds=Bounds(0, 1))  # fmt: skip
    assert best.x is not None
    assert np.nansum(ours.rtt_ms) <= best.fun * (1 + SECOND_STAGE_GAP) + 1e-6

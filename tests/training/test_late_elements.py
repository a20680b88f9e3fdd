"""A late element-set update: links break where the satellites really are, checked
with skyfield at the shifted times; nothing breaks without a shift."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta

import numpy as np
from skyfield.api import EarthSatellite, wgs84

from opsconsole.core.catalog import cloud_regions, demo_customers, gateways
from opsconsole.core.timescale import time_at, timescale
from opsconsole.planning.assignment import SERVED
from opsconsole.planning.inputs import build_inputs
from opsconsole.planning.parameters import PlanParameters
from opsconsole.planning.planner import plan
from opsconsole.training.late_elements import links_lost
from opsconsole.training.world import slot_times

START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
MASK_TOLERANCE_DEG = 0.01


def test_links_break_where_the_satellites_really_are(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    wanted = {"Harbourline Ports Group", "North Sea Offshore Energy"}
    sites = [{**asdict(s), "id": i, "customer": c.name, "residency": ";".join(s.residency)}
             for i, (c, s) in enumerate((c, s) for c in demo_customers() if c.name in wanted
                                        for s in c.sites)]  # fmt: skip
    gws = [{**asdict(g), "backhaul_regions": ";".join(g.backhaul_regions)} for g in gateways()]
    params = PlanParameters(start=START, duration_s=600.0)
    inputs = build_inputs(sites, gws, [asdict(r) for r in cloud_regions()], params)
    result = plan(synthetic_elements, inputs, params)
    times = slot_times(START, 60.0, result.slots)

    def lost(shift: float) -> np.ndarray:
        return links_lost(synthetic_elements, result, times, np.full(len(times), shift),
                          inputs.sites, inputs.mask_deg, inputs.gateways,
                          inputs.gateway_mask_deg)  # fmt: skip

    assert not lost(0.0).any()
    assert lost(0.5).sum() < lost(120.0).sum()
    broken = lost(120.0)
    served = result.status == SERVED
    assert broken.sum() > served.sum() / 4  # two minutes ahead: most links are gone
    ts = timescale()
    rng = np.random.default_rng(3)
    for flat in rng.choice(np.flatnonzero(served.ravel()), 40, replace=False):
        j, i = divmod(int(flat), served.shape[1])
        record = synthetic_elements.records[int(result.satellite[j, i])]
        satellite = EarthSatellite(record.line1, record.line2, ts=ts)
        t = time_at(times[j] + timedelta(seconds=120.0))
        site = sites[i]
        gw = gws[int(result.gateway[j, i])]
        up = (satellite - wgs84.latlon(site["lat"], site["lon"], site["alt_m"])).at(t)
        down = (satellite - wgs84.latlon(gw["lat"], gw["lon"], gw["alt_m"])).at(t)
        margins = (up.altaz()[0].degrees - inputs.mask_deg[i],
                   down.altaz()[0].degrees - gw["min_elevation_deg"])  # fmt: skip
        if min(abs(m) for m in margins) < MASK_TOLERANCE_DEG:
            continue  # on the mask itself: rounding may go either way
        assert bool(broken[j, i]) == (min(margins) < 0), (j, i, margins)

"""A late element-set update: the plan was made with elements the satellites have
drifted from.

The event ``element_update`` says, from its time on, where the satellites really are:
``along_track_s`` seconds ahead of where the plan's elements put them (an along-track
timing error, the usual way orbital elements go stale). A planned link holds only while
the planned satellite is really above the site's mask and (bent-pipe) above its
gateway's mask; the others are lost. Positions come from the core's vectorised SGP4 at
the shifted times, all slots at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.element_sets import ElementSet
from opsconsole.core.look_angles import Sites
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import times_from
from opsconsole.core.visibility import visible_satellites
from opsconsole.planning.assignment import SERVED
from opsconsole.planning.planner import PlanResult
from opsconsole.training.scenario import Event
from opsconsole.training.world import in_force


def shift_per_slot(events: Sequence[Event], times: Sequence[datetime]) -> NDArray[np.float64]:
    """``[slots]`` seconds the satellites are ahead of the plan's elements (the latest
    update in force wins; 0 where none is)."""
    shift = np.zeros(len(times))
    for event in sorted((e for e in events if e.kind == "element_update"),
                        key=lambda e: e.start):  # fmt: skip
        shift[in_force(event, times)] = float(event.fields["along_track_s"])
    return shift


def links_lost(
    elements: ElementSet,
    plan: PlanResult,
    times: Sequence[datetime],
    shift_s: NDArray[np.float64],
    sites: Sites,
    site_mask_deg: NDArray[np.float64],
    gateways: Sites | None,
    gateway_mask_deg: NDArray[np.float64] | None,
) -> NDArray[np.bool_]:
    """``[slots, k]``: served by the plan, but its satellite is really out of view of
    the site or (``gateways`` given: bent-pipe) of its gateway. ``plan.satellite``
    indexes ``elements``; ``plan.gateway`` indexes ``gateways``."""
    slots, k = plan.satellite.shape
    lost = np.zeros((slots, k), dtype=bool)
    rows = np.flatnonzero(shift_s != 0.0)
    if rows.size == 0:
        return lost
    offsets = [(times[int(j)] - times[0]).total_seconds() + shift_s[j] for j in rows]
    positions = propagate(elements, times_from(times[0], offsets), velocities=False).position_km
    for column, j in enumerate(rows):
        served = np.flatnonzero(plan.status[j] == SERVED)
        if served.size == 0:
            continue
        at = positions[:, column]
        up = visible_satellites(sites, at, site_mask_deg)
        seen = set(zip(up.site.tolist(), up.satellite.tolist(), strict=True))
        sat = plan.satellite[j, served].astype(int).tolist()
        ok = np.array([(i, s) in seen for i, s in zip(served.tolist(), sat, strict=True)])
        if gateways is not None and gateway_mask_deg is not None:
            down = visible_satellites(gateways, at, gateway_mask_deg)
            landed = set(zip(down.site.tolist(), down.satellite.tolist(), strict=True))
            gw = plan.gateway[j, served].astype(int).tolist()
            ok &= np.array([(g, s) in landed for g, s in zip(gw, sat, strict=True)])
        lost[j, served[~ok]] = True
    return lost

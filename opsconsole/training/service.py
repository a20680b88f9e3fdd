"""Service under a scenario's events when the active plan is followed as it is.

The plan says which satellite, gateway and region serve each site in each slot. The
events then take resources down, cut gateway capacity and raise demand. Slot by slot:

1. a planned path through anything that is down, or whose satellite is really out of
   view after a late element update, is lost (``OUTAGE``);
2. where the remaining load exceeds a capacity (satellite, gateway x what is left of
   it, region ingress), sites are shed lowest priority first, then largest demand, then
   last in site order, until it fits (``CAPACITY``);
3. a carried site is within its objective when its round trip is at most its
   objective (else ``SLO_MISS``). Slots the plan itself left unserved are
   ``UNPLANNED``; requested sites no plan covers are ``NOT_PLACED``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.planning.assignment import SERVED
from opsconsole.planning.planner import PlanResult
from opsconsole.training.world import World

OK, SLO_MISS, OUTAGE, CAPACITY, UNPLANNED, NOT_PLACED, INACTIVE = range(7)
REASON_NAMES = (
    "within objective",
    "round trip above objective",
    "outage",
    "capacity",
    "not served by the plan",
    "not placed",
    "not yet requested",
)


@dataclass(frozen=True)
class SiteFacts:
    """Per site ``[k]`` (planned sites, then requested ones): demand (Mbps), priority,
    round-trip objective (ms) and customer."""

    demand_mbps: NDArray[np.float64]
    priority: NDArray[np.int64]
    max_rtt_ms: NDArray[np.float64]
    customers: tuple[str, ...]

    @classmethod
    def from_rows(cls, rows: Sequence[Mapping[str, Any]]) -> SiteFacts:
        """From site rows (a plan's sites, or a site request's fields)."""
        return cls(
            np.array([float(r["demand_mbps"]) for r in rows]),
            np.array([int(r["priority"]) for r in rows], dtype=np.int64),
            np.array([float(r["max_rtt_ms"]) for r in rows]),
            tuple(str(r["customer"]) for r in rows),
        )


def shed(load_sites: NDArray[np.intp], demand: NDArray[np.float64], priority: NDArray[np.int64],
         capacity: float) -> NDArray[np.intp]:  # fmt: skip
    """Of the sites on one resource, those to drop so that the rest fit ``capacity``
    (Gbps): lowest priority first (5 before 1), then largest demand, then last index."""
    if demand[load_sites].sum() <= capacity * (1 + 1e-9):
        return np.zeros(0, dtype=np.intp)
    order = np.lexsort((load_sites, -demand[load_sites], priority[load_sites]))
    kept = load_sites[order]
    fits = np.cumsum(demand[kept]) <= capacity * (1 + 1e-9)
    first_out = int(np.argmin(fits)) if not fits.all() else kept.size
    return np.asarray(kept[first_out:], dtype=np.intp)


def evaluate(
    result: PlanResult,
    world: World,
    facts: SiteFacts,
    satellite_capacity_gbps: float,
    gateway_capacity_gbps: NDArray[np.float64],
    region_capacity_gbps: NDArray[np.float64],
) -> NDArray[np.uint8]:
    """Reason code of every slot and site ``[slots, k]`` (see the module docstring)."""
    slots, k = world.site_active.shape
    k_plan = result.satellite.shape[1]
    reason = np.full((slots, k), NOT_PLACED, dtype=np.uint8)
    for j in range(slots):
        sat = np.full(k, -1, dtype=np.intp)
        gw, reg = sat.copy(), sat.copy()
        sat[:k_plan], gw[:k_plan], reg[:k_plan] = (
            result.satellite[j],
            result.gateway[j],
            result.region[j],
        )
        row = reason[j]
        served = np.zeros(k, dtype=bool)
        served[:k_plan] = result.status[j] == SERVED
        row[:k_plan][~served[:k_plan]] = UNPLANNED
        down = served & (world.satellite_down[j][sat] | world.gateway_down[j][gw]
                         | world.region_down[j][reg] | world.link_lost[j])  # fmt: skip
        row[down] = OUTAGE
        carried = served & ~down
        demand = facts.demand_mbps * world.demand_factor[j] / 1000.0
        for column, caps in (
            (sat, np.full(world.satellite_down.shape[1], satellite_capacity_gbps)),
            (gw, gateway_capacity_gbps * world.gateway_capacity_factor[j]),
            (reg, region_capacity_gbps),
        ):
            for resource in np.unique(column[carried]):
                on = np.flatnonzero(carried & (column == resource))
                dropped = shed(on, demand, facts.priority, float(caps[resource]))
                carried[dropped] = False
                row[dropped] = CAPACITY
        rtt = np.full(k, np.inf)
        rtt[:k_plan] = result.rtt_ms[j]
        row[carried] = np.where(rtt[carried] <= facts.max_rtt_ms[carried], OK, SLO_MISS)
        row[~world.site_active[j]] = INACTIVE
    return reason

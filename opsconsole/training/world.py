"""The world a scenario's events make, slot by slot: what is down, what capacity is
left, how much demand there is and which sites exist.

Slot ``j`` covers ``[start + j * step, start + (j + 1) * step)`` and is judged at its
start: an event is in force in slot ``j`` when ``event.start <= t_j < event.end``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from opsconsole.training.scenario import Event

BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class World:
    """Shapes: ``[slots, n]`` satellites, ``[slots, G]`` gateways, ``[slots, R]`` regions,
    ``[slots, k]`` sites (the planned sites, then the new sites events request)."""

    satellite_down: BoolArray
    gateway_down: BoolArray
    gateway_capacity_factor: FloatArray
    region_down: BoolArray
    demand_factor: FloatArray
    site_active: BoolArray
    link_lost: BoolArray
    """``[slots, k]``: the planned satellite is really out of view (late elements)."""

    @property
    def slots(self) -> int:
        return int(self.site_active.shape[0])


def plane_members(
    shell: NDArray[np.intp], plane: NDArray[np.intp], norad_ids: NDArray[np.int64], number: int
) -> NDArray[np.int64]:
    """Catalog numbers of every satellite in the orbital plane of satellite ``number``
    (``shell``/``plane`` as ``constellation_structure`` gives them, aligned with
    ``norad_ids``); empty when ``number`` is not in the set."""
    ids = np.asarray(norad_ids, dtype=np.int64)
    hit = np.flatnonzero(ids == number)
    if hit.size == 0:
        return ids[:0]
    same = (shell == shell[hit[0]]) & (plane == plane[hit[0]])
    return np.asarray(ids[same], dtype=np.int64)


def slot_times(start: datetime, step_s: float, slots: int) -> list[datetime]:
    """Start of every slot (aware UTC)."""
    return [start + timedelta(seconds=j * step_s) for j in range(slots)]


def in_force(event: Event, times: Sequence[datetime]) -> BoolArray:
    """``[slots]``: is the event in force at each slot start?"""
    return np.array([event.start <= t < event.end for t in times], dtype=bool)


def build_world(
    events: Sequence[Event],
    times: Sequence[datetime],
    *,
    norad_ids: NDArray[np.int64],
    plane_of: dict[int, NDArray[np.int64]],
    gateway_ids: Sequence[str],
    region_ids: Sequence[str],
    site_customers: Sequence[str],
    new_site_events: Sequence[Event],
    link_lost: BoolArray | None = None,
) -> World:
    """The world of each slot. ``plane_of`` maps a satellite to every satellite of its
    orbital plane; ``site_customers`` names each planned site's customer; each
    ``new_site_events`` item adds one site (after the planned ones), active from its
    request on. ``link_lost`` (``[slots, planned sites]``) marks planned links a late
    element update has broken (see ``late_elements``)."""
    slots, k_planned = len(times), len(site_customers)
    k = k_planned + len(new_site_events)
    sat_index = {int(n): i for i, n in enumerate(norad_ids)}
    gw_index = {g: i for i, g in enumerate(gateway_ids)}
    region_index = {r: i for i, r in enumerate(region_ids)}
    world = World(
        np.zeros((slots, len(norad_ids)), dtype=bool),
        np.zeros((slots, len(gateway_ids)), dtype=bool),
        np.ones((slots, len(gateway_ids))),
        np.zeros((slots, len(region_ids)), dtype=bool),
        np.ones((slots, k)),
        np.ones((slots, k), dtype=bool),
        np.zeros((slots, k), dtype=bool),
    )
    if link_lost is not None:
        world.link_lost[:, : link_lost.shape[1]] = link_lost
    customers = np.array(
        list(site_customers) + [str(e.fields["customer"]) for e in new_site_events]
    )
    for event in events:
        on = in_force(event, times)
        f = event.fields
        if event.kind == "satellite_failure":
            numbers = [int(n) for n in f.get("satellites", [])]
            if "plane_of" in f:
                numbers += [int(n) for n in plane_of.get(int(f["plane_of"]), [])]
            cols = np.array([sat_index[n] for n in numbers if n in sat_index], dtype=np.intp)
            world.satellite_down[np.ix_(on, cols)] = True
        elif event.kind == "gateway_outage":
            world.gateway_down[on, gw_index[f["gateway"]]] = True
        elif event.kind == "gateway_capacity_loss":
            column = world.gateway_capacity_factor[:, gw_index[f["gateway"]]]
            column[on] = np.minimum(column[on], float(f["remaining_pct"]) / 100.0)
        elif event.kind == "region_outage":
            world.region_down[on, region_index[f["region"]]] = True
        elif event.kind == "demand_surge":
            world.demand_factor[np.ix_(on, customers == f["customer"])] *= float(f["factor"])
    for i, event in enumerate(new_site_events):
        world.site_active[:, k_planned + i] = [t >= event.start for t in times]
    return world

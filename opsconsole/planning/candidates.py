"""Candidate paths of one slot: site -> satellite -> gateway -> region, with round trips.

A path is a candidate for slot ``[t_j, t_j+1)`` only if every link holds at both of
its ends, hence throughout (``slot_geometry``). Bent-pipe: a site may use a satellite
above its mask that sees a gateway above the gateway's mask; the gateway must be allowed
for the site (residency of the landing, pins) and backhaul to a region allowed for the
site. Without region
ingress limits only the region with the shortest backhaul is kept for each (site,
gateway): any other region would cost more round trip and relieve no capacity, so this
loses nothing. When a region available in the slot has a limit, every allowed region of
each (site, gateway) is a candidate, so the assignment can move a site to another region
when one is full.

Round trip (ms) = 2 x (site-satellite + inter-satellite path + satellite-gateway) / c
                + fibre round trip gateway -> region + processing allowance,
computed at each end of the slot; the slot's round trip is the worse of the two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from opsconsole.planning.inputs import PlanInputs
from opsconsole.planning.isl import IslMesh
from opsconsole.planning.parameters import SPEED_OF_LIGHT_KM_S, PlanParameters
from opsconsole.planning.slot_geometry import SlotView

IntArray = NDArray[np.intp]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Candidates:
    """Paths valid for a whole slot, shape ``(p,)`` each, sorted by site: round trip
    (ms) at the slot's start, at its end, and ``rtt_ms`` the worse of the two; and per
    site ``(k,)`` what existed for the whole slot before the rules, to explain an
    unserved slot."""

    site: IntArray
    satellite: IntArray
    gateway: IntArray
    region: IntArray
    rtt_ms: FloatArray
    rtt_start_ms: FloatArray
    rtt_end_ms: FloatArray
    satellite_in_view: BoolArray
    gateway_reachable: BoolArray
    dwell_slots: NDArray[np.int32] | None = None
    """``dwell`` policy: how many slots from this one the site's link to the path's
    satellite stays usable (``planning.dwell``); None for the ``rtt`` policy."""

    def __len__(self) -> int:
        return int(self.site.shape[0])


class RegionChooser:
    """Regions and their fibre round trips per (site, gateway), cached per set of
    regions available (exclusions change rarely within a window)."""

    def __init__(self, inputs: PlanInputs) -> None:
        self.inputs = inputs
        self._cache: dict[bytes, tuple[NDArray[np.intp], NDArray[np.intp], FloatArray]] = {}
        self._gateway_ok_flat = np.ascontiguousarray(inputs.site_gateway_ok).ravel()

    def nearest(
        self, region_ok: BoolArray
    ) -> tuple[NDArray[np.intp], NDArray[np.intp], FloatArray]:
        """The nearest allowed region of each (site, gateway) and its fibre round trip
        (ms), as ``(set_of_site (k,), region [P, G], rtt_ms [P, G])``: sites share few
        sets of allowed regions (residency), so each set ``P`` is solved once and a
        site's row is its set's. Region -1 and inf where no region is allowed (the
        site's own gateway rules are applied by :meth:`paths`)."""
        key = np.packbits(region_ok).tobytes()
        hit = self._cache.get(key)
        if hit is None:
            inputs = self.inputs
            allowed = inputs.site_region_ok & region_ok[None, :]
            sets, of_site = np.unique(allowed, axis=0, return_inverse=True)
            cost = np.where(sets[:, None, :], inputs.backhaul_rtt_ms[None, :, :], np.inf)
            nearest = cost.argmin(axis=2)  # the first of equal round trips
            rtt = np.take_along_axis(cost, nearest[:, :, None], axis=2)[:, :, 0]
            region = np.where(np.isfinite(rtt), nearest, -1).astype(np.intp)
            hit = (of_site.reshape(-1).astype(np.intp), region, rtt)
            self._cache[key] = hit
        return hit

    def paths(
        self, site: IntArray, gateway: IntArray, region_ok: BoolArray
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """For paths ``(p,)`` of a site through a gateway: the path index each output
        row extends, its region and fibre round trip (ms).

        Rows stay in path order (so grouped by site as the paths were). One row per path
        (the nearest allowed region) unless an available region has an ingress limit;
        then one row per allowed region. Paths through a gateway the site may not use
        (residency, pins) or with no allowed region are dropped.
        """
        inputs = self.inputs
        flat = site * inputs.site_gateway_ok.shape[1] + gateway
        if not np.isfinite(inputs.region_capacity_gbps[region_ok]).any():
            of_site, best_region, backhaul = self.nearest(region_ok)
            row = of_site.take(site) * backhaul.shape[1] + gateway
            rtt = np.where(self._gateway_ok_flat.take(flat), backhaul.take(row), np.inf)
            keep = np.flatnonzero(rtt < np.inf)
            return keep, best_region.take(row.take(keep)), rtt.take(keep)
        allowed = np.flatnonzero(self._gateway_ok_flat.take(flat))
        site, gateway = site.take(allowed), gateway.take(allowed)
        path_parts = [np.zeros(0, dtype=np.intp)]
        region_parts = [np.zeros(0, dtype=np.intp)]
        for r in np.flatnonzero(region_ok):
            at = np.flatnonzero(inputs.site_region_ok[site, r] & inputs.backhaul_ok[gateway, r])
            path_parts.append(at)
            region_parts.append(np.full(at.size, r, dtype=np.intp))
        path, region = np.concatenate(path_parts), np.concatenate(region_parts)
        order = np.argsort(path, kind="stable")
        path, region = path[order], region[order]
        return allowed.take(path), region, inputs.backhaul_rtt_ms[gateway[path], region]


def _expand(lo: IntArray, counts: IntArray) -> tuple[IntArray, IntArray]:
    """For ranges ``[lo, lo + count)``: the owner of each element and the element."""
    owner = np.repeat(np.arange(lo.size), counts)
    starts = np.cumsum(counts) - counts
    return owner, np.repeat(lo, counts) + (np.arange(owner.size) - np.repeat(starts, counts))


def slot_candidates(
    inputs: PlanInputs,
    params: PlanParameters,
    view: SlotView,
    satellite_ok: BoolArray,
    gateway_ok: BoolArray,
    regions: RegionChooser,
    region_ok: BoolArray,
    mesh: IslMesh | None = None,
) -> Candidates:
    """Every path valid for the whole slot ``view``.

    Bent-pipe (``mesh`` is None): only satellites that see a gateway for the whole slot
    can carry traffic, so sites are matched against those alone. With an
    inter-satellite mesh, a site's satellite forwards over the shortest link path (every
    hop clear of the Earth at both ends) to the nearest satellite that sees a gateway
    for the whole slot; the user link (and its capacity) stays on the site's own
    satellite, and each hop counts at the longer of its two end lengths. A site with
    no path is "no satellite in view" when no usable satellite stays above its horizon
    for the whole slot, else "no gateway" (or a rule's reason, see ``assignment``).
    """
    k, n = len(inputs.sites), len(satellite_ok)
    down = view.down.subset(gateway_ok[view.down.ground] & satellite_ok[view.down.satellite])
    g_gw, g_sat = down.ground, down.satellite  # satellite-major (``SlotView``)
    g_r0, g_r1 = down.range_start_km, down.range_end_km
    per_satellite = np.bincount(g_sat, minlength=n)
    first_of = np.cumsum(per_satellite) - per_satellite
    useful = np.flatnonzero(per_satellite)
    up = view.up.subset(satellite_ok[view.up.satellite])
    in_view = np.bincount(up.ground, minlength=k) > 0
    if view.seen is not None:  # up holds only satellites that see a gateway
        in_view |= view.seen
    if mesh is None:
        up = up.subset(per_satellite.take(up.satellite) > 0)
        s_exit, link_km = up.satellite, np.zeros(len(up))
    else:
        hops_km, exit_of = mesh.routes(
            view.start_km, view.end_km, useful, satellite_ok, params.isl_grazing_altitude_km
        )
        up = up.subset(exit_of[up.satellite] >= 0)
        s_exit, link_km = exit_of[up.satellite], hops_km[up.satellite]
    owner, element = _expand(first_of.take(s_exit), per_satellite.take(s_exit))
    site, sat, gw = up.ground.take(owner), up.satellite.take(owner), g_gw.take(element)
    link = link_km.take(owner)
    slant_0 = up.range_start_km.take(owner) + link + g_r0.take(element)
    slant_1 = up.range_end_km.take(owner) + link + g_r1.take(element)
    reachable = np.bincount(site, minlength=k) > 0
    path, region, backhaul = regions.paths(site, gw, region_ok)
    site, sat, gw = site.take(path), sat.take(path), gw.take(path)
    fixed = backhaul + params.processing_ms
    to_ms = 2.0 / SPEED_OF_LIGHT_KM_S * 1000.0
    rtt_0, rtt_1 = to_ms * slant_0.take(path) + fixed, to_ms * slant_1.take(path) + fixed
    dwell = None if up.dwell_slots is None else up.dwell_slots.take(owner).take(path)
    return Candidates(
        site, sat, gw, region, np.maximum(rtt_0, rtt_1), rtt_0, rtt_1, in_view, reachable,
        dwell,
    )  # fmt: skip

"""Candidate paths of one slot: site -> satellite -> gateway -> region, with round trips.

Bent-pipe: a site may use a satellite above its mask that at the same instant sees a
gateway above the gateway's mask; the gateway must be allowed for the site (residency
of the landing, pins) and backhaul to a region allowed for the site. Without region
ingress limits only the region with the shortest backhaul is kept for each (site,
gateway): any other region would cost more round trip and relieve no capacity, so this
loses nothing. When a region available in the slot has a limit, every allowed region of
each (site, gateway) is a candidate, so the assignment can move a site to another region
when one is full.

Round trip (ms) = 2 x (site-satellite + inter-satellite path + satellite-gateway) / c
                + fibre round trip gateway -> region + processing allowance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.look_angles import Sites
from opsconsole.core.visibility import visible_satellites
from opsconsole.planning.inputs import PlanInputs
from opsconsole.planning.isl import IslMesh
from opsconsole.planning.parameters import SPEED_OF_LIGHT_KM_S, PlanParameters

IntArray = NDArray[np.intp]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
SITE_FIELDS = ("lat_deg", "lon_deg", "height_km", "ecef_km", "east", "north", "up")


@dataclass(frozen=True)
class Candidates:
    """Valid paths of one slot, shape ``(p,)`` each, sorted by site; and per site
    ``(k,)`` what existed before the rules, to explain an unserved slot."""

    site: IntArray
    satellite: IntArray
    gateway: IntArray
    region: IntArray
    rtt_ms: FloatArray
    satellite_in_view: BoolArray
    gateway_reachable: BoolArray

    def __len__(self) -> int:
        return int(self.site.shape[0])


class RegionChooser:
    """Regions and their fibre round trips per (site, gateway), cached per set of
    regions available (exclusions change rarely within a window)."""

    def __init__(self, inputs: PlanInputs) -> None:
        self.inputs = inputs
        self._cache: dict[bytes, tuple[NDArray[np.intp], FloatArray]] = {}

    def best(self, region_ok: BoolArray) -> tuple[NDArray[np.intp], FloatArray]:
        """``(region [k, G], rtt_ms [k, G])``; rtt is inf where no region is allowed."""
        key = np.packbits(region_ok).tobytes()
        hit = self._cache.get(key)
        if hit is None:
            inputs = self.inputs
            # [k, G, R] would be large for 1,000 sites: loop over the (few) regions instead
            k, n_g = inputs.site_gateway_ok.shape
            best_rtt = np.full((k, n_g), np.inf)
            best_region = np.full((k, n_g), -1, dtype=np.intp)
            for r in np.flatnonzero(region_ok):
                rtt = np.where(
                    inputs.site_region_ok[:, r][:, None],
                    inputs.backhaul_rtt_ms[:, r][None, :],
                    np.inf,
                )
                better = rtt < best_rtt
                best_rtt[better] = rtt[better]
                best_region[better] = r
            hit = (best_region, best_rtt)
            self._cache[key] = hit
        return hit

    def paths(
        self, site: IntArray, gateway: IntArray, region_ok: BoolArray
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """For paths ``(p,)`` of a site through a gateway (allowed for the site): the
        path index each output row extends, its region and fibre round trip (ms).

        Rows stay in path order (so grouped by site as the paths were). One row per path
        (the nearest allowed region) unless an available region has an ingress limit;
        then one row per allowed region. Paths with no allowed region are dropped.
        """
        inputs = self.inputs
        if not np.isfinite(inputs.region_capacity_gbps[region_ok]).any():
            best_region, backhaul = self.best(region_ok)
            rtt = backhaul[site, gateway]
            keep = np.flatnonzero(np.isfinite(rtt))
            return keep, best_region[site, gateway][keep], rtt[keep]
        path_parts = [np.zeros(0, dtype=np.intp)]
        region_parts = [np.zeros(0, dtype=np.intp)]
        for r in np.flatnonzero(region_ok):
            at = np.flatnonzero(inputs.site_region_ok[site, r] & inputs.backhaul_ok[gateway, r])
            path_parts.append(at)
            region_parts.append(np.full(at.size, r, dtype=np.intp))
        path, region = np.concatenate(path_parts), np.concatenate(region_parts)
        order = np.argsort(path, kind="stable")
        path, region = path[order], region[order]
        return path, region, inputs.backhaul_rtt_ms[gateway[path], region]


def _expand(lo: IntArray, counts: IntArray) -> tuple[IntArray, IntArray]:
    """For ranges ``[lo, lo + count)``: the owner of each element and the element."""
    owner = np.repeat(np.arange(lo.size), counts)
    starts = np.cumsum(counts) - counts
    return owner, np.repeat(lo, counts) + (np.arange(owner.size) - np.repeat(starts, counts))


def slot_candidates(
    inputs: PlanInputs,
    params: PlanParameters,
    positions_km: FloatArray,
    satellite_ok: BoolArray,
    gateway_ok: BoolArray,
    regions: RegionChooser,
    region_ok: BoolArray,
    mesh: IslMesh | None = None,
) -> Candidates:
    """Every valid path at one instant (satellites ``(n, 3)`` km ITRS).

    Bent-pipe (``mesh`` is None): gateways are looked at first: only satellites that see
    a gateway can carry traffic, so sites are matched against those alone (a smaller
    search). With an inter-satellite mesh, a site's satellite forwards over the shortest
    link path to the nearest satellite that sees a gateway; the user link (and its
    capacity) stays on the site's own satellite. Sites left without a path are checked
    against every satellite to tell "no satellite in view" from "no gateway".
    """
    k = len(inputs.sites)
    down = visible_satellites(inputs.gateways, positions_km, inputs.gateway_mask_deg)
    keep = gateway_ok[down.site] & satellite_ok[down.satellite]
    g_gw, g_sat, g_range = down.site[keep], down.satellite[keep], down.range_km[keep]
    order = np.argsort(g_sat, kind="stable")
    g_gw, g_sat, g_range = g_gw[order], g_sat[order], g_range[order]
    useful = np.unique(g_sat)
    if mesh is None:
        up = visible_satellites(inputs.sites, positions_km[useful], inputs.mask_deg)
        s_site, s_sat, s_range = up.site, useful[up.satellite], up.range_km
        s_exit = s_sat
    else:
        usable = np.where(satellite_ok[:, None], positions_km, np.nan)
        up = visible_satellites(inputs.sites, usable, inputs.mask_deg)
        link_km, exit_of = mesh.routes(positions_km, useful, satellite_ok)
        s_exit = exit_of[up.satellite]
        keep = s_exit >= 0
        s_site, s_sat, s_exit = up.site[keep], up.satellite[keep], s_exit[keep]
        s_range = up.range_km[keep] + link_km[s_sat]
    lo = np.searchsorted(g_sat, s_exit, side="left")
    counts = np.searchsorted(g_sat, s_exit, side="right") - lo
    owner, element = _expand(lo, counts)
    site, sat, gw = s_site[owner], s_sat[owner], g_gw[element]
    slant = s_range[owner] + g_range[element]
    reachable = np.bincount(site, minlength=k) > 0
    in_view = reachable.copy()
    lonely = np.flatnonzero(~reachable)
    if lonely.size:
        alone = Sites(*(getattr(inputs.sites, f)[lonely] for f in SITE_FIELDS))
        seen = visible_satellites(
            alone, np.where(satellite_ok[:, None], positions_km, np.nan), inputs.mask_deg[lonely]
        )
        in_view[lonely[np.unique(seen.site)]] = True
    allowed = inputs.site_gateway_ok[site, gw]
    site, sat, gw, slant = site[allowed], sat[allowed], gw[allowed], slant[allowed]
    path, region, backhaul = regions.paths(site, gw, region_ok)
    site, sat, gw, slant = site[path], sat[path], gw[path], slant[path]
    rtt = 2.0 * slant / SPEED_OF_LIGHT_KM_S * 1000.0 + backhaul + params.processing_ms
    return Candidates(site, sat, gw, region, rtt, in_view, reachable)

"""The ground side of a planning run as arrays: sites, gateways, regions, rules.

Built from typed catalog values (``core.catalog``: sites, the ground network) so that
planning never reads the database itself. Site ``k``, gateway ``g`` and region ``r``
index the arrays below.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.catalog import CustomerSite, GroundNetwork, SiteSpec
from opsconsole.core.horizon import HorizonProfile, Horizons
from opsconsole.core.look_angles import Sites
from opsconsole.planning.parameters import FIBRE_INDEX, SPEED_OF_LIGHT_KM_S, PlanParameters

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
EARTH_MEAN_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Exclusion:
    """An outage for a what-if: ``kind`` is satellite / gateway / region, ``key`` its
    catalog number or id; ``start``/``end`` (aware UTC) bound it, ``None`` = window edge."""

    kind: str
    key: int | str
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class Pin:
    """A site (by id) forced onto one gateway or one region (``kind`` gateway/region)."""

    site_id: int
    kind: str
    key: str


def exclusion_json(ex: Exclusion) -> dict[str, Any]:
    """An exclusion as JSON (times ISO 8601 UTC, ``None`` for the window's edge)."""

    def when(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {"kind": ex.kind, "key": ex.key, "start": when(ex.start), "end": when(ex.end)}


def exclusion_of(value: Mapping[str, Any]) -> Exclusion:
    """The exclusion of :func:`exclusion_json` (a satellite's key is its number)."""

    def when(text: Any) -> datetime | None:
        return datetime.fromisoformat(str(text)) if text else None

    kind = str(value["kind"])
    key: int | str = int(value["key"]) if kind == "satellite" else str(value["key"])
    return Exclusion(kind, key, when(value.get("start")), when(value.get("end")))


def great_circle_km(
    lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray
) -> FloatArray:
    """Haversine distance on the mean sphere (km); arguments in degrees, broadcast."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_MEAN_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1))))


@dataclass(frozen=True)
class PlanInputs:
    """Arrays of one planning run (shapes in brackets).

    Sites [k]: ``site_ids``, ``sites`` (geometry), ``horizons`` (terminal masks and
    horizon profiles; ``mask_deg`` is ``horizons.mask_deg``), ``demand_mbps``,
    ``priority``, ``max_rtt_ms``, ``min_availability_pct``.
    Gateways [G]: ``gateway_ids``, ``gateway_pop_ids``, ``gateways`` (geometry),
    ``gateway_mask_deg``,
    ``gateway_capacity_gbps``. Regions [R]: ``region_ids``, ``region_capacity_gbps``
    (inf when unlimited).
    Rules: ``site_region_ok`` [k, R] (residency and pins), ``site_gateway_ok`` [k, G]
    (residency of the landing gateway and its PoP, and pins), ``backhaul_ok`` [G, R],
    ``backhaul_rtt_ms`` [G, R] (fibre round trip gateway -> PoP -> region, inf where
    no backhaul).
    """

    site_ids: NDArray[np.int64]
    site_names: tuple[str, ...]
    customers: tuple[str, ...]
    sites: Sites
    demand_mbps: FloatArray
    priority: NDArray[np.int64]
    max_rtt_ms: FloatArray
    min_availability_pct: FloatArray
    gateway_ids: tuple[str, ...]
    gateway_pop_ids: tuple[str, ...]
    """[G] the PoP each gateway hands its traffic to ("" for direct backhaul)."""
    gateway_live: BoolArray
    """[G] False for a planned gateway the plan does not include (never a candidate)."""
    gateways: Sites
    gateway_mask_deg: FloatArray
    gateway_capacity_gbps: FloatArray
    region_ids: tuple[str, ...]
    region_capacity_gbps: FloatArray
    site_region_ok: BoolArray
    site_gateway_ok: BoolArray
    backhaul_ok: BoolArray
    backhaul_rtt_ms: FloatArray
    residency_blocks: BoolArray
    """[k] True where residency rules alone remove every gateway-region pair."""
    horizons: Horizons

    @property
    def mask_deg(self) -> FloatArray:
        """Each site's terminal mask (deg), shape ``(k,)``."""
        return self.horizons.mask_deg

    @cached_property
    def live_gateway_index(self) -> NDArray[np.intp]:
        """Indices of the gateways the plan may use (``gateway_live``), increasing."""
        return np.flatnonzero(self.gateway_live)

    @cached_property
    def live_gateways(self) -> Sites:
        """Geometry of the live gateways (``live_gateway_index`` order), built once so
        its KD-tree is too."""
        return self.gateways.take(self.live_gateway_index)


def build_inputs(
    sites: Sequence[CustomerSite],
    network: GroundNetwork,
    params: PlanParameters,
    *,
    pins: Sequence[Pin] = (),
) -> PlanInputs:
    """Arrays from typed catalog values: site ``k`` is ``sites[k]``, gateway ``g``
    ``network.gateways[g]`` and region ``r`` ``network.regions[r]``. Planned gateways stay
    in the arrays (indices match) but are not live (``gateway_live``) unless
    ``params.include_planned_gateways``. Region ingress limits come from
    ``params.region_ingress_gbps`` (ids must exist).

    A gateway with a PoP reaches that PoP's regions over gateway -> PoP fibre
    (``gateway_pop_route_factor``) then PoP -> region fibre (``route_factor``); one without
    reaches its ``backhaul_regions`` directly (``route_factor``)."""
    gateways, regions = network.gateways, network.regions
    region_index = {r.id: i for i, r in enumerate(regions)}
    unknown = sorted(set(params.region_ingress_gbps) - set(region_index))
    if unknown:
        raise ValueError(f"ingress limit for unknown region {', '.join(map(repr, unknown))}")
    gateway_index = {g.id: i for i, g in enumerate(gateways)}
    k, n_g, n_r = len(sites), len(gateways), len(regions)
    homes = [network.home_pop(g) for g in gateways]
    backhaul = np.zeros((n_g, n_r), dtype=bool)
    for g, gateway in enumerate(gateways):
        for region in network.reachable_regions(gateway):
            if region in region_index:
                backhaul[g, region_index[region]] = True
    rtt = np.where(backhaul, backhaul_rtt_ms(network, params), np.inf)

    region_zone = [r.residency_zone for r in regions]
    # the landing gateway and the PoP it hands traffic to must both be allowed
    gateway_zones = [
        {g.residency_zone, pop.residency_zone if pop is not None else g.residency_zone}
        for g, pop in zip(gateways, homes, strict=True)
    ]
    site_region_ok = np.ones((k, n_r), dtype=bool)
    site_gateway_ok = np.ones((k, n_g), dtype=bool)
    for i, site in enumerate(sites):
        allowed = frozenset(site.spec.residency)
        if allowed:
            site_region_ok[i] = [zone in allowed for zone in region_zone]
            site_gateway_ok[i] = [zones <= allowed for zones in gateway_zones]
    reachable = (site_gateway_ok.astype(np.uint8) @ backhaul.astype(np.uint8)) * site_region_ok
    residency_blocks = np.asarray(~(reachable > 0).any(axis=1), dtype=bool)
    site_row = {s.id: i for i, s in enumerate(sites)}
    for pin in pins:
        site_at = site_row.get(pin.site_id)
        if site_at is None:
            raise ValueError(f"pin names site {pin.site_id}, which is not in the plan")
        table, index = (
            (site_region_ok, region_index)
            if pin.kind == "region"
            else (site_gateway_ok, gateway_index)
        )
        if pin.key not in index:
            raise ValueError(f"pin names unknown {pin.kind} {pin.key!r}")
        keep = table[site_at, index[pin.key]]
        table[site_at] = False
        table[site_at, index[pin.key]] = keep
    caps = params.region_ingress_gbps
    specs = [s.spec for s in sites]
    return PlanInputs(
        site_ids=np.array([s.id for s in sites], dtype=np.int64),
        site_names=tuple(s.name for s in specs),
        customers=tuple(s.customer for s in sites),
        sites=Sites.from_geodetic(
            [s.lat for s in specs], [s.lon for s in specs], [s.alt_m / 1000.0 for s in specs]
        ),
        demand_mbps=np.array([s.demand_mbps for s in specs], dtype=np.float64),
        priority=np.array([s.priority for s in specs], dtype=np.int64),
        max_rtt_ms=np.array([s.max_rtt_ms for s in specs], dtype=np.float64),
        min_availability_pct=np.array([s.min_availability_pct for s in specs], dtype=np.float64),
        gateway_ids=tuple(g.id for g in gateways),
        gateway_pop_ids=tuple(pop.id if pop is not None else "" for pop in homes),
        gateway_live=np.array(
            [params.include_planned_gateways or g.status != "planned" for g in gateways],
            dtype=bool,
        ),
        gateways=Sites.from_geodetic(
            [g.lat for g in gateways],
            [g.lon for g in gateways],
            [g.alt_m / 1000.0 for g in gateways],
        ),
        gateway_mask_deg=np.array([g.min_elevation_deg for g in gateways], dtype=np.float64),
        gateway_capacity_gbps=np.array([g.capacity_gbps for g in gateways], dtype=np.float64),
        region_ids=tuple(r.id for r in regions),
        region_capacity_gbps=np.array([float(caps.get(r.id, math.inf)) for r in regions]),
        site_region_ok=site_region_ok,
        site_gateway_ok=site_gateway_ok,
        backhaul_ok=backhaul,
        backhaul_rtt_ms=rtt,
        residency_blocks=residency_blocks,
        horizons=spec_horizons(specs, params.site_mask_deg),
    )


def backhaul_rtt_ms(network: GroundNetwork, params: PlanParameters) -> FloatArray:
    """Fibre round trip (ms) from each gateway to each region, shape ``(G, R)``:
    ``2 (d(gw, PoP) f_gp + d(PoP, r) f_r) / (c / n)`` with great-circle distances ``d``
    (km), route factors ``f`` and fibre group index ``n``; ``d(gw, r) f_r`` for a gateway
    with no PoP."""
    gateways, regions = network.gateways, network.regions
    homes = [network.home_pop(g) for g in gateways]
    g_lat = np.array([g.lat for g in gateways], dtype=np.float64)
    g_lon = np.array([g.lon for g in gateways], dtype=np.float64)
    p_lat = np.array([p.lat if p is not None else g.lat
                      for g, p in zip(gateways, homes, strict=True)], dtype=np.float64)  # fmt: skip
    p_lon = np.array([p.lon if p is not None else g.lon
                      for g, p in zip(gateways, homes, strict=True)], dtype=np.float64)  # fmt: skip
    r_lat = np.array([r.lat for r in regions], dtype=np.float64)
    r_lon = np.array([r.lon for r in regions], dtype=np.float64)
    to_pop = great_circle_km(g_lat, g_lon, p_lat, p_lon) * params.gateway_pop_route_factor
    to_region = great_circle_km(p_lat[:, None], p_lon[:, None], r_lat[None, :], r_lon[None, :])
    route_km = to_pop[:, None] + to_region * params.route_factor
    fibre_km_s = SPEED_OF_LIGHT_KM_S / FIBRE_INDEX
    return np.asarray(2.0 * route_km / fibre_km_s * 1000.0).reshape(len(gateways), len(regions))


def spec_horizons(specs: Sequence[SiteSpec], default_mask_deg: float) -> Horizons:
    """The horizons of site specs: each ``min_elevation_deg`` (``None``: the default)
    and ``horizon`` profile (``az:el;...`` text, empty: none)."""
    return Horizons.of(
        [s.min_elevation_deg for s in specs],
        [HorizonProfile.parse(s.horizon) for s in specs],
        default_mask_deg,
    )


def site_horizons(sites: Sequence[Mapping[str, Any]], default_mask_deg: float) -> Horizons:
    """The horizons of site rows: ``min_elevation_deg`` (absent or ``None``: the
    default) and ``horizon`` (``az:el;...`` text, absent or empty: none)."""
    masks = [None if s.get("min_elevation_deg") is None else float(s["min_elevation_deg"])
             for s in sites]  # fmt: skip
    profiles = [HorizonProfile.parse(str(s.get("horizon") or "")) for s in sites]
    return Horizons.of(masks, profiles, default_mask_deg)

"""The ground side of a planning run as arrays: sites, gateways, regions, rules.

Built from catalog rows (as the store lists them) so that planning never reads the
database itself. Site ``k``, gateway ``g`` and region ``r`` index the arrays below.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.catalog import Gateway, Pop
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


def _zones(text: object) -> frozenset[str]:
    return frozenset(z for z in str(text or "").split(";") if z)


def build_inputs(
    sites: Sequence[Mapping[str, Any]],
    gateways: Sequence[Mapping[str, Any]],
    regions: Sequence[Mapping[str, Any]],
    params: PlanParameters,
    *,
    pins: Sequence[Pin] = (),
) -> PlanInputs:
    """Arrays from catalog rows: sites as ``catalog_edits.site_rows``, gateways as
    ``list_gateways`` (``backhaul_regions`` ``;``-separated; ``pop_id``, ``pop_lat``,
    ``pop_lon``, ``pop_residency_zone`` where the gateway homes to a PoP), regions as
    ``list_regions``. Planned gateways stay in the arrays (indices match the rows) but
    are not live (``gateway_live``) unless ``params.include_planned_gateways``. Region
    ingress limits come from ``params.region_ingress_gbps`` (ids must exist).

    A gateway with a PoP reaches region ``r`` over gateway -> PoP fibre
    (``gateway_pop_route_factor``) then PoP -> region fibre (``route_factor``); one without
    reaches its backhaul regions directly (``route_factor``)."""
    region_index = {str(r["id"]): i for i, r in enumerate(regions)}
    unknown = sorted(set(params.region_ingress_gbps) - set(region_index))
    if unknown:
        raise ValueError(f"ingress limit for unknown region {', '.join(map(repr, unknown))}")
    gateway_index = {str(g["id"]): i for i, g in enumerate(gateways)}
    k, n_g, n_r = len(sites), len(gateways), len(regions)
    backhaul = np.zeros((n_g, n_r), dtype=bool)
    for g, row in enumerate(gateways):
        for region in _zones(row["backhaul_regions"]):
            if region in region_index:
                backhaul[g, region_index[region]] = True
    g_lat = np.array([float(g["lat"]) for g in gateways])
    g_lon = np.array([float(g["lon"]) for g in gateways])
    rtt = np.where(backhaul, backhaul_rtt_ms(gateways, regions, params), np.inf)

    region_zone = [str(r["residency_zone"]) for r in regions]
    # the landing gateway and the PoP it hands traffic to must both be allowed
    gateway_zones = [
        {str(g["residency_zone"]), str(g.get("pop_residency_zone") or g["residency_zone"])}
        for g in gateways
    ]
    site_region_ok = np.ones((k, n_r), dtype=bool)
    site_gateway_ok = np.ones((k, n_g), dtype=bool)
    for i, site in enumerate(sites):
        allowed = _zones(site["residency"])
        if allowed:
            site_region_ok[i] = [zone in allowed for zone in region_zone]
            site_gateway_ok[i] = [zones <= allowed for zones in gateway_zones]
    reachable = (site_gateway_ok.astype(np.uint8) @ backhaul.astype(np.uint8)) * site_region_ok
    residency_blocks = np.asarray(~(reachable > 0).any(axis=1), dtype=bool)
    site_row = {int(s["id"]): i for i, s in enumerate(sites)}
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
    return PlanInputs(
        site_ids=np.array([int(s["id"]) for s in sites], dtype=np.int64),
        site_names=tuple(str(s["name"]) for s in sites),
        customers=tuple(str(s.get("customer", "")) for s in sites),
        sites=Sites.from_geodetic(
            [float(s["lat"]) for s in sites],
            [float(s["lon"]) for s in sites],
            [float(s["alt_m"]) / 1000.0 for s in sites],
        ),
        demand_mbps=np.array([float(s["demand_mbps"]) for s in sites]),
        priority=np.array([int(s["priority"]) for s in sites], dtype=np.int64),
        max_rtt_ms=np.array([float(s["max_rtt_ms"]) for s in sites]),
        min_availability_pct=np.array([float(s["min_availability_pct"]) for s in sites]),
        gateway_ids=tuple(str(g["id"]) for g in gateways),
        gateway_pop_ids=tuple(str(g.get("pop_id") or "") for g in gateways),
        gateway_live=np.array(
            [
                params.include_planned_gateways or g.get("status", "operational") != "planned"
                for g in gateways
            ],
            dtype=bool,
        ),
        gateways=Sites.from_geodetic(g_lat, g_lon, [float(g["alt_m"]) / 1000 for g in gateways]),
        gateway_mask_deg=np.array([float(g["min_elevation_deg"]) for g in gateways]),
        gateway_capacity_gbps=np.array([float(g["capacity_gbps"]) for g in gateways]),
        region_ids=tuple(str(r["id"]) for r in regions),
        region_capacity_gbps=np.array([float(caps.get(str(r["id"]), math.inf)) for r in regions]),
        site_region_ok=site_region_ok,
        site_gateway_ok=site_gateway_ok,
        backhaul_ok=backhaul,
        backhaul_rtt_ms=rtt,
        residency_blocks=residency_blocks,
        horizons=site_horizons(sites, params.site_mask_deg),
    )


def backhaul_rtt_ms(
    gateways: Sequence[Mapping[str, Any]],
    regions: Sequence[Mapping[str, Any]],
    params: PlanParameters,
) -> FloatArray:
    """Fibre round trip (ms) from each gateway to each region, shape ``(G, R)``:
    ``2 (d(gw, PoP) f_gp + d(PoP, r) f_r) / (c / n)`` with great-circle distances ``d``
    (km), route factors ``f`` and fibre group index ``n``; ``d(gw, r) f_r`` for a gateway
    with no PoP (``pop_lat`` absent or ``None``)."""
    g_lat = np.array([float(g["lat"]) for g in gateways])
    g_lon = np.array([float(g["lon"]) for g in gateways])
    has_pop = np.array([g.get("pop_lat") is not None for g in gateways], dtype=bool)
    p_lat = np.array([float(g["pop_lat"]) if ok else float(g["lat"])
                      for g, ok in zip(gateways, has_pop, strict=True)])  # fmt: skip
    p_lon = np.array([float(g["pop_lon"]) if ok else float(g["lon"])
                      for g, ok in zip(gateways, has_pop, strict=True)])  # fmt: skip
    r_lat = np.array([float(r["lat"]) for r in regions])
    r_lon = np.array([float(r["lon"]) for r in regions])
    to_pop = great_circle_km(g_lat, g_lon, p_lat, p_lon) * params.gateway_pop_route_factor
    to_region = great_circle_km(p_lat[:, None], p_lon[:, None], r_lat[None, :], r_lon[None, :])
    route_km = to_pop[:, None] + to_region * params.route_factor
    fibre_km_s = SPEED_OF_LIGHT_KM_S / FIBRE_INDEX
    return np.asarray(2.0 * route_km / fibre_km_s * 1000.0).reshape(len(gateways), len(regions))


def site_horizons(sites: Sequence[Mapping[str, Any]], default_mask_deg: float) -> Horizons:
    """The horizons of site rows: ``min_elevation_deg`` (absent or ``None``: the
    default) and ``horizon`` (``az:el;...`` text, absent or empty: none)."""
    masks = [None if s.get("min_elevation_deg") is None else float(s["min_elevation_deg"])
             for s in sites]  # fmt: skip
    profiles = [HorizonProfile.parse(str(s.get("horizon") or "")) for s in sites]
    return Horizons.of(masks, profiles, default_mask_deg)


def catalog_gateway_rows(gateways: Sequence[Gateway], pops: Sequence[Pop]) -> list[dict[str, Any]]:
    """Catalog gateways as the rows ``store.catalog_repository.list_gateways`` returns
    (``backhaul_regions`` from the home PoP, the PoP's position and zone), for runs that
    plan straight from the embedded catalog (training baselines, tests, benchmarks)."""
    by_id = {pop.id: pop for pop in pops}
    rows = []
    for gateway in gateways:
        pop = by_id.get(gateway.pop_id or "")
        if gateway.pop_id and pop is None:
            raise ValueError(f"gateway {gateway.id!r} homes to unknown PoP {gateway.pop_id!r}")
        row: dict[str, Any] = {**asdict(gateway), "pop_name": None, "pop_lat": None,
                               "pop_lon": None, "pop_residency_zone": None}  # fmt: skip
        regions = pop.regions if pop is not None else gateway.backhaul_regions
        row["backhaul_regions"] = ";".join(regions)
        if pop is not None:
            row.update(pop_name=pop.name, pop_lat=pop.lat, pop_lon=pop.lon,
                       pop_residency_zone=pop.residency_zone)  # fmt: skip
        rows.append(row)
    return rows

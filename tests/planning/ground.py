"""Typed ground values for hand-built planning scenarios: sites, gateways, PoPs and
regions placed where a test wants them (positions in degrees, altitudes in m)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from opsconsole.core.catalog import CloudRegion, CustomerSite, Gateway, GroundNetwork, Pop, SiteSpec


def _zones(value: str | Sequence[str]) -> tuple[str, ...]:
    return tuple(z for z in value.split(";") if z) if isinstance(value, str) else tuple(value)


def site(i: int, lat: float, lon: float, *, customer: str = "c", **fields: Any) -> CustomerSite:
    """Site ``i`` (named ``site{i}``) demanding 80 Mbps unless ``fields`` say otherwise;
    ``residency`` may be ``;``-joined text."""
    if "residency" in fields:
        fields["residency"] = _zones(fields["residency"])
    spec = SiteSpec(**{"name": f"site{i}", "lat": lat, "lon": lon, "demand_mbps": 80.0,
                       **fields})  # fmt: skip
    return CustomerSite(i, customer, spec)


def with_spec(s: CustomerSite, **fields: Any) -> CustomerSite:
    """``s`` with some of its spec's fields changed."""
    if "residency" in fields:
        fields["residency"] = _zones(fields["residency"])
    return replace(s, spec=replace(s.spec, **fields))


def gateway(gid: str, lat: float, lon: float, zone: str, backhaul: str, **fields: Any) -> Gateway:
    """An 8-antenna 50 Gbps gateway with a 25 deg mask reaching ``backhaul`` (``;``-joined
    region ids) directly."""
    values: dict[str, Any] = {"id": gid, "name": gid, "country": "XX", "lat": lat, "lon": lon,
                              "alt_m": 0.0, "antennas": 8, "capacity_gbps": 50.0,
                              "min_elevation_deg": 25.0, "residency_zone": zone,
                              "backhaul_regions": _zones(backhaul)}  # fmt: skip
    return Gateway(**{**values, **fields})


def region(rid: str, lat: float, lon: float, zone: str) -> CloudRegion:
    return CloudRegion(rid, "azure", rid, rid, lat, lon, "g", "XX", zone, None)


def homed(gw: Gateway, pop_lat: float, pop_lon: float, zone: str) -> tuple[Gateway, Pop]:
    """``gw`` homed to a PoP of its own (``pop-<gateway id>``) at (lat, lon) in ``zone``,
    interconnecting with the regions ``gw`` reached directly."""
    pop = Pop(f"pop-{gw.id}", gw.id.upper(), "catalog", f"PoP {gw.id}", "XX", pop_lat, pop_lon,
              "operational", zone, gw.backhaul_regions)  # fmt: skip
    return replace(gw, pop_id=pop.id, backhaul_regions=()), pop


def network(
    gateways: Sequence[Gateway | tuple[Gateway, Pop]], regions: Sequence[CloudRegion]
) -> GroundNetwork:
    """The network of ``gateways`` (plain, or as :func:`homed` returns them) and
    ``regions``."""
    plain = [g if isinstance(g, Gateway) else g[0] for g in gateways]
    pops = [g[1] for g in gateways if not isinstance(g, Gateway)]
    return GroundNetwork(tuple(plain), tuple(pops), tuple(regions))

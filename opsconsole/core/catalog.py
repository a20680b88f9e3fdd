"""Ground and cloud catalog: cloud regions, gateways and demo customers.

Loaded from the JSON files in ``resources/`` (installed as ``opsconsole.resources``).
See each file's ``_note`` for where its facts come from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class CloudRegion:
    """A public cloud region. ``id`` is ``provider:name``; lat/lon in degrees."""

    id: str
    provider: str
    name: str
    display_name: str
    lat: float
    lon: float
    geography: str
    country: str
    residency_zone: str
    paired_region: str | None


@dataclass(frozen=True)
class Gateway:
    """A ground gateway (representative). Capacity in Gbps, mask in degrees, alt in m."""

    id: str
    name: str
    country: str
    lat: float
    lon: float
    alt_m: float
    antennas: int
    capacity_gbps: float
    min_elevation_deg: float
    residency_zone: str
    backhaul_regions: tuple[str, ...]


@dataclass(frozen=True)
class SiteSpec:
    """A customer site as read from a file or the demo data.

    Demand in Mbps, RTT objective in ms, availability in percent; ``residency`` lists the
    allowed data-residency zones (empty: no restriction); priority 1 is highest.
    ``min_elevation_deg`` is the terminal's own mask in degrees (``None``: the plan's
    default, 25) and ``horizon`` an optional horizon profile as ``az:el;...`` text
    (``core.horizon``).
    """

    name: str
    lat: float
    lon: float
    alt_m: float = 0.0
    demand_mbps: float = 50.0
    max_rtt_ms: float = 100.0
    min_availability_pct: float = 99.0
    residency: tuple[str, ...] = ()
    priority: int = 2
    min_elevation_deg: float | None = None
    horizon: str = ""


@dataclass(frozen=True)
class CustomerSpec:
    """A customer with its sector and sites."""

    name: str
    sector: str
    sites: tuple[SiteSpec, ...] = field(default_factory=tuple)


def _resource_json(name: str) -> Any:
    return json.loads(resources.files("opsconsole.resources").joinpath(name).read_text("utf-8"))


@lru_cache(maxsize=1)
def cloud_regions() -> tuple[CloudRegion, ...]:
    """Every cataloged Azure and AWS region."""
    return tuple(CloudRegion(**item) for item in _resource_json("cloud_regions.json")["regions"])


@lru_cache(maxsize=1)
def gateways() -> tuple[Gateway, ...]:
    """The representative gateway set."""
    out = []
    for item in _resource_json("gateways.json")["gateways"]:
        item = dict(item)
        item["backhaul_regions"] = tuple(item["backhaul_regions"])
        out.append(Gateway(**item))
    return tuple(out)


@lru_cache(maxsize=1)
def demo_customers() -> tuple[CustomerSpec, ...]:
    """The demo customers and their sites."""
    out = []
    for item in _resource_json("demo_customers.json")["customers"]:
        sites = tuple(
            SiteSpec(**{**site, "residency": tuple(site["residency"])}) for site in item["sites"]
        )
        out.append(CustomerSpec(item["name"], item["sector"], sites))
    return tuple(out)


@lru_cache(maxsize=1)
def residency_zones() -> frozenset[str]:
    """Every data-residency zone known to the catalog (regions and gateways)."""
    zones = {region.residency_zone for region in cloud_regions()}
    zones.update(gateway.residency_zone for gateway in gateways())
    return frozenset(zones)

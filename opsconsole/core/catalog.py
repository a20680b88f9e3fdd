"""Ground and cloud catalog: cloud regions, the Starlink ground network (gateways and
points of presence) and demo customers.

Loaded from the JSON files in ``resources/`` (installed as ``opsconsole.resources``).
See each file's ``_note`` for where its facts come from; ``ground_network.json`` is
built from public lists by ``packaging/convert_ground_network.py``.
"""

from __future__ import annotations

import json
from collections.abc import Collection
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


GBPS_PER_ANTENNA = 2.5
"""MODELLED capacity of one gateway antenna (Gbps): gateway capacities are not public,
so the catalog models each as its antenna count times this figure (editable per
gateway afterwards)."""


@dataclass(frozen=True)
class Pop:
    """A Starlink point of presence, where traffic leaves the network for the internet.

    ``code`` is StarPerf's PoP code where known (``code_source`` ``starperf``), else one
    derived from the city (``derived``); ``regions`` the cloud regions it interconnects
    with (modelled: the two nearest of each provider on its continent, nearest first);
    lat/lon in degrees.
    """

    id: str
    code: str
    code_source: str
    name: str
    country: str
    lat: float
    lon: float
    status: str
    residency_zone: str
    regions: tuple[str, ...]


@dataclass(frozen=True)
class Gateway:
    """A ground gateway. Capacity in Gbps, mask in degrees, alt in m.

    ``status`` is ``operational`` or ``planned`` (planned gateways are left out of plans
    unless the plan includes them); ``antennas_source`` says where the antenna count comes
    from (``starperf``, ``assumed`` or ``catalog``); ``pop_id`` is the PoP the gateway homes
    to. ``backhaul_regions`` lists regions reached directly, for gateways with no PoP
    (databases from before the ground network had PoPs).
    """

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
    status: str = "operational"
    antennas_source: str = "catalog"
    pop_id: str | None = None
    backhaul_regions: tuple[str, ...] = ()


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
class CustomerSite:
    """A site as a plan sees it: ``id`` (the store's site id, or a position for sites
    planned straight from the demo catalog), the ``customer``'s name and the ``spec``."""

    id: int
    customer: str
    spec: SiteSpec


@dataclass(frozen=True)
class GroundNetwork:
    """The gateways, PoPs and cloud regions one plan runs over (in the order of the
    plan's arrays)."""

    gateways: tuple[Gateway, ...]
    pops: tuple[Pop, ...] = ()
    regions: tuple[CloudRegion, ...] = ()

    def home_pop(self, gateway: Gateway) -> Pop | None:
        """The PoP ``gateway`` hands its traffic to (``None``: direct backhaul). Raises
        ``ValueError`` when it names a PoP this network lacks."""
        if not gateway.pop_id:
            return None
        for pop in self.pops:
            if pop.id == gateway.pop_id:
                return pop
        raise ValueError(f"gateway {gateway.id!r} homes to unknown PoP {gateway.pop_id!r}")

    def reachable_regions(self, gateway: Gateway) -> tuple[str, ...]:
        """Region ids ``gateway``'s traffic can reach: its PoP's, or its direct backhaul."""
        pop = self.home_pop(gateway)
        return pop.regions if pop is not None else gateway.backhaul_regions


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
def pops() -> tuple[Pop, ...]:
    """Every Starlink PoP of the public ground network (operational and planned)."""
    return tuple(
        Pop(
            **{k: v for k, v in item.items() if k != "continent"}
            | {"regions": tuple(item["regions"])}
        )
        for item in _resource_json("ground_network.json")["pops"]
    )


@lru_cache(maxsize=1)
def gateways() -> tuple[Gateway, ...]:
    """Every gateway of the public Starlink ground network (operational and planned),
    each with its modelled capacity (antennas x :data:`GBPS_PER_ANTENNA`)."""
    out = []
    for item in _resource_json("ground_network.json")["gateways"]:
        fields = {k: v for k, v in item.items() if k != "continent"}
        out.append(Gateway(**fields, capacity_gbps=fields["antennas"] * GBPS_PER_ANTENNA))
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


def demo_contracts_text() -> str:
    """The demo customers' contracts (``resources/demo_contracts.toml``), as TOML text."""
    return (
        resources.files("opsconsole.resources").joinpath("demo_contracts.toml").read_text("utf-8")
    )


@lru_cache(maxsize=1)
def residency_zones() -> frozenset[str]:
    """Every data-residency zone known to the catalog (regions and gateways)."""
    zones = {region.residency_zone for region in cloud_regions()}
    zones.update(gateway.residency_zone for gateway in gateways())
    zones.update(pop.residency_zone for pop in pops())
    return frozenset(zones)


@lru_cache(maxsize=1)
def embedded_network() -> GroundNetwork:
    """The embedded catalog's whole ground network (planned gateways included)."""
    return GroundNetwork(gateways(), pops(), cloud_regions())


def demo_sites(customers: Collection[str] = ()) -> tuple[CustomerSite, ...]:
    """The demo customers' sites (of ``customers`` only, when any are named), numbered
    from 0 in catalog order."""
    wanted = set(customers)
    chosen = [(c.name, s) for c in demo_customers() if not wanted or c.name in wanted
              for s in c.sites]  # fmt: skip
    return tuple(CustomerSite(i, name, spec) for i, (name, spec) in enumerate(chosen))

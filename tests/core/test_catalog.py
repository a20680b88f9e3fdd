"""The authored catalog: complete, consistent and labelled."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter

import pytest

from opsconsole.core.catalog import (
    GBPS_PER_ANTENNA,
    cloud_regions,
    demo_customers,
    gateways,
    pops,
    residency_zones,
)
from tests.conftest import REPO


def test_regions_cover_azure_and_aws_with_valid_pairs() -> None:
    regions = cloud_regions()
    ids = {r.id for r in regions}
    by_provider = Counter(r.provider for r in regions)
    assert by_provider["azure"] >= 55
    assert by_provider["aws"] >= 30
    for region in regions:
        assert -90 <= region.lat <= 90 and -180 <= region.lon <= 180
        assert region.id == f"{region.provider}:{region.name}"
        if region.paired_region:
            assert region.paired_region in ids
    assert {"azure:westeurope", "azure:northeurope", "aws:us-east-1"} <= ids
    pairs = {r.id: r.paired_region for r in regions}
    assert pairs["azure:westeurope"] == "azure:northeurope"
    assert pairs["azure:northeurope"] == "azure:westeurope"


def test_the_ground_network_is_the_public_starlink_list_with_homed_pops() -> None:
    """307 gateways and 54 PoPs; every gateway homes to an operational PoP on its own
    continent (or the nearest anywhere), each PoP reaches known regions, capacities are
    antennas x the modelled figure."""
    found, points = gateways(), pops()
    region_ids = {r.id for r in cloud_regions()}
    by_id = {p.id: p for p in points}
    assert len(found) == 307 and len(points) == 54
    assert Counter(g.status for g in found) == {"operational": 214, "planned": 93}
    assert len({g.country for g in found}) >= 30
    assert len({p.code for p in points}) == len(points)
    for gateway in found:
        pop = by_id[str(gateway.pop_id)]
        assert pop.status == "operational"
        assert gateway.capacity_gbps == gateway.antennas * GBPS_PER_ANTENNA > 0
        assert gateway.antennas_source in ("starperf", "assumed")
        assert 0 <= gateway.min_elevation_deg < 90 and gateway.backhaul_regions == ()
    for pop in points:
        assert pop.regions and set(pop.regions) <= region_ids
    usingen = next(g for g in found if g.id == "gw-usingen")
    assert usingen.residency_zone == "EU" and usingen.pop_id == "pop-frankfurt"
    assert by_id["pop-seattle"].code == "STTLWAX1"  # StarPerf's code, matched by place
    continents = {("N" if g.lat > 0 else "S") + ("W" if g.lon < -25 else "E") for g in found}
    assert continents == {"NW", "NE", "SW", "SE"}


def test_the_catalog_file_is_what_the_converter_makes_of_the_shared_lists() -> None:
    """Re-running ``packaging/convert_ground_network.py`` on the shared public lists gives
    the committed resource byte for byte (skipped where the lists are absent)."""
    source = REPO.parent / "shared" / "data" / "starlink-ground"
    if not (source / "starlink-viz-ground-stations.json").is_file():
        pytest.skip(f"the public ground lists are not at {source}")
    spec = importlib.util.spec_from_file_location(
        "convert_ground_network", REPO / "packaging" / "convert_ground_network.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = module.convert(source, REPO / "resources" / "cloud_regions.json")
    committed = json.loads((REPO / "resources" / "ground_network.json").read_text("utf-8"))
    assert made == committed


def test_demo_customers() -> None:
    customers = demo_customers()
    assert len(customers) >= 6
    assert {
        "agriculture",
        "energy",
        "maritime ports",
        "government",
        "telecom backhaul",
        "research",
    } <= {c.sector for c in customers}
    sites = [s for c in customers for s in c.sites]
    assert len(sites) >= 60
    for site in sites:
        assert site.demand_mbps > 0 and site.max_rtt_ms > 0 and 0 < site.min_availability_pct <= 100
        assert set(site.residency) <= residency_zones()
        assert site.priority in (1, 2, 3)

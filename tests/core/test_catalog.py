"""The authored catalog: complete, consistent and labelled."""

from __future__ import annotations

from collections import Counter

from opsconsole.core.catalog import cloud_regions, demo_customers, gateways, residency_zones


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


def test_gateways_are_representative_and_backhaul_to_known_regions() -> None:
    found = gateways()
    ids = {r.id for r in cloud_regions()}
    assert len(found) >= 40
    assert len({g.country for g in found}) >= 15
    for gateway in found:
        assert gateway.backhaul_regions and set(gateway.backhaul_regions) <= ids
        assert gateway.capacity_gbps > 0 and gateway.antennas > 0
        assert 0 <= gateway.min_elevation_deg < 90
    continents = {("N" if g.lat > 0 else "S") + ("W" if g.lon < -25 else "E") for g in found}
    assert continents == {"NW", "NE", "SW", "SE"}


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

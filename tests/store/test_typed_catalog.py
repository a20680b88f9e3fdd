"""The store's catalog read back as typed values (what planning is built from)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from opsconsole.core.catalog import (
    CustomerSite,
    Gateway,
    GroundNetwork,
    cloud_regions,
    demo_customers,
    embedded_network,
    gateways,
    pops,
)
from opsconsole.plans.service import SITE_KEYS, site_record
from opsconsole.store import catalog_edits
from opsconsole.store.catalog_repository import ground_network, save_gateways
from opsconsole.store.seed import open_store


def test_a_seeded_database_reads_back_the_embedded_network(db_path: Path) -> None:
    with open_store(str(db_path)) as store:
        stored = ground_network(store)
    embedded = embedded_network()
    assert sorted(stored.gateways, key=lambda g: g.id) == sorted(gateways(), key=lambda g: g.id)
    assert sorted(stored.pops, key=lambda p: p.id) == sorted(pops(), key=lambda p: p.id)
    assert sorted(stored.regions, key=lambda r: r.id) == sorted(cloud_regions(), key=lambda r: r.id)
    assert len(stored.gateways) == len(embedded.gateways) > 300


def test_a_gateway_without_a_pop_keeps_its_direct_backhaul(db_path: Path) -> None:
    """Databases from before PoPs: the regions come from the gateway itself."""
    with open_store(str(db_path)) as store:
        some = gateways()[0]
        direct = replace(some, id="gw-direct", pop_id=None, backhaul_regions=("azure:westus",))
        save_gateways(store, [direct])
        network = ground_network(store)
    got = next(g for g in network.gateways if g.id == "gw-direct")
    assert got == direct
    assert network.home_pop(got) is None
    assert network.reachable_regions(got) == ("azure:westus",)
    homed = next(g for g in network.gateways if g.pop_id)
    pop = network.home_pop(homed)
    assert pop is not None and network.reachable_regions(homed) == pop.regions


def test_an_unknown_home_pop_is_a_clear_error() -> None:
    lost = Gateway("gw-x", "X", "XX", 0.0, 0.0, 0.0, 1, 2.5, 25.0, "EU", pop_id="pop-none")
    with pytest.raises(ValueError, match=r"gw-x.*unknown PoP 'pop-none'"):
        GroundNetwork((lost,)).reachable_regions(lost)


def test_sites_read_back_typed_and_keep_their_stored_form(db_path: Path) -> None:
    with open_store(str(db_path)) as store:
        rows = catalog_edits.site_rows(store)
        sites = catalog_edits.customer_sites(store)
    specs = {(c.name, s.name): s for c in demo_customers() for s in c.sites}
    assert len(sites) == len(rows) == len(specs)
    for row, site in zip(rows, sites, strict=True):
        assert isinstance(site, CustomerSite) and site.id == row["id"]
        assert site.spec == specs[(site.customer, site.spec.name)]
        # what a plan keeps of the site is the row itself (residency ;-joined)
        kept = site_record(site)
        assert set(kept) == set(SITE_KEYS)
        assert kept == {key: row[key] if row[key] is not None or key != "horizon" else ""
                        for key in SITE_KEYS}  # fmt: skip
        assert catalog_edits.site_of_row(kept) == site

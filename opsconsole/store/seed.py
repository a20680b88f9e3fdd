"""First-run seeding of a new database with the embedded default data."""

from __future__ import annotations

from datetime import UTC, datetime

from opsconsole.core.catalog import (
    cloud_regions,
    demo_contracts_text,
    demo_customers,
    gateways,
    pops,
)
from opsconsole.core.contract_files import parse_contracts_toml
from opsconsole.core.walker import synthetic_constellation
from opsconsole.store.catalog_repository import (
    import_sites,
    save_gateways,
    save_pops,
    save_regions,
)
from opsconsole.store.contract_repository import save_contracts
from opsconsole.store.database import Store
from opsconsole.store.element_repository import import_element_set

SYNTHETIC_SET_NAME = "Synthetic Starlink-like Walker constellation (synthetic)"


def is_empty(store: Store) -> bool:
    """True when nothing has been stored yet (no regions, sets or customers)."""
    return all(store.db[name].count == 0 for name in ("cloud_regions", "element_sets", "customers"))


def seed_defaults(store: Store, now: datetime | None = None) -> None:
    """Store the catalog, the demo customers with their contracts and a synthetic
    constellation (epoch ``now``), in one transaction."""
    epoch = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    elements = synthetic_constellation(epoch)
    with store.transaction("db.seed", "database", None, {"epoch": epoch.isoformat()}):
        save_regions(store, cloud_regions())
        save_pops(store, pops())
        save_gateways(store, gateways())
        for customer in demo_customers():
            import_sites(
                store,
                customer.name,
                customer.sites,
                sector=customer.sector,
                source="demo_customers.json",
            )
        contracts = parse_contracts_toml(demo_contracts_text(), "demo_contracts.toml")
        save_contracts(store, contracts, action="contract.seed")
        import_element_set(store, elements, SYNTHETIC_SET_NAME)


def open_store(path: str, *, seed: bool = True) -> Store:
    """Open (creating and migrating as needed) and seed an empty database on first run."""
    store = Store(path)
    if seed and is_empty(store):
        seed_defaults(store)
    elif seed and store.db["pops"].count == 0:  # a database from before PoPs (schema < 7)
        save_pops(store, [p for p in pops() if set(p.regions) <= _region_ids(store)])
    return store


def _region_ids(store: Store) -> set[str]:
    return {str(row[0]) for row in store.conn.execute("SELECT id FROM cloud_regions")}

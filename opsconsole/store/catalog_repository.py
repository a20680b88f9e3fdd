"""Cloud regions, gateways, customers and sites in the store."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from typing import Any

from opsconsole.core.catalog import CloudRegion, Gateway, GroundNetwork, Pop, SiteSpec
from opsconsole.core.site_files import SiteFile
from opsconsole.store.database import Store


def save_regions(store: Store, regions: Sequence[CloudRegion]) -> None:
    """Insert or replace cloud regions (one audited transaction)."""
    with store.transaction("regions.save", "cloud_region", None, {"count": len(regions)}) as c:
        c.executemany(
            "INSERT OR REPLACE INTO cloud_regions (id, provider, name, display_name, lat, lon, "
            "geography, country, residency_zone, paired_region) VALUES "
            "(:id, :provider, :name, :display_name, :lat, :lon, :geography, :country, "
            ":residency_zone, :paired_region)",
            [asdict(region) for region in regions],
        )


def save_pops(store: Store, pops: Sequence[Pop]) -> None:
    """Insert or replace points of presence and their regions (one audited transaction)."""
    with store.transaction("pops.save", "pop", None, {"count": len(pops)}) as c:
        for pop in pops:
            row = asdict(pop)
            regions = row.pop("regions")
            c.execute(
                "INSERT OR REPLACE INTO pops (id, code, code_source, name, country, lat, lon, "
                "status, residency_zone) VALUES (:id, :code, :code_source, :name, :country, "
                ":lat, :lon, :status, :residency_zone)",
                row,
            )
            c.execute("DELETE FROM pop_regions WHERE pop_id = ?", (pop.id,))
            c.executemany(
                "INSERT INTO pop_regions (pop_id, region_id, rank) VALUES (?, ?, ?)",
                [(pop.id, region, rank) for rank, region in enumerate(regions)],
            )


def save_gateways(store: Store, gateways: Sequence[Gateway]) -> None:
    """Insert or replace gateways and their direct backhaul regions (one audited
    transaction). A gateway's ``pop_id`` must name a stored PoP."""
    with store.transaction("gateways.save", "gateway", None, {"count": len(gateways)}) as c:
        for gateway in gateways:
            row = asdict(gateway)
            row.pop("backhaul_regions")
            c.execute(
                "INSERT OR REPLACE INTO gateways (id, name, country, lat, lon, alt_m, antennas, "
                "capacity_gbps, min_elevation_deg, residency_zone, status, antennas_source, "
                "pop_id) VALUES (:id, :name, :country, :lat, :lon, :alt_m, :antennas, "
                ":capacity_gbps, :min_elevation_deg, :residency_zone, :status, "
                ":antennas_source, :pop_id)",
                row,
            )
            c.execute("DELETE FROM gateway_backhaul WHERE gateway_id = ?", (gateway.id,))
            c.executemany(
                "INSERT INTO gateway_backhaul (gateway_id, region_id) VALUES (?, ?)",
                [(gateway.id, region) for region in gateway.backhaul_regions],
            )


def list_regions(store: Store) -> list[dict[str, Any]]:
    """Cloud regions ordered by provider and name."""
    return list(store.db.query("SELECT * FROM cloud_regions ORDER BY provider, name"))


def list_pops(store: Store) -> list[dict[str, Any]]:
    """Points of presence ordered by id, each with its regions (``;``-separated,
    nearest first) and the number of gateways homed to it."""
    return list(
        store.db.query(
            "SELECT p.*, COALESCE((SELECT group_concat(region_id, ';') FROM "
            "(SELECT region_id FROM pop_regions WHERE pop_id = p.id ORDER BY rank)), '') "
            "AS regions, (SELECT count(*) FROM gateways WHERE pop_id = p.id) AS gateways "
            "FROM pops p ORDER BY p.id"
        )
    )


GATEWAY_LIST_SQL = """
SELECT g.*, p.name AS pop_name, p.lat AS pop_lat, p.lon AS pop_lon,
       p.residency_zone AS pop_residency_zone,
       CASE WHEN g.pop_id IS NULL
            THEN COALESCE((SELECT group_concat(region_id, ';') FROM
                 (SELECT region_id FROM gateway_backhaul WHERE gateway_id = g.id
                  ORDER BY region_id)), '')
            ELSE COALESCE((SELECT group_concat(region_id, ';') FROM
                 (SELECT region_id FROM pop_regions WHERE pop_id = g.pop_id ORDER BY rank)), '')
       END AS backhaul_regions
FROM gateways g LEFT JOIN pops p ON p.id = g.pop_id
ORDER BY g.id
"""


def list_gateways(store: Store) -> list[dict[str, Any]]:
    """Gateways ordered by id, each with the regions its traffic can reach
    (``backhaul_regions``, ``;``-separated: its PoP's regions, or for a gateway with no
    PoP its direct backhaul) and its PoP's ``pop_name``, ``pop_lat``, ``pop_lon`` and
    ``pop_residency_zone`` (``None`` without a PoP)."""
    return list(store.db.query(GATEWAY_LIST_SQL))


def _split(text: object) -> tuple[str, ...]:
    return tuple(z for z in str(text or "").split(";") if z)


def ground_network(store: Store) -> GroundNetwork:
    """The stored gateways (by id), PoPs (by id) and regions (by provider and name) as
    typed values: each gateway with its direct ``backhaul_regions`` (sorted), each PoP
    with its regions nearest first."""
    direct: dict[str, list[str]] = {}
    for row in store.db.query(
        "SELECT gateway_id, region_id FROM gateway_backhaul ORDER BY gateway_id, region_id"
    ):
        direct.setdefault(str(row["gateway_id"]), []).append(str(row["region_id"]))
    gateways = tuple(
        Gateway(
            id=str(g["id"]), name=str(g["name"]), country=str(g["country"]),
            lat=float(g["lat"]), lon=float(g["lon"]), alt_m=float(g["alt_m"]),
            antennas=int(g["antennas"]), capacity_gbps=float(g["capacity_gbps"]),
            min_elevation_deg=float(g["min_elevation_deg"]),
            residency_zone=str(g["residency_zone"]), status=str(g["status"]),
            antennas_source=str(g["antennas_source"]),
            pop_id=None if g["pop_id"] is None else str(g["pop_id"]),
            backhaul_regions=tuple(direct.get(str(g["id"]), ())),
        )
        for g in store.db.query("SELECT * FROM gateways ORDER BY id")
    )  # fmt: skip
    pops = tuple(
        Pop(
            id=str(p["id"]), code=str(p["code"]), code_source=str(p["code_source"]),
            name=str(p["name"]), country=str(p["country"]), lat=float(p["lat"]),
            lon=float(p["lon"]), status=str(p["status"]),
            residency_zone=str(p["residency_zone"]), regions=_split(p["regions"]),
        )
        for p in list_pops(store)
    )  # fmt: skip
    regions = tuple(
        CloudRegion(**{key: row[key] for key in CloudRegion.__dataclass_fields__})
        for row in list_regions(store)
    )
    return GroundNetwork(gateways, pops, regions)


def customer_site_names(store: Store, customer: str) -> frozenset[str]:
    """Case-folded names of the customer's existing sites (empty for a new customer;
    customer names that differ only in case are one customer)."""
    return _site_names(store.conn, customer)


def _site_names(conn: sqlite3.Connection, customer: str) -> frozenset[str]:
    rows = conn.execute(
        "SELECT s.name FROM sites s JOIN customers c ON c.id = s.customer_id "
        "WHERE c.name = ? COLLATE NOCASE",
        (customer,),
    )
    return frozenset(str(row[0]).casefold() for row in rows)


def _customer_id(conn: sqlite3.Connection, customer: str, sector: str) -> int:
    """The id of ``customer`` (matched ignoring case), created if new."""
    row = conn.execute(
        "SELECT id FROM customers WHERE name = ? COLLATE NOCASE ORDER BY id", (customer,)
    ).fetchone()
    if row is not None:
        return int(row[0])
    cursor = conn.execute("INSERT INTO customers (name, sector) VALUES (?, ?)", (customer, sector))
    return int(cursor.lastrowid or 0)


def import_sites(
    store: Store,
    customer: str,
    sites: Iterable[SiteSpec],
    *,
    sector: str = "",
    source: str = "",
) -> int:
    """Add ``sites`` to ``customer`` (created if new; matched ignoring case) in one
    audited transaction. Returns the number of sites written. Any failure writes nothing.
    """
    with store.transaction("sites.import", "customer", customer, {"source": source}) as conn:
        return _insert_sites(conn, customer, sites, sector)


def _insert_sites(
    conn: sqlite3.Connection, customer: str, sites: Iterable[SiteSpec], sector: str
) -> int:
    written = 0
    customer_id = _customer_id(conn, customer, sector)
    for site in sites:
        conn.execute(
            "INSERT INTO sites (customer_id, name, lat, lon, alt_m, demand_mbps, max_rtt_ms, "
            "min_availability_pct, residency, priority, min_elevation_deg, horizon) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                customer_id,
                site.name,
                site.lat,
                site.lon,
                site.alt_m,
                site.demand_mbps,
                site.max_rtt_ms,
                site.min_availability_pct,
                ";".join(site.residency),
                site.priority,
                site.min_elevation_deg,
                site.horizon,
            ),
        )
        written += 1
    return written


def import_site_file(
    store: Store,
    customer: str,
    read: Callable[[frozenset[str]], SiteFile],
    *,
    sector: str = "",
    source: str = "",
) -> tuple[int, SiteFile]:
    """Read a site file with ``read`` (given the customer's existing site names,
    case-folded) and store its sites, all in one write transaction: the check for names
    the customer has already and the insert see the same database, so two imports of
    one file at once cannot both pass the check (the second waits, then finds the
    first's sites: refused, or skipped with ``--skip-invalid``)."""
    with store.transaction("sites.import", "customer", customer, {"source": source}) as conn:
        parsed = read(_site_names(conn, customer))
        return _insert_sites(conn, customer, parsed.sites, sector), parsed


def list_sites(store: Store) -> list[dict[str, Any]]:
    """Every site with its customer's name, ordered by customer then site."""
    return list(
        store.db.query(
            "SELECT c.name AS customer, c.sector, s.name, s.lat, s.lon, s.alt_m, s.demand_mbps, "
            "s.max_rtt_ms, s.min_availability_pct, s.residency, s.priority, s.min_elevation_deg, "
            "s.horizon "
            "FROM sites s JOIN customers c ON c.id = s.customer_id ORDER BY c.name, s.name"
        )
    )


def remove_sites(store: Store, customer: str, names: Sequence[str]) -> list[str]:
    """Delete the customer's sites called ``names`` (matched ignoring case) in one
    audited transaction; returns their stored names. Raises ``LookupError`` naming every
    unknown customer or site, and then removes nothing."""
    row = store.conn.execute(
        "SELECT id, name FROM customers WHERE name = ? COLLATE NOCASE ORDER BY id", (customer,)
    ).fetchone()
    if row is None:
        raise LookupError(f"no customer called {customer!r}")
    customer_id, stored_customer = int(row[0]), str(row[1])
    by_name = {
        str(name).casefold(): (int(site_id), str(name))
        for site_id, name in store.conn.execute(
            "SELECT id, name FROM sites WHERE customer_id = ?", (customer_id,)
        )
    }
    unknown = [name for name in names if name.casefold() not in by_name]
    if unknown:
        listed = ", ".join(repr(n) for n in unknown)
        raise LookupError(f"customer {stored_customer!r} has no site(s) {listed}")
    chosen = {by_name[name.casefold()] for name in names}
    removed = sorted(name for _id, name in chosen)
    detail = {"sites": removed}
    with store.transaction("sites.remove", "customer", stored_customer, detail) as conn:
        conn.executemany("DELETE FROM sites WHERE id = ?", [(site_id,) for site_id, _ in chosen])
    return removed

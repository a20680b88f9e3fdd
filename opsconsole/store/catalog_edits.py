"""Single-object edits of sites, customers and gateways, each one audited transaction.

These back the inspector's undoable edits: every function takes the complete new
values of the editable fields, validates them first (raising ``ValueError`` with every
reason and writing nothing), and records old and new values in the audit entry so that
the log alone explains each change.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from opsconsole.core.catalog import CustomerSite, SiteSpec, residency_zones
from opsconsole.core.horizon import HorizonProfile
from opsconsole.core.input_errors import name_problem
from opsconsole.core.site_files import (
    MAX_ALT_M,
    MAX_DEMAND_MBPS,
    MIN_ALT_M,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    horizon_problems,
)
from opsconsole.store.database import Store

SITE_FIELDS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
"""Editable site values: the columns of a site file, in the same order."""
CUSTOMER_FIELDS = ("name", "sector")
GATEWAY_FIELDS = (
    "name",
    "country",
    "lat",
    "lon",
    "alt_m",
    "antennas",
    "capacity_gbps",
    "min_elevation_deg",
    "residency_zone",
    "status",
    "pop_id",
)
GATEWAY_STATUSES = ("operational", "planned")


def _finite(values: Mapping[str, Any], key: str, low: float, high: float, out: list[str]) -> None:
    try:
        value = float(values[key])
    except (KeyError, TypeError, ValueError):
        out.append(f"{key} must be a number")
        return
    if not math.isfinite(value) or not low <= value <= high:
        out.append(f"{key} must be between {low:g} and {high:g} (got {values[key]!r})")


def validate_site_values(values: Mapping[str, Any]) -> None:
    """Raise ``ValueError`` listing every problem with a site's editable values."""
    reasons: list[str] = []
    problem = name_problem(str(values.get("name", "")).strip())
    if problem:
        reasons.append(problem)
    _finite(values, "lat", -90.0, 90.0, reasons)
    _finite(values, "lon", -180.0, 180.0, reasons)
    _finite(values, "alt_m", MIN_ALT_M, MAX_ALT_M, reasons)
    _finite(values, "demand_mbps", 0.0, MAX_DEMAND_MBPS, reasons)
    _finite(values, "max_rtt_ms", 1.0, 10_000.0, reasons)
    _finite(values, "min_availability_pct", 0.0, 100.0, reasons)
    _finite(values, "priority", 1.0, 5.0, reasons)
    if not reasons and float(values["priority"]) != int(float(values["priority"])):
        reasons.append("priority must be a whole number from 1 to 5")
    zones = [z for z in str(values.get("residency", "")).split(";") if z]
    unknown = sorted(set(zones) - residency_zones())
    if unknown:
        reasons.append(f"unknown residency zone(s): {', '.join(unknown)}")
    reasons += horizon_problems(values.get("min_elevation_deg"), values.get("horizon"))
    if reasons:
        raise ValueError("; ".join(reasons))


def validate_gateway_values(
    values: Mapping[str, Any], pop_ids: frozenset[str] | None = None
) -> None:
    """Raise ``ValueError`` listing every problem with a gateway's editable values;
    ``pop_id`` (empty: none, direct backhaul) must be one of ``pop_ids`` when given."""
    reasons: list[str] = []
    status = values.get("status", "operational")
    if status not in GATEWAY_STATUSES:
        reasons.append(f"status must be operational or planned, got {status!r}")
    pop = values.get("pop_id") or ""
    if pop and pop_ids is not None and pop not in pop_ids:
        reasons.append(f"unknown PoP {pop!r}")
    for key in ("name", "country"):
        if not str(values.get(key, "")).strip():
            reasons.append(f"{key} must not be empty")
    _finite(values, "lat", -90.0, 90.0, reasons)
    _finite(values, "lon", -180.0, 180.0, reasons)
    _finite(values, "alt_m", -500.0, 9000.0, reasons)
    _finite(values, "antennas", 1.0, 1000.0, reasons)
    _finite(values, "capacity_gbps", 0.0, 100_000.0, reasons)
    _finite(values, "min_elevation_deg", 0.0, 90.0, reasons)
    if str(values.get("residency_zone", "")) not in residency_zones():
        reasons.append(f"unknown residency zone {values.get('residency_zone')!r}")
    if reasons:
        raise ValueError("; ".join(reasons))


def site_rows(store: Store) -> list[dict[str, Any]]:
    """Every site with its id and customer (id, name, sector), ordered by customer, name."""
    return list(
        store.db.query(
            "SELECT s.id, s.customer_id, c.name AS customer, c.sector, s.name, s.lat, s.lon, "
            "s.alt_m, s.demand_mbps, s.max_rtt_ms, s.min_availability_pct, s.residency, "
            "s.priority, s.min_elevation_deg, s.horizon FROM sites s "
            "JOIN customers c ON c.id = s.customer_id "
            "ORDER BY c.name, s.name"
        )
    )


def site_of_row(row: Mapping[str, Any]) -> CustomerSite:
    """A row of :func:`site_rows` (or a plan's stored site) as a typed site."""
    mask = row.get("min_elevation_deg")
    spec = SiteSpec(
        name=str(row["name"]), lat=float(row["lat"]), lon=float(row["lon"]),
        alt_m=float(row.get("alt_m") or 0.0), demand_mbps=float(row["demand_mbps"]),
        max_rtt_ms=float(row["max_rtt_ms"]),
        min_availability_pct=float(row["min_availability_pct"]),
        residency=tuple(z for z in str(row.get("residency") or "").split(";") if z),
        priority=int(row["priority"]),
        min_elevation_deg=None if mask is None else float(mask),
        horizon=str(row.get("horizon") or ""),
    )  # fmt: skip
    return CustomerSite(int(row["id"]), str(row["customer"]), spec)


def customer_sites(store: Store) -> list[CustomerSite]:
    """Every site as a typed value, in :func:`site_rows` order."""
    return [site_of_row(row) for row in site_rows(store)]


def customer_rows(store: Store) -> list[dict[str, Any]]:
    """Every customer with its site count, ordered by name."""
    return list(
        store.db.query(
            "SELECT c.id, c.name, c.sector, COUNT(s.id) AS sites FROM customers c "
            "LEFT JOIN sites s ON s.customer_id = c.id GROUP BY c.id ORDER BY c.name"
        )
    )


def _one(store: Store, sql: str, key: object) -> dict[str, Any]:
    cursor = store.conn.execute(sql, (key,))
    row = cursor.fetchone()
    if row is None:
        raise KeyError(key)
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def site_values(store: Store, site_id: int) -> dict[str, Any]:
    """A site's editable values. Raises ``KeyError`` if it does not exist."""
    return _one(store, f"SELECT {', '.join(SITE_FIELDS)} FROM sites WHERE id = ?", site_id)


def _site_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """The stored form of validated site values: an empty or absent
    ``min_elevation_deg`` is NULL (the plan's default), a horizon its normal text."""
    new = {key: values[key] for key in SITE_FIELDS if key not in ("min_elevation_deg", "horizon")}
    mask = values.get("min_elevation_deg")
    new["min_elevation_deg"] = None if mask is None or str(mask).strip() == "" else float(mask)
    profile = HorizonProfile.parse(str(values.get("horizon") or ""))
    new["horizon"] = "" if profile is None else profile.to_text()
    return new


def update_site(store: Store, site_id: int, values: Mapping[str, Any]) -> None:
    """Replace a site's editable values (validated; one audited transaction)."""
    validate_site_values(values)
    old = site_values(store, site_id)
    new = _site_columns(values)
    with store.transaction("site.update", "site", str(site_id), {"old": old, "new": new}) as c:
        c.execute(
            f"UPDATE sites SET {', '.join(f'{k} = :{k}' for k in SITE_FIELDS)} WHERE id = :id",
            {**new, "id": site_id},
        )


def add_site(store: Store, customer_id: int, values: Mapping[str, Any]) -> int:
    """Create a site for ``customer_id`` (validated; one audited transaction). Returns its id."""
    validate_site_values(values)
    new = _site_columns(values)
    with store.transaction("site.add", "site", None, {"customer_id": customer_id, "new": new}) as c:
        cursor = c.execute(
            f"INSERT INTO sites (customer_id, {', '.join(SITE_FIELDS)}) VALUES "
            f"(:customer_id, {', '.join(':' + k for k in SITE_FIELDS)})",
            {**new, "customer_id": customer_id},
        )
        return int(cursor.lastrowid or 0)


def delete_site(store: Store, site_id: int) -> dict[str, Any]:
    """Delete a site (one audited transaction); returns its values and customer id."""
    old = {**site_values(store, site_id)}
    old["customer_id"] = _one(store, "SELECT customer_id FROM sites WHERE id = ?", site_id)[
        "customer_id"
    ]
    with store.transaction("site.delete", "site", str(site_id), {"old": old}) as c:
        c.execute("DELETE FROM sites WHERE id = ?", (site_id,))
    return old


def restore_site(store: Store, site_id: int, customer_id: int, values: Mapping[str, Any]) -> None:
    """Re-create a deleted site under its old id (undo of add or delete)."""
    validate_site_values(values)
    new = _site_columns(values)
    with store.transaction("site.restore", "site", str(site_id), {"new": new}) as c:
        c.execute(
            f"INSERT INTO sites (id, customer_id, {', '.join(SITE_FIELDS)}) VALUES "
            f"(:id, :customer_id, {', '.join(':' + k for k in SITE_FIELDS)})",
            {**new, "id": site_id, "customer_id": customer_id},
        )


def customer_values(store: Store, customer_id: int) -> dict[str, Any]:
    """A customer's editable values. Raises ``KeyError`` if it does not exist."""
    sql = f"SELECT {', '.join(CUSTOMER_FIELDS)} FROM customers WHERE id = ?"
    return _one(store, sql, customer_id)


def validate_customer_values(store: Store, customer_id: int, values: Mapping[str, Any]) -> None:
    """Raise ``ValueError`` when the name is empty or another customer has it."""
    name = str(values.get("name", "")).strip()
    problem = name_problem(name)
    if problem:
        raise ValueError(problem)
    clash = store.conn.execute(  # names that differ only in case are one customer
        "SELECT 1 FROM customers WHERE name = ? COLLATE NOCASE AND id != ?", (name, customer_id)
    ).fetchone()
    if clash:
        raise ValueError(f"another customer is already called {name!r}")


def update_customer(store: Store, customer_id: int, values: Mapping[str, Any]) -> None:
    """Rename a customer or change its sector (one audited transaction)."""
    validate_customer_values(store, customer_id, values)
    name = str(values["name"]).strip()
    old = customer_values(store, customer_id)
    new = {"name": name, "sector": str(values.get("sector", ""))}
    detail = {"old": old, "new": new}
    with store.transaction("customer.update", "customer", str(customer_id), detail) as c:
        c.execute(
            "UPDATE customers SET name = ?, sector = ? WHERE id = ?",
            (new["name"], new["sector"], customer_id),
        )


def pop_ids(store: Store) -> frozenset[str]:
    """The ids of every stored point of presence."""
    return frozenset(str(row[0]) for row in store.conn.execute("SELECT id FROM pops"))


def gateway_values(store: Store, gateway_id: str) -> dict[str, Any]:
    """A gateway's editable values. Raises ``KeyError`` if it does not exist."""
    sql = f"SELECT {', '.join(GATEWAY_FIELDS)} FROM gateways WHERE id = ?"
    return _one(store, sql, gateway_id)


def update_gateway(store: Store, gateway_id: str, values: Mapping[str, Any]) -> None:
    """Replace a gateway's editable values (validated; one audited transaction)."""
    validate_gateway_values(values, pop_ids(store))
    old = gateway_values(store, gateway_id)
    new = {key: values[key] for key in GATEWAY_FIELDS}
    new["pop_id"] = new["pop_id"] or None
    detail = {"old": old, "new": new}
    with store.transaction("gateway.update", "gateway", gateway_id, detail) as c:
        c.execute(
            f"UPDATE gateways SET {', '.join(f'{k} = :{k}' for k in GATEWAY_FIELDS)} "
            "WHERE id = :id",
            {**new, "id": gateway_id},
        )


def site_spec(values: Mapping[str, Any]) -> SiteSpec:
    """A :class:`SiteSpec` from stored site values."""
    return SiteSpec(
        name=str(values["name"]),
        lat=float(values["lat"]),
        lon=float(values["lon"]),
        alt_m=float(values["alt_m"]),
        demand_mbps=float(values["demand_mbps"]),
        max_rtt_ms=float(values["max_rtt_ms"]),
        min_availability_pct=float(values["min_availability_pct"]),
        residency=tuple(z for z in str(values["residency"]).split(";") if z),
        priority=int(values["priority"]),
        min_elevation_deg=None
        if values.get("min_elevation_deg") is None
        else float(values["min_elevation_deg"]),
        horizon=str(values.get("horizon") or ""),
    )

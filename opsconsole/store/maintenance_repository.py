"""Planned maintenances and the notices sent about them; every change audited.

A maintenance keeps one tracking ID (``MX-YYYYMMDD-NNNN``) for its life: moving it
raises its revision, cancelling it marks it cancelled (and raises the revision), and
each revision's notices are recorded with the time they were issued.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from opsconsole.core.incidents import parse_element
from opsconsole.store.database import Store, utc_now_text


@dataclass(frozen=True)
class Maintenance:
    """A planned (or cancelled) maintenance: element ``KIND:ID`` out over ``[start, end)``."""

    id: int
    tracking_id: str
    element: str
    start: datetime
    end: datetime
    reason: str
    status: str
    revision: int


@dataclass(frozen=True)
class Notice:
    """A notice issued to ``customer`` about ``tracking_id`` at ``issued`` (UTC)."""

    tracking_id: str
    customer: str
    revision: int
    kind: str
    issued: datetime
    sites: tuple[str, ...]
    files: tuple[str, ...]


class MaintenanceError(ValueError):
    """A maintenance that cannot be stored or changed."""


_COLUMNS = "id, tracking_id, kind, element_id, start_utc, end_utc, reason, status, revision"


def _maintenance(row: tuple[object, ...]) -> Maintenance:
    return Maintenance(int(str(row[0])), str(row[1]), f"{row[2]}:{row[3]}",
                       datetime.fromisoformat(str(row[4])), datetime.fromisoformat(str(row[5])),
                       str(row[6]), str(row[7]), int(str(row[8])))  # fmt: skip


def add_maintenance(
    store: Store, element: str, start: datetime, end: datetime, reason: str
) -> Maintenance:
    """Record a planned maintenance; returns it with its tracking ID."""
    kind, key = parse_element(element)
    if end <= start:
        raise MaintenanceError("the maintenance must end after it starts")
    if not reason.strip():
        raise MaintenanceError("give the reason for the maintenance")
    with store.transaction("maintenance.plan", "maintenance", None, {"element": element}) as conn:
        cursor = conn.execute(
            "INSERT INTO maintenances (tracking_id, kind, element_id, start_utc, end_utc, reason, "
            "created_utc) VALUES ('pending', ?, ?, ?, ?, ?, ?)",
            (kind, key, start.isoformat(), end.isoformat(), reason.strip(), utc_now_text()),
        )
        row_id = int(cursor.lastrowid or 0)
        tracking = f"MX-{start:%Y%m%d}-{row_id:04d}"
        conn.execute("UPDATE maintenances SET tracking_id = ? WHERE id = ?", (tracking, row_id))
    return get_maintenance(store, tracking)


def get_maintenance(store: Store, tracking_id: str) -> Maintenance:
    row = store.conn.execute(
        f"SELECT {_COLUMNS} FROM maintenances WHERE tracking_id = ? COLLATE NOCASE", (tracking_id,)
    ).fetchone()
    if row is None:
        raise MaintenanceError(f"no maintenance {tracking_id!r}")
    return _maintenance(tuple(row))


def list_maintenances(store: Store) -> list[Maintenance]:
    rows = store.conn.execute(f"SELECT {_COLUMNS} FROM maintenances ORDER BY start_utc, id")
    return [_maintenance(tuple(r)) for r in rows.fetchall()]


def change_maintenance(
    store: Store,
    tracking_id: str,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    cancel: bool = False,
) -> Maintenance:
    """Move (new ``start``/``end``) or cancel a planned maintenance: a new revision."""
    current = get_maintenance(store, tracking_id)
    if current.status == "cancelled":
        raise MaintenanceError(f"maintenance {current.tracking_id} was cancelled")
    new_start, new_end = start or current.start, end or current.end
    if new_end <= new_start:
        raise MaintenanceError("the maintenance must end after it starts")
    action = "maintenance.cancel" if cancel else "maintenance.move"
    detail = {"start": new_start, "end": new_end, "revision": current.revision + 1}
    with store.transaction(action, "maintenance", current.tracking_id, detail) as conn:
        conn.execute(
            "UPDATE maintenances SET start_utc = ?, end_utc = ?, status = ?, revision = ? "
            "WHERE id = ?",
            (new_start.isoformat(), new_end.isoformat(), "cancelled" if cancel else "planned",
             current.revision + 1, current.id),
        )  # fmt: skip
    return get_maintenance(store, current.tracking_id)


def record_notice(store: Store, maintenance: Maintenance, customer: str, kind: str,
                  sites: tuple[str, ...], files: tuple[str, ...]) -> Notice:  # fmt: skip
    """Record that a notice of ``maintenance``'s current revision went to ``customer``."""
    row = store.conn.execute(
        "SELECT id, name FROM customers WHERE name = ? COLLATE NOCASE", (customer,)
    ).fetchone()
    if row is None:
        raise MaintenanceError(f"no customer called {customer!r}")
    issued = utc_now_text()
    detail = {"tracking_id": maintenance.tracking_id, "customer": row[1], "kind": kind}
    with store.transaction(
        "maintenance.notice", "maintenance", maintenance.tracking_id, detail
    ) as conn:
        conn.execute(
            "INSERT INTO maintenance_notices (maintenance_id, customer_id, revision, kind, "
            "issued_utc, sites, files) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (maintenance.id, row[0], maintenance.revision, kind, issued, json.dumps(list(sites)),
             json.dumps(list(files))),
        )  # fmt: skip
    return Notice(maintenance.tracking_id, str(row[1]), maintenance.revision, kind,
                  datetime.fromisoformat(issued), sites, files)  # fmt: skip


def notices_of(store: Store, customer: str) -> list[Notice]:
    """Every notice sent to ``customer``, oldest first."""
    rows = store.conn.execute(
        "SELECT m.tracking_id, c.name, n.revision, n.kind, n.issued_utc, n.sites, n.files "
        "FROM maintenance_notices n JOIN maintenances m ON m.id = n.maintenance_id "
        "JOIN customers c ON c.id = n.customer_id WHERE c.name = ? COLLATE NOCASE "
        "ORDER BY n.issued_utc, n.id",
        (customer,),
    ).fetchall()
    return [Notice(str(r[0]), str(r[1]), int(r[2]), str(r[3]), datetime.fromisoformat(str(r[4])),
                   tuple(json.loads(r[5])), tuple(json.loads(r[6]))) for r in rows]  # fmt: skip


def notified_customers(store: Store, tracking_id: str) -> list[str]:
    """Customers who got any notice about ``tracking_id``."""
    rows = store.conn.execute(
        "SELECT DISTINCT c.name FROM maintenance_notices n JOIN maintenances m "
        "ON m.id = n.maintenance_id JOIN customers c ON c.id = n.customer_id "
        "WHERE m.tracking_id = ? COLLATE NOCASE ORDER BY c.name",
        (tracking_id,),
    ).fetchall()
    return [str(r[0]) for r in rows]

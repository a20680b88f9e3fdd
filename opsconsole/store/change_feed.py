"""What changed in the database since a point, from the audit log.

Every write to the store is one audited transaction (``Store.transaction``), so the
audit log's ids order every change made by any process; its ``entity`` column says what
kind of object changed. A view that remembers the last id it has seen can ask for the
kinds of objects changed since, and re-read only those.
"""

from __future__ import annotations

from opsconsole.store.database import Store

GROUND_ENTITIES = frozenset({"site", "customer", "gateway", "pop", "cloud_region"})
"""Entities of the ground catalog (sites, customers, gateways, PoPs, regions)."""
OPERATIONS_ENTITIES = frozenset({"contract", "incident", "maintenance"})
"""Entities of the operations record (contracts, incidents, maintenances and notices)."""


def last_change_id(store: Store) -> int:
    """Id of the newest audit entry (0 when there is none)."""
    row = store.conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetchone()
    return int(row[0])


def changed_entities(store: Store, after_id: int) -> tuple[int, frozenset[str]]:
    """``(newest id, entities changed after after_id)``, in one read."""
    rows = store.conn.execute(
        "SELECT id, entity FROM audit_log WHERE id > ? ORDER BY id", (after_id,)
    ).fetchall()
    newest = int(rows[-1][0]) if rows else after_id
    return newest, frozenset(str(entity) for _id, entity in rows)

"""Incidents in the store (``core.incidents``): added, listed, closed; every change
audited. An incident's element must exist: a gateway, PoP or region of the catalog, or a
satellite of the active element set."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from opsconsole.core.incidents import Incident, incident_problems
from opsconsole.store.database import Store, utc_now_text

_COLUMNS = "id, kind, element_id, start_utc, end_utc, capacity_pct, cause, ticket"


class IncidentError(ValueError):
    """An incident that cannot be stored or changed."""


def _element_exists(conn: sqlite3.Connection, kind: str, element_id: str) -> bool:
    if kind in ("gateway", "pop", "region"):
        table = {"gateway": "gateways", "pop": "pops", "region": "cloud_regions"}[kind]
        return (
            conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (element_id,)).fetchone()
            is not None
        )
    return (
        conn.execute(
            "SELECT 1 FROM satellites s JOIN element_sets e ON e.id = s.element_set_id "
            "WHERE e.active = 1 AND s.norad_id = ?",
            (int(element_id),),
        ).fetchone()
        is not None
    )


def _incident(row: tuple[object, ...]) -> Incident:
    when = datetime.fromisoformat
    return Incident(
        kind=str(row[1]),
        element_id=str(row[2]),
        start=when(str(row[3])),
        end=None if row[4] is None else when(str(row[4])),
        capacity_pct=None if row[5] is None else float(row[5]),  # type: ignore[arg-type]
        cause=str(row[6]),
        ticket=str(row[7]),
        id=int(row[0]),  # type: ignore[call-overload]
    )


def add_incident(store: Store, incident: Incident) -> int:
    """Record ``incident``; returns its id."""
    problems = incident_problems(incident)
    if problems:
        raise IncidentError("; ".join(problems))
    with store.transaction("incident.add", "incident", None, {"element": incident.element}) as conn:
        if not _element_exists(conn, incident.kind, incident.element_id):
            where = (
                "the active element set"
                if incident.kind in ("satellite", "plane")
                else "the catalog"
            )
            raise IncidentError(f"no {incident.kind} {incident.element_id!r} in {where}")
        cursor = conn.execute(
            "INSERT INTO incidents (kind, element_id, start_utc, end_utc, capacity_pct, cause, "
            "ticket, created_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (incident.kind, incident.element_id, incident.start.isoformat(),
             None if incident.end is None else incident.end.isoformat(), incident.capacity_pct,
             incident.cause, incident.ticket, utc_now_text()),
        )  # fmt: skip
        return int(cursor.lastrowid or 0)


def close_incident(store: Store, incident_id: int, at: datetime) -> Incident:
    """End an open incident at ``at`` (aware UTC)."""
    with store.transaction("incident.close", "incident", str(incident_id), {"at": at}) as conn:
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM incidents WHERE id = ?", (incident_id,)
        ).fetchone()
        if row is None:
            raise IncidentError(f"no incident {incident_id}")
        incident = _incident(tuple(row))
        if incident.end is not None:
            raise IncidentError(f"incident {incident_id} was closed at {incident.end.isoformat()}")
        if at <= incident.start:
            raise IncidentError(f"incident {incident_id} started {incident.start.isoformat()}: "
                                "it cannot end before that")  # fmt: skip
        conn.execute("UPDATE incidents SET end_utc = ? WHERE id = ?", (at.isoformat(), incident_id))
    return _incident((*tuple(row)[:4], at.isoformat(), *tuple(row)[5:]))


def list_incidents(
    store: Store,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    open_only: bool = False,
) -> list[Incident]:
    """Incidents in force at some moment of ``[start, end)`` (all when not given), by
    start time; ``open_only``: those without an end."""
    rows = store.conn.execute(f"SELECT {_COLUMNS} FROM incidents ORDER BY start_utc, id").fetchall()
    found = [_incident(tuple(r)) for r in rows]
    if open_only:
        found = [i for i in found if i.end is None]
    if start is not None and end is not None:
        found = [i for i in found if i.overlaps(start, end)]
    return found

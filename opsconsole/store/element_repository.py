"""Element sets in the store: import, list, activate, and load back as an ElementSet."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from opsconsole.core.element_sets import ElementRecord, ElementSet, build_element_set
from opsconsole.store.database import Store, utc_now_text


@dataclass(frozen=True)
class ElementSetInfo:
    """A stored element set's summary row. Epochs are aware UTC datetimes."""

    id: int
    name: str
    source: str
    synthetic: bool
    imported_utc: str
    epoch_min: datetime | None
    epoch_max: datetime | None
    satellite_count: int
    active: bool


def _info(row: dict[str, object]) -> ElementSetInfo:
    def when(value: object) -> datetime | None:
        return datetime.fromisoformat(str(value)) if value else None

    return ElementSetInfo(
        id=int(str(row["id"])),
        name=str(row["name"]),
        source=str(row["source"]),
        synthetic=bool(row["synthetic"]),
        imported_utc=str(row["imported_utc"]),
        epoch_min=when(row["epoch_min_utc"]),
        epoch_max=when(row["epoch_max_utc"]),
        satellite_count=int(str(row["satellite_count"])),
        active=bool(row["active"]),
    )


def import_element_set(
    store: Store, elements: ElementSet, name: str, *, activate: bool = True
) -> int:
    """Store ``elements`` as a new set (one transaction, audited). Returns its id."""
    epochs = elements.epoch_range()
    detail = {
        "source": elements.source,
        "satellites": len(elements),
        "skipped": len(elements.skipped),
        "duplicates": elements.duplicates_replaced,
    }
    with store.transaction("elements.import", "element_set", None, detail) as conn:
        if activate:
            conn.execute("UPDATE element_sets SET active = 0 WHERE active = 1")
        cursor = conn.execute(
            "INSERT INTO element_sets (name, source, synthetic, imported_utc, epoch_min_utc, "
            "epoch_max_utc, satellite_count, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                name,
                elements.source,
                int(elements.synthetic),
                utc_now_text(),
                epochs[0].isoformat() if epochs else None,
                epochs[1].isoformat() if epochs else None,
                len(elements),
                int(activate),
            ),
        )
        set_id = int(cursor.lastrowid or 0)
        conn.executemany(
            "INSERT INTO satellites (element_set_id, norad_id, name, epoch_utc, kind, elements) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                (set_id, r.norad_id, r.name, r.epoch.isoformat(), r.kind, r.to_json())
                for r in elements.records
            ),
        )
    return set_id


def list_element_sets(store: Store) -> list[ElementSetInfo]:
    """All stored sets, newest first."""
    return [_info(row) for row in store.db.query("SELECT * FROM element_sets ORDER BY id DESC")]


def activate_element_set(store: Store, set_id: int) -> None:
    """Make ``set_id`` the active set. Raises ``KeyError`` if it does not exist."""
    if not store.db["element_sets"].count_where("id = ?", [set_id]):
        raise KeyError(f"no element set with id {set_id}")
    with store.transaction("elements.activate", "element_set", str(set_id)) as conn:
        conn.execute("UPDATE element_sets SET active = 0 WHERE active = 1")
        conn.execute("UPDATE element_sets SET active = 1 WHERE id = ?", (set_id,))


def active_element_set_id(store: Store) -> int | None:
    """Id of the active set, if any."""
    row = store.conn.execute("SELECT id FROM element_sets WHERE active = 1").fetchone()
    return int(row[0]) if row else None


def element_set_epoch(store: Store, set_id: int | None = None) -> tuple[datetime, str, bool] | None:
    """Median epoch (UTC), source and whether synthetic, of a stored set (the active one
    by default), without loading it; ``None`` when there is no such set or it is empty."""
    set_id = active_element_set_id(store) if set_id is None else set_id
    head = store.conn.execute(
        "SELECT source, synthetic, satellite_count FROM element_sets WHERE id = ?", (set_id,)
    ).fetchone()
    if head is None or not head[2]:
        return None
    row = store.conn.execute(
        "SELECT epoch_utc FROM satellites WHERE element_set_id = ? ORDER BY epoch_utc "
        "LIMIT 1 OFFSET ?",
        (set_id, int(head[2]) // 2),
    ).fetchone()
    if row is None:
        return None
    return datetime.fromisoformat(row[0]).astimezone(UTC), str(head[0]), bool(head[1])


def load_element_set(store: Store, set_id: int | None = None) -> ElementSet:
    """Rebuild a stored set (the active one by default). Raises ``LookupError`` if none."""
    if set_id is None:
        set_id = active_element_set_id(store)
        if set_id is None:
            raise LookupError("the database has no active element set")
    head = store.conn.execute(
        "SELECT source, synthetic FROM element_sets WHERE id = ?", (set_id,)
    ).fetchone()
    if head is None:
        raise LookupError(f"no element set with id {set_id}")
    records = []
    for norad_id, name, epoch, kind, elements in store.conn.execute(
        "SELECT norad_id, name, epoch_utc, kind, elements FROM satellites "
        "WHERE element_set_id = ? ORDER BY norad_id",
        (set_id,),
    ):
        fields = json.loads(elements)
        when = datetime.fromisoformat(epoch)
        if kind == "tle":
            records.append(
                ElementRecord(norad_id, name, when, "tle", fields["line1"], fields["line2"])
            )
        else:
            records.append(ElementRecord(norad_id, name, when, "omm", omm=fields))
    return build_element_set(records, str(head[0]), synthetic=bool(head[1]))


def lost_from_active(store: Store, norad_ids: Iterable[int]) -> tuple[int, int]:
    """``(lost, active)``: how many of the active set's satellites are not among
    ``norad_ids``, and how many the active set has. ``(0, 0)`` when there is no active
    set or it is synthetic (its catalog numbers are made up)."""
    row = store.conn.execute("SELECT id, synthetic FROM element_sets WHERE active = 1").fetchone()
    if row is None or row[1]:
        return 0, 0
    previous = {
        int(r[0])
        for r in store.conn.execute(
            "SELECT norad_id FROM satellites WHERE element_set_id = ?", (int(row[0]),)
        )
    }
    return len(previous - {int(n) for n in norad_ids}), len(previous)

"""Noticing what other processes (the command line, another console) write to the
console's database, and what to re-read then.

:class:`DataVersion` answers "has anyone committed since I last looked?" with SQLite's
``PRAGMA data_version`` on a connection of its own: cheap enough to ask every second,
and asked off the UI thread (one instance per thread; it opens its connection in the
thread that first polls). :func:`catalog_changes` then reads the audit log from the
last change the console has seen (``store.change_feed``) and says which parts of the
console are stale.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from opsconsole.store.change_feed import GROUND_ENTITIES, OPERATIONS_ENTITIES, changed_entities
from opsconsole.store.database import BUSY_TIMEOUT_MS, Store

POLL_S = 1.0
"""How often the watcher asks (s): a change shows in the console within about 2 s."""


class DataVersion:
    """Polls one database file's ``PRAGMA data_version`` (read-only connection)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._last: int | None = None

    def changed(self) -> bool:
        """Did any other connection commit since the previous call? (``False`` on the
        first call; a database that cannot be read now counts as unchanged and is
        asked again next time.)"""
        try:
            if self._conn is None:
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                self._conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                             check_same_thread=True)  # fmt: skip
            version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            self.close()
            return False
        changed = self._last is not None and version != self._last
        self._last = version
        return changed

    def close(self) -> None:
        """Close the connection (the next :meth:`changed` opens another)."""
        if self._conn is not None:
            self._conn.close()
        self._conn, self._last = None, None


@dataclass(frozen=True)
class CatalogChanges:
    """Which parts of what the console shows are stale after the changes up to
    ``last_id`` (the newest audit entry read)."""

    last_id: int
    plans: bool = False
    ground: bool = False
    elements: bool = False
    operations: bool = False
    """Contracts, incidents or maintenances changed."""

    @property
    def any(self) -> bool:
        return self.plans or self.ground or self.elements or self.operations


def catalog_changes(store: Store, after_id: int) -> CatalogChanges:
    """What changed after audit entry ``after_id`` (a re-seed counts as everything)."""
    newest, entities = changed_entities(store, after_id)
    everything = "database" in entities
    return CatalogChanges(
        newest,
        plans=everything or "plan" in entities,
        ground=everything or bool(entities & GROUND_ENTITIES),
        elements=everything or "element_set" in entities,
        operations=everything or bool(entities & OPERATIONS_ENTITIES),
    )

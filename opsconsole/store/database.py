"""Opening the SQLite store: settings, migrations, audited transactions.

Every connection uses WAL journaling, foreign keys and a busy timeout. Writes happen
only inside :meth:`Store.transaction`, one per user action, which also writes the
action's audit entry, so a crash or kill leaves either all of an action or none of it.
"""

from __future__ import annotations

import getpass
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
import sqlite_utils

from opsconsole.store.file_check import DatabaseTooNewError, check_database_file
from opsconsole.store.migrations import MIGRATIONS, SCHEMA_VERSION

__all__ = ["DatabaseTooNewError", "Store", "connect", "default_database_path", "migrate"]

BUSY_TIMEOUT_MS = 10_000


def default_database_path() -> Path:
    """``opsconsole.sqlite`` in the user's data directory (platformdirs)."""
    return Path(platformdirs.user_data_dir("opsconsole", appauthor=False)) / "opsconsole.sqlite"


def current_user() -> str:
    """The operating-system user, for the audit log."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def utc_now_text() -> str:
    """Now in UTC as ISO 8601 with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply migrations up to ``target``, each in its own transaction. Returns the version."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise DatabaseTooNewError(
            f"database schema version {version} is newer than this opsconsole supports "
            f"({SCHEMA_VERSION}); upgrade opsconsole to open it"
        )
    while version < target:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return version


def connect(path: str | Path) -> sqlite3.Connection:
    """Open a connection in autocommit mode (transactions are explicit) with our settings."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal" and str(path) != ":memory:":
        conn.close()
        raise sqlite3.OperationalError(f"could not switch {path} to WAL journaling")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


class Store:
    """One SQLite file holding catalog, element sets, customers, plans and the audit log."""

    def __init__(self, path: str | Path, *, who: str | None = None) -> None:
        self.path = Path(path)
        check_database_file(path)  # refuses another application's file, unchanged
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = connect(path)
        try:
            migrate(self.conn)
        except BaseException:
            self.conn.close()
            raise
        self.db = sqlite_utils.Database(self.conn)
        self.who = who or current_user()

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The file's ``PRAGMA user_version``."""
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(
        self, action: str, entity: str, entity_id: str | None = None, detail: Any = None
    ) -> Iterator[sqlite3.Connection]:
        """One user action: all writes inside commit together with their audit entry.

        Any exception rolls everything back and is re-raised. ``detail`` is stored as JSON.
        Nested calls (an action made of smaller ones, e.g. first-run seeding) become
        savepoints of the outer transaction, so the whole action still commits at once.
        """
        nested = self.conn.in_transaction
        self.conn.execute("SAVEPOINT action" if nested else "BEGIN IMMEDIATE")
        try:
            yield self.conn
            self.conn.execute(
                "INSERT INTO audit_log (at_utc, who, action, entity, entity_id, detail) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    utc_now_text(),
                    self.who,
                    action,
                    entity,
                    entity_id,
                    json.dumps(detail, default=str) if detail is not None else None,
                ),
            )
            self.conn.execute("RELEASE action" if nested else "COMMIT")
        except BaseException:
            if nested:
                self.conn.execute("ROLLBACK TO action")
                self.conn.execute("RELEASE action")
            else:
                self.conn.execute("ROLLBACK")
            raise

    def integrity_check(self) -> list[str]:
        """``PRAGMA integrity_check`` and ``foreign_key_check`` problems (empty when fine)."""
        problems = [row[0] for row in self.conn.execute("PRAGMA integrity_check")]
        problems = [p for p in problems if p != "ok"]
        problems += [
            f"foreign key violation in {row[0]} rowid {row[1]} -> {row[2]}"
            for row in self.conn.execute("PRAGMA foreign_key_check")
        ]
        return problems

    def counts(self) -> dict[str, int]:
        """Row count of every table."""
        return {name: self.db[name].count for name in sorted(self.db.table_names())}

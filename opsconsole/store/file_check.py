"""Is an existing file an opsconsole database we may open? Asked before anything is
written to it (no WAL switch, no migration, no seeding): another application's SQLite
file, a file from a newer opsconsole, or one whose schema version does not match its
tables is refused unchanged."""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path

from opsconsole.store.migrations import MIGRATIONS, SCHEMA_VERSION


class DatabaseRefusedError(RuntimeError):
    """An existing file that opsconsole will not open (the message says why)."""


class DatabaseTooNewError(DatabaseRefusedError):
    """The file was written by a newer opsconsole (schema version above ours)."""


class NotOpsconsoleDatabaseError(DatabaseRefusedError):
    """An SQLite file with tables but no opsconsole schema."""


class SchemaMismatchError(DatabaseRefusedError):
    """The schema version the file states is not the one its tables have."""


Tables = dict[str, frozenset[str]]
"""Table name -> its column names."""


def _tables(conn: sqlite3.Connection) -> Tables:
    names = [
        str(row[0])
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    quoted = {name: name.replace('"', '""') for name in names}
    return {
        name: frozenset(str(row[1]) for row in conn.execute(f'PRAGMA table_info("{q}")'))
        for name, q in quoted.items()
    }


@cache
def expected_tables(version: int) -> Tables:
    """The tables (and their columns) of a database at schema ``version``: the first
    ``version`` migrations applied to an empty database in memory."""
    conn = sqlite3.connect(":memory:")
    try:
        for migration in MIGRATIONS[:version]:
            for statement in migration:
                conn.execute(statement)
        return _tables(conn)
    finally:
        conn.close()


def _describe(tables: Tables, expected: Tables) -> str:
    missing = sorted(set(expected) - set(tables))
    extra = sorted(set(tables) - set(expected))
    changed = sorted(t for t in set(tables) & set(expected) if tables[t] != expected[t])
    parts = []
    if missing:
        parts.append("missing tables " + ", ".join(missing[:5]))
    if extra:
        parts.append("unexpected tables " + ", ".join(extra[:5]))
    if changed:
        parts.append("other columns in " + ", ".join(changed[:5]))
    return "; ".join(parts)


def check_database_file(path: str | Path) -> None:
    """Raise a :class:`DatabaseRefusedError` (or ``sqlite3.DatabaseError`` for a file
    that is not SQLite at all) unless ``path`` is missing, empty, or an opsconsole
    database of this or an older schema version whose tables match that version. Only
    reads the file."""
    target = Path(path)
    if str(path) == ":memory:" or not target.exists():
        return
    if target.is_dir():
        raise DatabaseRefusedError(f"{target} is a folder, not a database file")
    if target.stat().st_size == 0:
        return
    conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = _tables(conn)
    finally:
        conn.close()
    if version > SCHEMA_VERSION:
        raise DatabaseTooNewError(
            f"database {target}: schema version {version} is newer than this opsconsole "
            f"supports ({SCHEMA_VERSION}); upgrade opsconsole to open it"
        )
    if version == 0 and not tables:
        return  # an empty SQLite file: becomes a new opsconsole database
    if version == 0 and "element_sets" not in tables:
        names = ", ".join(sorted(tables)[:5]) + (" ..." if len(tables) > 5 else "")
        raise NotOpsconsoleDatabaseError(
            f"{target} is not an opsconsole database (it has the tables {names} and no "
            "opsconsole schema); it was left unchanged"
        )
    expected = expected_tables(version) if version >= 0 else {}
    if version < 0 or tables != expected:
        detail = _describe(tables, expected) if version > 0 else ""
        raise SchemaMismatchError(
            f"database {target}: schema version {version} does not match its tables"
            + (f" ({detail})" if detail else "")
            + "; it was left unchanged"
        )

"""Test helpers: snapshots of a database's content to prove it was not changed."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def database_content(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted, for before/after comparisons."""
    conn = sqlite3.connect(str(path))
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
    finally:
        conn.close()

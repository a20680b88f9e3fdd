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


def omm_fields(**overrides: object) -> dict[str, object]:
    """A valid CelesTrak OMM JSON record (a Starlink-like orbit), with ``overrides``."""
    fields: dict[str, object] = {
        "OBJECT_NAME": "STARLINK-1", "NORAD_CAT_ID": 44714, "EPOCH": "2026-05-13T00:25:42.000",
        "MEAN_MOTION": 15.3, "ECCENTRICITY": 0.0001, "INCLINATION": 53.0,
        "RA_OF_ASC_NODE": 10.0, "ARG_OF_PERICENTER": 90.0, "MEAN_ANOMALY": 0.0,
        "BSTAR": 0.0001, "MEAN_MOTION_DOT": 0.0, "MEAN_MOTION_DDOT": 0.0,
    }  # fmt: skip
    fields.update(overrides)
    return fields

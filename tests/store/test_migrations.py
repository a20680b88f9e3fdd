"""Every earlier schema version upgrades to the current one, keeping its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from opsconsole.store.database import Store, connect, migrate
from opsconsole.store.migrations import SCHEMA_VERSION
from opsconsole.store.seed import seed_defaults


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_upgrade_from_every_earlier_version(tmp_path: Path, version: int) -> None:
    path = tmp_path / f"v{version}.sqlite"
    conn = connect(path)
    assert migrate(conn, target=version) == version
    conn.execute("BEGIN")
    conn.execute("INSERT INTO customers (name, sector) VALUES ('Old customer', 'energy')")
    conn.execute(
        "INSERT INTO sites (customer_id, name, lat, lon, demand_mbps, max_rtt_ms, "
        "min_availability_pct, priority) VALUES (1, 'Old site', 10, 20, 5, 50, 99, 1)"
    )
    conn.execute(
        "INSERT INTO gateways (id, name, country, lat, lon, antennas, capacity_gbps, "
        "min_elevation_deg, residency_zone) VALUES ('gw-old', 'Old', 'IE', 52, -8, 4, 10, 25, "
        "'EU')"
    )
    conn.execute(
        "INSERT INTO audit_log (at_utc, who, action, entity) VALUES "
        "('2026-01-01T00:00:00+00:00', 'tester', 'legacy', 'site')"
    )
    conn.execute("COMMIT")
    conn.close()

    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.integrity_check() == []
        site = store.conn.execute("SELECT name, lat, lon FROM sites").fetchone()
        assert site == ("Old site", 10.0, 20.0)
        old = store.conn.execute(
            "SELECT status, antennas_source, pop_id FROM gateways WHERE id = 'gw-old'"
        ).fetchone()
        assert old == ("operational", "catalog", None)  # a gateway from before PoPs
        seed_defaults(store)  # the upgraded file accepts everything the current code writes
        assert store.db["plans"].exists()
        assert store.db["contingency_studies"].exists() and store.db["contingency_results"].exists()
        assert store.db["contracts"].exists() and store.db["incidents"].exists()
        indexes = {row[1] for row in store.conn.execute("PRAGMA index_list('element_sets')")}
        assert "one_active_element_set" in indexes


def test_failed_migration_leaves_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from opsconsole.store import database

    path = tmp_path / "broken.sqlite"
    conn = connect(path)
    migrate(conn, target=1)
    broken = (*database.MIGRATIONS[:1], ("CREATE TABLE plans (id INTEGER)", "THIS IS NOT SQL"))
    monkeypatch.setattr(database, "MIGRATIONS", broken)
    with pytest.raises(sqlite3.OperationalError):
        database.migrate(conn, target=2)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'plans'").fetchone()

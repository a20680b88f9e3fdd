"""The SQLite store: settings, audited transactions, refusal of newer files, seeding."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from opsconsole.core.catalog import SiteSpec
from opsconsole.core.element_readers import parse_elements
from opsconsole.store.catalog_repository import (
    import_sites,
    list_gateways,
    list_pops,
    list_sites,
)
from opsconsole.store.database import DatabaseTooNewError, Store
from opsconsole.store.element_repository import (
    activate_element_set,
    import_element_set,
    list_element_sets,
    load_element_set,
)
from opsconsole.store.migrations import SCHEMA_VERSION
from opsconsole.store.seed import open_store

from ..helpers import database_content, omm_fields


def test_connection_settings(db_path: Path) -> None:
    with Store(db_path) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
        assert store.schema_version == SCHEMA_VERSION


def test_first_run_seeds_the_embedded_default(db_path: Path) -> None:
    with open_store(str(db_path)) as store:
        counts = store.counts()
        sets = list_element_sets(store)
        audit = list(store.db.query("SELECT action, who FROM audit_log WHERE action = 'db.seed'"))
    assert counts["cloud_regions"] >= 90 and counts["gateways"] >= 40
    assert counts["customers"] == 6 and counts["sites"] >= 60
    assert counts["satellites"] == 4408
    assert len(sets) == 1 and sets[0].active and sets[0].synthetic
    assert "synthetic" in sets[0].name
    assert len(audit) == 1 and audit[0]["who"]
    with open_store(str(db_path)) as again:  # a second launch does not seed twice
        assert again.counts() == counts


def test_transaction_rolls_back_everything_on_error(db_path: Path) -> None:
    with open_store(str(db_path)) as store:
        before = database_content(db_path)
        sites = [SiteSpec("New A", 1.0, 2.0), SiteSpec("New A", 3.0, 4.0)]  # duplicate name
        with pytest.raises(sqlite3.IntegrityError):
            import_sites(store, "Prairie Grain Cooperative", sites)
    assert database_content(db_path) == before


def test_each_action_is_audited(db_path: Path) -> None:
    with open_store(str(db_path)) as store:
        import_sites(store, "New customer", [SiteSpec("Depot", 10.0, 20.0)], sector="energy")
        row = store.conn.execute(
            "SELECT action, entity, entity_id, detail, at_utc FROM audit_log "
            "ORDER BY id DESC LIMIT 1"
        ).fetchone()
        assert row[:3] == ("sites.import", "customer", "New customer")
        assert row[4].endswith("+00:00")
        assert any(site["name"] == "Depot" for site in list_sites(store))


def test_newer_database_is_refused(db_path: Path) -> None:
    Store(db_path).close()
    conn = sqlite3.connect(str(db_path))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(DatabaseTooNewError, match="newer than this opsconsole supports"):
        Store(db_path)


def test_element_sets_round_trip_tle_and_omm(db_path: Path, sample_elements) -> None:  # type: ignore[no-untyped-def]
    omm = [omm_fields(OBJECT_NAME="X", NORAD_CAT_ID=412345, EPOCH="2026-05-13T00:00:00.5")]
    omm_set = parse_elements(json.dumps(omm).encode(), "gp.json")
    with Store(db_path) as store:
        first = import_element_set(store, sample_elements, "snapshot")
        second = import_element_set(store, omm_set, "omm")
        assert [i.active for i in list_element_sets(store)] == [True, False]
        loaded = load_element_set(store)
        assert loaded.norad_ids.tolist() == [412345]
        assert loaded.records[0].epoch == omm_set.records[0].epoch
        activate_element_set(store, first)
        again = load_element_set(store)
        assert again.records == sample_elements.records
        with pytest.raises(KeyError):
            activate_element_set(store, second + 10)


def test_gateways_are_listed_with_their_pop_and_its_regions(db_path: Path) -> None:
    with open_store(str(db_path)) as store:
        gateways = {g["id"]: g for g in list_gateways(store)}
        pops = {p["id"]: p for p in list_pops(store)}
    usingen = gateways["gw-usingen"]
    assert usingen["pop_id"] == "pop-frankfurt" and usingen["pop_residency_zone"] == "EU"
    assert usingen["backhaul_regions"].split(";")[0] == "azure:germanywestcentral"
    assert usingen["backhaul_regions"] == pops["pop-frankfurt"]["regions"]
    assert pops["pop-frankfurt"]["gateways"] >= 2 and pops["pop-frankfurt"]["code"] == "FRNTDEU1"
    assert len(pops) == 54 and len(gateways) == 307


def test_a_database_from_before_pops_keeps_its_gateways_and_gains_the_pops(
    db_path: Path,
) -> None:
    """As a schema-6 database upgrades (gateways backhauling straight to regions, an empty
    PoP table): gateways keep their direct backhaul and no PoP; the PoP catalog is added."""
    with open_store(str(db_path)) as store:
        store.conn.execute("UPDATE gateways SET pop_id = NULL")
        store.conn.execute("DELETE FROM pops")
        store.conn.execute(
            "INSERT INTO gateway_backhaul (gateway_id, region_id) "
            "VALUES ('gw-usingen', 'azure:westeurope')"
        )
        store.conn.commit()
    with open_store(str(db_path)) as store:
        usingen = next(g for g in list_gateways(store) if g["id"] == "gw-usingen")
        assert usingen["pop_id"] is None and usingen["backhaul_regions"] == "azure:westeurope"
        assert usingen["pop_lat"] is None
        assert len(list_pops(store)) == 54 and all(p["gateways"] == 0 for p in list_pops(store))


def test_foreign_keys_are_enforced(db_path: Path) -> None:
    with (
        Store(db_path) as store,
        pytest.raises(sqlite3.IntegrityError),
        store.transaction("test", "site"),
    ):
        store.conn.execute(
            "INSERT INTO sites (customer_id, name, lat, lon, demand_mbps, max_rtt_ms, "
            "min_availability_pct, priority) VALUES (999, 'x', 0, 0, 1, 1, 1, 1)"
        )

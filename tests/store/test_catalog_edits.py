"""Validated, audited single-object edits (the inspector's undo/redo rely on them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opsconsole.store import catalog_edits
from opsconsole.store.seed import open_store


def _audit(store, action: str) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    rows = store.conn.execute("SELECT detail FROM audit_log WHERE action = ?", (action,))
    return [json.loads(row[0]) for row in rows]


def test_site_edit_round_trip_is_audited(db_path: Path) -> None:
    with open_store(str(db_path)) as store:
        site = catalog_edits.site_rows(store)[0]
        old = catalog_edits.site_values(store, site["id"])
        with pytest.raises(ValueError, match="lat must be between"):
            catalog_edits.update_site(store, site["id"], {**old, "lat": 95.0})
        with pytest.raises(ValueError, match="unknown residency"):
            catalog_edits.update_site(store, site["id"], {**old, "residency": "XX"})
        assert _audit(store, "site.update") == []
        catalog_edits.update_site(store, site["id"], {**old, "demand_mbps": 321.0})
        assert catalog_edits.site_values(store, site["id"])["demand_mbps"] == 321.0
        catalog_edits.update_site(store, site["id"], old)
        assert catalog_edits.site_values(store, site["id"]) == old
        entries = _audit(store, "site.update")
        assert [e["new"]["demand_mbps"] for e in entries] == [321.0, old["demand_mbps"]]


def test_add_delete_restore_site(db_path: Path) -> None:
    with open_store(str(db_path)) as store:
        customer = catalog_edits.customer_rows(store)[0]
        values = {"name": "New pad", "lat": 10.0, "lon": 20.0, "alt_m": 0.0, "demand_mbps": 5.0,
                  "max_rtt_ms": 80.0, "min_availability_pct": 99.5, "residency": "",
                  "priority": 1}  # fmt: skip
        site_id = catalog_edits.add_site(store, customer["id"], values)
        old = catalog_edits.delete_site(store, site_id)
        with pytest.raises(KeyError):
            catalog_edits.site_values(store, site_id)
        catalog_edits.restore_site(store, site_id, old["customer_id"], values)
        # a site given no mask or horizon has none: the plan's default mask applies
        expected = {**values, "min_elevation_deg": None, "horizon": ""}
        assert catalog_edits.site_values(store, site_id) == expected
        assert store.integrity_check() == []


@pytest.mark.parametrize(
    ("mask", "horizon", "reason"),
    [
        (95.0, "", "min_elevation_deg 95 outside"),
        ("steep", "", "min_elevation_deg is not a number"),
        (None, "400:10", "azimuth 400 outside"),
        (None, "10:10;5:10", "unsorted azimuth 5"),
        (None, "10:10;10:20", "duplicate azimuth 10"),
        (None, "10:-6", "elevation -6 outside"),
        (None, "10:x", "not two numbers"),
    ],
)
def test_site_mask_and_horizon_edits_are_validated(
    db_path: Path, mask: object, horizon: str, reason: str
) -> None:
    with open_store(str(db_path)) as store:
        site = catalog_edits.site_rows(store)[0]
        before = catalog_edits.site_values(store, site["id"])
        with pytest.raises(ValueError, match=reason):
            catalog_edits.update_site(
                store, site["id"], {**before, "min_elevation_deg": mask, "horizon": horizon}
            )
        assert catalog_edits.site_values(store, site["id"]) == before


def test_site_mask_and_horizon_edit_and_undo(db_path: Path) -> None:
    with open_store(str(db_path)) as store:
        site = catalog_edits.site_rows(store)[0]
        before = catalog_edits.site_values(store, site["id"])
        edited = {**before, "min_elevation_deg": "40", "horizon": " 0:60 ; 90:10;270:10"}
        catalog_edits.update_site(store, site["id"], edited)
        now = catalog_edits.site_values(store, site["id"])
        assert now["min_elevation_deg"] == 40.0 and now["horizon"] == "0:60;90:10;270:10"
        row = next(r for r in catalog_edits.site_rows(store) if r["id"] == site["id"])
        assert row["min_elevation_deg"] == 40.0 and row["horizon"] == "0:60;90:10;270:10"
        catalog_edits.update_site(store, site["id"], before)  # what undo does
        assert catalog_edits.site_values(store, site["id"]) == before


def test_customer_and_gateway_edits_validate(db_path: Path) -> None:
    with open_store(str(db_path)) as store:
        a, b = catalog_edits.customer_rows(store)[:2]
        with pytest.raises(ValueError, match="already called"):
            catalog_edits.update_customer(store, a["id"], {"name": b["name"], "sector": ""})
        catalog_edits.update_customer(store, a["id"], {"name": "Renamed", "sector": "x"})
        assert catalog_edits.customer_values(store, a["id"]) == {"name": "Renamed", "sector": "x"}
        gateway = store.conn.execute("SELECT id FROM gateways LIMIT 1").fetchone()[0]
        values = catalog_edits.gateway_values(store, gateway)
        with pytest.raises(ValueError, match="min_elevation_deg"):
            catalog_edits.update_gateway(store, gateway, {**values, "min_elevation_deg": 95})
        catalog_edits.update_gateway(store, gateway, {**values, "antennas": 12})
        assert catalog_edits.gateway_values(store, gateway)["antennas"] == 12

"""sites, regions, gateways and db commands."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from opsconsole.store.migrations import SCHEMA_VERSION

from ..helpers import database_content

GOOD = (
    "name,lat,lon,alt_m,demand_mbps,max_rtt_ms,min_availability_pct,residency,priority\n"
    "Depot North,60.1,10.2,100,250,60,99.5,NO;EU,1\nDepot South,58.9,5.7,,,,,,\n"
)


def test_sites_import_and_list(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sites.csv"
    path.write_text(GOOD)
    result = run(
        "sites", "import", str(path), "--customer", "Fjord Fisheries", "--sector", "maritime"
    )
    assert result.code == 0, result.err
    assert "imported 2 site(s)" in result.out
    sites = json.loads(run("sites", "list", "--format", "json").out)
    mine = [s for s in sites if s["customer"] == "Fjord Fisheries"]
    assert [s["name"] for s in mine] == ["Depot North", "Depot South"]
    assert mine[0]["residency"] == "NO;EU" and mine[0]["priority"] == 1
    again = run("sites", "import", str(path), "--customer", "Fjord Fisheries")
    assert again.code == 1 and "the customer has it already" in again.err
    csv_out = run("sites", "list", "--format", "csv").out
    assert csv_out.splitlines()[0].startswith("customer,sector,name,lat,lon")


@pytest.mark.parametrize(
    ("content", "messages"),
    [
        (
            "name,lat,lon\nA,91,0\nB,0,200\n,1,1\nC,1,1\nC,2,2\n",
            [
                "row 2: latitude '91' outside [-90, 90]",
                "row 3: longitude '200' outside [-180, 180]",
                "row 4: missing name",
                "row 6: duplicate name 'C' (first at row 5)",
            ],
        ),
        (
            "name,lat,lon,demand_mbps,residency\nA,1,1,-4,MARS\n",
            ["row 2: negative demand_mbps: '-4'; unknown residency zone(s): MARS"],
        ),
        ("title,latitude\nA,1\n", ["row 1: missing column(s): name, lat, lon"]),
        ("", ["file is empty"]),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
            '{"type": "Point", "coordinates": [0, 100]}, "properties": {"name": "x"}}]}',
            ["feature 1: latitude 100 outside [-90, 90]"],
        ),
    ],
)
def test_sites_import_bad_rows_write_nothing(
    run,
    db_path: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    content: str,
    messages: list[str],
) -> None:
    run("db", "check")
    before = database_content(db_path)
    path = tmp_path / ("sites.geojson" if content.startswith("{") else "sites.csv")
    path.write_text(content)
    result = run("sites", "import", str(path), "--customer", "Bad Data Ltd")
    assert result.code == 1
    for message in messages:
        assert f"{path}: {message}" in result.err, result.err
    assert database_content(db_path) == before


def test_sites_import_non_utf8_and_skip_invalid(run, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("db", "check")
    before = database_content(db_path)
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,lat,lon\nS\xe3o Jos\xe9,1,1\n".encode("latin-1"))
    result = run("sites", "import", str(path), "--customer", "X")
    assert result.code == 1 and "row 2: unreadable encoding" in result.err
    assert database_content(db_path) == before
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("name,lat,lon\nGood,1,1\nBad,100,1\n")
    result = run("sites", "import", str(mixed), "--customer", "X", "--skip-invalid")
    assert result.code == 0 and "imported 1 site(s)" in result.out
    assert "row 3: latitude '100'" in result.err


def test_regions_and_gateways_list(run) -> None:  # type: ignore[no-untyped-def]
    regions = json.loads(run("regions", "list", "--format", "json").out)
    assert {"azure", "aws"} == {r["provider"] for r in regions}
    west = next(r for r in regions if r["id"] == "azure:westeurope")
    assert west["paired_region"] == "azure:northeurope" and west["residency_zone"] == "EU"
    gateways = run("gateways", "list")
    assert gateways.code == 0 and "gw-goonhilly" in gateways.out
    assert "MODELLED" in gateways.err and "not official" in gateways.err
    listed = json.loads(run("gateways", "list", "--format", "json").out)
    usingen = next(g for g in listed if g["id"] == "gw-usingen")
    assert usingen["pop_id"] == "pop-frankfurt" and usingen["status"] == "operational"
    pops = run("pops", "list", "--format", "csv")
    assert pops.code == 0 and "MODELLED" in pops.err
    header, *rows = pops.out.strip().splitlines()
    assert header.startswith("id,code,code_source,name") and len(rows) == 54
    assert any(r.startswith("pop-frankfurt,FRNTDEU1,starperf,") for r in rows)
    table = run("pops", "list")
    assert table.code == 0 and "pop-seattle" in table.out


def test_db_check(run, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("db", "check", "--format", "json")
    report = json.loads(result.out)
    assert result.code == 0
    assert report["integrity"] == "ok" and report["schema_version"] == SCHEMA_VERSION
    assert report["journal_mode"] == "wal" and report["counts"]["satellites"] == 4408
    assert "integrity:      ok" in run("db", "check").out


def test_db_check_refuses_a_newer_database(run, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("db", "check")
    conn = sqlite3.connect(str(db_path))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    result = run("db", "check")
    assert result.code == 1 and "newer than this opsconsole supports" in result.err


def test_db_check_on_a_corrupt_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "garbage.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    result = run("db", "check", "--db", str(path), db=False)
    assert result.code == 1 and "error:" in result.err


def test_usage_errors_exit_2(run) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exc:
        run("propagate")
    assert exc.value.code == 2

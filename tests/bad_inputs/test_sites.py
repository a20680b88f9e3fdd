"""Site files and names that must be refused; sites remove; CSV formula escaping."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Run, run_cli

CSV_CASES = [
    ("demand 1e308", "name,lat,lon,demand_mbps\nA,1,1,1e308\n", "row 2: demand_mbps above 100,000"),
    ("altitude low", "name,lat,lon,alt_m\nA,1,1,-600\n", "row 2: alt_m outside [-500, 9,000] m"),
    ("altitude high", "name,lat,lon,alt_m\nA,1,1,9001\n", "row 2: alt_m outside"),
    ("underscore", "name,lat,lon,demand_mbps\nA,1,1,1_000\n", "row 2: demand_mbps is not a number"),
    ("underscore lat", "name,lat,lon\nA,1_0,1\n", "row 2: lat is not a number: '1_0'"),
    ("duplicated column", "name,lat,lon,lat\nA,1,1,2\n", "row 1: duplicated column(s): lat"),
    ("control character", 'name,lat,lon\n"A\x07B",1,1\n', "row 2: name contains the control"),
    ("long name", f"name,lat,lon\n{'x' * 201},1,1\n", "row 2: name is 201 characters long"),
    ("bidi override", "name,lat,lon\nA\u202eB,1,1\n", "row 2: name contains the control"),
]


@pytest.mark.parametrize(("case", "content", "reason"), CSV_CASES, ids=[c[0] for c in CSV_CASES])
def test_bad_site_csv_is_refused(
    refused: Callable[..., Run], tmp_path: Path, case: str, content: str, reason: str
) -> None:
    path = tmp_path / "sites.csv"
    path.write_text(content)
    refused(
        "sites", "import", str(path), "--customer", "Acme", expected=(f"{path}: {reason}",), code=1
    )


def _feature(coordinates: object, **properties: object) -> dict[str, object]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": coordinates},
            "properties": properties}  # fmt: skip


GEOJSON_CASES = [
    ("name a number", _feature([1, 1], name=123), "feature 1: name must be text, found 123"),
    ("name a list", _feature([1, 1], name=["a"]), "feature 1: name must be text"),
    ("coordinates text", _feature(["1", "2"], name="a"), "feature 1: coordinates must be numbers"),
    ("coordinates bool", _feature([True, 2], name="a"), "feature 1: coordinates must be numbers"),
]


@pytest.mark.parametrize(
    ("case", "feature", "reason"), GEOJSON_CASES, ids=[c[0] for c in GEOJSON_CASES]
)
def test_bad_site_geojson_is_refused(
    refused: Callable[..., Run], tmp_path: Path, case: str, feature: object, reason: str
) -> None:
    path = tmp_path / "sites.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    refused(
        "sites", "import", str(path), "--customer", "Acme", expected=(f"{path}: {reason}",), code=1
    )


@pytest.mark.parametrize("customer", ["", "   ", "A\x00B", "x" * 201])
def test_bad_customer_names_are_refused(
    refused: Callable[..., Run], tmp_path: Path, customer: str
) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("name,lat,lon\nA,1,1\n")
    if "\x00" in customer:  # an argument cannot hold NUL: the nearest is a control char
        customer = "A\x01B"
    refused("sites", "import", str(path), "--customer", customer, expected=("--customer",), code=1)


def _sites(db: Path) -> list[dict[str, object]]:
    listed = run_cli("sites", "list", "--format", "json", "--db", str(db))
    assert listed.code == 0, listed.err
    return list(json.loads(listed.out))


def test_customer_names_that_differ_in_case_are_one_customer(db: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("name,lat,lon\nDepot,1,1\n")
    second.write_text("name,lat,lon\nDEPOT,2,2\nYard,3,3\n")
    assert (
        run_cli("sites", "import", str(first), "--customer", "Acme Ltd", "--db", str(db)).code == 0
    )
    again = run_cli("sites", "import", str(second), "--customer", "ACME LTD", "--db", str(db))
    assert again.code == 1 and "duplicate name 'DEPOT': the customer has it already" in again.err
    ok = run_cli("sites", "import", str(second), "--customer", "acme ltd", "--skip-invalid",
                 "--db", str(db))  # fmt: skip
    assert ok.code == 0, ok.err
    mine = [s for s in _sites(db) if str(s["customer"]).casefold() == "acme ltd"]
    assert {s["customer"] for s in mine} == {"Acme Ltd"}
    assert sorted(str(s["name"]) for s in mine) == ["Depot", "Yard"]


def test_a_site_with_absurd_demand_can_be_removed(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("name,lat,lon\nDepot,1,1\nYard,2,2\n")
    assert run_cli("sites", "import", str(path), "--customer", "Acme", "--db", str(db)).code == 0
    unknown = run_cli("sites", "remove", "--customer", "Acme", "yard", "Nowhere", "--db", str(db))
    assert unknown.code == 1 and "'Nowhere'" in unknown.err and "nothing was removed" in unknown.err
    assert len([s for s in _sites(db) if s["customer"] == "Acme"]) == 2
    removed = run_cli("sites", "remove", "--customer", "acme", "yard", "--db", str(db))
    assert removed.code == 0 and "removed 1 site(s)" in removed.out, removed.err
    assert [s["name"] for s in _sites(db) if s["customer"] == "Acme"] == ["Depot"]
    nobody = run_cli("sites", "remove", "--customer", "Nobody", "x", "--db", str(db))
    assert nobody.code == 1 and "no customer called 'Nobody'" in nobody.err


def test_csv_export_escapes_formula_cells(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('name,lat,lon\n"=HYPERLINK(""http://x"")",-23.5,1\n+cmd,1,1\n@SUM(A1),1,1\n')
    assert run_cli("sites", "import", str(path), "--customer=-Evil", "--db", str(db)).code == 0
    out = run_cli("sites", "list", "--format", "csv", "--db", str(db)).out
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["customer"].endswith("Evil")]
    assert {r["customer"] for r in rows} == {"'-Evil"}
    assert sorted(r["name"] for r in rows) == ["'+cmd", '\'=HYPERLINK("http://x")', "'@SUM(A1)"]
    assert "-23.500000" in {r["lat"] for r in rows}  # numbers are not escaped

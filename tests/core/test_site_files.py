"""Site files (CSV and GeoJSON): every validation rule, with row numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsconsole.core.input_errors import InputFileError
from opsconsole.core.site_files import parse_sites_csv, parse_sites_geojson, read_sites


def _issues(text: str) -> list[str]:
    with pytest.raises(InputFileError) as caught:
        parse_sites_csv(text, "s.csv")
    return [str(issue) for issue in caught.value.issues]


def test_valid_csv_with_defaults_and_residency() -> None:
    parsed = parse_sites_csv(
        "name,lat,lon,residency,priority\nMine,-23.4,119.7,AU,1\nPort,51.9,4.0,EU;GB,\n", "s.csv"
    )
    assert [s.name for s in parsed.sites] == ["Mine", "Port"]
    assert parsed.sites[1].residency == ("EU", "GB")
    assert parsed.sites[1].priority == 2 and parsed.sites[0].demand_mbps == 50.0


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("A,91,0", "row 2: latitude '91' outside [-90, 90]"),
        ("A,0,-181", "row 2: longitude '-181' outside [-180, 180]"),
        (",0,0", "row 2: missing name"),
        ("A,0,0,-5", "row 2: negative demand_mbps: '-5'"),
        ("A,north,0", "row 2: lat is not a number: 'north'"),
        ("A,0,0,5,XX", "row 2: unknown residency zone(s): XX"),
        ("A,0,0,5,EU,0", "row 2: priority must be a whole number 1-5"),
        ("A,0,0,5,EU,1,extra", "row 2: more values than header columns"),
    ],
)
def test_bad_rows_name_row_and_reason(row: str, reason: str) -> None:
    issues = _issues(f"name,lat,lon,demand_mbps,residency,priority\n{row}\n")
    assert any(issue.startswith(f"s.csv: {reason}") for issue in issues), issues


def test_duplicate_names_in_file_and_in_store() -> None:
    issues = _issues("name,lat,lon\nA,0,0\nB,1,1\na,2,2\n")
    assert issues == ["s.csv: row 4: duplicate name 'a' (first at row 2)"]
    with pytest.raises(InputFileError, match="the customer has it already"):
        parse_sites_csv("name,lat,lon\nB,1,1\n", "s.csv", existing_names=frozenset({"b"}))


def test_wrong_columns() -> None:
    assert _issues("title,lat,lon\nA,0,0\n") == [
        "s.csv: row 1: missing column(s): name; unknown column(s): title"
    ]


def test_skip_invalid_keeps_good_rows() -> None:
    parsed = parse_sites_csv("name,lat,lon\nA,0,0\nB,99,0\nC,1,1\n", "s.csv", skip_invalid=True)
    assert [s.name for s in parsed.sites] == ["A", "C"]
    assert [issue.number for issue in parsed.skipped] == [3]


def test_geojson_points_and_errors() -> None:
    good = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [4.0, 51.9, 3]},
        "properties": {"name": "Port", "residency": ["EU"], "demand_mbps": 200},
    }
    line = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
        "properties": {"name": "Cable"},
    }
    far = {
        **good,
        "geometry": {"type": "Point", "coordinates": [200.0, 0.0]},
        "properties": {"name": "Far"},
    }
    collection = {"type": "FeatureCollection", "features": [good, line, far]}
    with pytest.raises(InputFileError) as caught:
        parse_sites_geojson(json.dumps(collection), "s.geojson")
    assert [str(i) for i in caught.value.issues] == [
        "s.geojson: feature 2: geometry must be a Point with [lon, lat(, alt_m)]",
        "s.geojson: feature 3: longitude 200.0 outside [-180, 180]",
    ]
    assert caught.value.valid == 1
    parsed = parse_sites_geojson(json.dumps(collection), "s.geojson", skip_invalid=True)
    assert parsed.sites[0].alt_m == 3.0 and parsed.sites[0].residency == ("EU",)


def test_file_level_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name,lat,lon\nS\xe3o Paulo,-23.5,-46.6\n".encode("latin-1"))
    with pytest.raises(InputFileError, match="file is empty"):
        read_sites(empty)
    with pytest.raises(InputFileError, match="row 2: unreadable encoding: byte 0xe3"):
        read_sites(latin)
    with pytest.raises(InputFileError, match="not a GeoJSON FeatureCollection"):
        parse_sites_geojson("[1, 2]", "x.geojson")


@settings(max_examples=150)
@given(st.text(max_size=300))
def test_arbitrary_csv_text_never_crashes(text: str) -> None:
    try:
        parsed = parse_sites_csv(text, "fuzz.csv")
    except InputFileError as exc:
        assert exc.issues
    else:
        assert all(-90 <= s.lat <= 90 and -180 <= s.lon <= 180 for s in parsed.sites)


def test_masks_and_horizons_from_csv_and_geojson() -> None:
    import json

    parsed = parse_sites_csv(
        "name,lat,lon,min_elevation_deg,horizon\n"
        "Canyon,47.6,-122.3,40,\nShip,50,-20,,0:60; 90:60;100:10;260:10;270:60\nOpen,1,1,,\n",
        "s.csv",
    )
    canyon, ship, plain = parsed.sites
    assert canyon.min_elevation_deg == 40.0 and canyon.horizon == ""
    assert ship.min_elevation_deg is None and ship.horizon == "0:60;90:60;100:10;260:10;270:60"
    assert plain.min_elevation_deg is None and plain.horizon == ""
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [4.0, 51.9]},
        "properties": {"name": "Quay", "min_elevation_deg": 30, "horizon": [[0, 50], [180, 5]]},
    }
    text = json.dumps({"type": "FeatureCollection", "features": [feature]})
    (quay,) = parse_sites_geojson(text, "s.geojson").sites
    assert quay.min_elevation_deg == 30.0 and quay.horizon == "0:50;180:5"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("A,0,0,95,", "row 2: min_elevation_deg 95 outside [-5, 90]"),
        ("A,0,0,-6,", "row 2: min_elevation_deg -6 outside [-5, 90]"),
        ("A,0,0,steep,", "row 2: min_elevation_deg is not a number: 'steep'"),
        ("A,0,0,,360:10", "row 2: horizon point 1: azimuth 360 outside [0, 360)"),
        ("A,0,0,,10:91", "row 2: horizon point 1: elevation 91 outside [-5, 90]"),
        ("A,0,0,,10:5;5:5", "row 2: horizon point 2: unsorted azimuth 5"),
        ("A,0,0,,10:5;10:6", "row 2: horizon point 2: duplicate azimuth 10"),
        ("A,0,0,,10:x", "row 2: horizon point 1 '10:x' is not two numbers"),
        ("A,0,0,,10", "row 2: horizon point 1 '10' is not azimuth:elevation"),
    ],
)
def test_bad_masks_and_horizons_name_row_and_reason(row: str, reason: str) -> None:
    issues = _issues(f"name,lat,lon,min_elevation_deg,horizon\n{row}\n")
    assert any(issue.startswith(f"s.csv: {reason}") for issue in issues), issues

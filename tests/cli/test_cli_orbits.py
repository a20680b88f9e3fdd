"""propagate, passes and elements commands."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from skyfield.api import EarthSatellite
from skyfield.framelib import itrs

from opsconsole.core.timescale import parse_utc, timescale

from ..helpers import database_content

ISS = (
    "ISS (ZARYA)\n"
    "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927\n"
    "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537\n"
)


def test_propagate_real_snapshot_csv_matches_skyfield(run, sample_tle_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run("propagate", "--elements", str(sample_tle_path), "--at", "2026-05-13T06:00:00Z")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == 10_361
    assert list(rows[0]) == [
        "norad_id",
        "name",
        "x_km",
        "y_km",
        "z_km",
        "lat_deg",
        "lon_deg",
        "alt_km",
    ]
    lines = sample_tle_path.read_text().splitlines()
    t = timescale().from_datetime(parse_utc("2026-05-13T06:00:00Z"))
    first = EarthSatellite(lines[1], lines[2], ts=timescale()).at(t).frame_xyz(itrs).km
    assert rows[0]["norad_id"] == "44714"
    assert np.allclose([float(rows[0][k]) for k in ("x_km", "y_km", "z_km")], first, atol=1e-5)
    assert all(150 < float(r["alt_km"]) < 700 for r in rows)  # includes orbit raising


def test_propagate_json_and_default_database(run) -> None:  # type: ignore[no-untyped-def]
    result = run("propagate", "--at", "2026-11-24T12:00:00+01:00", "--format", "json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert len(rows) == 4408 and "synthetic" in rows[0]["name"]
    assert "SYNTHETIC" in result.err


def test_propagate_warns_on_stale_elements(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "iss.tle"
    path.write_text(ISS)
    result = run("propagate", "--elements", str(path), "--at", "2008-10-20T00:00:00Z")
    assert result.code == 0
    assert "stale" in result.err


def test_passes_over_a_site(run, sample_tle_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run(
        "passes",
        "--elements",
        str(sample_tle_path),
        "--site",
        "47.61,-122.33,50",
        "--start",
        "2026-05-13T06:00:00Z",
        "--hours",
        "0.5",
        "--format",
        "csv",
    )
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert list(rows[0]) == [
        "norad_id",
        "name",
        "rise_utc",
        "culmination_utc",
        "max_elevation_deg",
        "set_utc",
    ]
    complete = [r for r in rows if r["rise_utc"] and r["set_utc"]]
    assert len(rows) > 50 and complete
    assert all(float(r["max_elevation_deg"]) >= 25.0 for r in rows)
    assert complete[0]["rise_utc"].endswith("Z") and "." in complete[0]["rise_utc"]


def test_passes_over_a_stored_site_follow_its_horizon_profile(run, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from opsconsole.store.catalog_edits import site_rows, site_values, update_site
    from opsconsole.store.database import Store

    site = json.loads(run("sites", "list", "--format", "json").out)[0]
    with Store(db_path) as store:
        row = next(r for r in site_rows(store) if r["name"] == site["name"])
        walled = {**site_values(store, int(row["id"])), "horizon": "0:80;180:80"}
        update_site(store, int(row["id"]), walled)  # 80 deg all round
    common = ("--start", "2026-11-24T00:00Z", "--hours", "2", "--format", "json")
    place = f"{site['lat']},{site['lon']}"
    open_sky = json.loads(run("passes", f"--site={place}", *common).out)
    behind = run("passes", "--site", f"{site['customer']}/{site['name']}", *common)
    assert behind.code == 0, behind.err
    high = json.loads(behind.out)
    assert 0 < len(high) < len(open_sky)
    assert all(float(p["max_elevation_deg"]) >= 80.0 - 1e-6 for p in high)
    same_name = run("passes", "--site", "no such site", *common)
    assert same_name.code == 1 and "no stored site" in same_name.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--site", "95,0"), "latitude must be in [-90, 90]"),
        (("--site", "north,east"), "no stored site of that name"),
        (("--site", "1,x2"), "must be numbers"),
    ],
)
def test_passes_bad_arguments(run, args: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    base = {"--site": "0,0", "--hours": "1", "--start": "2026-11-24T00:00Z"}
    merged = dict(base)
    for key, value in zip(args[::2], args[1::2], strict=True):
        merged[key] = value
    result = run("passes", *[x for kv in merged.items() for x in kv])
    assert result.code == 1 and message in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("propagate", "--at", "yesterday"), "argument --at: expected an ISO 8601 UTC time"),
        (("passes", "--site=1,2", "--start=2026-11-24T00:00Z", "--hours=-1"), "(0, 336] h"),
        (("passes", "--site=1,2", "--start=2026-11-24", "--hours=1", "--min-elevation=95"),
         "argument --min-elevation: must be in [-5, 90) deg"),
    ],
)  # fmt: skip
def test_bad_option_values_are_usage_errors(  # type: ignore[no-untyped-def]
    run, capsys, args: tuple[str, ...], message: str
) -> None:
    """argparse refuses them with exit code 2 (bad_inputs.test_arguments covers the rest)."""
    with pytest.raises(SystemExit) as caught:
        run(*args)
    assert caught.value.code == 2 and message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (ISS.replace("2927", "2920"), "line 2: bad checksum"),
        (ISS[:60], "line 2: TLE line 1 without a line 2"),
        (
            ISS.replace(
                "08264.51782528 -.00002182  00000-0 -11606-4 0  2927",
                "08264.51x82528 -.00002182  00000-0 -11606-4 0  2920",
            ),
            "line 2: non-numeric epoch",
        ),
        (ISS.replace(" 2927\n", " 292\n"), "line 2: wrong length: 68 characters"),
        ("", "file is empty"),
        ('[{"NORAD_CAT_ID": 5}]', "record 1: missing field(s): EPOCH, MEAN_MOTION"),
    ],
)
def test_elements_import_bad_files_write_nothing(
    run,
    db_path: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    content: str,
    message: str,
) -> None:
    run("db", "check")
    before = database_content(db_path)
    path = tmp_path / "bad.tle"
    path.write_text(content)
    result = run("elements", "import", str(path))
    assert result.code == 1
    assert f"{path}: {message}" in result.err and "nothing was written" in result.err
    assert database_content(db_path) == before


def test_elements_import_non_utf8(run, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("db", "check")
    before = database_content(db_path)
    path = tmp_path / "bad.tle"
    path.write_bytes(ISS.encode() + b"\xff\n")
    result = run("elements", "import", str(path))
    assert result.code == 1 and "line 4: unreadable encoding" in result.err
    assert database_content(db_path) == before


def test_elements_import_skip_invalid_list_and_activate(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mixed.tle"
    path.write_text(ISS + "BROKEN\n1 99999U\n2 99999\n")
    assert run("elements", "import", str(path)).code == 1
    result = run("elements", "import", str(path), "--skip-invalid")
    assert result.code == 0, result.err
    assert "1 satellites" in result.out and "skipped 2 invalid record(s)" in result.err
    listing = run("elements", "list", "--format", "json")
    sets = json.loads(listing.out)
    assert [s["active"] for s in sets] == ["*", ""]
    assert sets[0]["satellites"] == 1 and sets[0]["age_status"] == "stale"
    assert run("elements", "activate", str(sets[1]["id"])).code == 0
    assert json.loads(run("elements", "list", "--format", "json").out)[1]["active"] == "*"
    assert run("elements", "activate", "999").code == 1


@pytest.mark.gl
def test_module_entry_point_selftest_opens_the_window(tmp_path: Path) -> None:
    env_db = tmp_path / "launch.sqlite"
    shot = tmp_path / "shot.png"
    done = subprocess.run(
        [sys.executable, "-m", "opsconsole", "--db", str(env_db), "selftest",
         "--screenshot", str(shot), "--size", "640x400", "--frames", "60"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(figures) >= {"startup_s", "first_frame_s", "frame_ms_median", "satellites"}
    assert figures["satellites"] == 4408 and figures["frames"] == 60
    assert 0 < figures["startup_s"] <= figures["first_frame_s"]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert env_db.exists()  # the default data was seeded into the given database


def test_selftest_without_opengl_fails_with_a_message(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "opsconsole", "selftest", "--screenshot", str(tmp_path / "x.png")],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert done.returncode == 1
    assert "OpenGL is not available" in done.stderr
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("command", ["propagate", "passes"])
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (ISS.replace("2927", "2920"), "line 2: bad checksum"),
        (ISS.encode() + b"\xfe\n", "line 4: unreadable encoding"),
        (b"", "file is empty"),
        ('[{"NORAD_CAT_ID": 7, "EPOCH": "2026-01-01T00:00:00"}]', "record 1: missing field(s)"),
    ],
)
def test_orbit_commands_report_bad_element_files(  # type: ignore[no-untyped-def]
    run, db_path: Path, tmp_path: Path, command: str, content: str | bytes, message: str
) -> None:
    path = tmp_path / "bad.tle"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    extra = (
        ["--at", "2008-09-21T00:00Z"]
        if command == "propagate"
        else ["--site", "0,0", "--start", "2008-09-21T00:00Z", "--hours", "1"]
    )
    result = run(command, "--elements", str(path), *extra, seed=False)
    assert result.code == 1
    assert f"{path}: {message}" in result.err
    assert result.out == ""
    assert not db_path.exists()  # an --elements run never touches the database


def test_skip_invalid_applies_to_element_files(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mixed.tle"
    path.write_text(ISS + "BROKEN\n1 99999U\n2 99999\n")
    result = run(
        "propagate", "--elements", str(path), "--at", "2008-09-21T00:00Z", "--skip-invalid"
    )
    assert result.code == 0 and "25544" in result.out and "skipped" not in result.out
    assert "skipped 2 invalid record(s)" in result.err and "line 5: wrong length" in result.err


def test_earth_orientation_age_is_reported_once_not_on_every_command(  # type: ignore[no-untyped-def]
    run, sample_tle_path: Path, tmp_path: Path
) -> None:
    """Commands past the end of the IERS table do not warn; ``eop show`` and ``db check``
    say how far the data reaches."""
    from datetime import timedelta

    from opsconsole.core.timescale import earth_orientation_ends

    ends = earth_orientation_ends()
    assert ends.year >= 2025 and ends.microsecond == 0
    after = (ends + timedelta(days=2)).strftime("%Y-%m-%dT%H:%MZ")
    late = run("propagate", "--elements", str(sample_tle_path), "--at", after)
    assert late.code == 0 and "IERS" not in late.err and "orientation" not in late.err
    shown = run("eop", "show", "--cache-dir", str(tmp_path), "--format", "json", db=False)
    assert shown.code == 0, shown.err
    assert json.loads(shown.out)["last_utc"].startswith(f"{ends:%Y-%m-%d}")
    checked = run("db", "check")
    assert "earth orient.:  packaged (skyfield-data), " in checked.out

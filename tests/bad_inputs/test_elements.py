"""Element files that parse but cannot be right are refused, naming line or record."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from opsconsole.core.tle_lines import checksum

from ..helpers import omm_fields
from .conftest import Run, run_cli

LINE1 = "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927"
LINE2 = "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537"


def _with(line: str, start: int, text: str) -> str:
    """``line`` with columns ``start``.. (1-based) replaced by ``text``, checksum redone."""
    body = line[: start - 1] + text + line[start - 1 + len(text) :]
    return body[:68] + str(checksum(body))


def _tle(tmp_path: Path, line1: str = LINE1, line2: str = LINE2) -> Path:
    path = tmp_path / "bad.tle"
    path.write_text(f"ISS (ZARYA)\n{line1}\n{line2}\n")
    return path


TLE_CASES = [
    ("negative mean motion", LINE1, _with(LINE2, 53, "-5.72125391"), "mean motion"),
    ("zero mean motion", LINE1, _with(LINE2, 53, " 0.00000000"), "mean motion"),
    ("BSTAR not a number", _with(LINE1, 54, " abcde-f"), LINE2, "BSTAR in columns 54-61"),
    ("second derivative", _with(LINE1, 45, " 1x000-0"), LINE2, "second derivative"),
    ("before Sputnik", _with(LINE1, 19, "57100.00000000"), LINE2, "before 1957-10-04"),
    ("years ahead", _with(LINE1, 19, "30100.00000000"), LINE2, "more than a year ahead"),
    ("day 366 of 2025", _with(LINE1, 19, "25366.50000000"), LINE2, "day 366.5 does not exist"),
    ("catalog number 0", _with(LINE1, 3, "00000"), _with(LINE2, 3, "00000"), "catalog number 0"),
]


@pytest.mark.parametrize(
    ("case", "line1", "line2", "reason"), TLE_CASES, ids=[c[0] for c in TLE_CASES]
)
def test_bad_tle_values_are_refused(
    refused: Callable[..., Run], tmp_path: Path, case: str, line1: str, line2: str, reason: str
) -> None:
    path = _tle(tmp_path, line1, line2)
    refused("elements", "import", str(path), expected=(f"{path}: line 2:", reason), code=1)


OMM_CASES = [
    ("catalog 1e20", {"NORAD_CAT_ID": 1e20}, "NORAD_CAT_ID must be a whole number"),
    ("catalog too big", {"NORAD_CAT_ID": 1_000_000_000}, "NORAD_CAT_ID must be 1 to 999,999,999"),
    ("catalog huge int", {"NORAD_CAT_ID": 10**20}, "NORAD_CAT_ID must be 1 to"),
    ("catalog fraction", {"NORAD_CAT_ID": "7.5"}, "NORAD_CAT_ID must be a whole number"),
    ("catalog zero", {"NORAD_CAT_ID": 0}, "NORAD_CAT_ID must be 1 to"),
    ("eccentricity 1.2", {"ECCENTRICITY": 1.2}, "eccentricity"),
    ("eccentricity -0.1", {"ECCENTRICITY": -0.1}, "eccentricity"),
    ("mean motion 0", {"MEAN_MOTION": 0}, "mean motion"),
    ("mean motion negative", {"MEAN_MOTION": -15.0}, "mean motion"),
    ("BSTAR text", {"BSTAR": "abcde-f"}, "non-numeric BSTAR"),
    ("BSTAR nan", {"BSTAR": "nan"}, "non-finite BSTAR"),
    ("impossible date", {"EPOCH": "2026-02-30T00:00:00"}, "impossible date"),
    ("not a time", {"EPOCH": "yesterday"}, "not an ISO 8601 time"),
    ("epoch 1950", {"EPOCH": "1950-01-01T00:00:00"}, "before 1957-10-04"),
]


@pytest.mark.parametrize(("case", "fields", "reason"), OMM_CASES, ids=[c[0] for c in OMM_CASES])
def test_bad_omm_values_are_refused(
    refused: Callable[..., Run], tmp_path: Path, case: str, fields: dict[str, object], reason: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([omm_fields(**fields)]))
    refused("elements", "import", str(path), expected=(f"{path}: record 1:", reason), code=1)


def test_omm_epoch_with_an_offset_is_accepted(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "offset.json"
    path.write_text(json.dumps([omm_fields(EPOCH="2026-05-13T05:25:42.000+05:00")]))
    result = run_cli("propagate", "--elements", str(path), "--at", "2026-05-13T01:00Z",
                     "--format", "json", "--db", str(db))  # fmt: skip
    assert result.code == 0, result.err
    listed = run_cli("elements", "import", str(path), "--db", str(db))
    assert listed.code == 0, listed.err
    shown = json.loads(run_cli("elements", "list", "--format", "json", "--db", str(db)).out)
    assert shown[0]["newest_epoch_utc"].startswith("2026-05-13T00:25:42")  # 05:25:42+05:00


def test_skip_invalid_keeps_the_good_records(db: Path, tmp_path: Path) -> None:
    bad = _with(LINE2, 53, "-5.72125391")
    path = tmp_path / "mixed.tle"
    good = "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537"
    path.write_text(
        f"GOOD\n{LINE1}\n{good}\nBAD\n{_with(LINE1, 3, '25545')}\n{_with(bad, 3, '25545')}\n"
    )
    result = run_cli("elements", "import", str(path), "--skip-invalid", "--db", str(db))
    assert result.code == 0, result.err
    assert "1 satellites" in result.out and "mean motion" in result.err

"""Element readers: every format, Alpha-5, duplicates, and every kind of bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsconsole.core.element_readers import parse_elements, read_elements
from opsconsole.core.element_sets import age_status
from opsconsole.core.input_errors import InputFileError
from opsconsole.core.tle_lines import checksum

ISS1 = "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927"
ISS2 = "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537"
NEWER1 = "1 25544U 98067A   08265.51782528 -.00002182  00000-0 -11606-4 0  2927"
NEWER1 = NEWER1[:68] + str(checksum(NEWER1))
ALPHA1 = "1 T0002U 26001A   26132.95048611  .00000000  00000+0  20000-4 0  9990"
ALPHA1 = ALPHA1[:68] + str(checksum(ALPHA1))
ALPHA2 = "2 T0002  53.0000  10.0000 0001000  90.0000  12.3450 15.05000000    00"
ALPHA2 = ALPHA2[:68] + str(checksum(ALPHA2))

OMM = {
    "OBJECT_NAME": "STARLINK-31000",
    "OBJECT_ID": "2024-001A",
    "EPOCH": "2026-05-13T00:25:42.123456",
    "MEAN_MOTION": 15.30,
    "ECCENTRICITY": 0.0001,
    "INCLINATION": 53.16,
    "RA_OF_ASC_NODE": 120.5,
    "ARG_OF_PERICENTER": 80.0,
    "MEAN_ANOMALY": 280.0,
    "EPHEMERIS_TYPE": 0,
    "CLASSIFICATION_TYPE": "U",
    "NORAD_CAT_ID": 412345,
    "ELEMENT_SET_NO": 999,
    "REV_AT_EPOCH": 100,
    "BSTAR": 0.0002,
    "MEAN_MOTION_DOT": 0.0001,
    "MEAN_MOTION_DDOT": 0,
}


def _parse(text: str, **kw: bool):  # type: ignore[no-untyped-def]
    return parse_elements(text.encode(), "test.tle", **kw)


def _issues(text: str | bytes) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(InputFileError) as caught:
        parse_elements(data, "f.tle")
    return [str(issue) for issue in caught.value.issues]


def test_two_line_and_three_line_text() -> None:
    two = _parse(f"{ISS1}\n{ISS2}\n")
    three = _parse(f"ISS (ZARYA)\n{ISS1}\n{ISS2}\n")
    zero = _parse(f"0 ISS (ZARYA)\r\n{ISS1}\r\n{ISS2}\r\n")
    assert two.records[0].name == "NORAD 25544"
    assert three.records[0].name == zero.records[0].name == "ISS (ZARYA)"
    assert three.records[0].epoch == datetime(2008, 9, 20, 12, 25, 40, 104192, tzinfo=UTC)
    assert three.source == "test.tle"


def test_alpha5_catalog_numbers() -> None:
    elements = _parse(f"X\n{ALPHA1}\n{ALPHA2}\n")
    assert elements.norad_ids.tolist() == [270002]


def test_duplicates_keep_the_newest_epoch() -> None:
    elements = _parse(f"OLD\n{ISS1}\n{ISS2}\nNEW\n{NEWER1}\n{ISS2}\nOLD AGAIN\n{ISS1}\n{ISS2}\n")
    assert len(elements) == 1
    assert elements.records[0].name == "NEW"
    assert elements.duplicates_replaced == 2


def test_omm_json_with_catalog_number_above_99999() -> None:
    elements = parse_elements(json.dumps([OMM]).encode(), "gp.json")
    record = elements.records[0]
    assert record.norad_id == 412345
    assert record.kind == "omm"
    assert record.epoch == datetime(2026, 5, 13, 0, 25, 42, 123456, tzinfo=UTC)
    assert record.satrec().error == 0


def test_omm_csv_matches_omm_json() -> None:
    header = ",".join(OMM)
    row = ",".join(str(value) for value in OMM.values())
    from_csv = parse_elements(f"{header}\n{row}\n".encode(), "gp.csv").records[0]
    from_json = parse_elements(json.dumps(OMM).encode(), "gp.json").records[0]
    assert from_csv.norad_id == from_json.norad_id
    e1, r1, _ = from_csv.satrec().sgp4(2461173.5, 0.25)
    e2, r2, _ = from_json.satrec().sgp4(2461173.5, 0.25)
    assert e1 == e2 == 0
    assert r1 == pytest.approx(r2, abs=1e-9)


def test_omm_and_tle_of_the_same_elements_agree() -> None:
    tle = _parse(f"ISS\n{ISS1}\n{ISS2}\n").records[0].satrec()
    fields = {
        "NORAD_CAT_ID": 25544,
        "EPOCH": "2008-09-20T12:25:40.104192",
        "MEAN_MOTION": 15.72125391,
        "ECCENTRICITY": 0.0006703,
        "INCLINATION": 51.6416,
        "RA_OF_ASC_NODE": 247.4627,
        "ARG_OF_PERICENTER": 130.536,
        "MEAN_ANOMALY": 325.0288,
        "BSTAR": -1.1606e-05,
        "MEAN_MOTION_DOT": -2.182e-05,
        "MEAN_MOTION_DDOT": 0,
    }
    omm = parse_elements(json.dumps([fields]).encode(), "iss.json").records[0].satrec()
    _, r_tle, _ = tle.sgp4(2454730.5, 0.3)
    _, r_omm, _ = omm.sgp4(2454730.5, 0.3)
    assert max(abs(a - b) for a, b in zip(r_tle, r_omm, strict=True)) < 1e-3  # km


def test_real_snapshot_loads(sample_elements) -> None:  # type: ignore[no-untyped-def]
    assert len(sample_elements) == 10_361
    assert not sample_elements.skipped
    epochs = sample_elements.epoch_range()
    assert epochs is not None
    assert epochs[0] >= datetime(2026, 5, 12, 17, 27, tzinfo=UTC)
    assert epochs[1] <= datetime(2026, 5, 13, 2, 17, tzinfo=UTC)


def test_age_status_thresholds(sample_elements) -> None:  # type: ignore[no-untyped-def]
    assert age_status(1.0) == "ok"
    assert age_status(3.5) == "warning"
    assert age_status(15.0) == "stale"
    assert sample_elements.status(datetime(2026, 5, 14, tzinfo=UTC)) == "ok"
    assert sample_elements.status(datetime(2026, 5, 18, tzinfo=UTC)) == "warning"
    assert sample_elements.status(datetime(2026, 11, 24, tzinfo=UTC)) == "stale"
    ages = sample_elements.age_days(datetime(2026, 5, 14, tzinfo=UTC))
    assert ages.shape == (10_361,)
    assert 0.9 < ages.min() <= ages.max() < 1.3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"ISS\n{ISS1[:50]}\n{ISS2}\n", "f.tle: line 2: wrong length: 50 characters"),
        (
            f"ISS\n{ISS1[:68]}0\n{ISS2}\n",
            "f.tle: line 2: bad checksum: column 69 says 0, computed 7",
        ),
        (f"ISS\n{ISS1}\n", "f.tle: line 2: TLE line 1 without a line 2"),
        (f"ISS\n{ISS2}\n", "f.tle: line 2: TLE line 2 without a line 1"),
        (f"ISS\nFOO\n{ISS1}\n{ISS2}\n", "f.tle: line 1: name line 'ISS' is not followed by TLE"),
        ("", "f.tle: file is empty"),
        ("   \n\n", "f.tle: file is empty"),
    ],
)
def test_bad_tle_text_names_line_and_reason(text: str, expected: str) -> None:
    assert any(issue.startswith(expected) for issue in _issues(text)), _issues(text)


def test_non_numeric_field_is_reported() -> None:
    bad2 = ISS2[:52] + "15.7x125391" + ISS2[63:68]
    bad2 += str(checksum(bad2))
    assert _issues(f"ISS\n{ISS1}\n{bad2}\n") == [
        "f.tle: line 3: non-numeric mean motion in columns 53-63: '15.7x125391'"
    ]


def test_non_utf8_bytes_are_reported_with_line() -> None:
    data = f"ISS\n{ISS1}\n".encode() + b"\xff\xfe bad\n"
    assert _issues(data) == [
        "f.tle: line 3: unreadable encoding: byte 0xff at offset 74 is not UTF-8"
    ]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            {k: v for k, v in OMM.items() if k != "MEAN_MOTION"},
            "record 1: missing field(s): MEAN_MOTION",
        ),
        ({**OMM, "ECCENTRICITY": "abc"}, "record 1: non-numeric ECCENTRICITY: 'abc'"),
        ({**OMM, "EPOCH": "yesterday"}, "record 1: EPOCH is not an ISO 8601 time"),
        ({**OMM, "ECCENTRICITY": 1.5}, "record 1: mean elements out of range"),
    ],
)
def test_bad_omm_json_records(item: dict[str, object], expected: str) -> None:
    issues = _issues(json.dumps([item]))
    assert any(expected in issue for issue in issues), issues


def test_invalid_json_names_the_line() -> None:
    assert _issues('[\n{"NORAD_CAT_ID": 1,\n]') == [
        "f.tle: line 3: invalid JSON: Expecting property name enclosed in double quotes"
    ]


def test_omm_csv_missing_column_and_bad_row() -> None:
    header = ",".join(k for k in OMM if k != "BSTAR")
    assert _issues(f"{header}\n") == ["f.tle: line 1: CSV header lacks column(s): BSTAR"]
    good = ",".join(str(v) for v in OMM.values())
    bad = good.replace("15.3", "fast")
    issues = _issues(f"{','.join(OMM)}\n{good}\n{bad}\n")
    assert issues == ["f.tle: line 3: non-numeric MEAN_MOTION: 'fast'"]


def test_skip_invalid_keeps_good_records_and_counts_skips() -> None:
    text = f"ISS\n{ISS1}\n{ISS2}\nBROKEN\n{ALPHA1[:60]}\n{ALPHA2}\n"
    with pytest.raises(InputFileError) as caught:
        _parse(text)
    assert caught.value.valid == 1  # the import dialog offers to import that one
    elements = _parse(text, skip_invalid=True)
    assert elements.norad_ids.tolist() == [25544]
    assert len(elements.skipped) == 1
    assert elements.skipped[0].number == 5


def test_read_elements_reports_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="No such file"):
        read_elements(tmp_path / "absent.tle")


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    try:
        elements = parse_elements(data, "fuzz")
    except InputFileError as exc:
        assert exc.issues and all(str(issue).startswith("fuzz") for issue in exc.issues)
    else:
        assert len(elements) >= 1


@settings(max_examples=200)
@given(
    position=st.integers(0, 68),
    char=st.characters(codec="ascii", exclude_characters="\r\n"),
    which=st.sampled_from([1, 2]),
)
def test_any_single_character_corruption_is_caught_or_harmless(
    position: int, char: str, which: int
) -> None:
    lines = [ISS1, ISS2]
    line = lines[which - 1]
    lines[which - 1] = line[:position] + char + line[position + 1 :]
    text = f"ISS\n{lines[0]}\n{lines[1]}\n"
    try:
        elements = _parse(text)
    except InputFileError as exc:
        assert all(issue.number in (1, 2, 3) for issue in exc.issues)
    else:
        assert len(elements) == 1  # a change the checksum cannot see (e.g. '-' <-> '1')

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sgp4.api import Satrec

from opsconsole.core.tle_lines import (
    checksum,
    decode_catalog_number,
    encode_catalog_number,
    format_tle,
    line_problem,
    with_epoch,
)

ISS1 = "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927"
ISS2 = "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537"


def test_checksum_of_known_lines() -> None:
    assert checksum(ISS1) == 7
    assert checksum(ISS2) == 7
    assert line_problem(ISS1, "1") is None
    assert line_problem(ISS2, "2") is None


def test_a_new_epoch_keeps_every_other_field() -> None:
    # ISS1's epoch: day 264.51782528 of 2008; a minute earlier, and across a new year
    epoch = datetime(2008, 1, 1, tzinfo=UTC) + timedelta(days=263.51782528)
    earlier = with_epoch(ISS1, epoch - timedelta(minutes=1))
    assert earlier[18:32] == "08264.51713084" and line_problem(earlier, "1") is None
    assert earlier[:18] == ISS1[:18] and earlier[32:68] == ISS1[32:68]
    assert with_epoch(ISS1, epoch) == ISS1
    new_year = with_epoch(ISS1, datetime(2009, 1, 1, 0, 0, 0, tzinfo=UTC))
    assert new_year[18:32] == "09001.00000000" and line_problem(new_year, "1") is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("00005", 5),
        ("99999", 99999),
        ("A0000", 100000),
        ("H9999", 179999),
        ("J0000", 180000),
        ("Z9999", 339999),
        ("T0000", 270000),
    ],
)
def test_alpha5_decoding(text: str, number: int) -> None:
    assert decode_catalog_number(text) == number
    assert encode_catalog_number(number) == text


@pytest.mark.parametrize("bad", ["I0000", "O1234", "1A234", "", "A12"])
def test_alpha5_rejects_invalid(bad: str) -> None:
    with pytest.raises(ValueError):
        decode_catalog_number(bad)


@pytest.mark.parametrize(
    ("line", "expected", "reason"),
    [
        (ISS1[:60], "1", "wrong length: 60 characters"),
        (ISS1[:68] + "3", "1", "bad checksum: column 69 says 3, computed 7"),
        (ISS2, "1", "expected TLE line 1"),
        (ISS2[:8] + "  5x.641" + ISS2[16:68] + "0", "2", "non-numeric inclination"),
    ],
)
def test_line_problems_name_the_reason(line: str, expected: str, reason: str) -> None:
    if reason.startswith("non-numeric"):
        fixed = line[:68] + str(checksum(line))
        assert reason in (line_problem(fixed, expected) or "")
    else:
        assert reason in (line_problem(line, expected) or "")


@given(
    catalog=st.integers(0, 339_999),
    inclination=st.floats(0.0, 179.99),
    raan=st.floats(0.0, 359.99),
    ecc=st.floats(0.0, 0.2),
    argp=st.floats(0.0, 359.99),
    anomaly=st.floats(0.0, 359.99),
    motion=st.floats(11.0, 16.4),
    bstar=st.floats(-1e-3, 1e-3),
    day=st.floats(1.0, 365.99),
)
def test_formatted_tles_round_trip_through_sgp4(
    catalog: int,
    inclination: float,
    raan: float,
    ecc: float,
    argp: float,
    anomaly: float,
    motion: float,
    bstar: float,
    day: float,
) -> None:
    line1, line2 = format_tle(
        catalog_number=catalog,
        classification="U",
        international_designator="26001A",
        epoch_year=2026,
        epoch_day=day,
        ndot_rev_per_day2=0.0,
        bstar_per_earth_radius=bstar,
        element_set_number=1,
        inclination_deg=inclination,
        raan_deg=raan,
        eccentricity=ecc,
        arg_perigee_deg=argp,
        mean_anomaly_deg=anomaly,
        mean_motion_rev_per_day=motion,
        revolution_number=1,
    )
    assert line_problem(line1, "1") is None, line1
    assert line_problem(line2, "2") is None, line2
    satrec = Satrec.twoline2rv(line1, line2)
    assert satrec.satnum == catalog
    assert satrec.ecco == pytest.approx(ecc, abs=1e-7)
    assert satrec.bstar == pytest.approx(bstar, rel=1e-4, abs=1e-9)

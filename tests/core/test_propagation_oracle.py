"""Propagation against the SGP4 verification vectors and skyfield's ITRS positions.

Tolerances: 1 m against skyfield for position (observed ~1e-10 km), 1 mm/s velocity;
1 cm against the Vallado C++ verification output (tcppver.out) after rotating back to
TEME; times are built from exact UTC Julian dates, as tcppver.out counts them.
"""

from __future__ import annotations

from datetime import timedelta
from importlib import resources

import numpy as np
import pytest
from skyfield.api import EarthSatellite, wgs84
from skyfield.framelib import itrs

from opsconsole.core.element_readers import parse_tle_text
from opsconsole.core.element_sets import build_element_set
from opsconsole.core.frames import teme_to_itrs_matrices
from opsconsole.core.input_errors import InputFileError
from opsconsole.core.propagation import check_accelerated, propagate
from opsconsole.core.timescale import times_from, timescale
from opsconsole.core.tle_lines import checksum

from ..conftest import SAMPLE_TIME, SYNTHETIC_EPOCH

ONE_METRE_KM = 1e-3


def _verification_cases() -> list[tuple[str, str, np.ndarray]]:
    tle_text = resources.files("sgp4").joinpath("SGP4-VER.TLE").read_text()
    expected_text = resources.files("sgp4").joinpath("tcppver.out").read_text()
    lines = [line for line in tle_text.splitlines() if line.startswith(("1 ", "2 "))]
    current: list[list[float]] = []
    order: list[list[list[float]]] = []
    for line in expected_text.splitlines():
        if line.strip().endswith("xx"):
            current = []
            order.append(current)
        elif line.strip():
            current.append([float(v) for v in line.split()[:7]])

    # some cases exercise SGP4's error paths and carry stale checksums: recompute them,
    # since this test is about propagation (the reader's checksum test is elsewhere)
    def fixed(line: str) -> str:
        return line[:68] + str(checksum(line))

    return [
        (fixed(lines[2 * k]), fixed(lines[2 * k + 1][:69]), np.array(rows))
        for k, rows in enumerate(order)
    ]


def test_sgp4_extension_is_accelerated() -> None:
    assert check_accelerated()


def test_verification_case_that_fails_at_init_is_rejected_by_the_reader() -> None:
    line1, line2, expected = _verification_cases()[30]
    assert len(expected) <= 1
    with pytest.raises(InputFileError, match="perturbed eccentricity out of range"):
        parse_tle_text(f"{line1}\n{line2}\n", "SGP4-VER.TLE")


@pytest.mark.parametrize("case", [k for k in range(33) if k != 30])
def test_verification_vectors(case: int) -> None:
    line1, line2, expected = _verification_cases()[case]
    elements = parse_tle_text(f"{line1}\n{line2}\n", "SGP4-VER.TLE")
    satrec = elements.satrecs[0]
    minutes = expected[:, 0]
    # tcppver.out counts minutes of UTC Julian date (leap seconds skipped, as in 2005-12-31),
    # so build the times from UTC calendar days rather than from elapsed SI seconds
    # The whole/fraction split is kept exact through TAI (UTC + leap seconds): case 29
    # (e = 0.995, near decay) moves ~1 km per ms of time error.
    ts = timescale()
    fraction = satrec.jdsatepochF + minutes / 1440.0
    approx = ts.tai_jd(satrec.jdsatepoch, fraction)
    t = ts.tai_jd(
        np.full(minutes.shape, satrec.jdsatepoch), fraction + approx._leap_seconds() / 86_400.0
    )
    eph = propagate(elements, t)
    matrices, _ = teme_to_itrs_matrices(t)
    ok = eph.error[0] == 0
    # rows the C++ code printed before it stopped are the ones SGP4 could compute
    assert ok.sum() >= len(expected) - 1
    teme = np.einsum("mji,mj->mi", matrices, eph.position_km[0])
    good = np.flatnonzero(ok)
    assert np.abs(teme[good] - expected[good, 1:4]).max() < 1e-5  # 1 cm
    assert satrec.error == 0 or not ok.all()


def _skyfield_itrs(line1: str, line2: str, t):  # type: ignore[no-untyped-def]
    position = EarthSatellite(line1, line2, ts=timescale()).at(t)
    xyz, vel = position.frame_xyz_and_velocity(itrs)
    return xyz.km.T, vel.km_per_s.T, position


def test_real_snapshot_matches_skyfield_itrs_within_a_metre(sample_elements) -> None:  # type: ignore[no-untyped-def]
    t = times_from(SAMPLE_TIME, np.array([0.0, 3600.0 * 6]))
    eph = propagate(sample_elements, t)
    assert not eph.failed.any()
    lat, _lon, alt = eph.geodetic()
    worst_p = worst_v = worst_geo = 0.0
    for i, record in enumerate(sample_elements.records):
        p, v, position = _skyfield_itrs(record.line1, record.line2, t)
        worst_p = max(worst_p, float(np.abs(p - eph.position_km[i]).max()))
        worst_v = max(worst_v, float(np.abs(v - eph.velocity_km_s[i]).max()))
        if i % 50 == 0:
            geo = wgs84.geographic_position_of(position)
            worst_geo = max(
                worst_geo,
                float(np.abs(geo.elevation.km - alt[i]).max()),
                float(np.abs(geo.latitude.degrees - lat[i]).max()) * 111.0,
            )
    assert worst_p < ONE_METRE_KM
    assert worst_v < 1e-6  # 1 mm/s
    assert worst_geo < ONE_METRE_KM


def test_synthetic_constellation_matches_skyfield_itrs(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    t = times_from(SYNTHETIC_EPOCH + timedelta(hours=3), np.array([0.0, 5400.0]))
    eph = propagate(synthetic_elements, t)
    for i in range(0, len(synthetic_elements), 7):
        record = synthetic_elements.records[i]
        p, _, _ = _skyfield_itrs(record.line1, record.line2, t)
        assert np.abs(p - eph.position_km[i]).max() < ONE_METRE_KM


def test_failed_satellites_are_flagged_not_dropped(sample_elements) -> None:  # type: ignore[no-untyped-def]
    decaying = build_element_set(
        [r for r in sample_elements.records if r.mean_motion_rev_per_day > 16.0][:3]
        + list(sample_elements.records[:5]),
        "mixed",
    )
    far = times_from(SAMPLE_TIME + timedelta(days=400), np.array([0.0]))
    eph = propagate(decaying, far)
    assert eph.position_km.shape == (len(decaying), 1, 3)
    assert eph.failed.any()
    assert np.isnan(eph.position_km[eph.failed]).all()
    assert set(np.unique(eph.error[eph.failed])) <= {1, 2, 3, 4, 6}


def test_a_position_that_is_not_finite_counts_as_failed() -> None:
    """SGP4 can return NaN without an error code near its limits: such a satellite is
    failed (and reported by the commands), not drawn at the origin or dropped silently."""
    from opsconsole.core.propagation import Ephemeris

    position = np.ones((3, 2, 3))
    position[1, 1, 2] = np.nan
    position[2, 0, 0] = np.inf
    error = np.zeros((3, 2), dtype=np.uint8)
    eph = Ephemeris(position, None, error)
    assert eph.failed.tolist() == [False, True, True]
    error[0, 1] = 6  # an SGP4 error code alone also counts
    assert Ephemeris(position, None, error).failed.tolist() == [True, True, True]

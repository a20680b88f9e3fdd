"""Interpolated slot-end positions against SGP4 at every instant, and their stability."""

from __future__ import annotations

import numpy as np

from opsconsole.core.propagation import propagate
from opsconsole.core.step_track import StepTrack
from opsconsole.core.timescale import times_from

from ..conftest import SAMPLE_TIME


def test_interpolated_instants_stay_within_10_m_of_sgp4(sample_elements) -> None:  # type: ignore[no-untyped-def]
    """Every satellite of the real snapshot, 15 s instants over 1 h, including the
    instants between nodes (where the interpolation, not SGP4, decides). 10 m is 1e-3
    degrees at a 550 km slant range."""
    track = StepTrack(sample_elements, SAMPLE_TIME, 15.0)
    assert track.every == 8
    ours = np.concatenate([track.positions(0, 120), track.positions(121, 240)], axis=1)
    direct = propagate(
        sample_elements, times_from(SAMPLE_TIME, np.arange(241) * 15.0), velocities=False
    ).position_km
    error_m = np.linalg.norm(ours - direct, axis=2) * 1000.0
    assert np.nanmax(error_m) < 10.0
    assert np.nanmax(error_m[:, ::8]) < 1e-6  # nodes are SGP4 itself
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(direct))


def test_an_instant_is_the_same_whichever_run_it_is_in(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    start = SAMPLE_TIME
    whole = StepTrack(synthetic_elements, start, 15.0).positions(0, 40)
    parts = StepTrack(synthetic_elements, start, 15.0)
    split = np.concatenate(
        [parts.positions(0, 13), parts.positions(14, 27), parts.positions(28, 40)], axis=1
    )
    late = StepTrack(synthetic_elements, start, 15.0).positions(17, 40)
    np.testing.assert_array_equal(whole, split)
    np.testing.assert_array_equal(whole[:, 17:], late)


def test_a_120_s_step_is_sgp4_at_every_instant(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    track = StepTrack(synthetic_elements, SAMPLE_TIME, 120.0)
    assert track.every == 1
    direct = propagate(
        synthetic_elements, times_from(SAMPLE_TIME, np.arange(5, 9) * 120.0), velocities=False
    ).position_km
    np.testing.assert_array_equal(track.positions(5, 8), direct)


def test_a_60_s_step_interpolates_every_other_instant(sample_elements) -> None:  # type: ignore[no-untyped-def]
    """At 60 s the odd instants are interpolated: within 10 m of SGP4 (real snapshot)."""
    track = StepTrack(sample_elements, SAMPLE_TIME, 60.0)
    assert track.every == 2
    ours = track.positions(0, 60)
    direct = propagate(
        sample_elements, times_from(SAMPLE_TIME, np.arange(61) * 60.0), velocities=False
    ).position_km
    error_m = np.linalg.norm(ours - direct, axis=2) * 1000.0
    assert np.nanmax(error_m) < 10.0
    assert np.nanmax(error_m[:, ::2]) < 1e-6

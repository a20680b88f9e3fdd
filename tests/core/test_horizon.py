"""Horizon profiles: parsing, interpolation across north, and the one visibility rule."""

from __future__ import annotations

import numpy as np
import pytest

from opsconsole.core.horizon import HorizonProfile, Horizons


def test_text_round_trip_and_interpolation_wraps_at_north() -> None:
    profile = HorizonProfile.parse("10:20 ; 180:0;350:40")
    assert profile is not None and profile.to_text() == "10:20;180:0;350:40"
    assert HorizonProfile.parse(profile.to_text()) == profile
    at = profile.elevation_at(np.array([0.0, 10.0, 95.0, 180.0, 350.0, 359.999, 360.0]))
    assert at == pytest.approx([30.0, 20.0, 10.0, 0.0, 40.0, 30.001, 30.0], abs=1e-3)
    assert HorizonProfile.parse("  ") is None
    flat = HorizonProfile.parse("123:15")
    assert flat is not None and (flat.elevation_at(np.array([0.0, 200.0])) == 15.0).all()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("360:10", "azimuth 360 outside"),
        ("-1:10", "azimuth -1 outside"),
        ("10:91", "elevation 91 outside"),
        ("10:-5.5", "elevation -5.5 outside"),
        ("10:5;5:5", "unsorted azimuth 5"),
        ("10:5;10:7", "duplicate azimuth 10"),
        ("10:abc", "not two numbers"),
        ("1_0:5", "not two numbers"),
        ("10", "not azimuth:elevation"),
        ("nan:5", "azimuth nan outside"),
    ],
)
def test_bad_profiles_say_which_point_and_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        HorizonProfile.parse(text)


def test_the_profile_raises_but_never_lowers_the_mask() -> None:
    wall = HorizonProfile.parse("0:60;90:5;270:5")
    horizons = Horizons.of([25.0, None], [wall, None], default_mask_deg=30.0)
    site = np.array([0, 0, 0, 1, 1])
    az = np.array([0.0, 180.0, 45.0, 0.0, 0.0])
    el = np.array([59.0, 26.0, 33.0, 29.0, 31.0])
    # site 0: 60 deg at north, its own 25 deg mask in the south (the wall's 5 deg does
    # not lower it), 32.5 deg half way; site 1 has no profile and the default 30 deg
    assert horizons.required_deg(site, az) == pytest.approx([60.0, 25.0, 32.5, 30.0, 30.0])
    assert horizons.above(site, az, el).tolist() == [False, True, True, False, True]

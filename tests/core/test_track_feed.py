"""The frame feed: never blocks, then matches SGP4 within a metre."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import time_at
from opsconsole.core.track_feed import TrackFeed, node_step_s
from tests.conftest import SYNTHETIC_EPOCH


def test_feed_answers_at_once_and_converges_to_sgp4(synthetic_elements) -> None:  # type: ignore[no-untyped-def]
    feed = TrackFeed(synthetic_elements)
    try:
        when = SYNTHETIC_EPOCH + timedelta(hours=3, seconds=17)
        positions, exact = feed.positions(when, 60)
        assert positions.shape == (len(synthetic_elements), 3)  # returned without waiting
        feed.wait(60)
        later = when + timedelta(seconds=95)
        positions, exact = feed.positions(later, 60)
        assert exact == later and feed.window is not None
        truth = propagate(synthetic_elements, time_at(later), velocities=False).position_km[:, 0]
        assert np.abs(positions - truth).max() < 0.001  # km: 1 m
        # far jump: the old window does not cover it; the instant arrives first
        jump = later + timedelta(days=2)
        _, exact = feed.positions(jump, 0)
        assert exact != jump
        feed.wait(60)
        positions, exact = feed.positions(jump, 0)
        assert exact == jump and feed.window is not None and feed.window.covers(jump)
    finally:
        feed.close()


def test_node_spacing_grows_with_speed() -> None:
    assert node_step_s(1) == node_step_s(-60) == 60.0
    assert node_step_s(300) == 120.0 and node_step_s(-3600) == 300.0

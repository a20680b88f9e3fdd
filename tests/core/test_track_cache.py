"""Hermite track cache against direct propagation (tolerance 2 m, observed < 1 m)."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from opsconsole.core.element_sets import build_element_set
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import time_at
from opsconsole.core.track_cache import OutsideWindowError, TrackNodes

from ..conftest import SAMPLE_TIME


def test_interpolated_positions_match_sgp4(sample_elements) -> None:  # type: ignore[no-untyped-def]
    nodes = TrackNodes.compute(sample_elements, SAMPLE_TIME, 1800.0)
    assert nodes.position_km.shape == (10_361, 31, 3)
    rng = np.random.default_rng(5)
    for offset in (*rng.uniform(0, 1800, 6), 0.0, 1800.0, 60.0):
        moment = SAMPLE_TIME + timedelta(seconds=float(offset))
        direct = propagate(sample_elements, time_at(moment))
        got = nodes.positions_at(moment)
        assert np.abs(got - direct.position_km[:, 0]).max() < 2e-3  # 2 m
        assert np.abs(nodes.velocities_at(moment) - direct.velocity_km_s[:, 0]).max() < 1e-3


def test_window_edges_and_failures(sample_elements) -> None:  # type: ignore[no-untyped-def]
    decaying = [r for r in sample_elements.records if r.mean_motion_rev_per_day > 16.0][:2]
    elements = build_element_set([*sample_elements.records[:10], *decaying], "mixed")
    start = SAMPLE_TIME + timedelta(days=300)
    nodes = TrackNodes.compute(elements, start, 600.0, step_s=60.0)
    assert nodes.covers(start) and nodes.covers(nodes.end)
    assert not nodes.covers(start - timedelta(seconds=1))
    with pytest.raises(OutsideWindowError):
        nodes.positions_at(nodes.end + timedelta(seconds=1))
    positions = nodes.positions_at(start + timedelta(seconds=90))
    assert np.isnan(positions).any(axis=1).any()  # failed satellites stay NaN, not dropped
    assert positions.shape == (len(elements), 3)
    with pytest.raises(ValueError):
        TrackNodes.compute(elements, start, 0.0)

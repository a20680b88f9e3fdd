"""Sharing a propagation between processes gives exactly the serial result."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from opsconsole.core.element_sets import build_element_set
from opsconsole.core.parallel_propagation import PARALLEL_THRESHOLD, choose_workers
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import times_from

from ..conftest import SAMPLE_TIME


def test_two_processes_equal_one(sample_elements) -> None:  # type: ignore[no-untyped-def]
    decaying = [r for r in sample_elements.records if r.mean_motion_rev_per_day > 16.0][:3]
    elements = build_element_set([*sample_elements.records[:997], *decaying], "mixed")
    t = times_from(SAMPLE_TIME + timedelta(days=200), np.arange(30) * 60.0)
    serial = propagate(elements, t, geodetic=True)
    shared = propagate(elements, t, geodetic=True, workers=2)
    assert serial.failed.any()
    for name in ("position_km", "velocity_km_s", "error", "lat_deg", "lon_deg", "alt_km"):
        np.testing.assert_array_equal(getattr(serial, name), getattr(shared, name), err_msg=name)


def test_worker_choice() -> None:
    assert choose_workers(10, 10, None) == 1
    assert choose_workers(10_000, PARALLEL_THRESHOLD, None) >= 1
    assert choose_workers(3, 10, 8) == 3
    assert choose_workers(100, 10, 1) == 1

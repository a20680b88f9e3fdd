"""Alerts: availability over the session so far, counted once per slot."""

from __future__ import annotations

import numpy as np

from opsconsole.training.alerts import (
    AVAILABILITY,
    MIN_SLOTS,
    AvailabilityTracker,
    availability_alerts,
)
from opsconsole.training.service import OK, OUTAGE

SITES = [
    {"id": 7, "name": "quay", "customer": "ports", "priority": 1, "min_availability_pct": 95.0},
    {"id": 8, "name": "yard", "customer": "ports", "priority": 3, "min_availability_pct": 50.0},
]


def test_availability_is_judged_after_enough_slots_and_each_slot_counts_once() -> None:
    tracker = AvailabilityTracker(2)
    down_first = np.array([OUTAGE, OK], dtype=np.uint8)
    for slot in range(MIN_SLOTS - 1):
        tracker.update(slot, down_first if slot == 0 else np.array([OK, OK], np.uint8))
    assert availability_alerts(tracker, SITES) == []  # too early to judge
    tracker.update(MIN_SLOTS - 1, np.array([OK, OK], np.uint8))
    (alert,) = availability_alerts(tracker, SITES)  # 9 of 10 slots = 90 % < 95 %
    assert alert.site_id == 7 and alert.reason == AVAILABILITY and alert.severity == "critical"
    assert alert.cause == "availability 90.0 % < 95 %"
    for _ in range(5):  # the clock scrubbed back over slot 0: it is not counted again
        tracker.update(0, down_first)
    assert len(tracker.seen) == MIN_SLOTS and tracker.ok.tolist() == [9.0, 10.0]
    for slot in range(MIN_SLOTS, 4 * MIN_SLOTS):
        tracker.update(slot, np.array([OK, OK], np.uint8))
    assert availability_alerts(tracker, SITES) == []  # 39 of 40 = 97.5 %: met again

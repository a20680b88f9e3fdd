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
    tracker = AvailabilityTracker()
    ids = [7, 8]
    down_first = np.array([OUTAGE, OK], dtype=np.uint8)
    for slot in range(MIN_SLOTS - 1):
        tracker.update(slot, ids, down_first if slot == 0 else np.array([OK, OK], np.uint8))
    assert availability_alerts(tracker, SITES) == []  # too early to judge
    tracker.update(MIN_SLOTS - 1, ids, np.array([OK, OK], np.uint8))
    (alert,) = availability_alerts(tracker, SITES)  # 9 of 10 slots = 90 % < 95 %
    assert alert.site_id == 7 and alert.reason == AVAILABILITY and alert.severity == "critical"
    assert alert.cause == "availability 90.0 % < 95 %"
    for _ in range(5):  # the clock scrubbed back over slot 0: it is not counted again
        tracker.update(0, ids, down_first)
    assert len(tracker.seen) == MIN_SLOTS and tracker.ok == {7: 9, 8: 10}
    for slot in range(MIN_SLOTS, 4 * MIN_SLOTS):
        tracker.update(slot, ids, np.array([OK, OK], np.uint8))
    assert availability_alerts(tracker, SITES) == []  # 39 of 40 = 97.5 %: met again


def test_a_plan_with_other_sites_keeps_each_sites_own_count() -> None:
    """Issue 15: activating a plan for another set of sites froze the Alerts dock (the
    tracker was sized for the first plan's sites)."""
    tracker = AvailabilityTracker()
    for slot in range(MIN_SLOTS):  # plan A covers site 7 only, down half the time
        tracker.update(slot, [7], np.array([OUTAGE if slot % 2 else OK], np.uint8))
    other = [*SITES, {**SITES[0], "id": 9, "name": "berth"}]  # plan B: 7, 8 and 9
    assert availability_alerts(tracker, other)[0].site_id == 7  # 50 % < 95 %
    for slot in range(MIN_SLOTS, 2 * MIN_SLOTS):
        tracker.update(slot, [7, 8, 9], np.array([OK, OK, OK], np.uint8))
    (alert,) = availability_alerts(tracker, other)  # 7: 15 of 20; 8 and 9: 10 of 10
    assert alert.site_id == 7 and alert.cause == "availability 75.0 % < 95 %"
    assert availability_alerts(tracker, [SITES[1]]) == []

"""Intervals and metrics from a hand-made result whose answers are known."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import numpy as np

from opsconsole.planning.assignment import CAPACITY, NO_SATELLITE, SERVED
from opsconsole.planning.metrics import plan_totals, site_metrics, utilisation
from opsconsole.planning.planner import PlanResult
from opsconsole.planning.schedule import intervals

START = datetime(2026, 11, 24, tzinfo=UTC)
S, N = SERVED, NO_SATELLITE


def _result() -> PlanResult:
    # site 0: sat 7 for 3 slots, sat 9 for 2 (one handover), then 1 slot without satellite
    # site 1: never served (capacity)
    sat = np.array([[7, -1], [7, -1], [7, -1], [9, -1], [9, -1], [-1, -1]], dtype=np.int32)
    gw = np.where(sat >= 0, 2, -1).astype(np.int16)
    region = np.where(sat >= 0, 5, -1).astype(np.int16)
    rtt = np.array([[20, np.nan], [22, np.nan], [24, np.nan], [30, np.nan], [50, np.nan],
                    [np.nan, np.nan]], dtype=np.float32)  # fmt: skip
    status = np.array([[S, CAPACITY]] * 5 + [[N, CAPACITY]], dtype=np.uint8)
    return PlanResult(START, 60.0, sat, gw, region, rtt, status)


def _inputs():  # type: ignore[no-untyped-def]
    return SimpleNamespace(
        sites=[0, 1],
        demand_mbps=np.array([100.0, 300.0]),
        max_rtt_ms=np.array([40.0, 40.0]),
        min_availability_pct=np.array([80.0, 99.0]),
    )


def test_intervals_are_runs_with_their_round_trips() -> None:
    iv = intervals(_result())
    assert iv.site.tolist() == [0, 0, 0, 1]
    assert iv.first_slot.tolist() == [0, 3, 5, 0] and iv.slots.tolist() == [3, 2, 1, 6]
    assert iv.satellite.tolist() == [7, 9, -1, -1]
    assert iv.status.tolist() == [SERVED, SERVED, NO_SATELLITE, CAPACITY]
    assert np.allclose(iv.rtt_mean_ms[:2], [22.0, 40.0]) and np.allclose(
        iv.rtt_max_ms[:2], [24, 50]
    )
    assert np.isnan(iv.rtt_mean_ms[2:]).all()
    assert iv.start_utc(1) == START + timedelta(minutes=3)
    assert iv.end_utc(1) == START + timedelta(minutes=5)
    assert iv.served.tolist() == [True, True, False, False]


def test_site_metrics_and_totals() -> None:
    result, inputs = _result(), _inputs()
    m = site_metrics(result, inputs)
    assert np.allclose(m.availability_pct, [500 / 6, 0.0])
    assert m.handovers.tolist() == [1, 0] and m.gateway_changes.tolist() == [0, 0]
    assert np.isclose(m.rtt_p50_ms[0], 24.0) and np.isclose(m.rtt_max_ms[0], 50.0)
    assert np.isnan(m.rtt_p50_ms[1])
    assert np.isclose(m.rtt_within_pct[0], 80.0)  # 4 of 5 served slots within 40 ms
    assert m.availability_met.tolist() == [True, False]
    assert m.rtt_met.tolist() == [False, False]  # p95 of site 0 is 46 ms
    totals = plan_totals(result, inputs, m)
    assert np.isclose(totals.served_demand_pct, 100 * (5 * 100) / (6 * 400))
    assert totals.sites_meeting_slo == 0 and totals.handovers == 1
    assert np.allclose(utilisation(result, inputs, "satellite", 7), [0.1, 0.1, 0.1, 0, 0, 0])
    assert np.allclose(utilisation(result, inputs, "gateway", 2), [0.1] * 5 + [0])

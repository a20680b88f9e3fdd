"""SLA accounting checked by hand on a 31-day month at 15 s slots (99.9 % allows
44.64 minutes of counted outage)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from opsconsole.core.contracts import Contract, CreditTier
from opsconsole.customers.sla import (
    Exclusion,
    account_site,
    month_bounds,
    outage_runs,
    period_fee,
)

START, END = month_bounds(2026, 10)  # October: 31 days
STEP = 15.0
SLOTS = int((END - START).total_seconds() / STEP)
OUTAGE, OK = 2, 0


def _minute(m: float) -> int:
    return int(m * 60 / STEP)


def _month(extra_minutes: float) -> tuple[np.ndarray, list[Exclusion]]:
    reason = np.full(SLOTS, OK, dtype=np.uint8)
    at = 1000
    reason[_minute(at) : _minute(at) + 3] = OUTAGE  # 45 s: shorter than 1 min, not counted
    reason[_minute(2000) : _minute(2040)] = OUTAGE  # 40 min, counted
    reason[_minute(5000) : _minute(5010)] = OUTAGE  # 10 min, all inside the maintenance
    reason[_minute(5100) : _minute(5105)] = OUTAGE  # 5 min, 2 inside the maintenance
    reason[_minute(9000) : _minute(9000 + extra_minutes)] = OUTAGE
    maintenance = Exclusion(START + timedelta(minutes=4990), START + timedelta(minutes=5102),
                            "maintenance MX-1 notified 96 h ahead")  # fmt: skip
    return reason, [maintenance]


def _account(reason: np.ndarray, exclusions: list[Exclusion], contract: Contract):  # type: ignore[no-untyped-def]
    rtt = np.where(np.isin(reason, (0, 1)), 40.0, np.nan)
    return account_site("Depot", contract, START, STEP, reason, rtt, [], exclusions,
                        rtt_objective_ms=50.0, period_s=(END - START).total_seconds(),
                        fee=period_fee(contract, START, END))  # fmt: skip


def test_a_month_within_the_objective_owes_nothing() -> None:
    contract = Contract("Acme", monthly_fee=1000.0)
    assert contract.allowed_downtime_s((END - START).total_seconds()) == pytest.approx(44.64 * 60)
    site = _account(*_month(1.5), contract)  # 40 + 3 + 1.5 = 44.5 min counted
    counted = [o for o in site.outages if o.counted]
    assert [round(o.duration_s) for o in site.outages] == [45, 2400, 600, 300, 90]
    assert len(counted) == 4 and site.counted_downtime_s == pytest.approx((40 + 3 + 1.5) * 60)
    assert site.outages[2].counted_s == 0 and site.outages[2].excluded_s == 600
    assert site.outages[3].excluded_s == 120 and site.outages[3].excluded_why
    assert site.availability_pct == pytest.approx(100 * (1 - 44.5 / 44640))
    assert site.availability_met and site.rtt_met and site.met
    assert site.credit_pct == 0 and site.credit == 0


def test_a_month_past_the_objective_owes_the_flat_credit() -> None:
    contract = Contract("Acme", monthly_fee=1000.0)
    site = _account(*_month(2.0), contract)  # 45 min counted > 44.64
    assert site.availability_pct == pytest.approx(100 * (1 - 45 / 44640))
    assert not site.availability_met and site.credit_pct == 20 and site.credit == 200.0


def test_tiers_and_round_trip() -> None:
    tiered = Contract("Acme", availability_pct=99.99, credit_kind="tiered", monthly_fee=500.0,
                      tiers=(CreditTier(99.99, 10), CreditTier(99.0, 25)))  # fmt: skip
    reason, exclusions = _month(300.0)  # 5 h more: 99.9 % > availability > 99 %
    site = _account(reason, exclusions, tiered)
    assert 99.0 < site.availability_pct < 99.99 and site.credit == 50.0
    rtt = np.full(SLOTS, 40.0)
    rtt[: SLOTS // 10] = 80.0  # a tenth of the month above 50 ms: the p95 is 80
    period_s = (END - START).total_seconds()
    slow = account_site("Depot", tiered, START, STEP, np.zeros(SLOTS, np.uint8), rtt, [],
                        rtt_objective_ms=50.0, period_s=period_s, fee=500.0)  # fmt: skip
    assert slow.rtt_ms == 80.0 and not slow.rtt_met and slow.availability_met and not slow.met
    assert slow.credit == 0  # the round trip is reported, and pays no credit


def test_runs_and_fees() -> None:
    assert outage_runs(np.array([1, 1, 0, 1, 0, 0, 1], bool)) == [(0, 2), (3, 4), (6, 7)]
    contract = Contract("Acme", monthly_fee=3000.0)
    assert period_fee(contract, START, END) == 3000.0
    day = datetime(2026, 10, 5, tzinfo=UTC)
    assert period_fee(contract, day, day + timedelta(days=1)) == pytest.approx(100.0)

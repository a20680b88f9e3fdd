"""The Customers view's month-so-far figures, recomputed by hand: with no plan in force
every site is down from the first instant of the month, so after ten minutes of
December (31 days) each site's best month-end availability is 1 - 600 / 2,678,400."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from opsconsole.core.contracts import Contract, CreditTier
from opsconsole.customers.sla_report import sla_report
from opsconsole.customers.standing import AT_RISK, MISSED, NO_CONTRACT, customer_standings
from opsconsole.store.contract_repository import remove_contract, save_contracts
from opsconsole.store.seed import open_store

DECEMBER_S = 31 * 86_400.0


def _customers(path: Path) -> tuple[str, str, str]:
    """Three customers of a new (seeded) database; the third loses its demo contract."""
    with open_store(str(path)) as store:
        rows = store.conn.execute("SELECT name FROM customers ORDER BY name").fetchall()
        assert remove_contract(store, str(rows[2][0]))
    return str(rows[0][0]), str(rows[1][0]), str(rows[2][0])


def test_a_period_ending_inside_a_slot_judges_its_last_part(tmp_path: Path) -> None:
    # 90 s with no plan in force: all 90 s are down (before, the last 30 s of the
    # second 60 s slot were never judged and counted as available)
    path = tmp_path / "ops.sqlite"
    first, _, _ = _customers(path)
    start = datetime(2026, 12, 1, tzinfo=UTC)
    with open_store(str(path)) as store:
        save_contracts(store, [Contract(first, min_outage_s=60.0)])
        report = sla_report(store, first, start, start + timedelta(seconds=90))
    for site in report.sites:
        assert site.counted_downtime_s == pytest.approx(90.0, abs=1e-6)
        assert site.availability_pct == pytest.approx(0.0, abs=1e-9)


def test_standings_after_ten_minutes_without_a_plan(tmp_path: Path) -> None:
    path = tmp_path / "ops.sqlite"
    lenient, strict, without = _customers(path)
    with open_store(str(path)) as store:
        save_contracts(store, [
            Contract(lenient, availability_pct=99.9, monthly_fee=1000.0),
            Contract(strict, availability_pct=99.99, monthly_fee=1000.0, credit_kind="tiered",
                     tiers=(CreditTier(99.99, 10.0), CreditTier(99.0, 25.0))),
        ])  # fmt: skip
    now = datetime(2026, 12, 1, 0, 10, tzinfo=UTC)
    standings = customer_standings(path, now)
    assert standings.start == datetime(2026, 12, 1, tzinfo=UTC)
    assert standings.end == datetime(2027, 1, 1, tzinfo=UTC)
    by_name = {c.customer: c for c in standings.customers}
    month_end = 100.0 * (1.0 - 600.0 / DECEMBER_S)  # 99.97760 %
    a, b = by_name[lenient], by_name[strict]
    # 99.9776 % >= 99.9 %: the month can still be met, but so far it is not
    assert a.status == AT_RISK and a.availability_pct == pytest.approx(0.0, abs=1e-9)
    assert a.worst_month_end_pct == pytest.approx(month_end, abs=1e-9)
    assert a.credit == 0.0 and a.counted_outages == a.sites
    assert a.downtime_s == pytest.approx(600.0 * a.sites)
    assert a.allowed_s == pytest.approx(DECEMBER_S * 0.001)  # 44.64 min
    # 99.9776 % < 99.99 %: missed whatever happens next; 10 % of the fee is certain
    assert b.status == MISSED
    assert b.credit == pytest.approx(b.sites * 100.0)
    assert by_name[without].status == NO_CONTRACT and by_name[without].availability_pct is None
    assert by_name[without].credit == 0.0

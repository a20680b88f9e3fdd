"""Where every customer stands this month so far: the Customers view's figures.

For a customer with a contract, the SLA report (``customers.sla_report``) over
``[first instant of the month, now)`` (UTC) gives each site's counted downtime so far.
From it, per site:

* **availability so far** = 100 x (1 - downtime so far / time elapsed this month);
* **best month-end availability** = 100 x (1 - downtime so far / length of the month):
  what the month ends with if nothing else goes wrong;
* **credit so far** = the contract's credit at the best month-end availability, of the
  month's fee: a credit already certain to be due (it can only grow).

The customer's **status**: ``missed`` when a site's best month-end availability is
already below the objective (no later service can save the month), ``at risk`` when a
site is below the objective so far or misses its round-trip objective, ``met so far``
otherwise. ``no contract`` customers are listed without figures.

:func:`customer_standings` takes a database path and returns plain frozen dataclasses,
so that the console can run it in a child process (``jobs.child_process``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from opsconsole.customers.service_record import plan_switches
from opsconsole.customers.sla import month_bounds, period_fee
from opsconsole.customers.sla_report import SlaReport, sla_report
from opsconsole.store.contract_repository import list_contracts
from opsconsole.store.database import Store

MET, AT_RISK, MISSED, NO_CONTRACT = "met so far", "at risk", "missed", "no contract"


@dataclass(frozen=True)
class CustomerStanding:
    """One customer's month so far (percentages in [0, 100], money in ``currency``)."""

    customer: str
    sites: int
    status: str
    objective_pct: float | None = None
    availability_pct: float | None = None
    """Mean of the sites' availability so far."""
    worst_site: str = ""
    worst_month_end_pct: float | None = None
    """The lowest best month-end availability among the sites."""
    credit: float = 0.0
    currency: str = ""
    counted_outages: int = 0
    downtime_s: float = 0.0
    """Counted downtime so far, summed over the sites."""
    allowed_s: float = 0.0
    """Downtime the objective allows each site over the whole month."""


@dataclass(frozen=True)
class Standings:
    """Every customer's standing over ``[start, now)`` of the month ``[start, end)``."""

    start: datetime
    now: datetime
    end: datetime
    customers: tuple[CustomerStanding, ...]
    plan_in_force: bool = True
    """Whether any plan was in force at some moment of ``[start, now)``."""


def standing_of(report: SlaReport, month_end: datetime) -> CustomerStanding:
    """The standing from ``report`` (whose period starts at its month's first instant
    and ends now, before ``month_end``)."""
    contract = report.contract
    month_s = (month_end - report.start).total_seconds()
    fee = period_fee(contract, report.start, month_end)
    credit, worst_site, worst = 0.0, "", 100.0
    status = MET
    for site in report.sites:
        month_end_pct = 100.0 * (1.0 - site.counted_downtime_s / month_s)
        credit += round(fee * contract.credit_pct(month_end_pct) / 100.0, 2)
        if month_end_pct < worst or not worst_site:
            worst_site, worst = site.site, month_end_pct
        if month_end_pct < contract.availability_pct:
            status = MISSED
        elif status == MET and not site.met:
            status = AT_RISK
    return CustomerStanding(
        report.customer,
        len(report.sites),
        status,
        contract.availability_pct,
        report.availability_pct if report.sites else None,
        worst_site,
        worst if report.sites else None,
        round(credit, 2),
        contract.currency,
        sum(sum(o.counted for o in s.outages) for s in report.sites),
        sum(s.counted_downtime_s for s in report.sites),
        contract.allowed_downtime_s(month_s),
    )


def customer_standings(db_path: str | Path, now: datetime) -> Standings:
    """Every customer's standing in ``now``'s month (UTC), read from the database at
    ``db_path`` (opened here: this runs in a child process)."""
    start, end = month_bounds(now.year, now.month)
    with Store(db_path) as store:
        contracts = {c.customer: c for c in list_contracts(store)}
        rows = store.conn.execute(
            "SELECT c.name, COUNT(s.id) FROM customers c LEFT JOIN sites s "
            "ON s.customer_id = c.id GROUP BY c.id ORDER BY c.name COLLATE NOCASE"
        ).fetchall()
        out = []
        in_force = any(pid is not None for _at, pid in plan_switches(store, start, max(now, start)))
        for name, sites in rows:
            if name not in contracts:
                out.append(CustomerStanding(str(name), int(sites), NO_CONTRACT))
            elif now <= start:
                out.append(CustomerStanding(str(name), int(sites), MET,
                                            contracts[name].availability_pct))  # fmt: skip
            else:
                report = sla_report(store, str(name), start, now)
                out.append(standing_of(report, end))
    return Standings(start, now, end, tuple(out), in_force)


def period_report(db_path: str | Path, customer: str, start: datetime, end: datetime) -> SlaReport:
    """``customer``'s SLA report over ``[start, end)`` (UTC), read from the database at
    ``db_path`` (opened here: this runs in a child process)."""
    with Store(db_path) as store:
        return sla_report(store, customer, start, end)

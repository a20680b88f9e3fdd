"""SLA accounting from slot-by-slot service: outages, availability, round trip, credit.

Input is what the service model says each slot of the period delivered to each site
(``training.service`` reason codes: within objective, round trip above objective,
outage, capacity, not served by the plan, no plan in force). Rules (``core.contracts``):

* an **outage** is a run of consecutive slots in which the site had no service; it
  lasts from the first slot's start to the last slot's end. Runs shorter than the
  contract's ``min_outage_s`` do not count;
* the part of a counted outage inside an **exclusion** (a maintenance notified at least
  the contract's notice ahead) is excluded;
* **availability** = 100 x (1 - counted outage time / period length);
* the **round trip** figure is the contract's percentile (95th) of the site's round
  trips over the slots it was served, against the contract's objective (or the site's);
* the **credit** is the contract's credit percentage at that availability, of the
  site's monthly fee (prorated when the period is not a whole month).

Everything here is a pure function of arrays; ``customers.sla_report`` gathers them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.contracts import Contract

SERVED_REASONS = (0, 1)
"""Reason codes of slots with service (within, or above, the round-trip objective)."""


@dataclass(frozen=True)
class Exclusion:
    """A stretch excluded from accounting (aware UTC), and why."""

    start: datetime
    end: datetime
    why: str


@dataclass(frozen=True)
class Outage:
    """One outage of a site: ``[start, end)`` UTC, its causes, and how much of it counts
    (s) after exclusions; ``counted`` false when it is shorter than the contract's
    shortest counted outage."""

    start: datetime
    end: datetime
    causes: tuple[str, ...]
    counted: bool
    counted_s: float
    excluded_s: float
    excluded_why: tuple[str, ...]

    @property
    def duration_s(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True)
class SiteAccount:
    """A site's figures over the period."""

    site: str
    outages: tuple[Outage, ...]
    counted_downtime_s: float
    availability_pct: float
    availability_met: bool
    rtt_ms: float | None
    """The contract's percentile of the served round trips (``None``: never served)."""
    rtt_objective_ms: float
    rtt_met: bool
    credit_pct: float
    credit: float

    @property
    def met(self) -> bool:
        return self.availability_met and self.rtt_met


def outage_runs(unserved: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """``(first, last + 1)`` slot index of every run of ``True`` in ``unserved`` ``(m,)``."""
    padded = np.concatenate([[False], unserved, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _overlap_s(
    start: datetime, end: datetime, exclusions: Sequence[Exclusion]
) -> tuple[float, tuple[str, ...]]:
    """Seconds of ``[start, end)`` inside the (non-overlapping) ``exclusions``."""
    total, why = 0.0, []
    for e in exclusions:
        part = (min(end, e.end) - max(start, e.start)).total_seconds()
        if part > 0:
            total += part
            why.append(e.why)
    return min(total, (end - start).total_seconds()), tuple(why)


def account_site(
    site: str,
    contract: Contract,
    period_start: datetime,
    step_s: float,
    reason: NDArray[np.uint8],
    rtt_ms: NDArray[np.floating],
    causes: Sequence[tuple[str, ...]],
    exclusions: Sequence[Exclusion] = (),
    *,
    rtt_objective_ms: float,
    period_s: float,
    fee: float,
) -> SiteAccount:
    """The figures of one site: ``reason`` and ``rtt_ms`` are ``(m,)`` over the period's
    slots (``step_s`` long from ``period_start``, UTC), ``causes[i]`` names what caused
    the ``i``-th outage run. ``fee`` is the site's fee for the period."""
    served = np.isin(reason, SERVED_REASONS)
    step = timedelta(seconds=step_s)
    outages = []
    for i, (a, b) in enumerate(outage_runs(~served)):
        start = period_start + a * step
        end = min(period_start + b * step, period_start + timedelta(seconds=period_s))
        length = (end - start).total_seconds()
        counted = length >= contract.min_outage_s
        excluded, why = _overlap_s(start, end, exclusions) if counted else (0.0, ())
        outages.append(Outage(start, end, causes[i] if i < len(causes) else (), counted,
                              length - excluded if counted else 0.0, excluded, why))  # fmt: skip
    down = sum(o.counted_s for o in outages)
    availability = 100.0 * (1.0 - down / period_s)
    met = availability >= contract.availability_pct
    values = np.asarray(rtt_ms, dtype=float)[served]
    values = values[np.isfinite(values)]
    rtt = float(np.percentile(values, contract.rtt_percentile)) if values.size else None
    credit_pct = contract.credit_pct(availability)
    return SiteAccount(site, tuple(outages), down, availability, met, rtt, rtt_objective_ms,
                       rtt is not None and rtt <= rtt_objective_ms, credit_pct,
                       round(fee * credit_pct / 100.0, 2))  # fmt: skip


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """``[first instant, first instant of the next month)`` in UTC."""
    from datetime import UTC

    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=UTC)
    return start, end


def period_fee(contract: Contract, start: datetime, end: datetime) -> float:
    """The per-site fee for ``[start, end)``: the monthly fee for one calendar month,
    else prorated by the length of a 30-day month."""
    if start.day == 1 and start.time() == datetime.min.time():
        whole = month_bounds(start.year, start.month)
        if whole == (start, end):
            return contract.monthly_fee
    return contract.monthly_fee * (end - start).total_seconds() / (30 * 86_400.0)

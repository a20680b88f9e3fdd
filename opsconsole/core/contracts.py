"""Customer contracts: what a customer's service level agreement promises and what it
pays back when the promise is missed.

Per billing period (a calendar month, UTC) and per site:

* **availability** is the share of the period's time the site had service, where only
  outages of at least ``min_outage_s`` count (shorter interruptions count as available)
  and outages inside a maintenance notified at least ``maintenance_notice_h`` hours ahead
  are excluded (counted as available);
* the **round trip** objective holds when the ``rtt_percentile`` (95th by default) of
  the site's served round trips is at most ``max_rtt_ms`` (``None``: the site's own
  objective);
* the **credit** is a percentage of the site's monthly fee, from the credit schedule:
  ``flat`` pays ``tiers[0].credit_pct`` when availability is below the objective (its
  ``below_pct`` is not used), as Starlink's published Priority SLA does; ``tiered`` pays
  the credit of the lowest threshold the availability falls below (AWS-style: below
  99.99 / 99 / 95 % pays 10 / 25 / 100 %). Missing the round-trip objective is reported,
  and pays no credit.

Percentages are in [0, 100], times in seconds or hours as named, fees in ``currency``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import pairwise

MAX_MONTHLY_FEE = 1e9
MAX_NOTICE_H = 24 * 90.0
MAX_MIN_OUTAGE_S = 86_400.0
MAX_RTT_OBJECTIVE_MS = 10_000.0
CREDIT_KINDS = ("flat", "tiered")


@dataclass(frozen=True)
class CreditTier:
    """Availability below ``below_pct`` earns ``credit_pct`` of the monthly fee."""

    below_pct: float
    credit_pct: float


@dataclass(frozen=True)
class Contract:
    """A customer's SLA (see the module docstring for the meaning of each figure)."""

    customer: str
    availability_pct: float = 99.9
    min_outage_s: float = 60.0
    max_rtt_ms: float | None = None
    rtt_percentile: float = 95.0
    monthly_fee: float = 0.0
    """Per site and month."""
    currency: str = "USD"
    credit_kind: str = "flat"
    tiers: tuple[CreditTier, ...] = field(default_factory=lambda: (CreditTier(99.9, 20.0),))
    maintenance_notice_h: float = 72.0
    time_zone: str | None = None
    """IANA time zone of the customer's notices (``Europe/Berlin``); ``None``: UTC only."""

    def credit_pct(self, availability_pct: float) -> float:
        """Credit (% of the monthly fee) due at ``availability_pct``."""
        if self.credit_kind == "flat":
            return self.tiers[0].credit_pct if availability_pct < self.availability_pct else 0.0
        return max((t.credit_pct for t in self.tiers if availability_pct < t.below_pct),
                   default=0.0)  # fmt: skip

    def allowed_downtime_s(self, period_s: float) -> float:
        """Outage time the objective allows in a period of ``period_s`` seconds."""
        return period_s * (100.0 - self.availability_pct) / 100.0


def _number_problem(name: str, value: object, low: float, high: float, *,
                    open_low: bool = False) -> str | None:  # fmt: skip
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{name} must be a number, got {value!r}"
    v = float(value)
    if not math.isfinite(v):
        return f"{name} must be a finite number, got {value!r}"
    if v < low or v > high or (open_low and v == low):
        bound = f"more than {low:g}" if open_low else f"at least {low:g}"
        return f"{name} must be {bound} and at most {high:g}, got {value!r}"
    return None


def contract_problems(contract: Contract) -> list[str]:
    """Everything wrong with ``contract`` (empty when it is valid)."""
    c = contract
    problems = [
        p
        for p in (
            _number_problem("availability_pct", c.availability_pct, 0.0, 100.0, open_low=True),
            _number_problem("min_outage_s", c.min_outage_s, 0.0, MAX_MIN_OUTAGE_S),
            _number_problem("rtt_percentile", c.rtt_percentile, 0.0, 100.0, open_low=True),
            _number_problem("monthly_fee", c.monthly_fee, 0.0, MAX_MONTHLY_FEE),
            _number_problem("maintenance_notice_h", c.maintenance_notice_h, 0.0, MAX_NOTICE_H),
            None
            if c.max_rtt_ms is None
            else _number_problem(
                "max_rtt_ms", c.max_rtt_ms, 0.0, MAX_RTT_OBJECTIVE_MS, open_low=True
            ),
        )
        if p
    ]
    if not (isinstance(c.currency, str) and len(c.currency) == 3 and c.currency.isalpha()
            and c.currency.isupper()):  # fmt: skip
        problems.append(f"currency must be a three-letter code such as USD, got {c.currency!r}")
    if c.time_zone is not None and (problem := _zone_problem(c.time_zone)):
        problems.append(problem)
    if c.credit_kind not in CREDIT_KINDS:
        problems.append(f"credit must be flat or tiered, got {c.credit_kind!r}")
        return problems
    problems += _tier_problems(c)
    return problems


def _zone_problem(name: object) -> str | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return f"time_zone {name!r} is not an IANA time zone such as Europe/Berlin"
    return None


def _tier_problems(c: Contract) -> list[str]:
    if not c.tiers:
        return ["the credit schedule has no tiers"]
    if c.credit_kind == "flat" and len(c.tiers) != 1:
        return [f"a flat credit has one credit percentage, got {len(c.tiers)} tiers"]
    problems = []
    for n, tier in enumerate(c.tiers, start=1):
        for name, value in (("below_pct", tier.below_pct), ("credit_pct", tier.credit_pct)):
            if p := _number_problem(f"tier {n} {name}", value, 0.0, 100.0, open_low=True):
                problems.append(p)
    if problems or c.credit_kind == "flat":  # a flat credit applies below the objective
        return problems
    below = [t.below_pct for t in c.tiers]
    credit = [t.credit_pct for t in c.tiers]
    if any(b >= a for a, b in pairwise(below)):
        problems.append(f"tiers overlap: thresholds must fall strictly, got {below}")
    elif any(b <= a for a, b in pairwise(credit)):
        problems.append(f"tiers overlap: credits must rise as thresholds fall, got {credit}")
    if below[0] > c.availability_pct:
        problems.append(f"tier 1 below {below[0]:g} % pays credit while the objective "
                        f"{c.availability_pct:g} % is met")  # fmt: skip
    return problems

"""Argument types for the command line: every number finite and within named bounds,
every time a real UTC instant. argparse names the option in the error
(``argument --hours: must be a finite number, got 'nan'``) and exits with code 2."""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable
from datetime import datetime

from opsconsole.core.timescale import parse_utc
from opsconsole.planning.parameters import MAX_DURATION_S

MAX_PLAN_HOURS = MAX_DURATION_S / 3600.0
"""Longest plan window (h): 31 days."""
MAX_PASS_HOURS = 14 * 24.0
"""Longest ``passes`` window (h): 14 days (SGP4 elements are stale long before)."""
MAX_WORKERS = 64
"""Most local worker processes a command starts."""

_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def finite_number(text: str) -> float:
    """A float that is neither ``nan`` nor ``inf``."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text!r}")
    return value


def number_in(
    low: float, high: float, *, open_low: bool = False, open_high: bool = False, unit: str = ""
) -> Callable[[str], float]:
    """A type: a finite number in ``[low, high]`` (either end open when asked)."""
    left, right = "(" if open_low else "[", ")" if open_high else "]"
    span = f"{left}{low:g}, {high:g}{right}{' ' + unit if unit else ''}"

    def parse(text: str) -> float:
        value = finite_number(text)
        below = value <= low if open_low else value < low
        above = value >= high if open_high else value > high
        if below or above:
            raise argparse.ArgumentTypeError(f"must be in {span}, got {text}")
        return value

    parse.__name__ = f"number in {span}"
    return parse


def whole_number_in(low: int, high: int) -> Callable[[str], int]:
    """A type: a whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be {low} to {high}, got {value}")
        return value

    parse.__name__ = f"whole number {low} to {high}"
    return parse


def utc_time(text: str) -> datetime:
    """An ISO 8601 time (``Z`` or an offset; none means UTC) that exists: ``2026-02-30``
    is named an impossible date, ``yesterday`` not a time at all."""
    try:
        return parse_utc(text)
    except ValueError as exc:
        date = _DATE.match(text)
        if date and ("out of range" in str(exc) or "must be in" in str(exc)):
            raise argparse.ArgumentTypeError(f"impossible date or time {text!r} ({exc})") from None
        raise argparse.ArgumentTypeError(
            f"expected an ISO 8601 UTC time such as 2026-05-13T06:00Z, got {text!r}"
        ) from None


HOURS_OF_PLAN = number_in(0.0, MAX_PLAN_HOURS, open_low=True, unit="h")
HOURS_OF_PASSES = number_in(0.0, MAX_PASS_HOURS, open_low=True, unit="h")
WORKERS = whole_number_in(1, MAX_WORKERS)

"""Mean elements that parse but cannot be right: checks shared by the TLE and OMM
readers (the reason is shown with the file and line or record)."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta

from sgp4.api import Satrec

FIRST_EPOCH = datetime(1957, 10, 4, tzinfo=UTC)
"""Sputnik 1's launch day: no element set can be older."""
MAX_EPOCH_AHEAD = timedelta(days=366)
"""Epochs more than this ahead of the clock are refused (a typo, not a prediction)."""
MAX_OMM_CATALOG_NUMBER = 999_999_999
"""The largest catalog number an OMM ``NORAD_CAT_ID`` may hold (nine digits)."""
_IMPLIED_DECIMAL = re.compile(r"^[ +-]?[0-9 ]{5}[+-][0-9]$")
"""A TLE field in implied-decimal form, e.g. `` 12345-4`` (0.12345e-4) or ``-11606-4``."""


def epoch_problem(epoch: datetime, now: datetime | None = None) -> str | None:
    """Why ``epoch`` (UTC) cannot be a real element set's epoch, or ``None``."""
    if epoch < FIRST_EPOCH:
        return f"epoch {epoch:%Y-%m-%d} is before 1957-10-04 (the first satellite)"
    clock = now or datetime.now(UTC)
    if epoch > clock + MAX_EPOCH_AHEAD:
        return f"epoch {epoch:%Y-%m-%d} is more than a year ahead of the clock ({clock:%Y-%m-%d})"
    return None


def tle_day_problem(line1: str) -> str | None:
    """Why the epoch day of TLE line 1 (columns 21-32) is impossible, or ``None``."""
    two_digits = int(line1[18:20])
    year = two_digits + (1900 if two_digits >= 57 else 2000)
    day = float(line1[20:32])
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if day < 1.0 or day >= (367.0 if leap else 366.0):
        return f"epoch day {day:g} does not exist in {year} (columns 21-32)"
    return None


def tle_field_problem(line1: str) -> str | None:
    """Why the second derivative (columns 45-52) or BSTAR (54-61) of TLE line 1 is not
    in the implied-decimal form, or ``None``."""
    for name, start, stop in (("mean motion second derivative", 44, 52), ("BSTAR", 53, 61)):
        text = line1[start:stop]
        if not _IMPLIED_DECIMAL.match(text):
            return f"{name} in columns {start + 1}-{stop} is not a number: {text.strip()!r}"
    return None


def satrec_problem(satrec: Satrec) -> str | None:
    """Why mean elements SGP4 accepted still cannot describe an orbit, or ``None``:
    mean motion not positive, eccentricity outside [0, 1), or a drag term that is not
    a finite number."""
    if not satrec.no_kozai > 0.0:
        rev_per_day = satrec.no_kozai * 1440 / (2 * math.pi)
        return f"mean motion must be positive, found {rev_per_day:g} rev/day"
    if not 0.0 <= satrec.ecco < 1.0:
        return f"eccentricity must be in [0, 1), found {satrec.ecco:g}"
    for name, value in (("BSTAR", satrec.bstar), ("mean motion derivative", satrec.ndot),
                        ("mean motion second derivative", satrec.nddot)):  # fmt: skip
        if not math.isfinite(value):
            return f"{name} is not a finite number"
    return None

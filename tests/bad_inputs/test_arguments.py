"""Command-line numbers and times: nan, inf, out-of-range values and impossible dates
are refused by argparse (exit code 2) naming the option, before anything is opened."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .conftest import Run

PLAN = ("plan", "create", "--name", "x", "--start", "2026-05-13T00:00Z", "--hours", "1")
PASSES = ("passes", "--site", "47.6,-122.3", "--start", "2026-05-13T00:00Z", "--hours", "1")


def _with(base: tuple[str, ...], option: str, value: str) -> tuple[str, ...]:
    """``base`` with ``option`` set to ``value`` (``--option=-inf``: argparse would read a
    bare ``-inf`` as an option)."""
    args = list(base)
    if option in args:
        del args[args.index(option) : args.index(option) + 2]
    return (*args, f"{option}={value}")


CASES = [
    (PLAN, "--hours", "nan", "must be a finite number, got 'nan'"),
    (PLAN, "--hours", "inf", "must be a finite number, got 'inf'"),
    (PLAN, "--hours", "-1", "must be in (0, 744] h"),
    (PLAN, "--hours", "745", "must be in (0, 744] h"),
    (PLAN, "--start", "2026-02-30T00:00Z", "impossible date or time '2026-02-30T00:00Z'"),
    (PLAN, "--start", "2026-05-13T25:00Z", "impossible date or time"),
    (PLAN, "--start", "yesterday", "expected an ISO 8601 UTC time"),
    (PLAN, "--workers", "0", "must be 1 to 64"),
    (PLAN, "--workers", "nan", "expected a whole number"),
    (PLAN, "--step", "nan", "invalid choice"),
    (PASSES, "--hours", "337", "must be in (0, 336] h"),
    (PASSES, "--hours", "NaN", "finite number"),
    (PASSES, "--min-elevation", "nan", "finite number"),
    (PASSES, "--min-elevation", "90", "must be in [-5, 90) deg"),
    (PASSES, "--start", "2025-02-29", "impossible date"),
    (("propagate", "--at", "2026-13-01"), "--at", "2026-13-01", "impossible date or time"),
    (("elements", "refresh"), "--timeout", "inf", "finite number"),
    (("elements", "refresh"), "--timeout", "0", "must be in (0, 600] s"),
    (("elements", "refresh"), "--max-age-hours", "-inf", "finite number"),
    (("contingency", "1"), "--workers", "-2", "must be 1 to 64"),
    (("training", "run", "plane-failure", "--report", "r.json"), "--speed", "nan", "finite"),
    (
        ("training", "run", "plane-failure", "--report", "r.json"),
        "--until",
        "2026-11-31",
        "impossible",
    ),
]


@pytest.mark.parametrize(
    ("base", "option", "value", "reason"),
    CASES,
    ids=[f"{c[0][0]}{c[1]}={c[2]}" for c in CASES],
)
def test_bad_numbers_and_times_name_the_option(
    refused: Callable[..., Run], base: tuple[str, ...], option: str, value: str, reason: str
) -> None:
    result = refused(*_with(base, option, value), expected=(f"argument {option}:", reason), code=2)
    errors = [line for line in result.err.splitlines() if "error:" in line]
    assert errors == [result.err.strip().splitlines()[-1]], result.err  # one line, last


def test_a_plan_longer_than_31_days_is_refused_by_the_planner_too() -> None:
    from datetime import UTC, datetime

    from opsconsole.planning.parameters import PlanParameters

    start = datetime(2026, 5, 13, tzinfo=UTC)
    with pytest.raises(ValueError, match="at most 31 days"):
        PlanParameters(start=start, duration_s=32 * 86_400.0)
    with pytest.raises(ValueError, match="at most 31 days"):
        PlanParameters(start=start, duration_s=float("nan"))

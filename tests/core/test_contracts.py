"""Contracts: validation, credits, and the TOML/CSV forms (errors name line or row)."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsconsole.core.contract_files import (
    CSV_COLUMNS,
    contract_csv_row,
    contracts_toml,
    parse_contracts_csv,
    parse_contracts_toml,
    read_contracts,
)
from opsconsole.core.contracts import Contract, CreditTier, contract_problems
from opsconsole.core.input_errors import InputFileError

AWS_LIKE = Contract(
    "Acme", availability_pct=99.99, credit_kind="tiered",
    tiers=(CreditTier(99.99, 10), CreditTier(99.0, 25), CreditTier(95.0, 100)),
    monthly_fee=1500.0, max_rtt_ms=60.0, time_zone="Europe/Berlin",
)  # fmt: skip


def test_defaults_are_starlink_priority_like() -> None:
    c = Contract("Acme")
    assert contract_problems(c) == []
    assert c.credit_pct(99.95) == 0.0 and c.credit_pct(99.89) == 20.0 and c.credit_pct(10) == 20


def test_a_31_day_month_at_99_9_allows_44_64_minutes() -> None:
    assert Contract("Acme").allowed_downtime_s(31 * 86_400) / 60 == pytest.approx(44.64)


@pytest.mark.parametrize(
    ("availability", "credit"),
    [(100.0, 0), (99.99, 0), (99.989, 10), (99.0, 10), (98.99, 25), (95.0, 25), (94.9, 100)],
)
def test_tiered_credit_is_the_lowest_threshold_crossed(availability: float, credit: float) -> None:
    assert contract_problems(AWS_LIKE) == []
    assert AWS_LIKE.credit_pct(availability) == credit


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"monthly_fee": -5.0}, "monthly_fee must be at least 0"),
        ({"availability_pct": 0.0}, "availability_pct must be more than 0"),
        ({"availability_pct": 100.5}, "at most 100"),
        ({"availability_pct": float("nan")}, "finite number"),
        ({"min_outage_s": -1.0}, "min_outage_s"),
        ({"max_rtt_ms": 0.0}, "max_rtt_ms must be more than 0"),
        ({"currency": "usd"}, "three-letter code"),
        ({"credit_kind": "generous"}, "flat or tiered"),
        ({"tiers": (CreditTier(99.99, 10), CreditTier(99.99, 25))}, "thresholds must fall"),
        ({"tiers": (CreditTier(99.99, 30), CreditTier(99.0, 25))}, "credits must rise"),
        ({"tiers": (CreditTier(99.999, 10),)}, "pays credit while the objective"),
        ({"tiers": (CreditTier(99.99, 0),)}, "credit_pct must be more than 0"),
        ({"tiers": ()}, "no tiers"),
        ({"time_zone": "Mars/Olympus_Mons"}, "not an IANA time zone"),
    ],
)
def test_bad_contracts_are_named(changes: dict[str, object], reason: str) -> None:
    from dataclasses import replace

    problems = contract_problems(replace(AWS_LIKE, **changes))  # type: ignore[arg-type]
    assert any(reason in p for p in problems), problems


def test_flat_credit_applies_below_the_objective() -> None:
    flat = Contract("Acme", availability_pct=99.5, tiers=(CreditTier(99.9, 20),))
    assert contract_problems(flat) == []
    assert flat.credit_pct(99.6) == 0 and flat.credit_pct(99.4) == 20


def test_toml_and_csv_round_trip(tmp_path: Path) -> None:
    contracts = [Contract("Harbourline Ports Group"), AWS_LIKE]
    text = contracts_toml(contracts)
    assert parse_contracts_toml(text, "c.toml") == contracts
    path = tmp_path / "c.toml"
    path.write_text(text)
    assert read_contracts(path) == contracts
    csv_text = (
        ",".join(CSV_COLUMNS)
        + "\n"
        + "\n".join(",".join(f'"{v}"' for v in contract_csv_row(c)) for c in contracts)
    )
    assert parse_contracts_csv(csv_text, "c.csv") == contracts


BAD_TOML = """\
[[contract]]
customer = "A"
availability_pct = 99.9

[[contract]]
customer = "B"
monthly_fee = -1

[[contract]]
customer = "C"
credit = "tiered"
tiers = [[99, 10], [99.5, 25]]

[[contract]]
customer = "a"
colour = "red"
"""


def test_every_bad_contract_is_named_by_its_line() -> None:
    with pytest.raises(InputFileError) as caught:
        parse_contracts_toml(BAD_TOML, "c.toml")
    issues = {(i.number, i.reason.split(" ")[0]) for i in caught.value.issues}
    assert (7, "monthly_fee") in issues and (12, "tiers") in issues, issues
    assert any(i.number == 14 and "unknown key" in i.reason for i in caught.value.issues)
    assert caught.value.valid == 1


def test_bad_csv_rows_are_named() -> None:
    text = "customer,availability_pct,tiers\nA,99.9,99.9:20\nB,abc,99.9:20\nA,99.9,99.9:20\n"
    with pytest.raises(InputFileError) as caught:
        parse_contracts_csv(text, "c.csv")
    reasons = [(i.number, i.reason) for i in caught.value.issues]
    assert (2, "availability_pct 'abc' is not a number") in reasons
    assert any(n == 3 and "again (first at row 1)" in r for n, r in reasons)
    with pytest.raises(InputFileError, match="missing column"):
        parse_contracts_csv("customer\nA\n", "c.csv")


@pytest.mark.parametrize("text", ["x = [" * 3000, "[[contract]]\ncustomer = 7\n", "contract = 3"])
def test_malformed_toml_is_an_input_error(text: str) -> None:
    with pytest.raises(InputFileError):
        parse_contracts_toml(text, "c.toml")

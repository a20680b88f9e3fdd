"""Contracts as files: TOML (``[[contract]]`` tables) or CSV (one row per customer),
read with every problem named by line or row, and written back in the same forms.

TOML::

    [[contract]]
    customer = "Harbourline Ports Group"
    availability_pct = 99.9        # per month
    min_outage_s = 60              # shorter interruptions do not count
    max_rtt_ms = 60                # optional: else each site's own objective
    rtt_percentile = 95
    monthly_fee = 1500             # per site
    currency = "USD"
    maintenance_notice_h = 72      # maintenance notified this far ahead is excluded
    time_zone = "Europe/Berlin"    # optional: notices also in this local time
    credit = "tiered"              # or "flat" with credit_pct = 20
    tiers = [[99.99, 10], [99, 25], [95, 100]]   # [below %, credit %]

CSV columns: the same keys, with ``tiers`` written ``99.99:10;99:25;95:100`` (a flat
credit: ``99.9:20``).
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path
from typing import Any

from opsconsole.core.bounded_input import read_bounded
from opsconsole.core.contracts import Contract, CreditTier, contract_problems
from opsconsole.core.input_errors import InputFileError, InputIssue, decode_text, name_problem

MAX_CONTRACT_FILE_BYTES = 4 * 2**20
NUMBER_KEYS = ("availability_pct", "min_outage_s", "max_rtt_ms", "rtt_percentile",
               "monthly_fee", "maintenance_notice_h")  # fmt: skip
KEYS = ("customer", *NUMBER_KEYS, "currency", "credit", "credit_pct", "tiers", "time_zone")
CSV_COLUMNS = ("customer", *NUMBER_KEYS, "currency", "credit", "tiers", "time_zone")
_DEFAULTS = {f.name: f.default for f in fields(Contract) if f.name not in ("tiers",)}


def _contract(values: dict[str, Any]) -> tuple[Contract | None, list[str]]:
    """A contract from already typed ``values`` (TOML or converted CSV), or its problems."""
    unknown = sorted(set(values) - set(KEYS))
    if unknown:
        return None, [f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(KEYS)})"]
    customer = values.get("customer")
    if not isinstance(customer, str):
        return None, [f"customer must be a name, got {customer!r}"]
    if problem := name_problem(customer, "customer"):
        return None, [problem]
    kind = values.get("credit", "flat")
    objective = values.get("availability_pct", _DEFAULTS["availability_pct"])
    if kind == "flat" and "tiers" not in values:
        tiers_raw: Any = [[objective, values.get("credit_pct", 20.0)]]
    else:
        if "credit_pct" in values:
            return None, ["credit_pct is for a flat credit; a tiered one lists tiers"]
        tiers_raw = values.get("tiers")
    if not isinstance(tiers_raw, list) or not all(
        isinstance(t, list) and len(t) == 2 for t in tiers_raw
    ):
        return None, [f"tiers must be [[below %, credit %], ...], got {tiers_raw!r}"]
    numbers = {k: values.get(k, _DEFAULTS[k]) for k in NUMBER_KEYS}
    contract = Contract(
        customer=customer,
        currency=values.get("currency", "USD"),
        time_zone=values.get("time_zone"),
        credit_kind=kind,
        tiers=tuple(CreditTier(*t) for t in tiers_raw),
        **numbers,
    )
    problems = contract_problems(contract)
    return (None, problems) if problems else (contract, [])


def _key_lines(text: str) -> list[dict[str, int]]:
    """Per ``[[contract]]`` block: the line of its header (key ``""``) and of each key."""
    blocks: list[dict[str, int]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if re.match(r"^\s*\[\[\s*contract\s*\]\]", line):
            blocks.append({"": n})
        elif blocks and (key := re.match(r"^\s*([A-Za-z_]+)\s*=", line)):
            blocks[-1].setdefault(key.group(1), n)
    return blocks


def _at_key_lines(exc: InputFileError, blocks: list[dict[str, int]]) -> InputFileError:
    """``exc`` with each issue moved from its block's header to the line of the key its
    reason names (``tier 2 credit_pct ...`` names ``tiers``)."""
    by_header = {b[""]: b for b in blocks}
    moved = []
    for issue in exc.issues:
        block = by_header.get(issue.number, {})
        word = issue.reason.split(" ")[0]
        key = "tiers" if word == "tier" else "credit" if word == "a" else word
        moved.append(InputIssue(issue.source, issue.unit, block.get(key, issue.number),
                                issue.reason))  # fmt: skip
    return InputFileError(moved, valid=exc.valid)


def parse_contracts_toml(text: str, source: str) -> list[Contract]:
    """Every ``[[contract]]`` of a TOML text; :class:`InputFileError` lists each bad
    one by the line of its header."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else 0
        raise InputFileError([InputIssue(source, "line", line, f"not valid TOML: {exc}")]) from None
    except RecursionError:
        raise InputFileError([InputIssue(source, "line", 0, "nested too deeply")]) from None
    items = data.get("contract")
    if set(data) - {"contract"} or not isinstance(items, list):
        raise InputFileError([InputIssue(source, "line", 0, "expected [[contract]] tables only")])
    blocks = _key_lines(text)
    headers = [b[""] for b in blocks]
    numbered = ((headers[i] if i < len(headers) else 0, item) for i, item in enumerate(items))
    try:
        return _collect(numbered, source, "line")
    except InputFileError as exc:
        raise _at_key_lines(exc, blocks) from None


def _collect(items: Iterable[tuple[int, Any]], source: str, unit: str) -> list[Contract]:
    contracts: list[Contract] = []
    issues: list[InputIssue] = []
    seen: dict[str, int] = {}
    for number, item in items:
        if not isinstance(item, dict):
            issues.append(InputIssue(source, unit, number, "expected a table of contract keys"))
            continue
        contract, problems = _contract(item)
        issues += [InputIssue(source, unit, number, p) for p in problems]
        if contract is not None:
            key = contract.customer.casefold()
            if key in seen:
                issues.append(InputIssue(source, unit, number, f"customer {contract.customer!r} "
                                         f"again (first at {unit} {seen[key]})"))  # fmt: skip
            seen.setdefault(key, number)
            contracts.append(contract)
    if issues:
        raise InputFileError(issues, valid=len(contracts))
    return contracts


def _csv_value(key: str, text: str) -> Any:
    text = text.strip()
    if key in NUMBER_KEYS:
        if text == "" and key == "max_rtt_ms":
            return None
        if "_" in text:
            raise ValueError(f"{key} {text!r} is not a number")
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{key} {text!r} is not a number") from None
        return value
    if key == "tiers":
        return [[t.below_pct, t.credit_pct] for t in parse_tiers(text)]
    return text


def parse_tiers(text: str) -> tuple[CreditTier, ...]:
    """Tiers written ``below:credit;below:credit`` (percentages, ``99.99:10;99:25``);
    raises ``ValueError`` naming the text when a pair is not two numbers."""
    out = []
    for pair in (p for p in text.split(";") if p.strip()):
        parts = pair.split(":")
        try:
            if len(parts) != 2 or any("_" in x for x in parts):
                raise ValueError
            out.append(CreditTier(float(parts[0]), float(parts[1])))
        except ValueError:
            raise ValueError(f"tiers {text!r} are not below:credit pairs") from None
    return tuple(out)


def tiers_text(tiers: Iterable[CreditTier]) -> str:
    """``tiers`` as :func:`parse_tiers` reads them."""
    return ";".join(f"{_number(t.below_pct)}:{_number(t.credit_pct)}" for t in tiers)


def parse_contracts_csv(text: str, source: str) -> list[Contract]:
    """Contracts from CSV rows (header: :data:`CSV_COLUMNS`, ``customer`` and ``tiers``
    required); :class:`InputFileError` names each bad row."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [c.strip() for c in (reader.fieldnames or [])]
    missing = {"customer", "tiers"} - set(header)
    if missing:
        reason = f"missing column(s): {', '.join(sorted(missing))}"
        raise InputFileError([InputIssue(source, "row", 0, reason)])
    rows: list[tuple[int, Any]] = []
    issues: list[InputIssue] = []
    for number, row in enumerate(reader, start=1):
        if None in row:
            issues.append(InputIssue(source, "row", number, "more cells than columns"))
            continue
        try:
            values = {k.strip(): _csv_value(k.strip(), v or "") for k, v in row.items()
                      if (v or "").strip() != "" or k.strip() == "customer"}  # fmt: skip
        except ValueError as exc:
            issues.append(InputIssue(source, "row", number, str(exc)))
            continue
        rows.append((number, values))
    try:
        contracts = _collect(rows, source, "row")
    except InputFileError as exc:
        raise InputFileError([*issues, *exc.issues], valid=exc.valid) from None
    if issues:
        raise InputFileError(issues, valid=len(contracts))
    return contracts


def read_contracts(path: str | Path) -> list[Contract]:
    """Read a ``.toml`` or ``.csv`` contract file (by suffix; TOML otherwise)."""
    data = read_bounded(path, MAX_CONTRACT_FILE_BYTES)
    text = decode_text(data, str(path))
    if Path(path).suffix.lower() == ".csv":
        return parse_contracts_csv(text, str(path))
    return parse_contracts_toml(text, str(path))


def _toml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(value: float) -> str:
    return repr(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(value)


def contracts_toml(contracts: Iterable[Contract]) -> str:
    """TOML text that :func:`parse_contracts_toml` reads back to the same contracts."""
    out: list[str] = []
    for c in contracts:
        out.append("[[contract]]")
        out.append(f"customer = {_toml_text(c.customer)}")
        for key in NUMBER_KEYS:
            value = getattr(c, key)
            if value is not None:
                out.append(f"{key} = {_number(float(value))}")
        out.append(f"currency = {_toml_text(c.currency)}")
        if c.time_zone:
            out.append(f"time_zone = {_toml_text(c.time_zone)}")
        out.append(f"credit = {_toml_text(c.credit_kind)}")
        if c.credit_kind == "flat":
            out.append(f"credit_pct = {_number(c.tiers[0].credit_pct)}")
        else:
            tiers = ", ".join(f"[{_number(t.below_pct)}, {_number(t.credit_pct)}]" for t in c.tiers)
            out.append(f"tiers = [{tiers}]")
        out.append("")
    return "\n".join(out)


def contract_csv_row(c: Contract) -> tuple[object, ...]:
    """One CSV row in :data:`CSV_COLUMNS` order."""
    tiers = tiers_text(c.tiers)
    numbers = tuple("" if getattr(c, k) is None else _number(float(getattr(c, k)))
                    for k in NUMBER_KEYS)  # fmt: skip
    return (c.customer, *numbers, c.currency, c.credit_kind, tiers, c.time_zone or "")

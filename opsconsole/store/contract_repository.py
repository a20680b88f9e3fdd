"""Customer contracts in the store: one per customer, every change audited.

A contract names an existing customer (matched ignoring case). Saving several is one
transaction: any unknown customer or invalid contract writes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from opsconsole.core.contracts import Contract, CreditTier, contract_problems
from opsconsole.store.database import Store, utc_now_text

_COLUMNS = ("availability_pct", "min_outage_s", "max_rtt_ms", "rtt_percentile", "monthly_fee",
            "currency", "credit_kind", "maintenance_notice_h", "time_zone")  # fmt: skip


class ContractError(ValueError):
    """A contract that cannot be stored: unknown customer or invalid values."""


def _customer(conn: sqlite3.Connection, name: str) -> tuple[int, str]:
    row = conn.execute(
        "SELECT id, name FROM customers WHERE name = ? COLLATE NOCASE ORDER BY id", (name,)
    ).fetchone()
    if row is None:
        raise ContractError(f"no customer called {name!r}")
    return int(row[0]), str(row[1])


def _contract(name: str, row: sqlite3.Row | tuple[object, ...]) -> Contract:
    values = dict(zip((*_COLUMNS, "tiers"), row, strict=True))
    tiers = tuple(CreditTier(float(b), float(c)) for b, c in json.loads(str(values.pop("tiers"))))
    return Contract(customer=name, tiers=tiers, **values)


def get_contract(store: Store, customer: str) -> Contract | None:
    """The customer's contract, ``None`` when it has none (``ContractError`` when there
    is no such customer)."""
    customer_id, name = _customer(store.conn, customer)
    row = store.conn.execute(
        f"SELECT {', '.join(_COLUMNS)}, tiers FROM contracts WHERE customer_id = ?",
        (customer_id,),
    ).fetchone()
    return None if row is None else _contract(name, row)


def list_contracts(store: Store) -> list[Contract]:
    """Every stored contract, by customer name."""
    rows = store.conn.execute(
        f"SELECT c.name, {', '.join('k.' + col for col in _COLUMNS)}, k.tiers FROM contracts k "
        "JOIN customers c ON c.id = k.customer_id ORDER BY c.name COLLATE NOCASE"
    ).fetchall()
    return [_contract(str(row[0]), tuple(row[1:])) for row in rows]


def save_contracts(
    store: Store, contracts: Sequence[Contract], action: str = "contract.set"
) -> None:
    """Store (insert or replace) ``contracts`` in one audited transaction; all or none."""
    replace_contracts(store, contracts, (), action)


def replace_contracts(store: Store, contracts: Sequence[Contract], remove: Sequence[str],
                      action: str = "contract.set") -> None:  # fmt: skip
    """Store ``contracts`` and delete the contracts of the customers named in
    ``remove``, in one audited transaction (an edit of the console and its undo)."""
    problems = [f"{c.customer}: {p}" for c in contracts for p in contract_problems(c)]
    if problems:
        raise ContractError("; ".join(problems))
    detail = {"customers": [c.customer for c in contracts], "removed": list(remove)}
    with store.transaction(action, "contract", None, detail) as conn:
        for contract in contracts:
            customer_id, _ = _customer(conn, contract.customer)
            tiers = json.dumps([[t.below_pct, t.credit_pct] for t in contract.tiers])
            values = [getattr(contract, col) for col in _COLUMNS]
            conn.execute(
                f"INSERT OR REPLACE INTO contracts (customer_id, {', '.join(_COLUMNS)}, tiers, "
                f"updated_utc) VALUES ({', '.join('?' * (len(_COLUMNS) + 3))})",
                (customer_id, *values, tiers, utc_now_text()),
            )
        for name in remove:
            customer_id, _ = _customer(conn, name)
            conn.execute("DELETE FROM contracts WHERE customer_id = ?", (customer_id,))


def remove_contract(store: Store, customer: str) -> bool:
    """Delete the customer's contract; whether there was one."""
    with store.transaction("contract.remove", "contract", None, {"customer": customer}) as conn:
        customer_id, _ = _customer(conn, customer)
        return (
            conn.execute("DELETE FROM contracts WHERE customer_id = ?", (customer_id,)).rowcount > 0
        )

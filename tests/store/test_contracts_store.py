"""Contracts in the store: stored per customer, all-or-nothing, audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsconsole.core.contracts import Contract, CreditTier
from opsconsole.store.contract_repository import (
    ContractError,
    get_contract,
    list_contracts,
    remove_contract,
    save_contracts,
)
from opsconsole.store.seed import open_store

from ..helpers import database_content


def test_contracts_are_kept_audited_and_all_or_nothing(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "ops.sqlite")) as store:
        names = [r[0] for r in store.conn.execute("SELECT name FROM customers ORDER BY id")]
        assert len(list_contracts(store)) == len(names)  # the seeded demo contracts
        for other in names:
            assert remove_contract(store, other)
        name = names[0]
        assert get_contract(store, name) is None
        tiers = (CreditTier(99.99, 10), CreditTier(99, 25))
        tiered = Contract(name.upper(), availability_pct=99.99, credit_kind="tiered",
                          tiers=tiers, monthly_fee=900)  # fmt: skip
        save_contracts(store, [tiered])
        stored = get_contract(store, name)
        assert stored is not None and stored.tiers == tiered.tiers and stored.customer == name
        assert [c.customer for c in list_contracts(store)] == [name]
        before = database_content(store.path)
        with pytest.raises(ContractError, match="no customer called 'Nobody'"):
            save_contracts(store, [Contract(name), Contract("Nobody")])
        with pytest.raises(ContractError, match="monthly_fee must be at least 0"):
            save_contracts(store, [Contract(name, monthly_fee=-1)])
        assert database_content(store.path) == before
        actions = [r[0] for r in store.conn.execute("SELECT action FROM audit_log")]
        assert actions.count("contract.set") == 1
        assert remove_contract(store, name) and get_contract(store, name) is None

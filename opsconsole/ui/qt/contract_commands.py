"""Undoable changes of customer contracts (an edit in the console, an import): each
redo and undo is one audited transaction (``contract_repository.replace_contracts``).

The first write happens in :meth:`ContractsCommand.apply`, before the command is pushed,
so that a refused change (unknown customer, bad values, a locked database) is reported
to the operator and never reaches the undo stack; later redos and undos only write
contracts the store accepted before, and a failure then is reported through
``failed`` (a Python exception must not escape a Qt virtual method)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtGui import QUndoCommand

from opsconsole.core.contracts import Contract
from opsconsole.store.contract_repository import get_contract, replace_contracts
from opsconsole.store.database import Store


class ContractsCommand(QUndoCommand):
    """Set the customers' contracts to ``new`` (``None``: no contract); undo puts back
    what they were when the command was made."""

    def __init__(
        self,
        store: Store,
        text: str,
        new: Mapping[str, Contract | None],
        changed: Callable[[], None],
        failed: Callable[[str], None],
        action: str = "contract.set",
    ) -> None:
        super().__init__(text)
        self._store, self._changed, self._failed, self._action = store, changed, failed, action
        self._new = dict(new)
        self._old = {name: get_contract(store, name) for name in new}
        self._applied = False

    def apply(self) -> None:
        """Write the new contracts now; raises ``ContractError`` or ``sqlite3.Error``
        (nothing written) when the store refuses them. Push the command after this."""
        self._write(self._new)
        self._applied = True

    def _write(self, values: Mapping[str, Contract | None]) -> None:
        keep: Sequence[Contract] = [c for c in values.values() if c is not None]
        remove = [name for name, c in values.items() if c is None]
        replace_contracts(self._store, keep, remove, self._action)
        self._changed()

    def _replay(self, values: Mapping[str, Contract | None]) -> None:
        try:
            self._write(values)
        except (ValueError, sqlite3.Error) as exc:
            self._failed(f"{self.text()}: {exc}")

    def redo(self) -> None:
        if self._applied:  # written by apply() before the push
            self._applied = False
            return
        self._replay(self._new)

    def undo(self) -> None:
        self._replay(self._old)

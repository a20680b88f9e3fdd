"""Undoable edits of the ground catalog: each redo and undo is one audited transaction.

Values are validated before a command is pushed (the inspector refuses bad input with a
message), so redo and undo only replay values that the store has accepted before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtGui import QUndoCommand

from opsconsole.store import catalog_edits
from opsconsole.store.database import Store

Changed = Callable[[str, int | str], None]
"""Called after every redo/undo with the kind and key of the object that changed."""


class UpdateCommand(QUndoCommand):
    """Replace an object's editable values; undo writes the old values back."""

    def __init__(
        self,
        text: str,
        kind: str,
        key: int | str,
        write: Callable[[Mapping[str, Any]], None],
        old: Mapping[str, Any],
        new: Mapping[str, Any],
        changed: Changed,
    ) -> None:
        super().__init__(text)
        self.kind, self.key = kind, key
        self._write, self._old, self._new, self._changed = write, dict(old), dict(new), changed

    def redo(self) -> None:
        self._write(self._new)
        self._changed(self.kind, self.key)

    def undo(self) -> None:
        self._write(self._old)
        self._changed(self.kind, self.key)


EDITABLE: dict[str, tuple[Callable[[Store, Any], dict[str, Any]],
                          Callable[[Store, Any, Mapping[str, Any]], None]]] = {
    "site": (catalog_edits.site_values, catalog_edits.update_site),
    "customer": (catalog_edits.customer_values, catalog_edits.update_customer),
    "gateway": (catalog_edits.gateway_values, catalog_edits.update_gateway),
}  # fmt: skip
"""How to read and write the editable values of each kind of object."""


def update(store: Store, kind: str, key: int | str, new: Mapping[str, Any], changed: Changed
           ) -> UpdateCommand:  # fmt: skip
    """Command replacing the values of ``kind``/``key`` (old values read from the store now)."""
    read, write = EDITABLE[kind]
    old = read(store, key)
    return UpdateCommand(f"Edit {kind} {old['name']}", kind, key,
                         lambda values: write(store, key, values), old, new, changed)  # fmt: skip


class AddSiteCommand(QUndoCommand):
    """Create a site; undo deletes it, redo restores it under the same id."""

    def __init__(
        self, store: Store, customer_id: int, values: Mapping[str, Any], changed: Changed
    ) -> None:
        super().__init__(f"New site {values['name']}")
        self._store, self._customer, self._values = store, customer_id, dict(values)
        self._changed = changed
        self.site_id: int | None = None

    def redo(self) -> None:
        if self.site_id is None:
            self.site_id = catalog_edits.add_site(self._store, self._customer, self._values)
        else:
            catalog_edits.restore_site(self._store, self.site_id, self._customer, self._values)
        self._changed("site", self.site_id)

    def undo(self) -> None:
        assert self.site_id is not None
        catalog_edits.delete_site(self._store, self.site_id)
        self._changed("site", self.site_id)

"""The database the console works on, what it loaded from it, and the events that say
it changed: everything loaded (``loaded``), one ground object edited (``ground_changed``),
the plan list changed (``plans_changed``) and the operations record (contracts,
incidents, maintenances) changed (``operations_changed``)."""

from __future__ import annotations

from pathlib import Path

from opsconsole.console.console_data import ConsoleData
from opsconsole.console.database_watch import CatalogChanges, catalog_changes
from opsconsole.console.events import Event
from opsconsole.console.selection import ObjectRef
from opsconsole.store.change_feed import last_change_id
from opsconsole.store.database import Store
from opsconsole.store.element_repository import active_element_set_id


class Catalog:
    """``db_path`` and its open ``store`` (used on the UI thread only; work elsewhere
    opens its own connection) with the loaded ``data``."""

    def __init__(self, db_path: Path, store: Store, data: ConsoleData) -> None:
        self.db_path, self.store, self.data = db_path, store, data
        self.loaded: Event[None] = Event("catalog loaded")
        """``data`` was replaced (a reload, another database)."""
        self.ground_changed: Event[ObjectRef] = Event("ground object changed")
        """An edit changed (or removed) one site, customer, gateway, PoP or region."""
        self.plans_changed: Event[int | None] = Event("plans changed")
        """A plan was created or its status changed (its id; ``None``: any)."""
        self.ground_reloaded: Event[None] = Event("ground catalog re-read")
        """Sites, customers, gateways, PoPs and regions were re-read (other writers)."""
        self.operations_changed: Event[None] = Event("operations record changed")
        """Contracts, incidents or maintenances changed (here or in another process)."""
        self.seen_change_id = last_change_id(store)
        """The newest audit entry whose change the loaded data reflects."""

    def replace(self, data: ConsoleData, seen_change_id: int | None = None) -> None:
        """Switch to freshly loaded ``data`` (which reflects the changes up to audit
        entry ``seen_change_id``)."""
        self.data = data
        if seen_change_id is not None:
            self.seen_change_id = max(self.seen_change_id, seen_change_id)
        self.loaded.emit(None)

    def refresh(self) -> CatalogChanges:
        """Re-read what other writers changed since the last look: the ground catalog
        at once (``ground_reloaded``), the plan list through ``plans_changed``. Returns
        the changes; new active elements (``elements_stale``) are the caller's to load
        (a full reload, off the UI thread)."""
        changes = catalog_changes(self.store, self.seen_change_id)
        self.seen_change_id = changes.last_id
        if changes.ground:
            self.data.reload_ground(self.store)
            self.ground_reloaded.emit(None)
        if changes.plans:
            self.plans_changed.emit(None)
        if changes.operations:
            self.operations_changed.emit(None)
        return changes

    def elements_stale(self) -> bool:
        """Is another element set active in the database than the one loaded?"""
        loaded = self.data.element_info.id if self.data.element_info is not None else None
        return active_element_set_id(self.store) != loaded

    def switch_to(self, db_path: Path, store: Store) -> None:
        """Work on another database from now on (its data follows through a reload);
        the previous store is closed."""
        self.store.close()
        self.db_path, self.store = db_path, store
        self.seen_change_id = last_change_id(store)

    def operations_edited(self) -> None:
        """This console changed a contract, an incident or a maintenance: tell views."""
        self.operations_changed.emit(None)

    def ground_edited(self, kind: str, key: int | str) -> None:
        """An edit changed ``kind``/``key``: re-read the ground catalog and tell views."""
        self.data.reload_ground(self.store)
        self.ground_changed.emit(ObjectRef(kind, key))

"""Customer operations in the console: the Customers and Incidents panels, the
Customers menu's commands and the globe's "Can we serve a site here?", incident and
maintenance entries. The panels share the console model's catalog and clock only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QWidget

from opsconsole.console.model import ConsoleModel
from opsconsole.ui.qt.customers_panel import CustomersPanel
from opsconsole.ui.qt.operations_panel import OperationsPanel

PointAction = Callable[[float, float], object]


class CustomerOperations:
    """Both panels and what the menus and the globe ask of them. ``new_site(lat, lon)``
    opens the Inspector's new-site form, ``show_dock(key)`` brings a dock forward and
    ``view_centre()`` is the (lat, lon) the globe looks at (degrees)."""

    def __init__(self, model: ConsoleModel, undo: QUndoStack, parent: QWidget,
                 new_site: PointAction, show_dock: Callable[[str], None],
                 view_centre: Callable[[], tuple[float, float]]) -> None:  # fmt: skip
        self.model, self.parent = model, parent
        self._new_site, self._show_dock, self._view_centre = new_site, show_dock, view_centre
        self.customers = CustomersPanel(model.catalog, model.clock, undo, parent)
        self.operations = OperationsPanel(model.catalog, model.clock, parent)

    def connect(self, actions: dict[str, QAction]) -> None:
        """The Customers menu's commands."""
        actions["customers_view"].triggered.connect(lambda: self._show_dock("customers"))
        actions["incidents_view"].triggered.connect(lambda: self._show_dock("incidents"))
        actions["log_incident"].triggered.connect(lambda: self.log_incident("", ""))
        actions["plan_maintenance"].triggered.connect(lambda: self.plan_maintenance("", ""))
        actions["site_check"].triggered.connect(self._check_at_view_centre)
        actions["import_contracts"].triggered.connect(self.customers.import_dialog)
        actions["export_contracts"].triggered.connect(self.customers.export_dialog)

    def tick(self) -> None:
        """The clock moved (every 250 ms): the Customers figures follow it."""
        self.customers.refresh_live(self.model.clock.now())

    def log_incident(self, kind: str, key: str) -> Any:
        """The Incidents dock, and the incident form (on ``kind:key`` when given)."""
        self._show_dock("incidents")
        return self.operations.log_incident(kind, key)

    def plan_maintenance(self, kind: str, key: str) -> Any:
        """The Incidents dock's Maintenance tab, and the maintenance form."""
        self._show_dock("incidents")
        return self.operations.plan_maintenance(kind, key)

    def can_we_serve(self, lat: float, lon: float) -> Any:
        """Open the onboarding check for a site at (lat, lon) degrees."""
        from opsconsole.ui.qt.site_check_dialog import SiteCheckDialog

        c = self.model.catalog
        dialog = SiteCheckDialog(c.db_path, lat, lon, self.model.clock.now(), self.parent,
                                 self._new_site)  # fmt: skip
        dialog.show()
        return dialog

    def _check_at_view_centre(self) -> None:
        self.can_we_serve(*self._view_centre())

"""The Explorer dock: satellites by shell and plane, customers and their sites, gateways,
cloud regions; a filter box; counts in the tab titles; double-click flies the camera."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import numpy as np
from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLineEdit, QTabWidget, QTreeView, QVBoxLayout, QWidget

from opsconsole.console.console_data import ConsoleData
from opsconsole.console.selection import ObjectRef, Selection
from opsconsole.core.constellation_structure import STATUSES

REF_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
"""Role holding a row's searchable text (all its columns) on its first item."""
FILTER_DELAY_MS = 200
MIN_FILTER_CHARS = 2
TAB_OF_KIND = {"satellite": "satellites", "site": "customers", "customer": "customers",
               "gateway": "gateways", "pop": "pops", "region": "regions"}  # fmt: skip
"""The tab listing each kind of selectable object."""
TABS = ("satellites", "customers", "gateways", "pops", "regions")


def ref_text(ref: ObjectRef) -> str:
    """The item-data form of a reference: ``kind:key`` (a key may itself contain ':')."""
    return f"{ref.kind}:{ref.key}"


def parse_ref(text: object) -> ObjectRef | None:
    """Inverse of :func:`ref_text` (``None`` for group rows)."""
    if not isinstance(text, str) or ":" not in text:
        return None
    kind, key = text.split(":", 1)
    return ObjectRef(kind, key if kind in ("gateway", "region", "pop") else int(key))


def _row(ref: ObjectRef | None, *texts: str) -> list[QStandardItem]:
    # references are stored as plain text so that item data never holds Python objects
    items = [QStandardItem(text) for text in texts]
    for item in items:
        item.setEditable(False)
        item.setData(ref_text(ref) if ref is not None else "", REF_ROLE)
    items[0].setData(" ".join(texts), SEARCH_ROLE)
    return items


class Explorer(QWidget):
    """Trees over :class:`ConsoleData` (satellites, customers and their sites,
    gateways, PoPs, regions) sharing one filter box."""

    fly_to = Signal(object)
    """Emitted with an :class:`ObjectRef` on double-click."""

    def __init__(self, selection: Selection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selection = selection
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter (Ctrl+F): name, catalog number, customer…")
        self.filter.setClearButtonEnabled(True)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)  # flat tabs: all five fit the dock's 330 px
        self.tabs.tabBar().setStyleSheet("QTabBar::tab { padding: 4px 7px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.filter)
        layout.addWidget(self.tabs)
        self.models: dict[str, QStandardItemModel] = {}
        self.proxies: dict[str, QSortFilterProxyModel] = {}
        self.views: dict[str, QTreeView] = {}
        self._items: dict[ObjectRef, QStandardItem] = {}
        self._syncing = False
        for name in TABS:
            model = QStandardItemModel(self)
            proxy = QSortFilterProxyModel(self)
            proxy.setSourceModel(model)
            proxy.setRecursiveFilteringEnabled(True)
            proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            proxy.setFilterKeyColumn(0)  # one string per row: the columns joined
            proxy.setFilterRole(SEARCH_ROLE)
            view = QTreeView(self)
            view.setObjectName(f"explorer_{name}")
            view.setModel(proxy)
            view.setUniformRowHeights(True)
            view.selectionModel().currentChanged.connect(self._on_current)
            view.doubleClicked.connect(self._on_double_click)
            self.tabs.addTab(view, "PoPs" if name == "pops" else name.title())
            self.models[name], self.proxies[name], self.views[name] = model, proxy, view
        # filtering 10,000 rows takes a moment: wait until the operator pauses typing
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter.textChanged.connect(lambda _text: self._filter_timer.start())
        selection.changed.connect(self._on_selection)

    # -- content -------------------------------------------------------------------
    def populate(self, data: ConsoleData, *, satellites: bool = True) -> None:
        """Rebuild the trees from ``data`` (keeps the filter); ``satellites=False`` keeps
        the satellite tree (after an edit of the ground catalog)."""
        if satellites:
            self._items = {}
            self._fill_satellites(data)
        else:
            self._items = {k: v for k, v in self._items.items() if k.kind == "satellite"}
        self._fill_customers(data)
        self._fill_flat(
            "gateways",
            ("Gateway", "Country", "Status", "Capacity Gbps (modelled)", "PoP"),
            [
                (ObjectRef("gateway", g["id"]), g["name"], g["country"], g.get("status", ""),
                 f"{g['capacity_gbps']:g}", str(g.get("pop_id") or "–"))
                for g in data.gateways
            ],
        )  # fmt: skip
        self._fill_flat(
            "pops",
            ("PoP", "Code", "Country", "Status", "Gateways"),
            [
                (ObjectRef("pop", p["id"]), p["name"], p["code"], p["country"], p["status"],
                 str(p["gateways"]))
                for p in data.pops
            ],
        )  # fmt: skip
        by_provider: dict[str, list[dict[str, object]]] = defaultdict(list)
        for region in data.regions:
            by_provider[str(region["provider"])].append(region)
        model = self.models["regions"]
        model.clear()
        model.setHorizontalHeaderLabels(["Region", "Name", "Residency"])
        for provider, rows in sorted(by_provider.items()):
            parent = _row(None, f"{provider} ({len(rows)})", "", "")
            for r in rows:
                ref = ObjectRef("region", str(r["id"]))
                items = _row(ref, str(r["display_name"]), str(r["name"]), str(r["residency_zone"]))
                self._items[ref] = items[0]
                parent[0].appendRow(items)
            model.appendRow(parent)
        counts = (len(data.elements), len(data.sites), len(data.gateways), len(data.pops),
                  len(data.regions))  # fmt: skip
        titles = ("Satellites", "Sites", "Gateways", "PoPs", "Regions")
        # five tabs with counts do not fit the dock's width: the count heads the first
        # column (and the tab's tooltip) instead
        for index, (title, count) in enumerate(zip(titles, counts, strict=True)):
            self.tabs.setTabText(index, title)
            self.tabs.setTabToolTip(index, f"{count:,} {title.lower()}")
            model = self.models[TABS[index]]
            first = str(model.headerData(0, Qt.Orientation.Horizontal) or "")
            first = re.sub(r" \([\d,]+\)$", "", first)  # a kept tree keeps its old count
            model.setHeaderData(0, Qt.Orientation.Horizontal, f"{first} ({count:,})")
        for view in self.views.values():
            view.resizeColumnToContents(0)
        self._on_selection(self.selection.current)

    def _fill_satellites(self, data: ConsoleData) -> None:
        model = self.models["satellites"]
        model.clear()
        model.setHorizontalHeaderLabels(["Satellite", "Catalog #", "Status"])
        s = data.structure
        ids, names = data.elements.norad_ids, data.elements.names
        status_text = np.array(STATUSES)[s.status] if len(s.status) else np.array([])
        shells = [*range(len(s.shell_labels)), -1]
        for shell in shells:
            members = np.flatnonzero(s.shell == shell)
            if members.size == 0:
                continue
            label = s.shell_labels[shell] if shell >= 0 else "Not in a shell (raising, deorbiting)"
            shell_row = _row(None, f"{label} ({members.size})", "", "")
            planes: dict[int, list[int]] = defaultdict(list)
            for i in members.tolist():
                planes[int(s.plane[i])].append(i)
            for plane, indices in sorted(planes.items()):
                if shell >= 0:
                    raan = s.plane_raan_deg(shell, plane)
                    text = f"Plane {plane + 1} · RAAN {raan:.1f}° ({len(indices)})"
                    parent = _row(None, text, "", "")[0]
                    shell_row[0].appendRow(parent)
                else:
                    parent = shell_row[0]
                for i in indices:
                    ref = ObjectRef("satellite", int(ids[i]))
                    items = _row(ref, names[i], str(ids[i]), str(status_text[i]))
                    self._items[ref] = items[0]
                    parent.appendRow(items)
            model.appendRow(shell_row)

    def _fill_customers(self, data: ConsoleData) -> None:
        model = self.models["customers"]
        model.clear()
        model.setHorizontalHeaderLabels(["Customer / site", "Demand Mbps", "Residency", "Sector"])
        sites_by_customer: dict[int, list[dict[str, object]]] = defaultdict(list)
        for site in data.sites:
            sites_by_customer[int(site["customer_id"])].append(site)
        for customer in data.customers:
            ref = ObjectRef("customer", int(customer["id"]))
            demand = sum(
                float(str(x["demand_mbps"])) for x in sites_by_customer[int(customer["id"])]
            )
            row = _row(
                ref, f"{customer['name']} ({customer['sites']})", f"{demand:g}", "",
                str(customer["sector"]),
            )  # fmt: skip
            self._items[ref] = row[0]
            for site in sites_by_customer[int(customer["id"])]:
                sref = ObjectRef("site", int(str(site["id"])))
                items = _row(
                    sref,
                    str(site["name"]),
                    f"{site['demand_mbps']:g}",
                    str(site["residency"]) or "any",
                    "",
                )
                self._items[sref] = items[0]
                row[0].appendRow(items)
            model.appendRow(row)

    def _fill_flat(self, name: str, headers: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        """One row per object: ``(ObjectRef, column text, ...)``."""
        model = self.models[name]
        model.clear()
        model.setHorizontalHeaderLabels(list(headers))
        for ref, *texts in rows:
            items = _row(ref, *texts)
            self._items[ref] = items[0]
            model.appendRow(items)

    # -- behaviour -----------------------------------------------------------------
    def apply_filter(self) -> None:
        """Filter every tree by the filter box (ignored below two characters)."""
        text = self.filter.text().strip()
        if 0 < len(text) < MIN_FILTER_CHARS:
            text = ""
        for proxy in self.proxies.values():
            proxy.setFilterFixedString(text)
        if text:
            for view in self.views.values():
                view.expandAll()

    def focus_filter(self) -> None:
        """Put the cursor in the filter box (Ctrl+F)."""
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    def _ref_at(self, index: QModelIndex) -> ObjectRef | None:
        return parse_ref(index.siblingAtColumn(0).data(REF_ROLE)) if index.isValid() else None

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing:
            return
        ref = self._ref_at(current)
        if ref is not None:
            self.selection.select(ref)

    def _on_double_click(self, index: QModelIndex) -> None:
        ref = self._ref_at(index)
        if ref is not None:
            self.selection.select(ref)
            self.fly_to.emit(ref)

    def _on_selection(self, ref: ObjectRef | None) -> None:
        item = self._items.get(ref) if ref is not None else None
        if item is None or ref is None:
            return
        name = TAB_OF_KIND.get(ref.kind)
        if name is None:
            return
        tab = TABS.index(name)
        proxy_index = self.proxies[name].mapFromSource(item.index())
        if not proxy_index.isValid():  # hidden by the filter: clear it to show the object
            self.filter.clear()
            proxy_index = self.proxies[name].mapFromSource(item.index())
        self._syncing = True
        try:
            self.tabs.setCurrentIndex(tab)
            view = self.views[name]
            view.setCurrentIndex(proxy_index)
            view.scrollTo(proxy_index)
        finally:
            self._syncing = False

    def current_ref(self) -> ObjectRef | None:
        """The object under the explorer's cursor in the visible tab."""
        view = self.views[TABS[self.tabs.currentIndex()]]
        return self._ref_at(view.currentIndex())

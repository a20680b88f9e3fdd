"""Everything the console shows, loaded from the store in one go (no widgets here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.constellation_structure import ConstellationStructure, constellation_structure
from opsconsole.core.element_sets import ElementSet, build_element_set
from opsconsole.store.catalog_edits import customer_rows, site_rows
from opsconsole.store.catalog_repository import list_gateways, list_pops, list_regions
from opsconsole.store.database import Store
from opsconsole.store.element_repository import ElementSetInfo, list_element_sets, load_element_set


@dataclass
class ConsoleData:
    """The active element set and its structure, and the ground catalog as rows."""

    elements: ElementSet
    element_info: ElementSetInfo | None
    structure: ConstellationStructure
    sites: list[dict[str, Any]]
    customers: list[dict[str, Any]]
    gateways: list[dict[str, Any]]
    regions: list[dict[str, Any]]
    pops: list[dict[str, Any]]

    def same_satellites(self, other: ConsoleData) -> bool:
        """Are ``other``'s satellites these (catalog numbers, names, shells, planes and
        statuses), whatever their elements? Then a view of them can be kept."""
        mine, theirs = self.structure, other.structure
        return (
            self.elements.names == other.elements.names
            and np.array_equal(self.elements.norad_ids, other.elements.norad_ids)
            and all(np.array_equal(getattr(mine, a), getattr(theirs, a))
                    for a in ("shell", "plane", "status"))
        )  # fmt: skip

    @classmethod
    def load(cls, store: Store, now: datetime, elements: ElementSet | None = None) -> ConsoleData:
        """Read the active element set (empty if none) and the catalog; with
        ``elements`` (``--elements FILE``), those instead of the stored set."""
        if elements is not None:
            data = cls(elements, None, constellation_structure(elements, now),
                       [], [], [], [], [])  # fmt: skip
            data.reload_ground(store)
            return data
        try:
            elements = load_element_set(store)
        except LookupError:
            elements = build_element_set((), "none")
        active = [info for info in list_element_sets(store) if info.active]
        data = cls(
            elements,
            active[0] if active else None,
            constellation_structure(elements, now),
            [],
            [],
            [],
            [],
            [],
        )
        data.reload_ground(store)
        return data

    def reload_ground(self, store: Store) -> None:
        """Re-read sites, customers, gateways and regions (after an edit)."""
        self.sites = site_rows(store)
        self.customers = customer_rows(store)
        self.gateways = list_gateways(store)
        self.regions = list_regions(store)
        self.pops = list_pops(store)

    def satellite_index(self, norad_id: int) -> int | None:
        """Index of a catalog number in the element set, or ``None``."""
        ids = self.elements.norad_ids
        i = int(np.searchsorted(ids, norad_id))
        return i if i < len(ids) and ids[i] == norad_id else None

    def site(self, site_id: int) -> dict[str, Any] | None:
        """A site row by id."""
        return next((row for row in self.sites if row["id"] == site_id), None)

    def ground_latlon(self, kind: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Latitudes and longitudes (deg) of every site, gateway, region or PoP."""
        rows = {"site": self.sites, "gateway": self.gateways, "region": self.regions,
                "pop": self.pops}[kind]  # fmt: skip
        return (
            np.array([r["lat"] for r in rows], dtype=float),
            np.array([r["lon"] for r in rows], dtype=float),
        )

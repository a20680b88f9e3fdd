"""Connects the selection to the Inspector: which rows to show, live refresh, and the
undoable edits (site, customer, gateway, new site)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from PySide6.QtGui import QUndoStack

from opsconsole.console.catalog import Catalog
from opsconsole.console.intents import Intents
from opsconsole.console.live import LiveSky
from opsconsole.console.replay import PlanReplay
from opsconsole.console.selection import Selection
from opsconsole.core.catalog import SiteSpec
from opsconsole.core.sim_clock import SimulationClock
from opsconsole.core.sun import sun_itrs_km
from opsconsole.core.timescale import time_at
from opsconsole.store import catalog_edits
from opsconsole.ui.qt import edit_commands
from opsconsole.ui.qt.inspector import Field, Inspector
from opsconsole.ui.qt.inspector_content import (
    CUSTOMER_EDIT_FIELDS,
    GATEWAY_EDIT_FIELDS,
    SITE_EDIT_FIELDS,
    gateway_rows,
    next_pass_text,
    pop_rows,
    region_rows,
    satellite_rows,
    site_rows,
)

NEW_SITE_DEFAULTS = {
    key: value
    for key, value in asdict(SiteSpec("", 0.0, 0.0)).items()
    if key not in ("name", "lat", "lon")
} | {"residency": ""}
"""A new site starts from the catalog's defaults (as a site file row without them)."""


def normalise_site(values: dict[str, Any]) -> dict[str, Any]:
    """Residency zones upper-cased and ``;``-separated; a whole-number priority as int."""
    zones = str(values.get("residency", "")).replace(",", ";").replace(" ", "")
    out = {**values, "residency": ";".join(z.upper() for z in zones.split(";") if z)}
    if isinstance(out.get("priority"), float) and float(out["priority"]).is_integer():
        out["priority"] = int(out["priority"])
    return out


EDITORS: dict[str, tuple[tuple[Field, ...], Any, Any]] = {
    "site": (SITE_EDIT_FIELDS, normalise_site,
             lambda _store, _key, v: catalog_edits.validate_site_values(v)),
    "customer": (CUSTOMER_EDIT_FIELDS, dict, catalog_edits.validate_customer_values),
    "gateway": (GATEWAY_EDIT_FIELDS, dict,
                lambda store, _key, v: catalog_edits.validate_gateway_values(
                    v, catalog_edits.pop_ids(store))),
}  # fmt: skip
"""Per editable kind: the inspector's fields, input normalisation and validation."""


class InspectorPanel:
    """Fills an :class:`Inspector` for the current selection; edits go on
    ``undo_stack`` and reach every view through ``catalog.ground_changed``."""

    def __init__(
        self,
        inspector: Inspector,
        catalog: Catalog,
        selection: Selection,
        clock: SimulationClock,
        replay: PlanReplay,
        live: LiveSky,
        undo_stack: QUndoStack,
        intents: Intents,
    ) -> None:
        self.inspector, self.catalog, self.selection = inspector, catalog, selection
        self.clock, self.replay, self.live = clock, replay, live
        self.undo_stack, self.intents = undo_stack, intents
        self.pass_site: dict[str, Any] | None = None
        """The last selected site: satellites show their next pass over it."""
        self._pass_cache: tuple[int, int, str] | None = None

    # -- content -------------------------------------------------------------------
    def show_selection(self) -> None:
        """Rebuild the inspector for the selection (editor included)."""
        ref, data, inspector = self.selection.current, self.catalog.data, self.inspector
        inspector.hide_editor()
        if ref is None:
            inspector.show_properties("Nothing selected", [])
            return
        if ref.kind == "site":
            site = data.site(int(ref.key))
            if site is None:
                return inspector.show_properties("Site no longer exists", [])
            self.pass_site = site
        if ref.kind in EDITORS:
            self._edit(ref.kind, ref.key)
        self.refresh_live()

    def _edit(self, kind: str, key: int | str) -> None:
        fields, normalise, validate = EDITORS[kind]
        read, _ = edit_commands.EDITABLE[kind]
        store = self.catalog.store

        def apply(values: dict[str, Any]) -> str | None:
            new = normalise(values)
            return self._push(
                lambda: edit_commands.update(store, kind, key, new, self.catalog.ground_edited),
                lambda: validate(store, key, new),
            )

        self.inspector.show_editor(fields, read(store, key), apply)

    def _push(self, make: Any, validate: Any) -> str | None:
        """Validate, then build and push a command; returns the refusal message if any."""
        try:
            validate()
            command = make()
        except (ValueError, KeyError) as exc:
            return str(exc)
        try:
            self.undo_stack.push(command)
        except Exception as exc:  # the store refused (e.g. a constraint): report it
            return str(exc)
        return None

    def refresh_live(self) -> None:
        """Update the rows that change with time (position, in view, next pass)."""
        ref, data, inspector = self.selection.current, self.catalog.data, self.inspector
        if ref is None:
            return
        when = self.clock.now()
        positions = self.live.positions
        title = self.live.label_of(ref)
        if ref.kind == "satellite":
            index = data.satellite_index(int(ref.key))
            if index is None or index >= len(positions):
                return inspector.show_properties(f"Satellite {ref.key} is not in this set", [])
            feed = self.live.feed
            window = feed.window if feed else None
            velocity = None
            if window is not None and window.covers(when):
                velocity = window.velocities_at(when)[index]
            rows = satellite_rows(
                data, index, when, positions[index], velocity, sun_itrs_km(time_at(when))[0]
            )
            rows.append(("Next pass", self._next_pass(index, when)))
            inspector.show_properties(f"Satellite {title}", rows)
        elif ref.kind == "site":
            site = data.site(int(ref.key))
            if site is not None:
                rows = site_rows(data, site, positions, self.live.mask_deg)
                playback = self.replay.playback
                if playback is not None:  # what serves it now, under the plan on the globe
                    rows += playback.serving_rows(int(ref.key), when)
                inspector.show_properties(f"Site {site['name']}", rows)
        elif ref.kind == "customer":
            row = next((c for c in data.customers if c["id"] == ref.key), None)
            if row is not None:
                inspector.show_properties(
                    f"Customer {row['name']}",
                    [("Sector", row["sector"] or "–"), ("Sites", str(row["sites"]))],
                )
        elif ref.kind == "gateway":
            row = next((g for g in data.gateways if g["id"] == ref.key), None)
            if row is not None:
                inspector.show_properties(f"Gateway {row['name']}", gateway_rows(row))
        elif ref.kind == "pop":
            row = next((p for p in data.pops if p["id"] == ref.key), None)
            if row is not None:
                inspector.show_properties(f"PoP {row['name']}", pop_rows(row))
        elif ref.kind == "region":
            row = next((r for r in data.regions if r["id"] == ref.key), None)
            if row is not None:
                inspector.show_properties(f"Region {row['display_name']}", region_rows(row))

    def _next_pass(self, index: int, when: Any) -> str:
        site = self.pass_site
        key = (index, int(site["id"]) if site else -1, when.strftime("%Y%m%d%H%M"))
        if self._pass_cache is None or self._pass_cache[:3] != key:
            text = next_pass_text(self.catalog.data, index, site, when, self.live.mask_deg)
            self._pass_cache = (*key, text)  # type: ignore[assignment]
        return str(self._pass_cache[-1])  # type: ignore[index]

    # -- new site ------------------------------------------------------------------
    def new_site(self, lat: float, lon: float) -> None:
        """Open the inspector on a new site at (lat, lon) for a chosen customer."""
        data, inspector = self.catalog.data, self.inspector
        self.selection.select(None)
        self.intents.show_dock.emit("inspector")
        customers = tuple((str(c["name"]), int(c["id"])) for c in data.customers)
        if not customers:
            inspector.show_properties(
                "New site", [("Customer", "add a customer first (File → Import sites)")]
            )
            return
        fields = (Field("customer_id", "Customer", "choice", customers), *SITE_EDIT_FIELDS)
        values = {
            "customer_id": customers[0][1],
            "name": "",
            "lat": round(lat, 5),
            "lon": round(lon, 5),
            **NEW_SITE_DEFAULTS,
        }
        inspector.show_properties(f"New site at {lat:+.3f}°, {lon:+.3f}°", [])

        def apply(v: dict[str, Any]) -> str | None:
            site = normalise_site({k: val for k, val in v.items() if k != "customer_id"})
            command = edit_commands.AddSiteCommand(
                self.catalog.store, int(v["customer_id"]), site, self.catalog.ground_edited
            )
            error = self._push(lambda: command, lambda: catalog_edits.validate_site_values(site))
            if error is None and command.site_id is not None:
                from opsconsole.console.selection import ObjectRef

                self.selection.select(ObjectRef("site", command.site_id))
            return error

        inspector.show_editor(fields, values, apply)

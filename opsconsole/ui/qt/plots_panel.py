"""The Plots dock: the selected site under the replayed plan (elevation with handovers,
round trip against its objective), a coverage timeline of all sites, the load on the
selected satellite, gateway or region, and the selected site's sky now.

Time plots carry a cursor at the simulation time. The serving satellite's elevation is
computed on a worker thread; the sky plot is refreshed only while its tab is shown.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtWidgets import QTabWidget, QWidget

from opsconsole.console.catalog import Catalog
from opsconsole.console.live import LiveSky
from opsconsole.console.replay import PlanReplay
from opsconsole.console.selection import ObjectRef, Selection
from opsconsole.core.look_angles import Sites
from opsconsole.core.sim_clock import SimulationClock
from opsconsole.planning.coverage import in_view
from opsconsole.planning.inputs import site_horizons
from opsconsole.plans.playback import PlanPlayback
from opsconsole.ui.plots.coverage_gantt import CoverageGantt
from opsconsole.ui.plots.site_plots import SitePlots
from opsconsole.ui.plots.sky_plot import HORIZON_AZIMUTHS, SkyPlot
from opsconsole.ui.plots.utilisation_plot import UtilisationPlot
from opsconsole.ui.qt.background import BackgroundTask

NO_PLAN = "No plan on the globe: activate one, or use “Show on globe” in the Plans dock."


class PlotsPanel(QTabWidget):
    """Tabs of plots driven by the selection, the replayed plan and the clock."""

    def __init__(
        self,
        catalog: Catalog,
        selection: Selection,
        clock: SimulationClock,
        replay: PlanReplay,
        live: LiveSky,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("plots_panel")
        self.catalog, self.selection, self.clock, self.live = catalog, selection, clock, live
        self.site_plots = SitePlots(self)
        self.gantt = CoverageGantt(self)
        self.load = UtilisationPlot(self)
        self.sky = SkyPlot(self)
        self.addTab(self.site_plots, "Site")
        self.addTab(self.gantt, "Coverage")
        self.addTab(self.load, "Utilisation")
        self.addTab(self.sky, "Sky")
        self.playback: PlanPlayback | None = None
        self._site_key: tuple[int, int] | None = None  # (plan id, site id) drawn or loading
        self.elevation_task: BackgroundTask | None = None
        self.currentChanged.connect(lambda _i: self.refresh_live())
        self.gantt.row_clicked.connect(self._select_row)
        replay.changed.connect(self.set_playback)
        selection.changed.connect(lambda _ref: self.show_selection())

    # -- plan and selection -----------------------------------------------------------
    def set_playback(self, playback: PlanPlayback | None) -> None:
        """Show a (new) replayed plan."""
        self.playback = playback
        if playback is None:
            self.gantt.clear()
        else:
            names = [str(s["name"]) for s in playback.sites]
            raster = playback.coverage_raster()
            self.gantt.show_raster(raster, playback.start.timestamp(), playback.step_s, names)
        self._site_key = None
        self.show_selection()

    def show_selection(self) -> None:
        """Follow the selection: site plots for a site, load for a satellite, gateway or
        region."""
        ref, playback = self.selection.current, self.playback
        if ref is not None and ref.kind == "site":
            self._show_site(int(ref.key))
        elif playback is None:
            self.site_plots.clear(NO_PLAN)
        else:
            self.site_plots.clear(
                f"Select a site to see its service under plan {playback.plan_id}."
            )
        if ref is not None and ref.kind in ("satellite", "gateway", "region"):
            self._show_load(ref.kind, ref.key)
        else:
            self.load.clear(
                NO_PLAN if playback is None else "Select a satellite, gateway or cloud region."
            )
        self.refresh_live()

    def _select_row(self, row: int) -> None:
        if self.playback is not None and row < len(self.playback.site_ids):
            self.selection.select(ObjectRef("site", int(self.playback.site_ids[row])))
            self.setCurrentWidget(self.site_plots)

    def _show_site(self, site_id: int) -> None:
        playback = self.playback
        if playback is None:
            self.site_plots.clear(NO_PLAN)
            return
        i = playback.site_index(site_id)
        if i is None:
            self.site_plots.clear(f"Plan {playback.plan_id} does not include this site.")
            return
        key = (playback.plan_id, site_id)
        if key == self._site_key:
            return
        self._site_key = key
        series, epochs = playback.site_series(i), playback.slot_epochs()
        horizons = playback.horizons(i)
        mask = float(horizons.mask_deg[0])
        name = str(playback.sites[i]["name"])
        self.site_plots.show_series(name, epochs, series, None, mask)
        elements = self.catalog.data.elements

        def work(_progress: Any, _cancelled: Any) -> Any:
            return playback.serving_look(i, elements)

        def done(look: Any) -> None:
            if self._site_key == key and self.playback is playback:
                elevation, horizon = look
                profiled = horizons.has_profiles
                self.site_plots.show_series(
                    name, epochs, series, elevation, mask, horizon if profiled else None
                )

        def failed(error: BaseException) -> None:
            self.site_plots.title.setText(f"{name}: elevation not available ({error})")

        self.elevation_task = BackgroundTask(self, "", work, done, failed, show_dialog=False)

    def _show_load(self, kind: str, key: int | str) -> None:
        playback = self.playback
        if playback is None:
            self.load.clear(NO_PLAN)
            return
        found = playback.utilisation(kind, key)
        if found is None:
            self.load.clear(f"Plan {playback.plan_id} never uses {kind} {key}.")
            return
        load, capacity = found
        ref = self.selection.current
        label = (self.live.label_of(ref) if ref else "") or f"{kind} {key}"
        self.load.show_load(label, playback.slot_epochs(), playback.step_s, load, capacity)

    # -- clock ------------------------------------------------------------------------
    def refresh_live(self) -> None:
        """Move the time cursors; redraw the sky when its tab is shown (4 Hz)."""
        now = self.clock.now()
        for cursor in (self.site_plots.time_cursor, self.gantt.time_cursor, self.load.time_cursor):
            cursor.set_time(now)
        if self.currentWidget() is self.sky and self.isVisible():
            self._refresh_sky()

    def _refresh_sky(self) -> None:
        ref, data = self.selection.current, self.catalog.data
        site = data.site(int(ref.key)) if ref is not None and ref.kind == "site" else None
        positions = self.live.positions
        if site is None or len(positions) == 0:
            self.sky.clear("Select a site to see its sky.")
            return
        point = Sites.from_geodetic([site["lat"]], [site["lon"]], site["alt_m"] / 1000.0)
        seen = in_view(point, positions, 0.0)
        serving = None
        frame = self.live.plan_frame
        playback = self.playback
        if frame is not None and playback is not None:
            column = playback.site_index(int(site["id"]))
            if column is not None and frame.satellite[column] >= 0:
                hit = np.flatnonzero(seen.satellite == frame.satellite[column])
                serving = int(hit[0]) if hit.size else None
        horizons = site_horizons([site], self.live.mask_deg)
        above = horizons.above(np.zeros(len(seen.satellite), np.intp), seen.azimuth_deg,
                               seen.elevation_deg)  # fmt: skip
        needed = horizons.required_deg(np.zeros(HORIZON_AZIMUTHS.size, np.intp), HORIZON_AZIMUTHS)
        names = [str(data.elements.norad_ids[s]) for s in seen.satellite]
        self.sky.show_sky(str(site["name"]), seen.azimuth_deg, seen.elevation_deg, above,
                          needed, serving, names)  # fmt: skip

"""The operator's main window: the globe, the Explorer / Inspector / Time docks, menus and
toolbar from the declared actions, the status bar, and settings restored on launch."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import platformdirs
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from opsconsole.console.catalog import Catalog
from opsconsole.console.console_data import ConsoleData
from opsconsole.console.intents import Intents
from opsconsole.console.model import ConsoleModel
from opsconsole.console.selection import ObjectRef, Selection
from opsconsole.core.element_sets import ElementSet
from opsconsole.core.orbit_geometry import latlon_of
from opsconsole.core.sim_clock import SimulationClock
from opsconsole.store.change_feed import last_change_id
from opsconsole.store.database import Store
from opsconsole.store.seed import open_store
from opsconsole.ui.qt import file_actions
from opsconsole.ui.qt.about_dialog import show_about
from opsconsole.ui.qt.actions import LAYERS, build_actions
from opsconsole.ui.qt.background import BackgroundTask
from opsconsole.ui.qt.contingency_panel import ContingencyPanel
from opsconsole.ui.qt.customer_wiring import CustomerOperations
from opsconsole.ui.qt.database_watch import DatabaseWatch
from opsconsole.ui.qt.explorer import Explorer
from opsconsole.ui.qt.globe_controller import GlobeController
from opsconsole.ui.qt.globe_layers import set_layer
from opsconsole.ui.qt.globe_menu import GlobeMenuActions, globe_menu
from opsconsole.ui.qt.globe_view import GlobeView
from opsconsole.ui.qt.incident_view import show_incidents
from opsconsole.ui.qt.inspector import Inspector
from opsconsole.ui.qt.inspector_panel import InspectorPanel
from opsconsole.ui.qt.plan_on_globe import PlanOnGlobe
from opsconsole.ui.qt.planner_panel import PlannerPanel
from opsconsole.ui.qt.plans_panel import PlansPanel
from opsconsole.ui.qt.satellite_colors import legend
from opsconsole.ui.qt.serves_dialog import ServesDialog
from opsconsole.ui.qt.status_bar import ConsoleStatus
from opsconsole.ui.qt.time_panel import TimePanel
from opsconsole.ui.qt.training_wiring import training_panels
from opsconsole.ui.qt.window_layout import (
    add_docks,
    plans_dock_tabs,
    restore_layout,
    save_layout,
    show_dock,
    show_plots,
    show_session_docks,
)

if TYPE_CHECKING:
    from opsconsole.ui.qt.plots_panel import PlotsPanel


DEFERRED_BUILD_MS = 200
"""After the first frame with satellites, this long until the rest of the window is built
(the satellite tree, the Plots): the first frame shows first."""


def default_settings_path() -> Path:
    """``opsconsole.ini`` in the user's configuration directory."""
    return Path(platformdirs.user_config_dir("opsconsole", appauthor=False)) / "opsconsole.ini"


class MainWindow(QMainWindow):
    """The console on one database; ``elements`` overrides the stored active set.

    The composition root: it builds the console model (``console.model``), the panels
    (each given the parts of the model it needs) and the globe, and connects the
    model's intents to their handlers. Nothing else imports this module.
    """

    def __init__(
        self,
        db_path: str | Path,
        *,
        settings_path: str | Path | None = None,
        clock: SimulationClock | None = None,
        elements: ElementSet | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.settings = QSettings(
            str(settings_path or default_settings_path()), QSettings.Format.IniFormat
        )
        self.clock = clock or SimulationClock()
        self.undo_stack = QUndoStack(self)
        self.first_launch = False
        """No saved layout: the first-launch layout was applied (see _restore_settings)."""
        self._elements_override = elements
        db = Path(db_path)
        store = open_store(str(db))
        self.model = ConsoleModel(db, store, self._load_data(store), self.clock)
        self.selection: Selection = self.model.selection

        self.globe_view = GlobeView(np.ones((len(self.data.elements), 4), np.float32), self)
        self.setCentralWidget(self.globe_view)
        self.controller = GlobeController(self.globe_view, self.clock, self.selection)
        self.explorer = Explorer(self.selection)
        self.inspector = Inspector()
        self.time_panel = TimePanel(self.clock)
        # the clock needs no more than its own height: the Inspector above takes the rest
        self.time_panel.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        m = self.model
        self.planner = PlannerPanel(m.catalog, m.selection, m.clock, m.training, m.intents, self)
        self.plans = PlansPanel(m.catalog, m.replay, m.intents, self)
        self.contingency = ContingencyPanel(m.catalog, m.selection, m.contingency, self)
        self.plans_tabs = plans_dock_tabs(self.plans, self.contingency, self)
        # the Plots (pyqtgraph: 0.25 s to import) are built after the globe's first frame
        self._plots: PlotsPanel | None = None
        self._plots_holder = QWidget(self)
        QVBoxLayout(self._plots_holder).setContentsMargins(0, 0, 0, 0)
        self.plan_on_globe = PlanOnGlobe(m.replay, m.catalog, self)
        self.training, self.alerts = training_panels(m, self)
        self.customer_ops = CustomerOperations(
            m, self.undo_stack, self, lambda lat, lon: self.panel.new_site(lat, lon),
            self._show_dock, lambda: self.globe_view.globe.view_center()[:2])  # fmt: skip
        self.docks = add_docks(self, {
            "explorer": self.explorer, "inspector": self.inspector, "time": self.time_panel,
            "planner": self.planner, "plans": self.plans_tabs, "plots": self._plots_holder,
            "training": self.training, "alerts": self.alerts,
            "customers": self.customer_ops.customers, "incidents": self.customer_ops.operations,
        })  # fmt: skip
        self.commands = build_actions(self)
        self.panel = InspectorPanel(self.inspector, m.catalog, m.selection, m.clock, m.replay,
                                    self.controller, self.undo_stack, m.intents)  # fmt: skip
        self.customer_ops.connect(self.commands)
        self._connect_model()
        self.status = ConsoleStatus(self.statusBar())
        self._connect()
        # the Explorer's satellite tree (0.4 s for 10,000) is built after the first frame
        self.satellite_tree_ready = False
        self._deferred_started = False
        self._apply_data(satellites=False)
        self.plan_on_globe.show_active()
        self._restore_settings()
        self.live_timer = QTimer(self)
        self.live_timer.setInterval(250)
        self.live_timer.timeout.connect(self._live_refresh)
        self.live_timer.start()
        self.database_watch = DatabaseWatch(self)
        self.database_watch.changed.connect(self.refresh_from_database)
        self.database_watch.watch(self.db_path)
        self.controller.start()

    # -- the model's parts, as the tests and the self-test read them ----------------
    @property
    def catalog(self) -> Catalog:
        return self.model.catalog

    @property
    def store(self) -> Store:
        """The open database (UI thread)."""
        return self.model.catalog.store

    @property
    def db_path(self) -> Path:
        return self.model.catalog.db_path

    @property
    def data(self) -> ConsoleData:
        """What was loaded from the database."""
        return self.model.catalog.data

    @property
    def intents(self) -> Intents:
        return self.model.intents

    def _build_deferred(self) -> None:
        """What the first frame does not need: the Explorer's satellite tree, the Plots."""
        if not self.satellite_tree_ready:
            self.explorer.populate(self.data, satellites=True)
            self.satellite_tree_ready = True
        _ = self.plots

    @property
    def plots(self) -> PlotsPanel:
        """The Plots dock's tabs, built on first use (after the first frame)."""
        if self._plots is None:
            from opsconsole.ui.qt.plots_panel import PlotsPanel

            m = self.model
            self._plots = PlotsPanel(m.catalog, m.selection, m.clock, m.replay,
                                     self.controller, self._plots_holder)  # fmt: skip
            layout = self._plots_holder.layout()
            assert layout is not None
            layout.addWidget(self._plots)
            self._plots.set_playback(m.replay.playback)
        return self._plots

    # -- construction --------------------------------------------------------------
    def _load_data(self, store: Store) -> ConsoleData:
        # the stored set is not read when --elements gave one (0.2 s for 10,000)
        return ConsoleData.load(store, self.clock.now(), self._elements_override)

    def _connect(self) -> None:
        a, tp = self.commands, self.time_panel
        view_menu = a["_view_menu"].menu()
        assert isinstance(view_menu, QMenu)
        view_menu.addSeparator()
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        a["quit"].triggered.connect(self.close)
        a["undo"].triggered.connect(self.undo_stack.undo)
        a["redo"].triggered.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(a["undo"].setEnabled)
        self.undo_stack.canRedoChanged.connect(a["redo"].setEnabled)
        a["undo"].setEnabled(False)
        a["redo"].setEnabled(False)
        a["find"].triggered.connect(self._find)
        for key, _ in LAYERS:
            a[f"layer_{key}"].toggled.connect(lambda on, key=key: self.set_layer(key, on))
        for mode in ("shell", "plane", "status"):
            a[f"color_{mode}"].triggered.connect(lambda _=False, m=mode: self._color(m))
        a["follow"].toggled.connect(self._follow)
        a["reset_view"].triggered.connect(self.globe_view.reset_view)
        a["refresh"].triggered.connect(self.refresh_from_database)
        a["play"].triggered.connect(tp.toggle)
        a["faster"].triggered.connect(tp.faster)
        a["slower"].triggered.connect(tp.slower)
        a["reverse"].triggered.connect(tp.reverse)
        a["step_back"].triggered.connect(lambda: tp.step(-60.0))
        a["step_forward"].triggered.connect(lambda: tp.step(60.0))
        a["now"].triggered.connect(tp.jump_to_now)
        a["about"].triggered.connect(self._about)
        a["open_db"].triggered.connect(lambda: self._choose_database(new=False))
        a["new_db"].triggered.connect(lambda: self._choose_database(new=True))
        a["import_elements"].triggered.connect(
            lambda: file_actions.import_elements(self, self.db_path, self.reload)
        )
        a["import_sites"].triggered.connect(
            lambda: file_actions.import_sites(self, self.db_path, self.reload)
        )
        self.explorer.fly_to.connect(self.controller.fly_to_object)
        self.selection.changed.connect(lambda _ref: self.panel.show_selection())
        self.globe_view.context_requested.connect(self._context_menu)

    def _connect_model(self) -> None:
        """The model's events and intents to the views that answer them."""
        m = self.model
        m.replay.changed.connect(self.controller.set_playback)
        m.contingency.changed.connect(self.controller.show_contingency)
        m.replay.changed.connect(self._first_plan_shown)
        m.training.session_changed.connect(lambda _none: self._session_docks())
        m.training.replay_changed.connect(lambda _none: self._session_docks())
        m.intents.replan.connect(self._replan)
        m.intents.planned.connect(self._planned)
        m.intents.plan_customers.connect(self.planner.select_customers)
        m.intents.reload.connect(lambda only_elements: self.reload(new_elements_only=only_elements))
        m.intents.show_dock.connect(self._show_dock)
        m.catalog.ground_changed.connect(self._ground_changed)
        m.catalog.ground_reloaded.connect(lambda _none: self._ground_changed(None))
        m.training.in_force_changed.connect(
            lambda events: show_incidents(self.controller, self.data, m.training, events)
        )

    def _apply_data(self, *, satellites: bool = True) -> None:
        self.controller.set_data(self.data)
        self.explorer.populate(self.data, satellites=satellites)
        self.satellite_tree_ready = self.satellite_tree_ready or satellites
        self._color(self.controller.color_mode)
        self.panel.show_selection()
        self.planner.refresh()
        self.plans.refresh()
        self.plan_on_globe.reload()
        name = self.data.element_info.name if self.data.element_info else self.data.elements.source
        synthetic = " — SYNTHETIC constellation" if self.data.elements.synthetic else ""
        self.setWindowTitle(f"opsconsole — {self.db_path.name} — {name}{synthetic}")

    # -- data ----------------------------------------------------------------------
    def reload(self, *, new_elements_only: bool = False) -> None:
        """Re-read everything from the store (after an import, or another database).

        Reading and grouping 10,000 satellites takes about a second, so it happens on a
        worker thread with its own connection; the views switch over when it is done.
        ``new_elements_only``: only the same satellites' elements changed (a training
        session's late update), so the Explorer's satellite tree (0.1 to 0.25 s on the
        UI thread) is kept when the catalog numbers, names, shells, planes and statuses
        are indeed the same.
        """
        db, now = self.db_path, self.clock.now()
        self._elements_override = None  # an import replaces what --elements gave

        def work(_progress: Any, _cancelled: Any) -> tuple[ConsoleData, int]:
            with Store(db) as store:
                seen = last_change_id(store)  # what the data reflects, at least
                return ConsoleData.load(store, now), seen

        def loaded(result: tuple[ConsoleData, int]) -> None:
            data, seen = result
            same = new_elements_only and self.data.same_satellites(data)
            self.undo_stack.clear()
            self.model.catalog.data = data
            self._apply_data(satellites=not same)
            self.model.catalog.replace(data, seen)

        def failed(error: BaseException) -> None:
            QMessageBox.critical(self, "Cannot read the database", f"{db}: {error}")

        # fresh elements during a session load silently: a window-modal progress dialog
        # would pop up over the trainees' work (and its first show stalls the frames)
        BackgroundTask(self, f"Loading {db.name}…", work, loaded, failed,
                       show_dialog=not new_elements_only)  # fmt: skip

    def _first_plan_shown(self, playback: object) -> None:
        """At first launch the Plots dock waits for something to plot."""
        if playback is not None and self.first_launch:
            self.first_launch = False
            show_plots(self, self.docks)

    def _session_docks(self) -> None:
        training = self.model.training
        if training.session is not None or training.replay is not None:
            show_session_docks(self.docks)

    def _planned(self, plan_id: int) -> None:
        self.plans.select_plan(plan_id)
        self._show_dock("plans")

    def _replan(self, plan_id: int) -> None:
        from opsconsole.store.plan_repository import load_plan

        self.planner.load_from(load_plan(self.store, plan_id))
        self._show_dock("planner")

    def _show_dock(self, key: str) -> None:
        show_dock(self.docks, key)

    def ground_edited(self, kind: str, key: int | str) -> None:
        """An undoable edit changed ``kind``/``key`` (see ``Catalog.ground_edited``)."""
        self.model.catalog.ground_edited(kind, key)

    def _ground_changed(self, ref: ObjectRef | None) -> None:
        """Refresh every view of the ground catalog after an edit of ``ref`` (or after
        another writer changed it: ``None``, and the Planner's lists follow too)."""
        self.controller.ground_changed()
        self.explorer.populate(self.data, satellites=False)
        current = self.selection.current
        site = current if current is not None and current.kind == "site" else None
        if site is not None and ref in (None, site) and self.data.site(int(site.key)) is None:
            self.selection.select(None)  # the selected site is gone
        self.panel.show_selection()
        if ref is None:
            self.planner.refresh()

    def open_database(self, path: Path) -> None:
        """Switch to another database file (created and seeded if new)."""
        self.model.catalog.switch_to(path, open_store(str(path)))
        self.database_watch.watch(path)
        self.selection.select(None)
        self.reload()

    def refresh_from_database(self) -> None:
        """Re-read what other processes changed (View → Refresh, F5, and by itself
        within about 2 s of a write): the plan list, the catalog, newly active
        elements, and the replayed plan when another was activated or its status
        moved on. A database that cannot be read now says so in the status bar."""
        try:
            todo = self.model.follow_other_writers()
        except sqlite3.Error as exc:
            self.statusBar().showMessage(f"Cannot read {self.db_path.name} now: {exc}", 5000)
            return
        if todo == "elements":  # loaded quietly: no modal dialog over others' work
            self.reload(new_elements_only=True)
        elif todo == "replay":
            self.plan_on_globe.reload()

    def _choose_database(self, new: bool) -> None:
        path = file_actions.choose_database(self, new)
        if path is not None:
            try:
                self.open_database(path)
            except Exception as exc:  # refused file: keep working on the current one
                QMessageBox.critical(self, "Cannot open database", f"{path}: {exc}")

    # -- actions -------------------------------------------------------------------
    def set_layer(self, key: str, on: bool) -> None:
        """Show or hide one globe layer (see :data:`~opsconsole.ui.qt.actions.LAYERS`)."""
        set_layer(self.globe_view, self.controller, key, on)

    def _color(self, mode: str) -> None:
        self.controller.set_color_mode(mode)
        self.commands[f"color_{mode}"].setChecked(True)
        self.globe_view.set_legend(legend(mode, self.data))

    def _follow(self, on: bool) -> None:
        self.controller.follow = on

    def _find(self) -> None:
        show_dock(self.docks, "explorer")
        self.explorer.focus_filter()

    def _about(self) -> None:
        show_about(self, self.db_path)

    def _context_menu(self, x: float, y: float, where: QPoint) -> None:
        point = self.globe_view.globe.surface_point(x, y)
        if point is not None:
            lat, lon = latlon_of(point)
            training, ops = self.training, self.customer_ops
            request = training.ask_site_request if training.session is not None else None
            actions = GlobeMenuActions(self.panel.new_site, self.what_serves, ops.can_we_serve,
                                       ops.log_incident, ops.plan_maintenance, request)  # fmt: skip
            under = self.controller.object_at(x, y)
            self._context = globe_menu(self, lat, lon, under, actions, where)

    def what_serves(self, lat: float, lon: float) -> ServesDialog:
        """Open the "What serves this point?" dialog for (lat, lon) now."""
        dialog = ServesDialog(
            self,
            self.data.elements,
            self.controller.positions,
            lat,
            lon,
            self.clock.now(),
            self.controller.mask_deg,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # -- periodic ------------------------------------------------------------------
    def _live_refresh(self) -> None:
        if not self._deferred_started and self.globe_view.satellite_frames > 0:
            self._deferred_started = True  # the globe is up: build the rest a moment later
            QTimer.singleShot(DEFERRED_BUILD_MS, self._build_deferred)
        now = self.clock.now()
        self.time_panel.refresh()
        self.status.refresh(
            now,
            self.data.elements,
            self.controller.fps,
            self.globe_view.globe.satellites.drawn,
            self.model.replay.status_text(now),
            playing=self.clock.playing,
        )
        self.panel.refresh_live()
        if self._plots is not None:  # built after the first frame (_build_deferred)
            self._plots.refresh_live()
        self.training.tick(now)
        self.alerts.refresh(now)
        self.customer_ops.tick()

    # -- settings ------------------------------------------------------------------
    def _restore_settings(self) -> None:
        self.first_launch = restore_layout(self, self.docks, self.settings, self.globe_view.globe)

    def save_settings(self) -> None:
        """Write window geometry, dock layout and camera to the settings file."""
        save_layout(self, self.settings, self.globe_view.globe)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.undo_stack.clear()  # delete commands now, not during interpreter shutdown
        self.live_timer.stop()
        self.database_watch.stop()
        self.controller.stop()
        self.store.close()
        super().closeEvent(event)

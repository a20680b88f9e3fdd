"""The Planner dock: window, step, mode, terminal mask, customers, exclusions, pins and
region ingress limits; "Plan" runs in the background with stage, progress, time left and
Cancel.

A ``BackgroundTask`` thread starts a child process (``plan_process``) that plans with
its own database connection; a plan is written only when complete, so Cancel leaves
nothing behind.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from opsconsole.console.catalog import Catalog
from opsconsole.console.intents import Intents
from opsconsole.console.selection import Selection
from opsconsole.console.training_state import TrainingState
from opsconsole.core.sim_clock import SimulationClock
from opsconsole.planning.inputs import Exclusion, Pin
from opsconsole.planning.parameters import DEFAULT_HANDOVER_POLICY
from opsconsole.plans.request import PlanRequest
from opsconsole.store.plan_repository import StoredPlan
from opsconsole.ui.qt.background import BackgroundTask
from opsconsole.ui.qt.plan_target import PlanTargetBox

PLANNING_WORKERS = 2
"""Processes sharing a planning run (the child and one worker)."""


class PlannerPanel(QWidget):
    """Inputs of a planning run and the Plan button. A saved plan is announced with
    the ``planned`` intent and ``catalog.plans_changed``; exclusions, pins and limits
    with ``trainee_action``. Outages and factors of a running session are honoured."""

    def __init__(
        self,
        catalog: Catalog,
        selection: Selection,
        clock: SimulationClock,
        training: TrainingState,
        intents: Intents,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.catalog, self.selection, self.clock = catalog, selection, clock
        self.training, self.intents = training, intents
        self.name = QLineEdit("Plan", self)
        self.hours = QDoubleSpinBox(self)
        self.hours.setRange(0.25, 72.0)
        self.hours.setValue(2.0)
        self.hours.setSuffix(" h")
        self.step = QComboBox(self)
        for seconds in (15, 30, 60):
            self.step.addItem(f"{seconds} s", float(seconds))
        self.mode = QComboBox(self)
        self.mode.addItem("bent-pipe", "bent-pipe")
        self.mode.addItem("inter-satellite links", "isl")
        self.handover = QComboBox(self)
        self.handover.setObjectName("handover_policy")
        self.handover.addItem("longest dwell within 10 ms (dwell)", "dwell")
        self.handover.addItem("best round trip (rtt)", "rtt")
        self.handover.setCurrentIndex(self.handover.findData(DEFAULT_HANDOVER_POLICY))
        self.handover.setToolTip(
            "rtt: the best round trip, switching only for a path 5 ms faster. dwell: keep "
            "the satellite while it is within 10 ms of the best, else take the one that "
            "stays in view longest (fewer handovers)."
        )
        self.terminal_mask = QDoubleSpinBox(self)
        self.terminal_mask.setRange(0.0, 80.0)
        self.terminal_mask.setValue(25.0)
        self.terminal_mask.setSuffix(" °")
        self.planned_gateways = QCheckBox("as if the planned gateways were live", self)
        self.planned_gateways.setObjectName("include_planned_gateways")
        self.planned_gateways.setToolTip(
            "What-if: the catalog's planned (not yet built) gateways take traffic too"
        )
        self.customers = QListWidget(self)
        self.customers.setSelectionMode(QListWidget.SelectionMode.MultiSelection)
        self.excluded = QListWidget(self)
        self.excluded.setMaximumHeight(90)
        self.pins = QListWidget(self)
        self.pins.setMaximumHeight(70)
        self.ingress = QListWidget(self)
        self.ingress.setMaximumHeight(70)
        self.ingress.setToolTip(
            "Most traffic a cloud region may take in, from all its gateways (Gbps). "
            "With a limit set, sites may be sent to another allowed region."
        )
        exclude = QPushButton("Exclude selection", self)
        clear = QPushButton("Clear exclusions", self)
        pin = QPushButton("Pin selected site…", self)
        unpin = QPushButton("Clear pins", self)
        limit = QPushButton("Limit region ingress…", self)
        unlimit = QPushButton("Clear limits", self)
        self.plan_button = QPushButton("Plan", self)
        self.plan_button.setObjectName("plan_button")
        self.status = QLabel("Starts at the simulation time.", self)
        self.status.setWordWrap(True)
        form = QFormLayout()
        self.start_label = QLabel("simulation time when Plan is pressed", self)
        from_clock = QPushButton("From clock", self)
        from_clock.setToolTip("Start the window at the simulation time again")
        from_clock.clicked.connect(lambda: self.set_start(None))
        start_row = QHBoxLayout()
        start_row.addWidget(self.start_label, 1)
        start_row.addWidget(from_clock)
        form.addRow("Name", self.name)
        form.addRow("Start", start_row)
        form.addRow("Duration", self.hours)
        form.addRow("Step", self.step)
        form.addRow("Mode", self.mode)
        form.addRow("Handover", self.handover)
        form.addRow("Terminal mask", self.terminal_mask)
        form.addRow("Planned gateways", self.planned_gateways)
        form.addRow("Customers (none: all)", self.customers)
        form.addRow("Excluded (whole window)", self.excluded)
        form.addRow("Pins (site → gateway or region)", self.pins)
        form.addRow("Region ingress limits", self.ingress)
        self.target = PlanTargetBox(PLANNING_WORKERS, self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.target)
        for row in ((exclude, clear), (pin, unpin), (limit, unlimit), (self.plan_button,)):
            buttons = QHBoxLayout()
            for widget in row:
                buttons.addWidget(widget)
            layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)
        exclude.clicked.connect(self.exclude_selection)
        clear.clicked.connect(self.clear_exclusions)
        pin.clicked.connect(self.pin_selected_site)
        unpin.clicked.connect(self.clear_pins)
        limit.clicked.connect(self.limit_region)
        unlimit.clicked.connect(self.ingress.clear)
        self.start: datetime | None = None  # None: the simulation time when Plan is pressed
        self.start_from_plan: int | None = None
        self._exclusions: list[Exclusion] = []
        self._pins: list[Pin] = []
        self.parent_plan_id: int | None = None
        self.plan_button.clicked.connect(self.run)
        self.task: BackgroundTask | None = None
        self.refresh()

    def refresh(self) -> None:
        """Customer list from the window's data."""
        chosen = {item.text() for item in self.customers.selectedItems()}
        self.customers.clear()
        for row in self.catalog.data.customers:
            self.customers.addItem(str(row["name"]))
            if row["name"] in chosen:
                self.customers.item(self.customers.count() - 1).setSelected(True)

    def select_customers(self, names: Iterable[str]) -> None:
        """Select exactly these customers (none: plan for all)."""
        wanted = set(names)
        for i in range(self.customers.count()):
            item = self.customers.item(i)
            item.setSelected(item.text() in wanted)

    def exclude_selection(self) -> None:
        """Add the selected satellite, gateway or region to the exclusions."""
        ref = self.selection.current
        if ref is None or ref.kind not in ("satellite", "gateway", "region"):
            self.status.setText("Select a satellite, gateway or region to exclude.")
            return
        exclusion = Exclusion(ref.kind, ref.key)
        if exclusion not in self._exclusions:
            self._exclusions.append(exclusion)
            self._show_lists()
            self.intents.trainee_action.emit(f"excluded {ref.kind} {ref.key}")

    def pin_selected_site(self) -> None:
        """Ask which gateway or region the selected site must use, and pin it."""
        ref = self.selection.current
        if ref is None or ref.kind != "site":
            self.status.setText("Select a site to pin.")
            return
        targets = [("gateway", str(g["id"])) for g in self.catalog.data.gateways]
        targets += [("region", str(r["id"])) for r in self.catalog.data.regions]
        labels = [f"{kind} {key}" for kind, key in targets]
        choice, ok = QInputDialog.getItem(
            self, "Pin site", "Always use this gateway or region:", labels, 0, False
        )
        if ok and choice:
            kind, key = targets[labels.index(choice)]
            self.add_pin(int(ref.key), kind, key)

    def add_pin(self, site_id: int, kind: str, key: str) -> None:
        """Pin ``site_id`` to a gateway or region (replacing its pin of that kind)."""
        self._pins = [p for p in self._pins if (p.site_id, p.kind) != (site_id, kind)]
        self._pins.append(Pin(site_id, kind, key))
        self._show_lists()
        self.intents.trainee_action.emit(f"pinned site {site_id} to {kind} {key}")

    def limit_region(self) -> None:
        """Ask for an ingress limit of the selected region (or one picked from a list)."""
        ref = self.selection.current
        if ref is not None and ref.kind == "region":
            region = str(ref.key)
        else:
            ids = [str(r["id"]) for r in self.catalog.data.regions]
            region, ok = QInputDialog.getItem(
                self, "Region ingress", "Limit the ingress of region:", ids, 0, False
            )
            if not ok or not region:
                return
        current = self.ingress_limits().get(region, 10.0)
        gbps, ok = QInputDialog.getDouble(
            self, "Region ingress", f"Ingress limit of {region} (Gbps):", current, 0.0, 1e5, 2
        )
        if ok:
            self.set_ingress_limit(region, gbps)

    def set_ingress_limit(self, region: str, gbps: float) -> None:
        """Limit ``region``'s ingress to ``gbps`` (replacing its limit)."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QListWidgetItem

        for i in reversed(range(self.ingress.count())):
            if self.ingress.item(i).data(Qt.ItemDataRole.UserRole)[0] == region:
                self.ingress.takeItem(i)
        item = QListWidgetItem(f"{region} ≤ {gbps:g} Gbps", self.ingress)
        item.setData(Qt.ItemDataRole.UserRole, (region, float(gbps)))
        self.intents.trainee_action.emit(f"limited region {region} to {gbps:g} Gbps")

    def ingress_limits(self) -> dict[str, float]:
        """Region id -> ingress limit (Gbps) from the list."""
        from PySide6.QtCore import Qt

        pairs = (
            self.ingress.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.ingress.count())
        )
        return {str(region): float(gbps) for region, gbps in pairs}

    def pin_values(self) -> list[Pin]:
        """The pins, as planning ``Pin`` values."""
        return list(self._pins)

    def _show_lists(self) -> None:
        """Show the exclusions and pins (the typed lists are what is planned with)."""
        self.excluded.clear()
        self.excluded.addItems([f"{e.kind} {e.key}" for e in self._exclusions])
        self.pins.clear()
        self.pins.addItems([f"site {p.site_id} → {p.kind} {p.key}" for p in self._pins])

    def clear_exclusions(self) -> None:
        self._exclusions.clear()
        self._show_lists()

    def clear_pins(self) -> None:
        self._pins.clear()
        self._show_lists()

    def load_from(self, stored: StoredPlan) -> None:
        """Fill the form from a stored plan, to change something and plan again; the
        new plan is linked to it as a revision."""
        request = PlanRequest.of_stored(stored)
        params = request.parameters
        self.name.setText(f"{request.name} (re-plan)")
        self.set_start(params.start, from_plan=stored.id)
        self.hours.setValue(stored.step_s * stored.slots / 3600.0)
        self.step.setCurrentIndex(max(self.step.findData(params.step_s), 0))
        self.mode.setCurrentIndex(max(self.mode.findData(params.mode), 0))
        self.terminal_mask.setValue(params.site_mask_deg)
        self.planned_gateways.setChecked(params.include_planned_gateways)
        self.handover.setCurrentIndex(max(self.handover.findData(params.handover_policy), 0))
        self.select_customers(request.customers)
        self._exclusions = list(request.exclusions)
        self._pins = list(request.pins)
        self._show_lists()
        self.ingress.clear()
        for region, gbps in params.region_ingress_gbps.items():
            self.set_ingress_limit(region, gbps)
        self.parent_plan_id = stored.id
        self.status.setText(
            f"Loaded plan {stored.id}: its window starts {params.start:%Y-%m-%d %H:%M} UTC "
            "(the re-plan keeps it; “From clock” starts at the simulation time). Change what "
            "you need and press Plan."
        )

    def set_start(self, start: datetime | None, *, from_plan: int | None = None) -> None:
        """Fix the window start (UTC), or ``None`` to start at the simulation time.
        ``from_plan``: the start is a re-planned plan's, kept for that re-plan only
        (once it is saved, the start follows the clock again); a start the operator
        fixed stays."""
        self.start, self.start_from_plan = start, from_plan
        text = "simulation time when Plan is pressed"
        label = text if start is None else f"{start:%Y-%m-%d %H:%M:%S} UTC"
        if from_plan is not None:
            label += f" (plan {from_plan}'s)"
        self.start_label.setText(label)
        if start is None:
            self.parent_plan_id = None

    def exclusions(self) -> list[Exclusion]:
        """The exclusions (whole window), as planning ``Exclusion`` values."""
        return list(self._exclusions)

    def run(self) -> None:
        """Plan in the background with the form's values."""
        from opsconsole.planning.parameters import PlanParameters
        from opsconsole.plans.process import create_plan_in_process

        try:
            params = PlanParameters(
                start=(self.start or self.clock.now()).replace(microsecond=0),
                duration_s=self.hours.value() * 3600.0,
                step_s=float(self.step.currentData()),
                mode=self.mode.currentData(),
                handover_policy=self.handover.currentData(),
                site_mask_deg=self.terminal_mask.value(),
                include_planned_gateways=self.planned_gateways.isChecked(),
                region_ingress_gbps=self.ingress_limits(),
            )
        except ValueError as exc:
            self.status.setText(f"Not planned: {exc}")
            return
        try:
            cluster = self.target.cluster()
        except ValueError as exc:
            self.status.setText(f"Not planned: {exc}")
            return
        now = self.clock.now()
        incidents = self.training.incident_exclusions(now)
        fade, surge = self.training.incident_factors(now)
        try:
            request = PlanRequest(
                self.name.text().strip() or "Plan",
                params,
                customers=tuple(item.text() for item in self.customers.selectedItems()),
                exclusions=(*self._exclusions, *incidents),
                pins=tuple(self._pins),
                parent_plan_id=self.parent_plan_id,
                gateway_capacity_factor=fade,
                demand_factor=surge,
            )
        except ValueError as exc:
            self.status.setText(f"Not planned: {exc}")
            return
        name, db = request.name, self.catalog.db_path
        started = time.monotonic()
        self.plan_button.setEnabled(False)
        self.status.setText(
            f"Planning… ({len(incidents)} outages in force excluded)" if incidents else "Planning…"
        )

        def work(progress: Any, cancelled: Any) -> int:  # a child process plans
            return create_plan_in_process(db, request, workers=PLANNING_WORKERS, cluster=cluster,
                                          cancelled=cancelled, progress=progress)  # fmt: skip

        def done(plan_id: int) -> None:
            self.plan_button.setEnabled(True)
            elapsed = timedelta(seconds=round(time.monotonic() - started))
            self.status.setText(f"Plan {plan_id} saved ({elapsed}).")
            if self.start_from_plan is not None:  # the next plan starts at the clock again
                self.set_start(None)
            self.catalog.plans_changed.emit(plan_id)
            self.intents.planned.emit(plan_id)

        def failed(error: BaseException) -> None:
            from opsconsole.jobs.cancel import Cancelled

            self.plan_button.setEnabled(True)
            reason = "cancelled; nothing was saved" if isinstance(error, Cancelled) else error
            self.status.setText(f"Not planned: {reason}")

        self.task = BackgroundTask(self, f"Planning {name!r}…", work, done, failed)

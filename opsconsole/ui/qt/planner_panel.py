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
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
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

from opsconsole.planning.parameters import DEFAULT_HANDOVER_POLICY
from opsconsole.ui.qt.background import BackgroundTask

if TYPE_CHECKING:
    from opsconsole.ui.qt.main_window import MainWindow


PLANNING_WORKERS = 2
"""Processes sharing a planning run (the child and one worker)."""


class PlannerPanel(QWidget):
    """Inputs of a planning run and the Plan button."""

    planned = Signal(int)
    """A plan was saved (its id)."""
    inputs_changed = Signal(str)
    """An exclusion, pin or ingress limit was added (what, in words)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
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
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for row in ((exclude, clear), (pin, unpin), (limit, unlimit), (self.plan_button,)):
            buttons = QHBoxLayout()
            for widget in row:
                buttons.addWidget(widget)
            layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)
        exclude.clicked.connect(self.exclude_selection)
        clear.clicked.connect(self.excluded.clear)
        pin.clicked.connect(self.pin_selected_site)
        unpin.clicked.connect(self.pins.clear)
        limit.clicked.connect(self.limit_region)
        unlimit.clicked.connect(self.ingress.clear)
        self.start: datetime | None = None  # None: the simulation time when Plan is pressed
        self.parent_plan_id: int | None = None
        self.plan_button.clicked.connect(self.run)
        self.task: BackgroundTask | None = None
        self.refresh()

    def refresh(self) -> None:
        """Customer list from the window's data."""
        chosen = {item.text() for item in self.customers.selectedItems()}
        self.customers.clear()
        for row in self.w.data.customers:
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
        ref = self.w.selection.current
        if ref is None or ref.kind not in ("satellite", "gateway", "region"):
            self.status.setText("Select a satellite, gateway or region to exclude.")
            return
        text = f"{ref.kind}:{ref.key}"
        if not self.excluded.findItems(text, self._exact()):
            self.excluded.addItem(text)
            self.inputs_changed.emit(f"excluded {ref.kind} {ref.key}")

    def pin_selected_site(self) -> None:
        """Ask which gateway or region the selected site must use, and pin it."""
        ref = self.w.selection.current
        if ref is None or ref.kind != "site":
            self.status.setText("Select a site to pin.")
            return
        choices = [f"gateway:{g['id']}" for g in self.w.data.gateways]
        choices += [f"region:{r['id']}" for r in self.w.data.regions]
        choice, ok = QInputDialog.getItem(
            self, "Pin site", "Always use this gateway or region:", choices, 0, False
        )
        if ok and choice:
            kind, key = choice.split(":", 1)
            self.add_pin(int(ref.key), kind, key)

    def add_pin(self, site_id: int, kind: str, key: str) -> None:
        """Pin ``site_id`` to a gateway or region (replacing its pin of that kind)."""
        prefix = f"{site_id}:{kind}:"
        for item in self.pins.findItems(prefix, self._starts_with()):
            self.pins.takeItem(self.pins.row(item))
        self.pins.addItem(f"{prefix}{key}")
        self.inputs_changed.emit(f"pinned site {site_id} to {kind} {key}")

    def limit_region(self) -> None:
        """Ask for an ingress limit of the selected region (or one picked from a list)."""
        ref = self.w.selection.current
        if ref is not None and ref.kind == "region":
            region = str(ref.key)
        else:
            ids = [str(r["id"]) for r in self.w.data.regions]
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
        self.inputs_changed.emit(f"limited region {region} to {gbps:g} Gbps")

    def ingress_limits(self) -> dict[str, float]:
        """Region id -> ingress limit (Gbps) from the list."""
        from PySide6.QtCore import Qt

        pairs = (
            self.ingress.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.ingress.count())
        )
        return {str(region): float(gbps) for region, gbps in pairs}

    def pin_values(self) -> list[Any]:
        """The pin list as planning ``Pin`` values."""
        from opsconsole.planning.inputs import Pin

        out = []
        for i in range(self.pins.count()):
            site, kind, key = self.pins.item(i).text().split(":", 2)
            out.append(Pin(int(site), kind, key))
        return out

    def load_from(self, stored: Any) -> None:
        """Fill the form from a stored plan, to change something and plan again; the
        new plan is linked to it as a revision."""
        params = stored.row["parameters"] or {}
        self.name.setText(f"{stored.row['name']} (re-plan)")
        self.set_start(datetime.fromisoformat(str(stored.row["start_utc"])))
        self.hours.setValue(float(stored.row["step_s"]) * int(stored.row["slots"]) / 3600.0)
        self.step.setCurrentIndex(max(self.step.findData(float(stored.row["step_s"])), 0))
        self.mode.setCurrentIndex(max(self.mode.findData(params.get("mode", "bent-pipe")), 0))
        self.terminal_mask.setValue(float(params.get("site_mask_deg", 25.0)))
        self.planned_gateways.setChecked(bool(params.get("include_planned_gateways", False)))
        policy = params.get("handover_policy", "rtt")  # plans before the choice: rtt
        self.handover.setCurrentIndex(max(self.handover.findData(policy), 0))
        wanted = set(params.get("customers") or [])
        for i in range(self.customers.count()):
            item = self.customers.item(i)
            item.setSelected(item.text() in wanted)
        self.excluded.clear()
        for ex in stored.row["exclusions"] or []:
            self.excluded.addItem(f"{ex['kind']}:{ex['key']}")
        self.pins.clear()
        for pin in stored.row["pins"] or []:
            self.pins.addItem(f"{pin['site_id']}:{pin['kind']}:{pin['key']}")
        self.ingress.clear()
        for region, gbps in (params.get("region_ingress_gbps") or {}).items():
            self.set_ingress_limit(str(region), float(gbps))
        self.parent_plan_id = stored.id
        self.status.setText(
            f"Loaded plan {stored.id}: its window starts {self.start:%Y-%m-%d %H:%M} UTC. "
            "Change what you need and press Plan."
        )

    def set_start(self, start: datetime | None) -> None:
        """Fix the window start (UTC), or ``None`` to start at the simulation time."""
        self.start = start
        text = "simulation time when Plan is pressed"
        self.start_label.setText(text if start is None else f"{start:%Y-%m-%d %H:%M:%S} UTC")
        if start is None:
            self.parent_plan_id = None

    @staticmethod
    def _starts_with() -> Any:
        from PySide6.QtCore import Qt

        return Qt.MatchFlag.MatchStartsWith

    @staticmethod
    def _exact() -> Any:
        from PySide6.QtCore import Qt

        return Qt.MatchFlag.MatchExactly

    def exclusions(self) -> list[Any]:
        """The exclusion list as planning ``Exclusion`` values."""
        from opsconsole.planning.inputs import Exclusion

        out = []
        for i in range(self.excluded.count()):
            kind, key = self.excluded.item(i).text().split(":", 1)
            out.append(Exclusion(kind, int(key) if kind == "satellite" else key))
        return out

    def run(self) -> None:
        """Plan in the background with the form's values."""
        from opsconsole.plan_process import create_plan_in_process
        from opsconsole.planning.parameters import PlanParameters

        try:
            params = PlanParameters(
                start=(self.start or self.w.clock.now()).replace(microsecond=0),
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
        name = self.name.text().strip() or "Plan"
        customers = [item.text() for item in self.customers.selectedItems()]
        exclusions, pins, db = self.exclusions(), self.pin_values(), self.w.db_path
        incidents = self.w.training.incident_exclusions(self.w.clock.now())
        exclusions += incidents
        fade, surge = self.w.training.incident_factors(self.w.clock.now())
        parent = self.parent_plan_id
        started = time.monotonic()
        self.plan_button.setEnabled(False)
        self.status.setText(
            f"Planning… ({len(incidents)} outages in force excluded)" if incidents else "Planning…"
        )

        def work(progress: Any, cancelled: Any) -> int:  # a child process plans
            return create_plan_in_process(
                db,
                name,
                params,
                customers=customers,
                exclusions=exclusions,
                pins=pins,
                parent_plan_id=parent,
                workers=PLANNING_WORKERS,
                gateway_capacity_factor=fade,
                demand_factor=surge,
                cancelled=cancelled,
                progress=progress,
            )

        def done(plan_id: int) -> None:
            self.plan_button.setEnabled(True)
            elapsed = timedelta(seconds=round(time.monotonic() - started))
            self.status.setText(f"Plan {plan_id} saved ({elapsed}).")
            self.planned.emit(plan_id)

        def failed(error: BaseException) -> None:
            from opsconsole.planning.coverage import Cancelled

            self.plan_button.setEnabled(True)
            reason = "cancelled; nothing was saved" if isinstance(error, Cancelled) else error
            self.status.setText(f"Not planned: {reason}")

        self.task = BackgroundTask(self, f"Planning {name!r}…", work, done, failed)

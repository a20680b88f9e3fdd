"""Where a planning run computes: the Planner dock's advanced options.

"This machine" (the default) plans on the local process pool; "Dask, local workers"
starts a ``LocalCluster`` of N worker processes for the run; "Dask scheduler" sends the
parts to a running scheduler (``tcp://host:8786``). The same choice as
``plan create --cluster`` (``jobs.dask_executor``); the progress line then counts the
parts each worker has finished.
"""

from __future__ import annotations

import importlib.util

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from opsconsole.jobs.dask_executor import INSTALL_HINT, LOCAL_WORKERS_MAX, parse_cluster

THIS_MACHINE, DASK_LOCAL, DASK_REMOTE = "here", "local", "remote"


class PlanTargetBox(QWidget):
    """A collapsed "Advanced" section with the run's target."""

    def __init__(self, local_processes: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("plan_advanced_toggle")
        self.toggle.setText("Advanced")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        self.body = QWidget(self)
        self.target = QComboBox(self.body)
        self.target.setObjectName("plan_target")
        self.target.addItem(f"this machine ({local_processes} processes)", THIS_MACHINE)
        self.target.addItem("Dask, local worker processes", DASK_LOCAL)
        self.target.addItem("Dask scheduler", DASK_REMOTE)
        self.workers = QSpinBox(self.body)
        self.workers.setRange(1, LOCAL_WORKERS_MAX)
        self.workers.setValue(2)
        self.workers.setSuffix(" workers")
        self.address = QLineEdit(self.body)
        self.address.setObjectName("plan_cluster_address")
        self.address.setPlaceholderText("tcp://host:8786")
        have_dask = importlib.util.find_spec("distributed") is not None
        tip = (
            "Dask runs the window's parts on its workers and gives the same plan."
            if have_dask
            else f"Dask is not installed: {INSTALL_HINT}"
        )
        self.target.setToolTip(tip)
        form = QFormLayout(self.body)
        form.setContentsMargins(12, 0, 0, 0)
        form.addRow("Run on", self.target)
        form.addRow("Local workers", self.workers)
        form.addRow("Scheduler", self.address)
        self._form = form
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.body)
        self.toggle.toggled.connect(self._expand)
        self.target.currentIndexChanged.connect(self._show_fields)
        self._expand(False)
        self._show_fields()

    def _expand(self, on: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.body.setVisible(on)

    def _show_fields(self) -> None:
        kind = self.target.currentData()
        self._form.setRowVisible(self.workers, kind == DASK_LOCAL)
        self._form.setRowVisible(self.address, kind == DASK_REMOTE)

    def cluster(self) -> str | None:
        """``None`` (this machine), ``local:N`` or the scheduler's address; raises
        ``ValueError`` for an address that is not one."""
        kind = self.target.currentData()
        if kind == DASK_LOCAL:
            return f"local:{self.workers.value()}"
        if kind == DASK_REMOTE:
            text = self.address.text().strip()
            parse_cluster(text, option="Dask scheduler")
            return text
        return None

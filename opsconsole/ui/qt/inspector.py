"""The Inspector dock: properties of the selection, and an editor for sites, customers
and gateways that validates before anything is written."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class Field:
    """One editable value: ``kind`` is ``text``, ``number`` or ``choice`` (``choices``
    then lists (label, value) pairs)."""

    key: str
    label: str
    kind: str = "number"
    choices: tuple[tuple[str, Any], ...] = ()


class Inspector(QWidget):
    """Shows ``(label, text)`` property rows and, for editable objects, an editor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("Nothing selected", self)
        self.title.setObjectName("inspector_title")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self._props = QFormLayout()
        self._prop_labels: dict[str, QLabel] = {}
        self.editor = QWidget(self)
        self._form = QFormLayout(self.editor)
        self.inputs: dict[str, QLineEdit | QComboBox] = {}
        self.apply_button = QPushButton("Apply", self.editor)
        self.revert_button = QPushButton("Revert", self.editor)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)
        self.error = QLabel("", self)
        self.error.setObjectName("inspector_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #ff6b6b")
        outer = QVBoxLayout(self)
        outer.addWidget(self.title)
        outer.addLayout(self._props)
        outer.addWidget(self.editor)
        outer.addLayout(buttons)
        outer.addWidget(self.error)
        outer.addStretch(1)
        self._buttons = (self.apply_button, self.revert_button)
        self._fields: tuple[Field, ...] = ()
        self._values: dict[str, Any] = {}
        self._on_apply: Callable[[dict[str, Any]], str | None] | None = None
        self.apply_button.clicked.connect(self.apply)
        self.revert_button.clicked.connect(self.revert)
        self.show_properties("Nothing selected", [])
        self.hide_editor()

    # -- properties ------------------------------------------------------------------
    def show_properties(self, title: str, rows: Sequence[tuple[str, str]]) -> None:
        """Show ``rows``; labels that stay the same are updated in place (no flicker)."""
        self.title.setText(title)
        keys = [label for label, _ in rows]
        if keys != list(self._prop_labels):
            while self._props.rowCount():
                self._props.removeRow(0)
            self._prop_labels = {}
            for label, text in rows:
                value = QLabel(text)
                value.setWordWrap(True)
                self._props.addRow(label, value)
                self._prop_labels[label] = value
        else:
            for label, text in rows:
                if self._prop_labels[label].text() != text:
                    self._prop_labels[label].setText(text)

    def property_text(self, label: str) -> str | None:
        """The shown text of a property row (``None`` if absent)."""
        widget = self._prop_labels.get(label)
        return widget.text() if widget is not None else None

    # -- editor ----------------------------------------------------------------------
    def show_editor(
        self,
        fields: Sequence[Field],
        values: Mapping[str, Any],
        on_apply: Callable[[dict[str, Any]], str | None],
    ) -> None:
        """Edit ``values``; ``on_apply`` gets the parsed values and returns an error
        message (refused) or ``None`` (accepted)."""
        while self._form.rowCount():
            self._form.removeRow(0)
        self.inputs = {}
        for field in fields:
            widget: QLineEdit | QComboBox
            if field.kind == "choice":
                widget = QComboBox()
                for label, value in field.choices:
                    widget.addItem(label, value)
            else:
                widget = QLineEdit()
            widget.setObjectName(f"edit_{field.key}")
            self._form.addRow(field.label, widget)
            self.inputs[field.key] = widget
        self._fields, self._values, self._on_apply = tuple(fields), dict(values), on_apply
        self.revert()
        self.editor.setVisible(True)
        for button in self._buttons:
            button.setVisible(True)

    def hide_editor(self) -> None:
        """No editor (read-only objects)."""
        self.editor.setVisible(False)
        for button in self._buttons:
            button.setVisible(False)
        self._on_apply = None
        self.error.clear()

    def revert(self) -> None:
        """Put the object's current values back into the inputs."""
        for field in self._fields:
            widget, value = self.inputs[field.key], self._values.get(field.key, "")
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(widget.findData(value), 0))
            else:
                text = "" if value is None else str(value)
                widget.setText(f"{value:g}" if isinstance(value, float) else text)
        self.error.clear()

    def read_inputs(self) -> tuple[dict[str, Any], list[str]]:
        """Parsed input values and problems (numbers that do not parse)."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        for field in self._fields:
            widget = self.inputs[field.key]
            if isinstance(widget, QComboBox):
                values[field.key] = widget.currentData()
                continue
            text = widget.text().strip()
            if field.kind == "number":
                try:
                    values[field.key] = float(text)
                except ValueError:
                    problems.append(f"{field.label}: {text!r} is not a number")
            else:
                values[field.key] = text
        return values, problems

    def apply(self) -> bool:
        """Validate and hand the values over; show the reason when refused."""
        if self._on_apply is None:
            return False
        values, problems = self.read_inputs()
        if problems:
            self.error.setText("Not saved: " + "; ".join(problems))
            return False
        message = self._on_apply(values)
        if message:
            self.error.setText(f"Not saved: {message}")
            return False
        self._values = {**self._values, **values}
        self.error.clear()
        return True

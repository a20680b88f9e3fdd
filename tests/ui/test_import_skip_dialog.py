"""Issue 15, section 3: with no valid record left, an import's only choice (and the
default) is Cancel; otherwise it offers to import the valid ones, Cancel by default."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from opsconsole.core.input_errors import InputFileError, InputIssue
from opsconsole.ui.qt.file_actions import ask_skip

pytestmark = pytest.mark.gl


def _answer(press_skip: bool, seen: dict[str, Any]) -> None:
    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, look)
            return
        seen["buttons"] = [b.text() for b in box.buttons()]
        seen["default"] = box.defaultButton().text() if box.defaultButton() else None
        seen["text"] = box.text()
        skip = [b for b in box.buttons() if b.text().startswith("Skip")]
        (skip[0] if press_skip and skip else box.button(QMessageBox.StandardButton.Cancel)).click()

    QTimer.singleShot(0, look)


@pytest.mark.parametrize("valid", [0, 3])
def test_skip_is_offered_only_when_something_valid_is_left(qapp, valid: int) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    issues = [InputIssue("sites.csv", "row", 2, "latitude 95 outside [-90, 90]")]
    seen: dict[str, Any] = {}
    _answer(press_skip=True, seen=seen)
    chose_skip = ask_skip(parent, InputFileError(issues, valid=valid), "site")
    assert seen["default"] == "Cancel" or seen["default"].endswith("Cancel")
    if valid:
        assert chose_skip and any(b.startswith("Skip") for b in seen["buttons"])
        assert "3 valid record(s) could be imported" in seen["text"]
    else:
        assert not chose_skip and not any(b.startswith("Skip") for b in seen["buttons"])
        assert "no valid record is left" in seen["text"]

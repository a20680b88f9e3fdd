"""Issue 15, section 3: the globe's hover label stayed after the pointer left."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.gl


def test_hover_label_goes_when_the_pointer_leaves_the_globe(make_console) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    overlay = window.globe_view.globe.overlay
    assert overlay is not None
    overlay.set_hover(np.array([7000.0, 0.0, 0.0], np.float32), "STARLINK-1007")
    assert overlay.hover.visible
    QApplication.sendEvent(window.globe_view.canvas.native, QEvent(QEvent.Type.Leave))
    assert not overlay.hover.visible

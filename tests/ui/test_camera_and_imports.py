"""Camera flights and follow, picking ground objects, hover labels, imports from the GUI."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from opsconsole.console.selection import ObjectRef
from opsconsole.core.frames import geodetic_from_ecef
from opsconsole.store.element_repository import list_element_sets
from opsconsole.ui.qt import file_actions

pytestmark = pytest.mark.gl


def _subpoint(window, norad: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    index = window.data.satellite_index(norad)
    lat, lon, _ = geodetic_from_ecef(window.controller.positions[index].reshape(1, 3))
    return float(lat[0]), float(lon[0])


def _fly(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 5.0
    while window.globe_view.flying and time.monotonic() < deadline:
        window.controller.tick()
        qtbot.wait(20)


def test_double_click_flies_and_follow_keeps_the_satellite_centred(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    window.controller.feed.wait(60)
    window.controller.tick()
    norad = int(window.data.elements.norad_ids[42])
    ref = ObjectRef("satellite", norad)
    window.explorer.fly_to.emit(ref)
    _fly(window, qtbot)
    lat, lon, _ = window.globe_view.globe.view_center()
    # the camera aims at the geocentric direction; geodetic latitude differs by < 0.2 deg
    target = _subpoint(window, norad)
    assert abs(lat - target[0]) < 0.3 and abs((lon - target[1] + 180) % 360 - 180) < 0.01

    window.selection.select(ref)
    window.commands["follow"].trigger()
    window.commands["play"].trigger()
    window.wall.seconds += 120.0  # two minutes later the satellite is ~900 km further on
    window.controller.feed.wait(60)
    window.controller.tick()
    lat, lon, _ = window.globe_view.globe.view_center()
    target = _subpoint(window, norad)
    assert abs(lat - target[0]) < 1e-6 and abs(lon - target[1]) < 1e-6


def test_clicking_a_site_marker_selects_the_site_and_hover_labels_it(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    window.commands["layer_satellites"].trigger()  # only ground objects are pickable now
    site = window.data.sites[0]
    window.globe_view.globe.look_at(site["lat"], site["lon"], 3.0)
    window.controller.tick()
    qtbot.wait(50)
    ground = window.globe_view.globe.ground
    index = [s["id"] for s in window.data.sites].index(site["id"])
    x, y = window.globe_view.globe.project(ground.positions["site"][index : index + 1])[0]
    native = window.globe_view.canvas.native
    window.controller._hover(float(x), float(y))
    overlay = window.globe_view.globe.overlay
    assert overlay.hover.visible and site["name"] in overlay.hover.text
    qtbot.mousePress(native, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))
    qtbot.mouseRelease(native, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))
    # another site of the same customer may sit within a few pixels: accept the nearest
    current = window.selection.current
    assert current is not None and current.kind == "site"
    assert window.inspector.title.text().startswith("Site ")


def test_import_with_a_bad_record_writes_nothing_unless_skipping(
    make_console, qtbot, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    good = window.data.elements.records[:3]
    text = "".join(f"{r.name}\n{r.line1}\n{r.line2}\n" for r in good)
    bad = tmp_path / "mixed.tle"
    bad.write_text(text + "BROKEN\n1 99999U bad line\n2 99999 also bad\n")
    sets_before = len(list_element_sets(window.store))
    answers: list[bool] = []
    monkeypatch.setattr(file_actions, "ask_skip", lambda *_a: answers.append(False) or False)
    file_actions.import_elements(window, window.db_path, window.reload, str(bad))
    qtbot.waitUntil(lambda: answers == [False], timeout=30_000)
    qtbot.wait(100)
    assert len(list_element_sets(window.store)) == sets_before

    monkeypatch.setattr(file_actions, "ask_skip", lambda *_a: answers.append(True) or True)
    file_actions.import_elements(window, window.db_path, window.reload, str(bad))
    qtbot.waitUntil(lambda: len(window.data.elements) == 3, timeout=30_000)
    assert len(list_element_sets(window.store)) == sets_before + 1
    assert window.explorer.tabs.tabText(0) == "Satellites"
    assert window.explorer.tabs.tabToolTip(0) == "3 satellites"
    header = window.explorer.models["satellites"].headerData(0, Qt.Orientation.Horizontal)
    assert header == "Satellite (3)"
    window.controller.feed.wait(60)
    window.controller.tick()
    positions = window.controller.positions
    assert positions.shape == (3, 3) and np.isfinite(positions).all()
    assert window.globe_view.globe.satellites.drawn == 3

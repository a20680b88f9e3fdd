"""The main window under Xvfb: selection sync, time control, layers, what-serves."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from opsconsole.console.selection import ObjectRef
from opsconsole.core.frames import WGS84_A_KM
from opsconsole.core.look_angles import Sites
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import time_at
from opsconsole.core.visibility import visible_satellites

pytestmark = pytest.mark.gl


def _settle(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Let the feed finish its window and draw a frame at the clock's time."""
    window.controller.feed.wait(60)
    window.controller.tick()
    qtbot.wait(50)


def _isolated_visible_satellite(window) -> tuple[int, float, float]:  # type: ignore[no-untyped-def]
    globe = window.globe_view.globe
    points = window.controller.positions / WGS84_A_KM
    screen = globe.project(points)
    w, h = window.globe_view.canvas.size
    ok = np.isfinite(screen).all(axis=1) & globe.visible_mask(points)
    ok &= (
        (screen[:, 0] > 40)
        & (screen[:, 0] < w - 40)
        & (screen[:, 1] > 40)
        & (screen[:, 1] < h - 40)
    )
    candidates = np.flatnonzero(ok)
    for i in candidates:
        d = np.hypot(*(screen[ok] - screen[i]).T)
        if np.sort(d)[1] > 12.0:  # nothing else within 12 px
            return int(i), float(screen[i, 0]), float(screen[i, 1])
    raise AssertionError(
        f"no isolated satellite on screen: canvas {w}x{h}, {int(ok.sum())} visible, "
        f"{int(np.isfinite(points).all(axis=1).sum())} finite"
    )


def test_click_selects_everywhere_and_explorer_selects_on_globe(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    _settle(window, qtbot)
    index, x, y = _isolated_visible_satellite(window)
    norad = int(window.data.elements.norad_ids[index])
    native = window.globe_view.canvas.native
    emitted = window.selection.emitted
    qtbot.mousePress(native, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))
    qtbot.mouseRelease(native, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))
    qtbot.waitUntil(lambda: window.selection.current == ObjectRef("satellite", norad))
    assert window.selection.emitted == emitted + 1  # no feedback loop
    assert window.explorer.current_ref() == ObjectRef("satellite", norad)
    assert str(norad) in window.inspector.title.text()
    assert window.inspector.property_text("Catalog number") == str(norad)

    # explorer -> globe: pick another satellite in the tree
    other = int(window.data.elements.norad_ids[(index + 100) % len(window.data.elements)])
    view = window.explorer.views["satellites"]
    item = window.explorer._items[ObjectRef("satellite", other)]
    view.setCurrentIndex(window.explorer.proxies["satellites"].mapFromSource(item.index()))
    assert window.selection.current == ObjectRef("satellite", other)
    assert window.selection.emitted == emitted + 2
    window.controller.tick()
    overlay = window.globe_view.globe.overlay
    assert overlay.highlight.visible and overlay.orbit.visible and overlay.footprint.visible
    drawn = overlay.highlight._data["a_position"][0]
    other_index = window.data.satellite_index(other)
    assert np.allclose(drawn * WGS84_A_KM, window.controller.positions[other_index], atol=0.01)


def test_time_controls_move_the_drawn_satellites(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    clock, wall, cmd = window.clock, window.wall, window.commands
    start = clock.now()
    cmd["play"].trigger()
    assert clock.playing
    wall.seconds += 10.0
    assert clock.now() == start + timedelta(seconds=10)
    cmd["faster"].trigger()  # 1x -> 2x
    wall.seconds += 10.0
    assert clock.now() == start + timedelta(seconds=30)
    cmd["play"].trigger()  # pause
    wall.seconds += 100.0
    assert clock.now() == start + timedelta(seconds=30) and not clock.playing
    window.time_panel.scrub_to_minute(600)
    assert clock.now() == window.time_panel.window_start + timedelta(minutes=600)
    cmd["step_forward"].trigger()
    when = clock.now()
    assert when == window.time_panel.window_start + timedelta(minutes=601)
    _settle(window, qtbot)
    truth = propagate(window.data.elements, time_at(when), velocities=False).position_km[:, 0]
    drawn = window.globe_view.globe.satellites.scene_positions * WGS84_A_KM
    ok = np.isfinite(truth).all(axis=1)
    assert window.controller.positions_time == when
    assert np.abs(drawn - truth[ok]).max() < 0.01  # km (float32 scene coordinates)
    assert window.time_panel.utc_label.text() == when.strftime("%Y-%m-%d %H:%M:%S UTC")


def test_layers_filter_and_what_serves(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    _settle(window, qtbot)
    cmd, globe = window.commands, window.globe_view.globe
    cmd["layer_satellites"].trigger()
    assert not globe.satellites.markers.visible
    cmd["layer_satellites"].trigger()
    window.controller.tick()
    assert globe.satellites.markers.visible
    cmd["layer_regions"].trigger()
    assert not globe.ground.is_shown("region:azure") and globe.ground.is_shown("site")
    cmd["layer_graticule"].trigger()
    assert not globe.lines.graticule.visible

    cmd["find"].trigger()
    norad = int(window.data.elements.norad_ids[7])
    qtbot.keyClicks(window.explorer.filter, str(norad))
    proxy = window.explorer.proxies["satellites"]
    qtbot.waitUntil(lambda: proxy.rowCount() == 1)  # one shell left, holding the satellite
    shell = proxy.index(0, 0)
    plane = proxy.index(0, 0, shell)
    assert proxy.rowCount(shell) == 1 and proxy.rowCount(plane) == 1
    assert proxy.index(0, 1, plane).data() == str(norad)

    dialog = window.what_serves(47.6, -122.3)
    qtbot.waitUntil(lambda: dialog.coverage_result is not None, timeout=120_000)
    site = Sites.from_geodetic([47.6], [-122.3])
    expected = visible_satellites(site, window.controller.positions, 25.0)
    assert dialog.table.rowCount() == len(expected)
    assert 0.0 <= dialog.coverage_result.fraction <= 1.0
    assert "% of the time" in dialog.coverage_label.text()
    dialog.close()


def test_new_site_here_from_the_context_position(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    globe = window.globe_view.globe
    w, h = window.globe_view.canvas.size
    point = globe.surface_point(w / 2, h / 2)
    assert point is not None
    from opsconsole.core.orbit_geometry import latlon_of

    lat, lon = latlon_of(point)
    sites_before = len(window.data.sites)
    window.panel.new_site(lat, lon)
    inputs = window.inspector.inputs
    inputs["name"].setText("Probe site")
    assert window.inspector.apply()
    assert len(window.data.sites) == sites_before + 1
    created = window.selection.current
    assert created is not None and created.kind == "site"
    row = window.data.site(int(created.key))
    assert row is not None and abs(row["lat"] - lat) < 1e-4 and abs(row["lon"] - lon) < 1e-4
    window.commands["undo"].trigger()
    assert len(window.data.sites) == sites_before

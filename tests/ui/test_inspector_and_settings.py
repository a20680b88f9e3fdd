"""Inspector edits (validation, undo/redo, audit) and the settings round trip."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from opsconsole.console.selection import ObjectRef
from opsconsole.store.catalog_edits import customer_values, gateway_values, site_values

pytestmark = pytest.mark.gl


def _audit(window, action: str) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    rows = window.store.conn.execute("SELECT detail FROM audit_log WHERE action = ?", (action,))
    return [json.loads(row[0]) for row in rows]


def test_site_edits_validate_undo_redo_and_audit(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    site_id = int(window.data.sites[0]["id"])
    original = site_values(window.store, site_id)
    window.selection.select(ObjectRef("site", site_id))
    inputs, inspector = window.inspector.inputs, window.inspector

    inputs["lat"].setText("95")
    inputs["demand_mbps"].setText("many")
    assert not inspector.apply()
    assert "not a number" in inspector.error.text()
    inputs["demand_mbps"].setText("10")
    assert not inspector.apply()
    assert "lat must be between -90 and 90" in inspector.error.text()
    assert site_values(window.store, site_id) == original and _audit(window, "site.update") == []

    inspector.revert()
    inputs["demand_mbps"].setText("432.5")
    inputs["residency"].setText("eu, gb")
    assert inspector.apply() and inspector.error.text() == ""
    edited = site_values(window.store, site_id)
    assert edited == {**original, "demand_mbps": 432.5, "residency": "EU;GB"}
    assert window.inspector.property_text("Demand") == "432.5 Mbps"

    window.commands["undo"].trigger()
    assert site_values(window.store, site_id) == original
    window.commands["redo"].trigger()
    assert site_values(window.store, site_id) == edited
    entries = _audit(window, "site.update")
    assert [e["new"]["demand_mbps"] for e in entries] == [432.5, original["demand_mbps"], 432.5]
    assert entries[1]["old"]["residency"] == "EU;GB"


def test_site_mask_and_horizon_edits_reach_the_sky_plot(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    site_id = int(window.data.sites[0]["id"])
    original = site_values(window.store, site_id)
    assert original["min_elevation_deg"] is None and original["horizon"] == ""
    window.selection.select(ObjectRef("site", site_id))
    inputs, inspector = window.inspector.inputs, window.inspector
    assert inputs["min_elevation_deg"].text() == "" and inputs["horizon"].text() == ""
    assert window.inspector.property_text("Terminal mask") == "25° (the default)"
    for mask, horizon, reason in (("95", "", "outside [-5, 90]"),
                                  ("", "10:10;5:10", "unsorted azimuth 5"),
                                  ("", "10:x", "not two numbers")):  # fmt: skip
        inputs["min_elevation_deg"].setText(mask)
        inputs["horizon"].setText(horizon)
        assert not inspector.apply()
        assert reason in inspector.error.text()
        assert site_values(window.store, site_id) == original
    inputs["min_elevation_deg"].setText("35")
    inputs["horizon"].setText("0:70; 60:70;120:0;240:0;300:70")
    assert inspector.apply(), inspector.error.text()
    edited = site_values(window.store, site_id)
    assert edited["min_elevation_deg"] == 35.0
    assert edited["horizon"] == "0:70;60:70;120:0;240:0;300:70"
    assert window.inspector.property_text("Terminal mask") == "35°"
    # the sky plot shades what the site cannot use: 70 deg in the north, 35 in the south
    window.docks["plots"].show()  # no plan yet: the Plots dock is opened from View
    window.plots.setCurrentWidget(window.plots.sky)
    qtbot.waitUntil(lambda: window.plots.sky.horizon_deg.max() == 70.0, timeout=10_000)
    needed = window.plots.sky.horizon_deg
    assert needed[0] == 70.0 and needed[180] == 35.0
    assert "its horizon (35–70°)" in window.plots.sky.title.text()
    window.commands["undo"].trigger()
    assert site_values(window.store, site_id) == original


def test_customer_and_gateway_edits(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    customer = window.data.customers[0]
    window.selection.select(ObjectRef("customer", int(customer["id"])))
    window.inspector.inputs["name"].setText(window.data.customers[1]["name"])
    assert not window.inspector.apply()
    assert "already called" in window.inspector.error.text()
    window.inspector.inputs["name"].setText("Renamed customer")
    assert window.inspector.apply()
    assert customer_values(window.store, int(customer["id"]))["name"] == "Renamed customer"
    window.commands["undo"].trigger()
    assert customer_values(window.store, int(customer["id"]))["name"] == customer["name"]

    gateway = window.data.gateways[0]
    window.selection.select(ObjectRef("gateway", str(gateway["id"])))
    window.inspector.inputs["min_elevation_deg"].setText("120")
    assert not window.inspector.apply()
    window.inspector.inputs["min_elevation_deg"].setText("30")
    assert window.inspector.apply()
    assert gateway_values(window.store, str(gateway["id"]))["min_elevation_deg"] == 30.0
    assert len(_audit(window, "gateway.update")) == 1


def test_settings_round_trip(make_console, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = tmp_path / "layout.ini"
    first = make_console(settings=settings)
    first.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, first.docks["explorer"])
    first.docks["time"].hide()
    first.resize(1100, 760)
    first.globe_view.globe.look_at(35.0, 139.0, 5.0)
    qtbot.wait(50)
    size = first.size()
    first.close()

    second = make_console(settings=settings)
    qtbot.wait(50)
    assert second.size() == size
    assert second.dockWidgetArea(second.docks["explorer"]) == Qt.DockWidgetArea.RightDockWidgetArea
    assert not second.docks["time"].isVisible() and second.docks["inspector"].isVisible()
    lat, lon, distance = second.globe_view.globe.view_center()
    assert (round(lat, 6), round(lon, 6), round(distance, 6)) == (35.0, 139.0, 5.0)

"""Issue 15, section 4: what an operator does on day one, in one test, through the real
window: find and select a satellite, run the clock at 60x, select a site and read what
serves it, plan the demo customers for 3 h, show the plan, exclude a gateway, re-plan,
compare, approve with confirmation, activate, export through the dock, and read an
alert in a training session after activating a plan for other sites."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from opsconsole.console.selection import ObjectRef
from opsconsole.planning.inputs import Exclusion
from opsconsole.store.plan_repository import load_plan, plan_status

pytestmark = pytest.mark.gl


def test_day_one(make_console, qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    click = lambda button: qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # noqa: E731

    # find a satellite by its catalog number and select it in the Explorer
    norad = int(window.data.elements.norad_ids[7])
    explorer = window.explorer
    qtbot.keyClicks(explorer.filter, str(norad))
    explorer.apply_filter()
    view, proxy = explorer.views["satellites"], explorer.proxies["satellites"]
    item = explorer._items[ObjectRef("satellite", norad)]
    view.setCurrentIndex(proxy.mapFromSource(item.index()))
    assert window.selection.current == ObjectRef("satellite", norad)
    assert window.inspector.property_text("Catalog number") == str(norad)

    # run the clock at 60x: one wall second is a simulated minute
    time_panel = window.time_panel
    time_panel.speed.setCurrentIndex(time_panel.speed.findData(60))
    time_panel.speed.activated.emit(time_panel.speed.currentIndex())
    click(time_panel.play_button)
    before = window.clock.now()
    window.wall.seconds += 2.0
    assert (window.clock.now() - before).total_seconds() == pytest.approx(120.0, abs=1.0)
    click(time_panel.play_button)  # pause for the rest of the day

    # a site: what serves it now (the satellites in view, before any plan)
    site = window.data.sites[0]
    window.selection.select(ObjectRef("site", int(site["id"])))
    dialog = window.what_serves(float(site["lat"]), float(site["lon"]))
    assert dialog.table.rowCount() > 0
    dialog.close()

    # plan the demo customers (all: nothing selected) for 3 h
    planner, plans = window.planner, window.plans
    planner.name.setText("day one")
    planner.hours.setValue(3.0)
    planner.step.setCurrentIndex(planner.step.findData(60.0))
    click(planner.plan_button)
    qtbot.waitUntil(lambda: planner.plan_button.isEnabled(), timeout=240_000)
    assert "saved" in planner.status.text(), planner.status.text()
    first = plans.selected_id()
    assert first is not None and load_plan(window.store, first).slots == 180

    # show it on the globe
    click(plans.buttons["Show on globe"])
    qtbot.waitUntil(lambda: window.plan_on_globe.playback is not None
                    and window.plan_on_globe.playback.plan_id == first, timeout=30_000)  # fmt: skip
    assert not window.docks["plots"].isHidden()  # the Plots came with the first plan

    # exclude the busiest gateway and re-plan
    stored = load_plan(window.store, first)
    used = stored.arrays["gateway"][stored.arrays["gateway"] >= 0]
    busiest = stored.gateway_ids[int(np.bincount(used).argmax())]
    click(plans.buttons["Re-plan…"])
    assert planner.parent_plan_id == first and not window.docks["planner"].isHidden()
    window.selection.select(ObjectRef("gateway", busiest))
    planner.exclude_selection()
    assert planner.exclusions() == [Exclusion("gateway", busiest)]
    click(planner.plan_button)
    qtbot.waitUntil(lambda: planner.plan_button.isEnabled(), timeout=240_000)
    second = plans.selected_id()
    assert second is not None and second != first
    replanned = load_plan(window.store, second)
    assert replanned.parent_plan_id == first and replanned.start == stored.start
    assert busiest not in {replanned.gateway_ids[g] for g in replanned.arrays["gateway"].ravel()
                           if g >= 0}  # fmt: skip

    # compare the two
    plans.table.clearSelection()
    plans.table.setSelectionMode(plans.table.SelectionMode.MultiSelection)
    plans.select_plan(first)
    plans.select_plan(second)
    click(plans.buttons["Compare"])
    assert plans.compare_dialog is not None and plans.compare_dialog.sites.rowCount() == 66
    plans.compare_dialog.close()
    plans.table.setSelectionMode(plans.table.SelectionMode.ExtendedSelection)

    # approve (asks first), activate
    plans.table.clearSelection()
    plans.select_plan(second)
    asked: list[str] = []

    def confirm(_parent, _title, text, *_args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(confirm))
    click(plans.buttons["Approve"])
    assert asked and plan_status(window.store, second) == "approved"
    click(plans.buttons["Activate"])
    assert plan_status(window.store, second) == "active"
    qtbot.waitUntil(lambda: window.plan_on_globe.playback.plan_id == second, timeout=30_000)
    window._live_refresh()
    assert f"plan {second}" in window.status.plan.text()

    # export through the dock
    out = tmp_path / "day-one"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a: (str(out), "JSON (*.json)")))  # fmt: skip
    click(plans.buttons["Export…"])
    qtbot.waitUntil(lambda: "written to" in plans.message.text(), timeout=60_000)
    assert json.loads((tmp_path / "day-one.json").read_text(encoding="utf-8"))

    # a training session; the active plan for every customer covers other sites than
    # the session's: the Alerts dock still reads alerts
    training, alerts = window.training, window.alerts
    window.docks["training"].show()  # the instructor opens it: View > Training
    training.choice.setCurrentIndex(training.choice.findText("eu-gateway-outage"))
    training.start_button.click()
    qtbot.waitUntil(lambda: training.session is not None, timeout=120_000)
    assert not window.docks["alerts"].isHidden()
    scenario = training.session.scenario
    window.clock.pause()
    starting = window.model.replay.plan_id  # the session's starting plan, loading
    qtbot.waitUntil(lambda: (window.plan_on_globe.playback is not None
                             and window.plan_on_globe.playback.plan_id == starting),
                    timeout=30_000)  # fmt: skip
    session_sites = len(window.plan_on_globe.playback.sites)
    chosen = {item.text() for item in planner.customers.selectedItems()}
    assert chosen == set(scenario.customers)  # the Planner follows the session
    planner.select_customers(())  # ... but this trainee plans every customer
    planner.set_start(scenario.start)
    planner.hours.setValue(0.5)
    click(planner.plan_button)
    qtbot.waitUntil(lambda: planner.plan_button.isEnabled(), timeout=240_000)
    every = plans.selected_id()
    assert every is not None
    plans.set_status("approved")
    plans.set_status("active")
    qtbot.waitUntil(lambda: window.plan_on_globe.playback.plan_id == every, timeout=30_000)
    assert len(window.plan_on_globe.playback.sites) > session_sites  # other sites
    window.clock.scrub(scenario.start + timedelta(minutes=15))  # the outage is on
    training.tick(window.clock.now())
    alerts.refresh(window.clock.now())
    column = {alerts.table.horizontalHeaderItem(c).text(): c
              for c in range(alerts.table.columnCount())}  # fmt: skip
    rows = alerts.table.rowCount()
    assert rows > 0, alerts.summary.text()
    cause = alerts.table.item(0, column["Cause"]).text()
    assert cause and alerts.table.item(0, column["Site"]).text()

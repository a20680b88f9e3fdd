"""Issue 15, broken flow 2: the Alerts dock froze once a plan covering other sites than
the session's was activated (a shape mismatch four times a second)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from opsconsole.planning.parameters import PlanParameters
from opsconsole.plans.request import PlanRequest
from opsconsole.plans.service import create_plan
from opsconsole.store.plan_repository import set_status
from opsconsole.training.alerts import MIN_SLOTS

pytestmark = pytest.mark.gl


def test_alerts_keep_working_after_a_plan_for_all_customers(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    training, alerts, planner = window.training, window.alerts, window.planner
    window.docks["training"].show()  # the instructor opens it: View > Training
    training.choice.setCurrentIndex(training.choice.findText("eu-gateway-outage"))
    training.start_button.click()
    qtbot.waitUntil(lambda: training.session is not None, timeout=120_000)
    qtbot.waitUntil(lambda: window.plan_on_globe.playback is not None, timeout=30_000)
    # a session is loaded: Training and Alerts appear (hidden at first launch)
    assert not window.docks["training"].isHidden() and not window.docks["alerts"].isHidden()
    window.clock.pause()
    scenario = training.session.scenario
    # while the session runs, the Planner plans for the session's customers
    chosen = {item.text() for item in planner.customers.selectedItems()}
    assert chosen == set(scenario.customers) and len(chosen) < planner.customers.count()
    session_sites = len(window.plan_on_globe.playback.sites)
    step = timedelta(seconds=scenario.step_s)
    for j in range(MIN_SLOTS + 2):  # availability is judged after MIN_SLOTS slots
        window.clock.scrub(scenario.start + j * step)
        alerts.refresh(window.clock.now())
    # someone plans every customer (the Planner with nothing selected) and activates it
    start = window.clock.now()
    params = PlanParameters(start=start, duration_s=1800.0, step_s=scenario.step_s)
    every = create_plan(window.store, PlanRequest("all customers", params))
    set_status(window.store, every, "approved")
    set_status(window.store, every, "active")
    window.plan_on_globe.show_active()
    qtbot.waitUntil(lambda: window.plan_on_globe.playback.plan_id == every, timeout=30_000)
    assert len(window.plan_on_globe.playback.sites) > session_sites
    for j in range(1, MIN_SLOTS + 4):
        window.clock.scrub(start + j * step)
        alerts.refresh(window.clock.now())  # raised ValueError before the fix
    assert "critical;" in alerts.summary.text() and alerts.summary.text().endswith("shelved.")
    open_sites = {entry.alert.site_id for entry in alerts.book.open.values()}
    planned = {int(s["id"]) for s in window.plan_on_globe.playback.sites}
    assert open_sites <= planned
    training.end_button.click()
    qtbot.waitUntil(lambda: training.report is not None, timeout=120_000)
    for dialog in training.findChildren(object):
        if type(dialog).__name__ == "DebriefDialog":
            dialog.close()
    assert not planner.customers.selectedItems()  # after the session: all customers again

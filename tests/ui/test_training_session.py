"""A training session in the console: the instructor starts the EU outage scenario,
alerts appear when the gateway fails, a trainee acknowledges, excludes the gateway,
re-plans and activates; the session log records it all and the debrief credits it."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from opsconsole.console.selection import ObjectRef
from opsconsole.store.training_repository import session_log

pytestmark = pytest.mark.gl


def test_instructor_and_trainee_in_one_session(make_console, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    training, alerts, planner, plans = window.training, window.alerts, window.planner, window.plans
    window.docks["training"].show()  # the instructor opens it: View > Training
    training.choice.setCurrentIndex(training.choice.findText("eu-gateway-outage"))
    assert "gw-usingen" in training.briefing.toPlainText()
    training.start_button.click()
    qtbot.waitUntil(lambda: training.session is not None, timeout=120_000)
    session = training.session
    scenario = session.scenario
    # the starting plan is active and replayed (loaded in the background)
    qtbot.waitUntil(lambda: window.plan_on_globe.playback is not None, timeout=30_000)
    window.clock.pause()

    window.clock.scrub(scenario.start + timedelta(minutes=11))
    now = window.clock.now()
    training.tick(now)
    assert any("gw-usingen" in training.in_force.item(i).text()
               for i in range(training.in_force.count()))  # fmt: skip
    assert window.globe_view.globe.incidents.count == 1  # the gateway is ringed on the globe
    alerts.refresh(now)
    column = {alerts.table.horizontalHeaderItem(c).text(): c
              for c in range(alerts.table.columnCount())}  # fmt: skip
    causes = [alerts.table.item(r, column["Cause"]).text()
              for r in range(alerts.table.rowCount())]  # fmt: skip
    assert "gateway gw-usingen down" in causes
    alerts.table.selectRow(causes.index("gateway gw-usingen down"))
    alerts.acknowledge(comment="rerouting")
    acked = [alerts.table.item(r, column["Acknowledged"]).text()
             for r in range(alerts.table.rowCount())]  # fmt: skip
    assert any(a.endswith(": rerouting") for a in acked), acked

    # the trainee: exclude the failed gateway, plan the rest of the window, activate
    window.selection.select(ObjectRef("gateway", "gw-usingen"))
    planner.exclude_selection()
    for i in range(planner.customers.count()):
        item = planner.customers.item(i)
        item.setSelected(item.text() in scenario.customers)
    window.clock.scrub(scenario.start + timedelta(minutes=12))
    planner.set_start(window.clock.now())
    planner.hours.setValue((scenario.end - window.clock.now()).total_seconds() / 3600.0)
    planner.plan_button.click()
    qtbot.waitUntil(lambda: planner.plan_button.isEnabled(), timeout=120_000)
    assert "saved" in planner.status.text(), planner.status.text()
    new_id = int(re.search(r"Plan (\d+) saved", planner.status.text()).group(1))
    from opsconsole.store.plan_repository import load_plan

    excluded = load_plan(window.store, new_id).row["exclusions"]
    # the trainee's own exclusion, and the outage in force from its start, until further notice
    assert {(x["key"], x["start"], x["end"]) for x in excluded} == {
        ("gw-usingen", None, None),
        ("gw-usingen", (scenario.start + timedelta(minutes=10)).isoformat(), None),
    }
    plans.refresh()
    plans.select_plan(new_id)
    plans.set_status("approved")
    plans.set_status("active")
    qtbot.waitUntil(lambda: window.plan_on_globe.playback.plan_id == new_id, timeout=30_000)
    window.clock.scrub(scenario.start + timedelta(minutes=14))
    alerts.refresh(window.clock.now())
    column = {alerts.table.horizontalHeaderItem(c).text(): c
              for c in range(alerts.table.columnCount())}  # fmt: skip
    rows = [(alerts.table.item(r, column["Cause"]).text(),
             alerts.table.item(r, column["State"]).text())
            for r in range(alerts.table.rowCount())]  # fmt: skip
    # restored by the new plan: back to normal, listed until acknowledged or cleared
    outage = [state for cause, state in rows if cause == "gateway gw-usingen down"]
    assert outage and set(outage) == {"returned"}, rows
    alerts.table.selectAll()
    alerts.clear()
    assert "gateway gw-usingen down" not in {
        alerts.table.item(r, column["Cause"]).text() for r in range(alerts.table.rowCount())
    }

    request = training.request_site(51.95, 4.05, "Harbourline Ports Group")
    assert request is not None and request.kind == "new_site"
    window.clock.scrub(scenario.end)
    training.tick(window.clock.now())
    training.end_button.click()
    qtbot.waitUntil(lambda: training.report is not None, timeout=120_000)
    report = training.report
    outage = report["incidents"][0]
    assert outage["time_to_detect_min"] == 1.0
    assert outage["time_to_restore_min"] is not None and outage["time_to_restore_min"] <= 4.0
    log = session_log(window.store, report["session_id"])
    whats = [entry.what for entry in log]
    assert "excluded gateway gw-usingen" in whats and f"plan {new_id} active" in whats
    placed = next(i for i in report["incidents"] if i["kind"] == "new_site")
    assert placed["affected_site_names"] == [request.fields["name"]]
    assert placed["time_to_restore_min"] is None  # nobody placed it
    assert {"control", "event", "action", "alert", "ack"} <= {entry.kind for entry in log}
    from opsconsole.ui.qt.debrief_dialog import DebriefDialog

    dialog = next(w for w in training.findChildren(DebriefDialog))
    assert "gateway_outage gw-usingen" in dialog.view.toPlainText()
    assert dialog.export_pdf(str(tmp_path / "debrief.pdf")) >= 2  # summary and timeline
    dialog.close()
    _replay_the_session(window, qtbot, report["session_id"], new_id, scenario)


def _replay_the_session(window, qtbot, session_id: int, new_id: int, scenario) -> None:  # type: ignore[no-untyped-def]
    """The ended session replays: events in force, the trainee's plan from when it was
    activated, the alerts again, and the log up to the clock, also backwards."""
    training, replays = window.training, window.training.replays
    replays.start(session_id)
    window.clock.pause()
    window.clock.scrub(scenario.start + timedelta(minutes=11))
    now = window.clock.now()
    training.tick(now)
    assert training.in_force.item(0).text().startswith("gateway_outage gw-usingen")
    shown = window.plan_on_globe
    qtbot.waitUntil(lambda: shown.playback is not None and shown.playback.plan_id != new_id,
                    timeout=30_000)  # fmt: skip
    window.alerts.refresh(now)
    assert window.alerts.table.rowCount() > 0
    shown_at_11 = replays.timeline.count()
    window.clock.scrub(scenario.start + timedelta(minutes=30))
    training.tick(window.clock.now())
    qtbot.waitUntil(lambda: window.plan_on_globe.playback.plan_id == new_id, timeout=30_000)
    assert replays.timeline.count() > shown_at_11
    window.clock.scrub(scenario.start + timedelta(minutes=11))  # backwards
    training.tick(window.clock.now())
    assert replays.timeline.count() == shown_at_11
    replays.stop()
    assert replays.replay is None and replays.timeline.count() == 0
    assert replays.replay_button.isEnabled() and not replays.stop_button.isEnabled()

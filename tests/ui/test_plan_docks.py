"""The Planner and Plans docks: plan in the background, cancel, approve, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opsconsole.store.plan_repository import list_plans
from opsconsole.ui.qt.selection import ObjectRef

pytestmark = pytest.mark.gl


def test_plan_from_the_console_then_approve_and_export(make_console, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    planner, plans = window.planner, window.plans
    planner.name.setText("console plan")
    planner.hours.setValue(0.25)
    planner.customers.item(0).setSelected(True)
    gateway = window.data.gateways[0]["id"]
    window.selection.select(ObjectRef("gateway", gateway))
    planner.exclude_selection()
    assert planner.excluded.item(0).text() == f"gateway:{gateway}"
    planner.plan_button.click()
    qtbot.waitUntil(lambda: planner.plan_button.isEnabled(), timeout=120_000)
    assert "saved" in planner.status.text(), planner.status.text()
    rows = list_plans(window.store)
    assert len(rows) == 1 and rows[0]["name"] == "console plan"
    assert json.loads(json.dumps(rows[0]["totals"]))["slots"] == 60  # 0.25 h at 15 s
    assert plans.table.rowCount() == 1 and plans.selected_id() == rows[0]["id"]

    plans.set_status("approved")
    assert list_plans(window.store)[0]["status"] == "approved"
    plans.set_status("approved")
    assert "cannot become approved" in plans.message.text()
    plans.revise()
    assert plans.table.rowCount() == 2
    out = tmp_path / "plan.czml"
    plans.export(str(out))
    qtbot.waitUntil(lambda: "written to" in plans.message.text(), timeout=30_000)
    assert json.loads(out.read_text())[0]["id"] == "document"


def test_cancelled_planning_saves_nothing(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    planner = window.planner
    planner.hours.setValue(24.0)
    planner.plan_button.click()
    planner.task.cancel()
    qtbot.waitUntil(lambda: planner.plan_button.isEnabled(), timeout=120_000)
    assert "cancelled; nothing was saved" in planner.status.text()
    assert list_plans(window.store) == []

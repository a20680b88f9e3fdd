"""The Planner and Plans docks: plan in the background, cancel, approve, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opsconsole.console.selection import ObjectRef
from opsconsole.plans.request import PlanRequest
from opsconsole.store.plan_repository import list_plans

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
    assert planner.excluded.item(0).text() == f"gateway {gateway}"
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


def test_export_button_asks_for_a_file_and_writes_the_chosen_type(  # type: ignore[no-untyped-def]
    make_console, qtbot, tmp_path: Path, monkeypatch
) -> None:
    """Issue 15: Plans -> Export... did nothing (clicked(bool) arrived as the path)."""
    import geojson
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    window = make_console()
    plans = window.plans
    plan_id = _draft_selected(window, "to export")
    asked: list[str] = []

    def save_dialog(_parent, _title, suggested, filters):  # type: ignore[no-untyped-def]
        asked.append(suggested)
        assert "GeoJSON (*.geojson)" in filters.split(";;")
        return str(tmp_path / "for-the-noc"), "GeoJSON (*.geojson)"  # typed without a suffix

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    qtbot.mouseClick(plans.buttons["Export…"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "written to" in plans.message.text(), timeout=30_000)
    assert [Path(a).name for a in asked] == [f"plan-{plan_id}.csv"]  # in the home folder
    written = tmp_path / "for-the-noc.geojson"
    document = geojson.loads(written.read_text(encoding="utf-8"))
    assert document["type"] == "FeatureCollection" and document["features"]
    assert not list(tmp_path.glob("*.part"))  # written through a temporary file

    # a folder that does not exist: an error naming the file, nothing left behind
    errors: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "critical", staticmethod(lambda _p, _t, text: errors.append(text))
    )
    missing = tmp_path / "no-such-folder" / "plan.kml"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a: (str(missing), "KML (*.kml)"))
    )
    qtbot.mouseClick(plans.buttons["Export…"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(errors), timeout=30_000)
    assert str(missing) in errors[0] and not missing.parent.exists()


def test_approve_asks_first_and_a_draft_is_not_activated(  # type: ignore[no-untyped-def]
    make_console, qtbot, monkeypatch
) -> None:
    """Issue 15: activating a draft says "approve it first"; approving (irreversible)
    asks for confirmation."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from opsconsole.store.plan_repository import plan_status

    window = make_console()
    plans = window.plans
    plan_id = _draft_selected(window, "lifecycle")
    click = lambda label: qtbot.mouseClick(plans.buttons[label], Qt.MouseButton.LeftButton)  # noqa: E731
    click("Activate")
    assert "approve it first" in plans.message.text()
    assert plan_status(window.store, plan_id) == "draft"
    questions: list[str] = []

    def answer(reply):  # type: ignore[no-untyped-def]
        def ask(_parent, _title, text, *_args):  # type: ignore[no-untyped-def]
            questions.append(text)
            return reply

        return staticmethod(ask)

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    click("Approve")
    assert plan_status(window.store, plan_id) == "draft" and "stays a draft" in plans.message.text()
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    click("Approve")
    assert plan_status(window.store, plan_id) == "approved"
    assert len(questions) == 2 and "can no longer be changed" in questions[0]
    click("Activate")
    assert plan_status(window.store, plan_id) == "active"
    assert len(questions) == 2  # activating an approved plan asks nothing


def _draft_selected(window, name: str) -> int:  # type: ignore[no-untyped-def]
    """A 15 min draft plan of the demo customers, selected in the Plans dock."""
    from datetime import timedelta

    from opsconsole.planning.parameters import PlanParameters
    from opsconsole.plans.service import create_plan
    from tests.conftest import SYNTHETIC_EPOCH

    params = PlanParameters(start=SYNTHETIC_EPOCH + timedelta(hours=1), duration_s=900.0)
    plan_id = create_plan(window.store, PlanRequest(name, params))
    window.plans.refresh()
    window.plans.select_plan(plan_id)
    return plan_id


def test_plan_on_a_dask_local_cluster_from_the_advanced_options(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("distributed", reason="Dask is the optional [cluster] extra")
    from opsconsole.store.database import Store
    from opsconsole.store.plan_repository import load_plan

    window = make_console()
    planner = window.planner
    planner.hours.setValue(8.0)  # two 4 h parts under the dwell policy
    planner.step.setCurrentIndex(planner.step.findData(60.0))
    planner.customers.item(0).setSelected(True)
    planner.target.toggle.click()
    assert planner.target.body.isVisible()
    planner.target.target.setCurrentIndex(planner.target.target.findData("remote"))
    planner.target.address.setText("host:8786")  # no scheme: refused before any work
    planner.plan_button.click()
    assert "Dask scheduler 'host:8786': give a Dask scheduler as tcp://host:port" in (
        planner.status.text()
    )
    planner.target.target.setCurrentIndex(planner.target.target.findData("local"))
    stages: list[str] = []
    planner.plan_button.click()
    task = planner.task

    def finished() -> bool:
        stages.append(task.stage)  # what the progress dialog shows, sampled
        return bool(planner.plan_button.isEnabled())

    qtbot.waitUntil(finished, timeout=180_000)
    assert "saved" in planner.status.text(), planner.status.text()
    # sampled: a stage shown briefly may be missed, the first two are long-lived
    assert any("2 parts on Dask local:2 (2 workers)" in s or "parts done (tcp://127.0.0.1:" in s
               for s in stages), sorted(set(stages))  # fmt: skip
    planner.target.target.setCurrentIndex(planner.target.target.findData("here"))
    planner.plan_button.click()
    qtbot.waitUntil(lambda: planner.plan_button.isEnabled(), timeout=180_000)
    with Store(window.catalog.db_path) as store:
        from opsconsole.store.plan_repository import list_plans

        dask_id, here_id = sorted(row["id"] for row in list_plans(store))[-2:]
        on_dask, here = load_plan(store, dask_id), load_plan(store, here_id)
    for name, values in here.arrays.items():
        assert values.tobytes() == on_dask.arrays[name].tobytes(), name

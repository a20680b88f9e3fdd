"""The Plans dock's Contingency tab: run a study, read it ranked, point at a failure."""

from __future__ import annotations

from datetime import timedelta

import pytest

from opsconsole.planning.parameters import PlanParameters
from opsconsole.plans.request import PlanRequest
from opsconsole.plans.service import create_plan
from tests.conftest import SYNTHETIC_EPOCH

pytestmark = pytest.mark.gl


def test_run_a_study_then_point_at_the_worst_failure(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    params = PlanParameters(start=SYNTHETIC_EPOCH + timedelta(hours=1), duration_s=1800.0,
                            step_s=60.0)  # fmt: skip
    customer = window.data.customers[0]["name"]
    plan_id = create_plan(window.store, PlanRequest("studied", params, customers=(customer,)))
    window.catalog.plans_changed.emit(plan_id)
    tab = window.contingency
    window.plans_tabs.setCurrentWidget(tab)
    tab.plan.setCurrentIndex(tab.plan.findData(plan_id))
    assert "No study of this plan yet" in tab.age.text()
    tab.kinds["region"].setChecked(False)
    tab.kinds["plane"].setChecked(False)
    tab.run_button.click()
    qtbot.waitUntil(lambda: tab.run_button.isEnabled(), timeout=180_000)
    assert tab.study is not None, tab.age.text()
    assert f"Study {tab.study.id}:" in tab.age.text() and "min ago" in tab.age.text()
    rows = tab.study.rows
    assert tab.table.rowCount() == len(rows) > 0
    assert {r.kind for r in rows} <= {"gateway", "pop"}
    lost = [float(tab.table.item(r, 2).text()) for r in range(tab.table.rowCount())]
    assert lost == sorted(lost, reverse=True)
    marks = window.globe_view.globe.contingency
    assert marks.counts["elements"] == len(rows)  # every studied gateway and PoP coloured
    tab.table.selectRow(0)
    worst = rows[0]
    assert window.model.contingency.focus is not None
    assert window.model.contingency.focus.element_id == worst.element_id
    assert window.selection.current is not None
    assert window.selection.current.key == worst.element_id
    assert marks.counts["sites"] == len(worst.sites_hurt)
    window.commands["layer_contingency"].trigger()  # the View menu hides the marks
    assert not marks.elements.visible

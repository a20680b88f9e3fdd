"""A plan replayed in the console: links on the globe, plots following the selection
and the clock, compare, re-plan with pins, and the progress text."""

from __future__ import annotations

import numpy as np
import pytest

from opsconsole.console.selection import ObjectRef
from opsconsole.planning.inputs import Exclusion
from opsconsole.planning.parameters import PlanParameters
from opsconsole.plans.playback import UNSERVED
from opsconsole.plans.request import PlanRequest
from opsconsole.plans.service import create_plan
from opsconsole.store.plan_repository import load_plan
from opsconsole.ui.globe.plan_links import STATE_COLORS
from opsconsole.ui.qt.background import progress_text

pytestmark = pytest.mark.gl


def _plan(window, name: str, **kwargs) -> int:  # type: ignore[no-untyped-def]
    params = PlanParameters(
        step_s=60.0, start=window.clock.now().replace(microsecond=0), duration_s=1800.0
    )
    return create_plan(window.store, PlanRequest(name, params, **kwargs))


def _activate(window, qtbot, plan_id: int) -> None:  # type: ignore[no-untyped-def]
    plans = window.plans
    plans.refresh()
    plans.select_plan(plan_id)
    plans.set_status("approved")
    plans.set_status("active")
    qtbot.waitUntil(
        lambda: (
            window.plan_on_globe.playback is not None
            and window.plan_on_globe.playback.plan_id == plan_id
        ),
        timeout=30_000,
    )
    window.wall.seconds += 1.0  # the next frame draws the plan
    qtbot.waitUntil(lambda: window.controller.plan_frame is not None, timeout=10_000)


def _green_pixels(window) -> int:  # type: ignore[no-untyped-def]
    image = window.globe_view.globe.canvas.render()[:, :, :3].astype(int)
    target = (STATE_COLORS[0][:3] * 255).astype(int)
    return int((np.abs(image - target).max(axis=2) < 30).sum())


def test_active_plan_is_drawn_and_plotted(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    site_plots, load = window.plots.site_plots, window.plots.load
    # no plan: no empty axes (they showed 0.05..0.95 ticks), a sentence instead
    assert not site_plots.elevation_plot.isVisible() and not site_plots.rtt_plot.isVisible()
    assert not load.plot.isVisible()
    window.selection.select(ObjectRef("site", int(window.data.sites[0]["id"])))
    assert "No plan" in site_plots.title.text() and not site_plots.elevation_plot.isVisible()
    plan_id = _plan(window, "replayed")
    _activate(window, qtbot, plan_id)
    layer, frame = window.globe_view.globe.plan, window.controller.plan_frame
    served = int((frame.state != UNSERVED).sum())
    assert served > 40 and layer.lines.visible
    assert layer.segment_count >= 2 * served  # up-link and down-link per served site
    assert layer.unserved_count == int((frame.state == UNSERVED).sum())
    qtbot.waitUntil(lambda: f"plan {plan_id}" in window.status.plan.text(), timeout=5_000)
    with_plan = _green_pixels(window)
    window.commands["layer_plan"].setChecked(False)
    assert not layer.lines.visible
    assert with_plan > _green_pixels(window) + 200  # the links are really drawn

    gantt = window.plots.gantt
    assert gantt.rows == 66 and gantt.image.image.shape == (66, 30)
    # every site is named; the rows that do not fit scroll instead of overlapping
    window.plots.setCurrentWidget(gantt)
    qtbot.wait(50)
    ticks = gantt.plot.getAxis("left")._tickLevels[0]
    assert len(ticks) == 66
    shown = gantt.visible_rows()
    low, high = gantt.plot.getPlotItem().vb.viewRange()[1]
    assert 3 <= shown < 66 and high - low == pytest.approx(shown)
    assert gantt.row_bar.isVisible() and gantt.row_bar.maximum() == 66 - shown
    gantt.row_bar.setValue(gantt.row_bar.maximum())
    low, high = gantt.plot.getPlotItem().vb.viewRange()[1]
    assert high == pytest.approx(66.0)
    start = window.plan_on_globe.playback.start
    axis = gantt.plot.getAxis("bottom")  # dates on the time axes
    assert type(axis).__name__ == "DateAxisItem"
    assert axis.labelText.startswith(f"UTC, {start:%Y-%m-%d}"), axis.labelText

    site = window.plan_on_globe.playback.sites[3]
    window.selection.select(ObjectRef("site", site["id"]))
    window.panel.refresh_live()  # the Inspector says what serves the site now
    served_by = window.inspector.property_text("Served by")
    assert served_by and ("satellite" in served_by or "nobody" in served_by), served_by
    assert window.inspector.property_text("Next handover")
    plots = window.plots.site_plots
    window.plots.setCurrentWidget(plots)
    assert plots.elevation_plot.isVisible() and plots.rtt_plot.isVisible()
    x, rtt = plots.rtt_curve.getData()
    assert plots.rtt_plot.getAxis("bottom").labelText.startswith(f"UTC, {start:%Y-%m-%d}")
    assert plots.rtt_plot.getAxis("left").labelText == "Round trip"  # units: ms
    assert plots.rtt_plot.getAxis("left").labelUnits == "ms"
    assert len(x) == 30 and np.nanmax(rtt) > 0
    qtbot.waitUntil(lambda: plots.elevation_curve.getData()[0] is not None
                    and len(plots.elevation_curve.getData()[0]) == 30, timeout=30_000)  # fmt: skip
    elevation = plots.elevation_curve.getData()[1]
    assert np.nanmin(elevation) >= 25.0 - 1e-6  # above the terminal mask when served
    assert plots.objective_line.value() == site["max_rtt_ms"]

    window.plots.setCurrentWidget(window.plots.sky)
    window.docks["plots"].show()
    window.plots.refresh_live()
    assert window.plots.sky.shown > 10 and "above the" in window.plots.sky.title.text()

    window.wall.seconds += 120.0  # clock paused? it still moves only when playing
    window.clock.step(300.0)
    window.plots.refresh_live()
    assert plots.time_cursor.value == pytest.approx(window.clock.now().timestamp())

    playback = window.plan_on_globe.playback
    loads = {g: playback.utilisation("gateway", g) for g in playback.gateway_ids}
    gateway = next(g for g, found in loads.items() if found is not None and found[0].max() > 0)
    window.selection.select(ObjectRef("gateway", gateway))
    _, load = window.plots.load.curve.getData()
    assert load is not None and load.max() > 0 and "peak" in window.plots.load.title.text()


def test_compare_and_replan_with_a_pin(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    first = _plan(window, "base")
    stored = load_plan(window.store, first)
    busiest = int(np.bincount(stored.arrays["gateway"][stored.arrays["gateway"] >= 0]).argmax())
    busy_gateway = stored.gateway_ids[busiest]
    second = _plan(window, "outage", exclusions=(Exclusion("gateway", busy_gateway),))
    plans = window.plans
    plans.refresh()
    plans.table.selectAll()
    dialog = plans.compare()
    assert dialog is not None and dialog.sites.rowCount() == 66
    changed = [dialog.sites.item(r, dialog.sites.columnCount() - 1).text() for r in range(66)]
    assert "yes" in changed and set(changed) <= {"yes", "no"}  # the outage moved sites
    headers = [
        dialog.sites.horizontalHeaderItem(c).text() for c in range(dialog.sites.columnCount())
    ]
    assert headers[:2] == ["Site", "Customer"] and "Handovers (B)" in headers
    column = headers.index("Handovers (B)")
    counts = [dialog.sites.item(r, column).text() for r in range(66)]
    assert all(c.lstrip("-").isdigit() for c in counts)  # integers read as integers
    dialog.sites.sortItems(column)  # numbers sort as numbers, not as text
    ordered = [int(dialog.sites.item(r, column).text()) for r in range(66)]
    assert ordered == sorted(ordered)
    totals = {dialog.totals.item(r, 0).text(): dialog.totals.item(r, 1).text() for r in range(6)}
    assert "." not in totals["Handovers"] and "." not in totals["Sites meeting SLO"]
    dialog.close()

    plans.table.clearSelection()
    plans.select_plan(second)
    plans.replan()
    planner = window.planner
    assert planner.exclusions() == [Exclusion("gateway", busy_gateway)]
    assert planner.excluded.item(0).text() == f"gateway {busy_gateway}"
    assert planner.start is not None and planner.parent_plan_id == second
    stored = load_plan(window.store, second)  # the outage plan is the one re-planned
    column = int((stored.arrays["region"] >= 0).sum(axis=0).argmax())  # a well-served site
    site = stored.sites[column]
    own = stored.arrays["region"][:, column]
    allowed = set(site["residency"].split(";"))
    # another region that a gateway this site used backhauls to, in an allowed zone
    site_gateways = {stored.gateway_ids[g] for g in stored.arrays["gateway"][:, column] if g >= 0}
    reachable = {
        region
        for g in window.data.gateways
        if g["id"] in site_gateways
        for region in g["backhaul_regions"].split(";")
    }
    zone = {r["id"]: r["residency_zone"] for r in window.data.regions}
    mine = stored.region_ids[int(own[own >= 0][0])]
    other = sorted(r for r in reachable - {mine} if not allowed - {""} or zone.get(r) in allowed)[0]
    planner.add_pin(int(site["id"]), "region", other)
    planner.set_ingress_limit(mine, 1.5)
    demand_gbps = np.array([float(s["demand_mbps"]) for s in stored.sites]) / 1000.0
    before = (stored.arrays["region"] == stored.region_ids.index(mine)) * demand_gbps
    assert before.sum(axis=1).max() > 3.0  # the limit binds
    planner.plan_button.click()
    qtbot.waitUntil(lambda: planner.plan_button.isEnabled(), timeout=120_000)
    assert "saved" in planner.status.text(), planner.status.text()
    newest = max(int(plans._cell(r, 0)) for r in range(plans.table.rowCount()))
    third = load_plan(window.store, newest)
    assert third.row["parent_plan_id"] == second
    assert third.row["start_utc"] == load_plan(window.store, second).row["start_utc"]
    used = third.arrays["region"][:, column]
    assert (used >= 0).sum() > 10, third.arrays["status"][:, column]  # served, pinned region only
    assert (used[used >= 0] == third.region_ids.index(other)).all()
    assert third.row["parameters"]["region_ingress_gbps"] == {mine: 1.5}
    on_mine = third.arrays["region"] == third.region_ids.index(mine)
    assert on_mine.any() and ((on_mine * demand_gbps).sum(axis=1) <= 1.5 + 1e-9).all()
    plans.table.clearSelection()
    plans.select_plan(newest)
    plans.replan()
    assert planner.ingress_limits() == {mine: 1.5} and planner.parent_plan_id == newest
    plans.table.clearSelection()


def test_progress_text_shows_stage_and_time_left() -> None:
    text = progress_text("Planning 'x'…", 0.25, "joining part 2 of 2", 30.0)
    assert "Joining part 2 of 2" in text and "25 %" in text and "about 90 s left" in text
    assert "left" not in progress_text("t", 0.01, "", 1.0)  # too early to tell

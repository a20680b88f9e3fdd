"""Issue 18 in the console: the Customers view against an independent recomputation, a
contract edited with validation and undone, an incident logged from the globe's context
menu on a gateway and closed, a maintenance planned and cancelled with its notices, and
"Can we serve a site here?" against the onboarding check run directly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pypdf
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog

from opsconsole.customers.standing import customer_standings
from opsconsole.store.contract_repository import get_contract
from opsconsole.store.incident_repository import list_incidents
from opsconsole.store.maintenance_repository import list_maintenances
from opsconsole.ui.qt.customers_panel import standing_cells

pytestmark = pytest.mark.gl


def _table_texts(table) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    return [tuple(table.item(r, c).text() for c in range(table.columnCount()))
            for r in range(table.rowCount())]  # fmt: skip


def test_customers_view_and_an_undoable_contract_edit(make_console, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    window.commands["customers_view"].trigger()
    panel = window.customer_ops.customers
    qtbot.waitUntil(lambda: panel.standings is not None, timeout=60_000)
    shown = panel.standings
    # the same figures, recomputed here at the same instant from the database
    again = customer_standings(window.db_path, shown.now)
    assert _table_texts(panel.table) == [standing_cells(c) for c in again.customers]
    assert len(again.customers) == 6 and "No plan has been active" in panel.summary.text()

    name = again.customers[0].customer
    # double click: the customer's report for the month so far, exported as the PDF
    rect = panel.table.visualItemRect(panel.table.item(0, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    report = panel.findChild(QDialog, "sla_report_dialog")
    assert report is not None
    qtbot.waitUntil(lambda: report.report is not None, timeout=60_000)
    assert report.report.customer == name and report.report.end == window.clock.now()
    assert f"{again.customers[0].credit:,.2f}" in report.message.text()  # as the view says
    pdf = tmp_path / "report.pdf"
    assert report.export_pdf(str(pdf)) >= 2
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(pdf).pages)
    assert name in text and "Service level report" in text
    report.close()
    before = get_contract(window.store, name)
    assert before is not None
    dialog = panel.edit_contract(name)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    dialog.kind.setCurrentText("tiered")
    dialog.tiers.setText("99:10;99.5:25")  # thresholds must fall: refused in words
    assert not ok.isEnabled() and "tier" in dialog.problems.text()
    dialog.tiers.setText("99,5:10")
    assert not ok.isEnabled() and "not below:credit pairs" in dialog.problems.text()
    dialog.availability.setValue(99.95)
    dialog.tiers.setText("99.95:10;99:25;95:100")
    dialog.fee.setValue(2500.0)
    assert ok.isEnabled()
    ok.click()
    after = get_contract(window.store, name)
    assert after is not None and after.monthly_fee == 2500.0 and after.credit_kind == "tiered"
    actions = [r[0] for r in window.store.conn.execute(
        "SELECT action FROM audit_log WHERE entity = 'contract' ORDER BY id")]  # fmt: skip
    assert actions[-1] == "contract.set"
    # the view follows the edit
    qtbot.waitUntil(lambda: panel.standings is not shown and panel.task is None, timeout=60_000)
    assert "99.95 %" in panel.table.item(0, 4).text()
    window.commands["undo"].trigger()
    assert get_contract(window.store, name) == before
    window.commands["redo"].trigger()
    assert get_contract(window.store, name) == after


def test_incident_from_the_globe_menu_on_a_gateway(make_console, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_console()
    for layer in ("satellites", "sites"):  # only gateways, PoPs and regions under the pointer
        window.commands[f"layer_{layer}"].trigger()
    live = [g for g in window.data.gateways if g.get("status") != "planned"]
    gateway = live[0]
    globe = window.globe_view.globe
    globe.look_at(gateway["lat"], gateway["lon"], 2.0)
    window.controller.tick()
    qtbot.wait(50)
    x, y = globe.project(globe.ground.positions["gateway"][0:1])[0]
    under = window.controller.object_at(float(x), float(y))
    assert under is not None and under.kind == "gateway"
    window._context_menu(float(x), float(y), QPoint(10, 10))
    menu = window._context
    entry = next(a for a in menu.actions() if a.text().startswith("Log an incident on "))
    assert str(under.key) in entry.text()
    entry.trigger()
    menu.close()
    dialog = window.findChild(QDialog, "incident_dialog")
    assert dialog is not None and dialog.element.element() == f"gateway:{under.key}"
    dialog.save()  # no cause: refused, nothing written
    assert dialog.isVisible() and "cause" in dialog.problems.text()
    assert list_incidents(window.store) == []
    dialog.cause.setText("fibre cut on the backhaul")
    dialog.ticket.setText("INC-4711")
    dialog.save()
    incidents = list_incidents(window.store)
    assert len(incidents) == 1 and incidents[0].element == f"gateway:{under.key}"
    assert incidents[0].start == window.clock.now().replace(second=0, microsecond=0)
    ops = window.customer_ops.operations
    assert ops.incidents.item(0, 1).text() == f"gateway:{under.key}"
    assert ops.incidents.item(0, 2).text() == "open"
    ops.incidents.selectRow(0)
    window.clock.step(3600.0)  # an hour later on the console's clock
    ops.close_selected()
    closed = list_incidents(window.store)[0]
    assert closed.end == window.clock.now() and ops.incidents.item(0, 2).text() == "closed"


def test_maintenance_and_can_we_serve_from_the_console(make_console, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from opsconsole.core.catalog import SiteSpec
    from opsconsole.customers.onboarding import check_site_at
    from opsconsole.store.catalog_repository import import_sites
    from opsconsole.store.seed import open_store

    db = tmp_path / "ops.sqlite"
    with open_store(str(db)) as store:  # a site that may only land in Chile
        import_sites(store, "Andes Freight", [SiteSpec("Santiago depot", -33.45, -70.66,
                                                       demand_mbps=100.0, max_rtt_ms=80.0,
                                                       residency=("CL",))])  # fmt: skip
    window = make_console(db=db)
    ops = window.customer_ops
    dialog = ops.plan_maintenance("region", "azure:chilecentral")
    assert dialog.element.element() == "region:azure:chilecentral"
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=80)
    dialog.start.set_time(start)
    dialog.end.set_time(start + timedelta(minutes=30))
    dialog.assess()  # no reason: refused before anything runs
    assert dialog.task is None and "reason" in dialog.message.text()
    dialog.reason.setText("ingress router upgrade")
    dialog.folder.setText(str(tmp_path / "notices"))
    dialog.assess()
    qtbot.waitUntil(lambda: dialog.outcome is not None or dialog.go.isEnabled(), timeout=120_000)
    done = dialog.outcome
    assert done is not None, dialog.message.text()
    assert done.maintenance.tracking_id in dialog.message.text()
    # azure:chilecentral is the only region in the CL zone: the Chile-only site loses
    # all service and its customer is told; nobody else is notified for nothing
    assert done.assessment is not None
    depot = next(s for s in done.assessment.sites if s.site == "Santiago depot")
    assert depot.served_pct_before > 0 and depot.served_pct_during == 0
    notified = {n.customer for n in done.notices}
    assert "Andes Freight" in notified
    assert notified == {s.customer for s in done.assessment.affected}
    ics = next(f for f in done.notices[0].files if f.endswith(".ics"))
    event = next(iter(icalendar.Calendar.from_ical(Path(ics).read_bytes()).walk("VEVENT")))
    assert event.decoded("DTSTART") == start
    dialog.close()  # the Maintenance tab re-reads the record
    assert ops.operations.maintenances.item(0, 0).text() == done.maintenance.tracking_id
    ops.operations.maintenances.selectRow(0)
    ops.operations.cancel_selected(confirm=False)
    told = window.findChild(QDialog, "maintenance_cancelled")
    assert told is not None and done.maintenance.tracking_id in told.text()
    told.close()
    assert list_maintenances(window.store)[0].status == "cancelled"

    check = ops.can_we_serve(52.0, 4.0)
    check.hours.setValue(1.0)
    check.max_rtt.setValue(60.0)
    check.check()
    qtbot.waitUntil(lambda: check.found is not None or check.go.isEnabled(), timeout=120_000)
    found = check.found
    assert found is not None, check.result_view.toPlainText()
    spec, _ = check.spec()
    assert isinstance(spec, SiteSpec)
    direct = check_site_at(str(window.db_path), spec, found.start, 1.0)
    assert (found.verdict, found.served_pct, found.gateways) == (
        direct.verdict, direct.served_pct, direct.gateways)  # fmt: skip
    assert found.verdict in check.result_view.toPlainText()
    check.close()

"""``opsconsole maintenance``: who a maintenance hurts (checked against the catalog's
residency rules), notices as text, HTML and iCalendar (parsed with the independent
``icalendar`` library), moves and cancellations under one tracking ID, and the SLA
exclusion a notice earns only when it was sent in time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar

from opsconsole.core.contracts import Contract
from opsconsole.customers.notices import maintenance_exclusions
from opsconsole.store.contract_repository import save_contracts
from opsconsole.store.database import Store

REGION = "region:azure:chilecentral"  # the only region in the CL residency zone


def _ics(path: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(Path(path).read_bytes())


def test_maintenance_plan_move_cancel_and_exclusions(run, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    new = tmp_path / "andes.csv"
    new.write_text("name,lat,lon,demand_mbps,max_rtt_ms,residency\nSantiago depot,-33.45,-70.66,"
                   "100,80,CL\n")  # fmt: skip
    assert run("sites", "import", str(new), "--customer", "Andes Freight").code == 0
    sites = json.loads(run("sites", "list", "--format", "json").out)
    chile_only = {s["name"] for s in sites if s["residency"] == "CL"}
    may_use_chile = {s["name"] for s in sites if "CL" in s["residency"].split(";")}
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=3)
    end = start + timedelta(minutes=30)
    out = tmp_path / "notices"
    made = run("maintenance", "plan", "--element", REGION, "--from", start.isoformat(),
               "--to", end.isoformat(), "--reason", "ingress router upgrade",
               "--out", str(out), "--format", "json")  # fmt: skip
    assert made.code == 0, made.err
    result = json.loads(made.out)
    lost = {a["site"] for a in result["affected"]
            if a["served_pct_during"] < a["served_pct_before"]}  # fmt: skip
    # the site that can only land in Chile loses all service; nobody who may not land in
    # Chile loses anything
    assert chile_only <= lost <= may_use_chile
    assert all(a["served_pct_during"] == 0 for a in result["affected"] if a["site"] in chile_only)
    tracking = result["tracking_id"]
    customers = {a["customer"] for a in result["affected"]}
    assert {n["customer"] for n in result["notices"]} == customers
    first = result["notices"][0]
    files = {Path(f).suffix: f for f in first["files"]}
    assert tracking in Path(files[".txt"]).read_text()
    assert "<h1>Planned maintenance: " in Path(files[".html"]).read_text()
    event = next(iter(_ics(files[".ics"]).walk("VEVENT")))
    assert str(event["UID"]) == f"{tracking.lower()}@opsconsole"
    assert event.decoded("DTSTART") == start and event.decoded("DTEND") == end
    assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
    assert "ingress router upgrade" in str(event["DESCRIPTION"])

    with Store(str(db_path)) as store:
        customer = sorted(customers)[0]
        save_contracts(store, [Contract(customer, maintenance_notice_h=72.0)])
        assert maintenance_exclusions(store, customer, 72.0, start, end) == ()  # sent 3 h ahead
        earned = maintenance_exclusions(store, customer, 2.0, start, end)
        assert len(earned) == 1 and earned[0].start == start and tracking in earned[0].why

    later = start + timedelta(hours=1)
    window = ("--from", later.isoformat(), "--to", (later + timedelta(minutes=30)).isoformat())
    moved = run("maintenance", "move", tracking, *window, "--out", str(out), "--format", "json")
    assert moved.code == 0, moved.err
    moved_result = json.loads(moved.out)
    assert moved_result["tracking_id"] == tracking and moved_result["revision"] == 2
    updated = next(f for f in moved_result["notices"][0]["files"] if f.endswith(".ics"))
    event = next(iter(_ics(updated).walk("VEVENT")))
    assert int(event["SEQUENCE"]) == 1 and event.decoded("DTSTART") == later
    with Store(str(db_path)) as store:  # the old window's notice no longer counts
        assert maintenance_exclusions(store, customer, 2.0, start, end) == ()

    cancelled = run("maintenance", "cancel", tracking, "--out", str(out), "--format", "json")
    assert cancelled.code == 0, cancelled.err
    gone = json.loads(cancelled.out)
    assert gone["status"] == "cancelled"
    assert {n["customer"] for n in gone["notices"]} == customers  # all who were told
    calendar_file = next(f for f in gone["notices"][0]["files"] if f.endswith(".ics"))
    cancel = _ics(calendar_file)
    assert str(cancel["METHOD"]) == "CANCEL"
    assert str(next(iter(cancel.walk("VEVENT")))["STATUS"]) == "CANCELLED"
    listed = json.loads(run("maintenance", "list", "--format", "json").out)
    assert listed[0]["status"] == "cancelled" and listed[0]["revision"] == 3
    again = run("maintenance", "cancel", tracking, "--out", str(out))
    assert again.code == 1 and "was cancelled" in again.err


def test_a_maintenance_of_nothing_is_refused(run) -> None:  # type: ignore[no-untyped-def]
    start = datetime(2027, 1, 5, 2, tzinfo=UTC)
    result = run("maintenance", "plan", "--element", "gateway:gw-nowhere", "--from",
                 start.isoformat(), "--to", (start + timedelta(hours=1)).isoformat(),
                 "--reason", "x")  # fmt: skip
    assert result.code == 1 and "no gateway 'gw-nowhere'" in result.err
    bad = run("maintenance", "plan", "--element", "moon:1", "--from", start.isoformat(),
              "--to", (start + timedelta(hours=1)).isoformat(), "--reason", "x")  # fmt: skip
    assert bad.code == 1 and "unknown kind 'moon'" in bad.err

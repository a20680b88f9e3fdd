"""``opsconsole contract|incident|sla``: import, record, report."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ..bad_inputs.conftest import run_cli


def test_contracts_incidents_and_an_sla_report(run, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    customer = json.loads(run("sites", "list", "--format", "json").out)[0]["customer"]
    seeded = json.loads(run("contract", "list", "--format", "json").out)
    assert len(seeded) == 6  # the demo customers' contracts (resources/demo_contracts.toml)
    bad = tmp_path / "bad.toml"
    bad.write_text(f'[[contract]]\ncustomer = "{customer}"\nmonthly_fee = -3\n')
    refused = run("contract", "import", str(bad))
    assert refused.code == 1 and "bad.toml: line 3: monthly_fee must be at least 0" in refused.err
    assert json.loads(run("contract", "list", "--format", "json").out) == seeded
    good = tmp_path / "c.toml"
    good.write_text(
        f'[[contract]]\ncustomer = "{customer}"\navailability_pct = 99.5\nmonthly_fee = 1200\n'
        'credit = "tiered"\ntiers = [[99.5, 10], [99, 30]]\n'
    )
    assert run("contract", "import", str(good)).code == 0
    listed = json.loads(run("contract", "list", "--format", "json").out)
    mine = next(c for c in listed if c["customer"] == customer)
    assert mine["tiers"] == "99.5:10;99:30" and len(listed) == 6
    exported = tmp_path / "out.csv"
    assert run("contract", "export", "--out", str(exported)).code == 0
    assert run("contract", "import", str(exported)).code == 0  # the CSV reads back

    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=3)
    made = run("plan", "create", "--name", "p", "--start", start.isoformat(), "--hours", "0.5",
               "--customer", customer, "--workers", "1", "--format", "json")  # fmt: skip
    plan_id = json.loads(made.out)["id"]
    assert run("plan", "approve", str(plan_id)).code == 0
    assert run("plan", "activate", str(plan_id)).code == 0
    gateways = json.loads(run("gateways", "list", "--format", "json").out)
    nothing = run("incident", "add", "--element", "gateway:gw-nowhere", "--from",
                  start.isoformat(), "--cause", "x")  # fmt: skip
    assert nothing.code == 1 and "no gateway 'gw-nowhere'" in nothing.err
    added = run("incident", "add", "--element", f"gateway:{gateways[0]['id']}", "--from",
                (start + timedelta(minutes=5)).isoformat(), "--cause", "fibre cut",
                "--ticket", "INC-9")  # fmt: skip
    assert added.code == 0, added.err
    listed = json.loads(run("incident", "list", "--open", "--format", "json").out)
    assert len(listed) == 1 and listed[0]["state"] == "open"
    closed = run("incident", "close", str(listed[0]["id"]), "--at",
                 (start + timedelta(minutes=10)).isoformat())  # fmt: skip
    assert closed.code == 0 and json.loads(run("incident", "list", "--open", "--format",
                                               "json").out) == []  # fmt: skip
    window = ("--from", start.isoformat(), "--to", (start + timedelta(minutes=30)).isoformat())
    report = run("sla", "report", "--customer", customer, *window, "--format", "json")
    assert report.code == 0, report.err
    figures = json.loads(report.out)
    assert figures["contract"]["allowed_outage_min"] == pytest.approx(30 * 0.005)
    assert figures["plans_in_force"][0]["plan_id"] == plan_id
    sites = [s for s in json.loads(run("sites", "list", "--format", "json").out)
             if s["customer"] == customer]  # fmt: skip
    assert sorted(s["site"] for s in figures["sites"]) == sorted(s["name"] for s in sites)
    pdf = tmp_path / "report.pdf"
    # in a child process: Qt's offscreen application must not be this test run's (the UI
    # tests need a QApplication of their own)
    drawn = run_cli("sla", "report", "--customer", customer, *window, "--pdf", str(pdf),
                    "--db", str(db_path))  # fmt: skip
    assert drawn.code == 0 and "page(s)" in drawn.err, drawn.err
    _check_pdf(pdf, customer, figures)
    text = run("sla", "report", "--customer", customer, *window)
    assert text.code == 0 and f"SLA report: {customer}" in text.out
    csv_out = run("sla", "report", "--customer", customer, *window, "--format", "csv")
    assert csv_out.out.splitlines()[0].startswith("site,availability_pct")


def test_sla_report_needs_a_period(run) -> None:  # type: ignore[no-untyped-def]
    customer = json.loads(run("sites", "list", "--format", "json").out)[0]["customer"]
    result = run("sla", "report", "--customer", customer)
    assert result.code == 1 and "give --month" in result.err
    with pytest.raises(SystemExit):
        run("sla", "report", "--customer", customer, "--month", "2026-13")


def test_sites_check(run) -> None:  # type: ignore[no-untyped-def]
    common = ("sites", "check", "--lat", "50.1", "--lon", "8.7", "--demand-mbps", "200",
              "--max-rtt-ms", "60", "--hours", "0.25", "--start", "2026-12-10T06:00Z")  # fmt: skip
    found = run(*common, "--residency", "EU", "--format", "json")
    assert found.code == 0, found.err
    figures = json.loads(found.out)
    assert figures["verdict"] in ("meets", "meets with risks") and figures["served_pct"] > 99
    assert figures["gateways"] and figures["regions"] and figures["pops"]
    text = run(*common, "--residency", "AU")
    assert text.code == 0 and "cannot meet (no path inside the residency rules (AU)" in text.out
    unknown = run(*common, "--residency", "XX")
    assert unknown.code == 1 and "--residency: unknown zone(s) XX" in unknown.err
    wall = run(*common, "--horizon", "0:10;oops")
    assert wall.code == 1 and "--horizon: horizon point 2" in wall.err


def _check_pdf(pdf: Path, customer: str, figures: dict[str, object]) -> None:
    """The PDF's pages and the figures printed on them (text extracted by pypdf)."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 3  # cover, summary with plot and sites, outages
    cover, summary, outages = (" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Service level report" in cover and customer in cover
    assert f"availability {figures['availability_pct']:.3f} %" in cover
    assert f"credit due {figures['credit']:,.2f} USD" in cover
    for site in figures["sites"]:  # type: ignore[attr-defined]
        assert site["site"] in summary and f"{site['availability_pct']:.3f} %" in summary
    assert "Outages" in outages
    assert not list(pdf.parent.glob("*.tmp*"))

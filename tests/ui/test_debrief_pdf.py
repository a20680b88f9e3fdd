"""The debrief document: HTML with the service-level plot, and the PDF with its pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

from opsconsole.training.debrief_html import PAGE_BREAK, debrief_html

REPORT = {
    "title": "Drill",
    "slots": 3,
    "step_s": 60.0,
    "slo_minutes_lost_by_customer": {"Ports": 2.0},
    "incidents": [{"event": "gateway_outage gw-x", "kind": "gateway_outage",
                   "start_utc": "2026-11-24T08:01:00+00:00", "end_utc": "2026-11-24T08:02:00+00:00",
                   "affected_sites": [0], "affected_site_names": ["Quay <1>"],
                   "time_to_restore_min": 1.0, "time_to_detect_min": None}],
    "objectives": [{"name": "restore", "kind": "rtt_restored", "met": False}],
    "service_level": {"times_utc": [f"2026-11-24T08:0{i}:00+00:00" for i in range(3)],
                      "sites_within_objective_pct": [100.0, 0.0, 100.0],
                      "demand_within_objective_pct": [100.0, 0.0, 100.0]},
}  # fmt: skip


def _pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))


def test_html_escapes_names_and_says_what_was_missed() -> None:
    html = debrief_html(REPORT)
    assert "Quay &lt;1&gt;" in html and "<b>missed</b>" in html and "not acknowledged" in html
    assert PAGE_BREAK not in html  # no log: one page


def test_pdf_has_the_summary_page_and_a_timeline_page(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from opsconsole.ui.qt.debrief_document import service_plot, write_pdf

    image = service_plot(REPORT)
    assert image.pixelColor(3 * image.width() // 4, 200).name() != "#ffffff"  # shaded span
    assert image.pixelColor(image.width() // 4, 200).name() == "#ffffff"  # before it
    one = tmp_path / "one.pdf"
    assert write_pdf(REPORT, one) == 1 and _pages(one) == 1
    assert one.read_bytes().startswith(b"%PDF")
    log = [{"sim_utc": f"2026-11-24T08:01:{s:02d}+00:00", "wall_utc": "x", "who": "trainee",
            "kind": "action", "what": f"step {s}"} for s in range(60)]  # fmt: skip
    two = tmp_path / "two.pdf"
    pages = write_pdf({**REPORT, "log": log}, two)
    assert pages >= 2 and _pages(two) == pages


def test_training_run_writes_the_pdf(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from opsconsole.cli import main

    report, pdf = tmp_path / "r.json", tmp_path / "r.pdf"
    assert main(["training", "run", "region-failover", "--report", str(report),
                 "--pdf", str(pdf)]) == 0  # fmt: skip
    assert json.loads(report.read_text())["incidents"] and _pages(pdf) == 1
    assert "1 page(s)" in capsys.readouterr().out

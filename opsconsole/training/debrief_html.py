"""The debrief as HTML (the subset Qt's rich text draws), from the debrief figures.

Sections: the outcome (objectives met or missed), SLO minutes lost per customer, one
row per incident (affected sites, time to detect, time to restore), the service level
plot (an image the caller supplies under ``PLOT_NAME``), and, for a logged session, the
timeline of events and actions. ``PAGE_BREAK`` separates the summary page from the
timeline.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

PLOT_NAME = "service-level.png"
PAGE_BREAK = '<p style="page-break-before: always"></p>'


def _minutes(value: float | None) -> str:
    return "not restored" if value is None else f"{value:g} min"


def _detect(value: float | None) -> str:
    return "not acknowledged" if value is None else f"{value:g} min"


def debrief_html(report: Mapping[str, Any], *, with_plot: bool = True) -> str:
    """A whole HTML document of the debrief ``report`` (see ``training.debrief``)."""
    met = [o for o in report["objectives"] if o["met"]]
    parts = [
        f"<h1>Debrief: {escape(str(report['title']))}</h1>",
        f"<p>{len(met)} of {len(report['objectives'])} objectives met; "
        f"{sum(report['slo_minutes_lost_by_customer'].values()):g} SLO minutes lost in all "
        f"({report['slots']} slots of {report['step_s']:g} s).</p>",
        "<h2>Objectives</h2><table border='1' cellpadding='4' cellspacing='0'>"
        "<tr><th>Objective</th><th>Outcome</th></tr>",
    ]
    for objective in report["objectives"]:
        outcome = "met" if objective["met"] else "<b>missed</b>"
        parts.append(f"<tr><td>{escape(objective['name'])}</td><td>{outcome}</td></tr>")
    parts.append("</table><h2>SLO minutes lost per customer</h2>"
                 "<table border='1' cellpadding='4' cellspacing='0'>"
                 "<tr><th>Customer</th><th>Minutes</th></tr>")  # fmt: skip
    for customer, minutes in report["slo_minutes_lost_by_customer"].items():
        parts.append(f"<tr><td>{escape(customer)}</td><td align='right'>{minutes:g}</td></tr>")
    parts.append("</table><h2>Incidents</h2><table border='1' cellpadding='4' cellspacing='0'>"
                 "<tr><th>Event</th><th>From (UTC)</th><th>Sites affected</th>"
                 "<th>Time to detect</th><th>Time to restore</th></tr>")  # fmt: skip
    for incident in report["incidents"]:
        names = ", ".join(incident.get("affected_site_names", [])) or "none"
        parts.append(
            f"<tr><td>{escape(incident['event'])}</td><td>{incident['start_utc'][11:16]}</td>"
            f"<td>{escape(names)}</td><td>{_detect(incident['time_to_detect_min'])}</td>"
            f"<td>{_minutes(incident['time_to_restore_min'])}</td></tr>"
        )
    parts.append("</table>")
    if with_plot:
        parts.append(f"<h2>Service level</h2><p><img src='{PLOT_NAME}'></p>")
    if report.get("log"):
        parts.append(PAGE_BREAK + "<h2>Timeline</h2><table border='1' cellpadding='3' "
                     "cellspacing='0'><tr><th>Simulated (UTC)</th><th>Who</th><th>Kind</th>"
                     "<th>What</th></tr>")  # fmt: skip
        for entry in report["log"]:
            cells = (entry["sim_utc"][11:19], escape(entry["who"]), entry["kind"],
                     escape(entry["what"]))  # fmt: skip
            parts.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        parts.append("</table>")
    return "<html><body>" + "".join(parts) + "</body></html>"

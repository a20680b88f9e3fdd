"""The customer-facing SLA report as HTML (the subset Qt's rich text draws), from the
figures of ``customers.sla_output.report_json``.

Page 1 is a cover (customer, period, issuer, headline result); page 2 the summary with
the contract's terms, the availability plot (an image the caller supplies under
``PLOT_NAME``) and one row per site; then every counted or excluded outage with its
cause. Every value is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from html import escape
from typing import Any

PLOT_NAME = "availability.png"
PAGE_BREAK = '<p style="page-break-before: always"></p>'
PLOT_WIDTH = 1000
"""Width of the plot in the document (pixels of a 150 dpi A4 page: about 17 cm)."""
ISSUER = "Satellite network operations"


def _when(text: str) -> str:
    return f"{datetime.fromisoformat(text):%d %B %Y %H:%M} UTC"


def _cell(value: object) -> str:
    return f"<td>{escape(str(value))}</td>"


def sla_html(report: Mapping[str, Any], *, issued: str, with_plot: bool = True) -> str:
    """A whole HTML document of ``report`` (``report_json``), ``issued`` (a UTC time)."""
    c = report["contract"]
    period = report["period"]
    money = f"{report['credit']:,.2f} {c['currency']}"
    met = "Service level met" if report["sla_met"] else "Service level missed"
    cover = [
        "<div align='center'><p style='font-size:11pt;color:#555'>"
        f"{escape(ISSUER)}</p>" + "<p>&nbsp;</p>" * 12,
        "<h1 style='font-size:26pt'>Service level report</h1>",
        f"<p style='font-size:18pt'>{escape(str(report['customer']))}</p>",
        f"<p style='font-size:13pt'>{_when(period['start_utc'])} to {_when(period['end_utc'])}</p>",
        "<p>&nbsp;</p>",
        f"<p style='font-size:14pt'><b>{met}</b>: availability "
        f"{report['availability_pct']:.3f} % against {c['availability_pct']:g} %; "
        f"credit due {escape(money)}</p>",
        f"<p style='color:#555'>Issued {escape(issued)}</p></div>",
    ]
    tiers = (f"{c['tiers'][0][1]:g} % of the monthly fee below the objective"
             if c["credit"] == "flat" else "; ".join(
                 f"below {b:g} %: {p:g} %" for b, p in c["tiers"]))  # fmt: skip
    rtt = ("each site's own objective" if c["max_rtt_ms"] is None
           else f"{c['max_rtt_ms']:g} ms")  # fmt: skip
    summary = [
        PAGE_BREAK,
        "<h2>Summary</h2>",
        "<table border='1' cellpadding='5' cellspacing='0' width='100%'>",
        f"<tr><td>Availability objective</td><td>{c['availability_pct']:g} % per period "
        f"(allows {c['allowed_outage_min']:g} min)</td></tr>",
        f"<tr><td>Outages that count</td><td>from {c['min_outage_s']:g} s; maintenance "
        f"notified {c['maintenance_notice_h']:g} h ahead excluded</td></tr>",
        f"<tr><td>Round trip</td><td>p{c['rtt_percentile']:g} within {escape(rtt)}</td></tr>",
        f"<tr><td>Credit</td><td>{escape(tiers)}; fee {c['monthly_fee']:,.2f} "
        f"{escape(c['currency'])} per site and month</td></tr>",
        f"<tr><td>Result</td><td><b>{met}</b>, availability {report['availability_pct']:.3f} %"
        f" (mean of {len(report['sites'])} sites), credit due {escape(money)}</td></tr>",
        "</table>",
    ]
    if with_plot:
        summary.append(f"<p align='center'><img src='{PLOT_NAME}' width='{PLOT_WIDTH}'></p>")
    summary += [
        "<h2>Sites</h2><table border='1' cellpadding='4' cellspacing='0' width='100%'>",
        "<tr><th>Site</th><th>Availability</th><th>Counted outage</th><th>Round trip</th>"
        "<th>SLA</th><th>Credit</th></tr>",
    ]
    for s in report["sites"]:
        rtt_text = "no service" if s["rtt_ms"] is None else f"{s['rtt_ms']:.1f} ms"
        summary.append(
            "<tr>" + _cell(s["site"]) + _cell(f"{s['availability_pct']:.3f} %")
            + _cell(f"{s['counted_outage_min']:g} min")
            + _cell(f"{rtt_text} / {s['rtt_objective_ms']:g} ms")
            + _cell("met" if s["sla_met"] else "missed")
            + _cell(f"{s['credit']:,.2f} {c['currency']}") + "</tr>"
        )  # fmt: skip
    summary.append("</table>")
    outages = [PAGE_BREAK, "<h2>Outages</h2>"]
    rows = [(s["site"], o) for s in report["sites"] for o in s["outages"] if o["counted"]]
    if not rows:
        outages.append("<p>No outage of the minimum length in the period.</p>")
    else:
        outages.append("<table border='1' cellpadding='4' cellspacing='0' width='100%'>"
                       "<tr><th>Site</th><th>From</th><th>To</th><th>Counted</th>"
                       "<th>Cause</th></tr>")  # fmt: skip
        for site, o in rows:
            why = "; ".join(o["causes"]) or "no service"
            if o["excluded_min"]:
                why += f" (excluded {o['excluded_min']:g} min: {'; '.join(o['excluded_because'])})"
            outages.append("<tr>" + _cell(site) + _cell(_when(o["start_utc"]))
                           + _cell(_when(o["end_utc"])) + _cell(f"{o['counted_min']:g} min")
                           + _cell(why) + "</tr>")  # fmt: skip
        outages.append("</table>")
    body = "".join(cover + summary + outages)
    return (
        "<html><head><meta charset='utf-8'></head>"
        f"<body style='font-size:11pt'>{body}</body></html>"
    )

"""An SLA report as text, JSON and CSV rows (figures as ``customers.sla`` defines them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from opsconsole.customers.sla import SiteAccount
from opsconsole.customers.sla_report import SlaReport

SITE_COLUMNS = (
    "site",
    "availability_pct",
    "objective_pct",
    "counted_outage_min",
    "outages_counted",
    "rtt_ms",
    "rtt_objective_ms",
    "sla_met",
    "credit_pct",
    "credit",
)


def _minutes(seconds: float) -> float:
    return round(seconds / 60.0, 2)


def _site_json(report: SlaReport, site: SiteAccount) -> dict[str, Any]:
    return {
        "site": site.site,
        "availability_pct": round(site.availability_pct, 4),
        "availability_met": site.availability_met,
        "counted_outage_min": _minutes(site.counted_downtime_s),
        "rtt_ms": None if site.rtt_ms is None else round(site.rtt_ms, 2),
        "rtt_objective_ms": site.rtt_objective_ms,
        "rtt_met": site.rtt_met,
        "sla_met": site.met,
        "credit_pct": site.credit_pct,
        "credit": site.credit,
        "outages": [
            {
                "start_utc": o.start.isoformat(),
                "end_utc": o.end.isoformat(),
                "minutes": _minutes(o.duration_s),
                "counted": o.counted,
                "counted_min": _minutes(o.counted_s),
                "excluded_min": _minutes(o.excluded_s),
                "excluded_because": list(o.excluded_why),
                "causes": list(o.causes),
            }
            for o in site.outages
        ],
    }


def report_json(report: SlaReport) -> dict[str, Any]:
    """Everything in the report, as JSON-ready values."""
    c = report.contract
    period_s = (report.end - report.start).total_seconds()
    return {
        "customer": report.customer,
        "period": {"start_utc": report.start.isoformat(), "end_utc": report.end.isoformat()},
        "contract": {
            "availability_pct": c.availability_pct,
            "allowed_outage_min": _minutes(c.allowed_downtime_s(period_s)),
            "min_outage_s": c.min_outage_s,
            "rtt_percentile": c.rtt_percentile,
            "max_rtt_ms": c.max_rtt_ms,
            "monthly_fee": c.monthly_fee,
            "currency": c.currency,
            "credit": c.credit_kind,
            "tiers": [[t.below_pct, t.credit_pct] for t in c.tiers],
            "maintenance_notice_h": c.maintenance_notice_h,
        },
        "availability_pct": round(report.availability_pct, 4),
        "sla_met": report.met,
        "credit": report.credit,
        "sites": [_site_json(report, s) for s in report.sites],
        "plans_in_force": [{"from_utc": t.isoformat(), "plan_id": p} for t, p in report.switches],
        "incidents": [
            {
                "id": i.id,
                "element": i.element,
                "start_utc": i.start.isoformat(),
                "end_utc": None if i.end is None else i.end.isoformat(),
                "capacity_pct": i.capacity_pct,
                "cause": i.cause,
                "ticket": i.ticket,
            }
            for i in report.incidents
        ],
    }


def report_csv_rows(report: SlaReport) -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
    """One row per site (:data:`SITE_COLUMNS`)."""
    objective = report.contract.availability_pct
    rows: list[tuple[object, ...]] = [
        (
            s.site,
            round(s.availability_pct, 4),
            objective,
            _minutes(s.counted_downtime_s),
            sum(o.counted for o in s.outages),
            None if s.rtt_ms is None else round(s.rtt_ms, 2),
            s.rtt_objective_ms,
            s.met,
            s.credit_pct,
            s.credit,
        )
        for s in report.sites
    ]
    return SITE_COLUMNS, rows


def _end(start: datetime, end: datetime) -> str:
    """An outage's end: the time, and the date too when it is another day."""
    return f"{end:%H:%M:%S}" if end.date() == start.date() else f"{end:%m-%d %H:%M:%S}"


def report_text(report: SlaReport) -> str:
    """A readable report: period, contract, customer summary, each site and its outages."""
    c = report.contract
    period_s = (report.end - report.start).total_seconds()
    rtt_objective = "each site's objective" if c.max_rtt_ms is None else f"{c.max_rtt_ms:g} ms"
    lines = [
        f"SLA report: {report.customer}",
        f"period:     {report.start:%Y-%m-%d %H:%M} to {report.end:%Y-%m-%d %H:%M} UTC",
        f"objective:  availability {c.availability_pct:g} % (allows "
        f"{_minutes(c.allowed_downtime_s(period_s)):g} min), outages from {c.min_outage_s:g} s, "
        f"round trip p{c.rtt_percentile:g} within {rtt_objective}",
        f"result:     availability {report.availability_pct:.3f} % (mean of sites), "
        f"{'SLA met' if report.met else 'SLA missed'}, credit {report.credit:,.2f} {c.currency}",
        "",
    ]
    for s in report.sites:
        rtt = "never served" if s.rtt_ms is None else f"{s.rtt_ms:.1f} ms"
        lines.append(
            f"{s.site}: availability {s.availability_pct:.3f} % "
            f"({'met' if s.availability_met else 'missed'}), round trip {rtt} "
            f"(objective {s.rtt_objective_ms:g} ms, {'met' if s.rtt_met else 'missed'}), "
            f"credit {s.credit_pct:g} % = {s.credit:,.2f} {c.currency}"
        )
        for o in s.outages:
            state = (
                "counted"
                if o.counted and o.counted_s > 0
                else ("excluded" if o.counted else f"under {c.min_outage_s:g} s, not counted")
            )
            why = f" (excluded: {'; '.join(o.excluded_why)})" if o.excluded_s else ""
            lines.append(
                f"  {o.start:%m-%d %H:%M:%S}-{_end(o.start, o.end)} {_minutes(o.duration_s):g} min "
                f"{state}{why}: {', '.join(o.causes) or 'no service'}"
            )
    return "\n".join(lines) + "\n"

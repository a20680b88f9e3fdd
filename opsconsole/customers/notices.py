"""Maintenance notices: one per affected customer, as text, HTML and iCalendar (RFC 5545),
written atomically into a folder and recorded with the time they were issued; and the
SLA exclusions those records earn (a maintenance notified at least the contract's
notice ahead does not count against availability; one notified late does).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from opsconsole.atomic_files import atomic_text
from opsconsole.customers.maintenance import Assessment, SiteImpact
from opsconsole.customers.sla import Exclusion
from opsconsole.store.contract_repository import get_contract
from opsconsole.store.database import Store
from opsconsole.store.maintenance_repository import (
    Maintenance,
    Notice,
    list_maintenances,
    notices_of,
    record_notice,
)

KIND_TITLES = {"initial": "Planned maintenance", "updated": "Planned maintenance moved",
               "cancelled": "Planned maintenance cancelled"}  # fmt: skip


def _times(m: Maintenance, zone: str | None) -> str:
    utc = f"{m.start:%Y-%m-%d %H:%M} to {m.end:%Y-%m-%d %H:%M} UTC"
    if not zone:
        return utc
    tz = ZoneInfo(zone)
    a, b = m.start.astimezone(tz), m.end.astimezone(tz)
    return f"{utc} ({a:%Y-%m-%d %H:%M} to {b:%Y-%m-%d %H:%M} {zone})"


def _impact_line(s: SiteImpact) -> str:
    rtt = "no service" if s.rtt_during_ms is None else f"round trip p95 {s.rtt_during_ms:.0f} ms"
    return f"{s.site}: service expected {s.served_pct_during:.1f} % of the window, {rtt}"


def notice_text(m: Maintenance, customer: str, kind: str, sites: Sequence[SiteImpact],
                zone: str | None) -> str:  # fmt: skip
    """The notice as plain text."""
    lines = [
        f"{KIND_TITLES[kind]}: {m.tracking_id} (revision {m.revision})",
        f"To: {customer}",
        f"Window: {_times(m, zone)}",
        f"Reason: {m.reason}",
        "",
    ]
    if kind == "cancelled":
        lines.append("This maintenance will not take place. No service change is expected.")
    else:
        lines.append("Sites expected to be affected:")
        lines += [f"  - {_impact_line(s)}" for s in sites]
    lines += ["", f"Please quote {m.tracking_id} in any reply."]
    return "\n".join(lines) + "\n"


def notice_html(m: Maintenance, customer: str, kind: str, sites: Sequence[SiteImpact],
                zone: str | None) -> str:  # fmt: skip
    """The notice as a self-contained HTML page (every value escaped)."""
    e = html.escape
    rows = "".join(f"<li>{e(_impact_line(s))}</li>" for s in sites)
    body = (
        "<p>This maintenance will not take place. No service change is expected.</p>"
        if kind == "cancelled"
        else f"<p>Sites expected to be affected:</p><ul>{rows}</ul>"
    )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{e(m.tracking_id)}</title><style>body{{font-family:sans-serif;max-width:40em;"
        "margin:2em auto;color:#222}}h1{font-size:1.3em}dt{font-weight:bold}</style></head><body>"
        f"<h1>{e(KIND_TITLES[kind])}: {e(m.tracking_id)}</h1>"
        f"<dl><dt>To</dt><dd>{e(customer)}</dd><dt>Window</dt><dd>{e(_times(m, zone))}</dd>"
        f"<dt>Reason</dt><dd>{e(m.reason)}</dd><dt>Revision</dt><dd>{m.revision}</dd></dl>"
        f"{body}<p>Please quote {e(m.tracking_id)} in any reply.</p></body></html>\n"
    )


def _ics_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 line folding: at most 75 octets per line, continuation lines start with a
    space."""
    data = line.encode("utf-8")
    parts: list[str] = []
    start = 0
    while start < len(data):
        end = min(start + (75 if not parts else 74), len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # not inside a UTF-8 character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start = end
    return "\r\n ".join(parts) or ""


def notice_ics(m: Maintenance, customer: str, kind: str, sites: Sequence[SiteImpact],
               issued: datetime) -> str:  # fmt: skip
    """An iCalendar event for the window (UID from the tracking ID, SEQUENCE the revision;
    a cancellation is METHOD:CANCEL with STATUS:CANCELLED)."""
    stamp = "%Y%m%dT%H%M%SZ"
    description = notice_text(m, customer, kind, sites, None)
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//opsconsole//maintenance notices//EN",
        f"METHOD:{'CANCEL' if kind == 'cancelled' else 'PUBLISH'}", "BEGIN:VEVENT",
        f"UID:{m.tracking_id.lower()}@opsconsole", f"SEQUENCE:{m.revision - 1}",
        f"DTSTAMP:{issued.astimezone(UTC):{stamp}}", f"DTSTART:{m.start.astimezone(UTC):{stamp}}",
        f"DTEND:{m.end.astimezone(UTC):{stamp}}",
        f"SUMMARY:{_ics_escape(f'{KIND_TITLES[kind]} {m.tracking_id}: {m.element}')}",
        f"DESCRIPTION:{_ics_escape(description)}",
        f"STATUS:{'CANCELLED' if kind == 'cancelled' else 'CONFIRMED'}",
        "END:VEVENT", "END:VCALENDAR",
    ]  # fmt: skip
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name).strip("-") or "customer"


def issue_notices(store: Store, m: Maintenance, assessment: Assessment | None, out_dir: Path,
                  kind: str, customers: Sequence[str] = ()) -> list[Notice]:  # fmt: skip
    """Write and record a notice for every affected customer of ``assessment`` (or, for
    a cancellation, for ``customers``: those notified before). Files are
    ``TRACKING-rN-CUSTOMER.{txt,html,ics}`` in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    by_customer: dict[str, list[SiteImpact]] = {c: [] for c in customers}
    for site in assessment.affected if assessment is not None else ():
        by_customer.setdefault(site.customer, []).append(site)
    issued = datetime.now(UTC)
    notices = []
    for customer, sites in sorted(by_customer.items()):
        contract = get_contract(store, customer)
        zone = contract.time_zone if contract is not None else None
        base = out_dir / f"{m.tracking_id}-r{m.revision}-{_safe(customer)}"
        files = []
        for suffix, text in ((".txt", notice_text(m, customer, kind, sites, zone)),
                             (".html", notice_html(m, customer, kind, sites, zone)),
                             (".ics", notice_ics(m, customer, kind, sites, issued))):  # fmt: skip
            path = base.with_suffix(suffix)
            with atomic_text(path, newline="") as out:
                out.write(text)
            files.append(str(path))
        names = tuple(s.site for s in sites)
        notices.append(record_notice(store, m, customer, kind, names, tuple(files)))
    return notices


def maintenance_exclusions(store: Store, customer: str, notice_h: float, start: datetime,
                           end: datetime) -> tuple[Exclusion, ...]:  # fmt: skip
    """The planned maintenances over ``[start, end)`` whose current revision was notified
    to ``customer`` at least ``notice_h`` hours before it began."""
    sent: dict[tuple[str, int], datetime] = {}
    for n in notices_of(store, customer):
        sent.setdefault((n.tracking_id, n.revision), n.issued)
    out = []
    for m in list_maintenances(store):
        issued = sent.get((m.tracking_id, m.revision))
        if m.status != "planned" or issued is None or not (m.start < end and m.end > start):
            continue
        ahead_h = (m.start - issued).total_seconds() / 3600.0
        if ahead_h >= notice_h:
            out.append(Exclusion(m.start, m.end, f"maintenance {m.tracking_id} notified "
                                 f"{ahead_h:.0f} h ahead"))  # fmt: skip
    return tuple(out)

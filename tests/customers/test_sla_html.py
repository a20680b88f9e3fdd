"""The customer-facing report's HTML escapes every value (a customer or site name is
data, never markup) and lays out cover, summary and outages on their own pages."""

from __future__ import annotations

from opsconsole.customers.sla_html import PAGE_BREAK, sla_html

EVIL = "<script>alert('x')</script> & Co"


def _figures() -> dict[str, object]:
    outage = {"start_utc": "2026-11-03T10:00:00+00:00", "end_utc": "2026-11-03T10:30:00+00:00",
              "minutes": 30.0, "counted": True, "counted_min": 30.0, "excluded_min": 0.0,
              "excluded_because": [], "causes": [f"incident 1: gateway:gw-x ({EVIL})"]}  # fmt: skip
    site = {"site": EVIL, "availability_pct": 99.93, "availability_met": True,
            "counted_outage_min": 30.0, "rtt_ms": 41.2, "rtt_objective_ms": 60.0,
            "rtt_met": True, "sla_met": True, "credit_pct": 0.0, "credit": 0.0,
            "outages": [outage]}  # fmt: skip
    contract = {"availability_pct": 99.9, "allowed_outage_min": 43.2, "min_outage_s": 60.0,
                "rtt_percentile": 95.0, "max_rtt_ms": None, "monthly_fee": 1000.0,
                "currency": "EUR", "credit": "flat", "tiers": [[99.9, 20.0]],
                "maintenance_notice_h": 72.0}  # fmt: skip
    return {"customer": EVIL, "contract": contract, "availability_pct": 99.93,
            "sla_met": True, "credit": 0.0, "sites": [site],
            "period": {"start_utc": "2026-11-01T00:00:00+00:00",
                       "end_utc": "2026-12-01T00:00:00+00:00"}}  # fmt: skip


def test_values_are_escaped_and_pages_separated() -> None:
    text = sla_html(_figures(), issued="02 December 2026 09:00 UTC")
    assert "<script>" not in text and "&lt;script&gt;" in text and "&amp; Co" in text
    assert text.count(PAGE_BREAK) == 2
    assert "Service level met" in text and "01 November 2026 00:00 UTC" in text
    assert "allows 43.2 min" in text and "20 % of the monthly fee below the objective" in text

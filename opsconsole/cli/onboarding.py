"""``opsconsole sites check``: can we serve a new site here?"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from typing import Any

from opsconsole.cli.arg_types import number_in
from opsconsole.cli.support import CommandError, open_store
from opsconsole.row_formats import json_text


def add_site_check_parser(sites: Any, common: argparse.ArgumentParser) -> None:
    """``sites check`` under the ``sites`` group's actions."""
    p = sites.add_parser("check", parents=[common], help="can we serve a new site here?")
    p.add_argument("--lat", required=True, type=number_in(-90.0, 90.0, unit="deg"))
    p.add_argument("--lon", required=True, type=number_in(-180.0, 180.0, unit="deg"))
    p.add_argument("--alt-m", type=number_in(-500.0, 9000.0, unit="m"), default=0.0)
    p.add_argument("--demand-mbps", required=True,
                   type=number_in(0.0, 100_000.0, open_low=True, unit="Mbps"))  # fmt: skip
    p.add_argument("--max-rtt-ms", required=True,
                   type=number_in(0.0, 10_000.0, open_low=True, unit="ms"))  # fmt: skip
    p.add_argument("--min-availability-pct", type=number_in(0.0, 100.0, open_low=True),
                   default=99.0)  # fmt: skip
    p.add_argument("--residency", default="", metavar="ZONES", help="allowed zones, e.g. EU;GB")
    p.add_argument("--customer", default="(candidate)", help="the customer it would belong to")
    p.add_argument("--name", default="candidate", help="the site's name")
    p.add_argument("--priority", type=int, choices=range(1, 6), default=2)
    p.add_argument("--min-elevation-deg", type=number_in(-5.0, 90.0, unit="deg"))
    p.add_argument("--horizon", default="", metavar="AZ:EL;...", help="a horizon profile")
    p.add_argument("--hours", type=number_in(0.0, 168.0, open_low=True, unit="h"), default=24.0)
    p.add_argument("--start", type=_time, metavar="ISO8601", help="default: now")
    p.add_argument("--workers", type=int, default=1, choices=range(1, 65), metavar="N")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=cmd_sites_check)


def _time(text: str) -> datetime:
    from opsconsole.cli.arg_types import utc_time

    return utc_time(text)


def cmd_sites_check(args: argparse.Namespace) -> int:
    from opsconsole.core.catalog import SiteSpec, residency_zones
    from opsconsole.core.horizon import HorizonProfile
    from opsconsole.customers.onboarding import check_site

    zones = tuple(z.strip().upper() for z in args.residency.split(";") if z.strip())
    known = set(residency_zones())
    unknown = [z for z in zones if z not in known]
    if unknown:
        raise CommandError(f"--residency: unknown zone(s) {', '.join(unknown)} "
                           f"(known: {', '.join(sorted(known))})")  # fmt: skip
    try:
        HorizonProfile.parse(args.horizon)
    except ValueError as exc:
        raise CommandError(f"--horizon: {exc}") from None
    spec = SiteSpec(args.name, args.lat, args.lon, args.alt_m, args.demand_mbps,
                    args.max_rtt_ms, args.min_availability_pct, zones, args.priority,
                    args.min_elevation_deg, args.horizon)  # fmt: skip
    start = args.start or (datetime.now(UTC) + timedelta(minutes=1)).replace(
        second=0, microsecond=0
    )
    with open_store(args, may_create=False) as store:
        found = check_site(store, spec, start, args.hours, customer=args.customer,
                           workers=args.workers)  # fmt: skip
    if args.format == "json":
        print(json_text({
            "start_utc": found.start.isoformat(), "hours": found.hours, "step_s": found.step_s,
            "served_pct": round(found.served_pct, 3), "rtt_ms": found.rtt_percentiles_ms,
            "gateways": [{"id": g, "share_pct": s} for g, s in found.gateways],
            "pops": list(found.pops),
            "regions": [{"id": r, "share_pct": s} for r, s in found.regions],
            "verdict": found.verdict, "reasons": list(found.reasons),
        }, indent=1))  # fmt: skip
        return 0
    p = found.rtt_percentiles_ms
    rtt = ", ".join(f"{k} {v:.1f} ms" for k, v in p.items() if v is not None) or "no service"
    print(f"site at {args.lat:g}, {args.lon:g}: {found.verdict}"
          + (f" ({'; '.join(found.reasons)})" if found.reasons else ""))  # fmt: skip
    window = f"{found.hours:g} h from {found.start:%Y-%m-%d %H:%M} UTC at {found.step_s:g} s"
    print(f"over {window}: served {found.served_pct:.2f} % of slots "
          f"(objective {spec.min_availability_pct:g} %)")  # fmt: skip
    print(f"round trip: {rtt} (objective {spec.max_rtt_ms:g} ms)")
    print("gateways: " + (", ".join(f"{g} {s:g} %" for g, s in found.gateways) or "none"))
    print("PoPs: " + (", ".join(found.pops) or "none"))
    print("regions: " + (", ".join(f"{r} {s:g} %" for r, s in found.regions) or "none"))
    return 0

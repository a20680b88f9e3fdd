"""``opsconsole eop``: which Earth-orientation (IERS) data is in use, and the opt-in
online refresh of ``finals2000A.all``."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from opsconsole.cli.arg_types import number_in
from opsconsole.row_formats import json_text


def add_eop_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """``eop show`` and ``eop refresh``."""
    from opsconsole.core.earth_orientation import DEFAULT_TIMEOUT_S, IERS_FINALS_URL

    eop = sub.add_parser("eop", help="Earth-orientation data (UT1, polar motion)").add_subparsers(
        dest="eop_command", metavar="ACTION", required=True
    )
    p = eop.add_parser("show", help="which IERS file is in use and how far it reaches")
    p.add_argument("--cache-dir", help="refreshed-file folder (default: user cache dir)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=cmd_eop_show)
    p = eop.add_parser("refresh", help="ONLINE: download the IERS finals2000A.all")
    p.add_argument("--url", default=IERS_FINALS_URL)
    p.add_argument(
        "--timeout",
        type=number_in(0.0, 600.0, open_low=True, unit="s"),
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDS",
    )
    p.add_argument("--cache-dir", help="where to keep it (default: user cache dir)")
    p.set_defaults(handler=cmd_eop_refresh)


def eop_summary(cache_dir: Path | None = None, now: datetime | None = None) -> dict[str, Any]:
    """The file in use, its last tabulated day (UTC) and how that compares with now."""
    from opsconsole.core.earth_orientation import finals_file, packaged_finals

    info = finals_file(cache_dir)
    now = now or datetime.now(UTC)
    days = (now - info.last).total_seconds() / 86_400.0
    origin = "packaged (skyfield-data)" if info.path == packaged_finals() else "refreshed"
    if days > 0:
        state = (
            f"ends {info.last:%Y-%m-%d}, {days:.0f} days ago: UT1 and polar motion held "
            "constant since (Earth-fixed positions off by metres; opsconsole eop refresh)"
        )
    else:
        state = f"tabulated to {info.last:%Y-%m-%d} ({-days:.0f} days ahead)"
    return {
        "file": str(info.path),
        "origin": origin,
        "first_utc": info.first.isoformat(),
        "last_utc": info.last.isoformat(),
        "days_past_end": round(days, 1),
        "text": f"{origin}, {state}",
    }


def _cache(args: argparse.Namespace) -> Path | None:
    return Path(args.cache_dir) if args.cache_dir else None


def cmd_eop_show(args: argparse.Namespace) -> int:
    summary = eop_summary(_cache(args))
    if args.format == "json":
        print(json_text(summary, indent=1))
    else:
        print(f"{summary['text']}\nfile: {summary['file']}")
    return 0


def cmd_eop_refresh(args: argparse.Namespace) -> int:
    from opsconsole.core.earth_orientation import EopRefreshError, refresh_finals

    try:
        done = refresh_finals(_cache(args), url=args.url, timeout_s=args.timeout)
    except EopRefreshError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    got = f"downloaded {done.downloaded.rows} rows to {done.downloaded.last:%Y-%m-%d}"
    if done.replaced:
        print(f"{got}; now in use: {done.in_use.path}")
    else:
        print(f"{got}; kept {done.in_use.path} (it reaches {done.in_use.last:%Y-%m-%d})")
    return 0

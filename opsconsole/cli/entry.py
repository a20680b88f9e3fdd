"""The ``opsconsole`` command line: the first interface, over the same core as the GUI.

Exit codes: 0 success, 1 failure (bad input file, missing data, refused database),
2 usage error. Errors go to standard error; an import with any invalid record writes
nothing unless ``--skip-invalid`` is given.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import warnings
from collections.abc import Sequence

from opsconsole import __version__
from opsconsole.cli.arg_types import HOURS_OF_PASSES, MAX_PASS_HOURS, number_in, utc_time
from opsconsole.cli.catalog import (
    cmd_db_check,
    cmd_gateways_list,
    cmd_pops_list,
    cmd_regions_list,
    cmd_sites_import,
    cmd_sites_list,
    cmd_sites_remove,
)
from opsconsole.cli.contingency import add_contingency_parser
from opsconsole.cli.customers import add_customer_parsers, add_maintenance_parser
from opsconsole.cli.eop import add_eop_parser
from opsconsole.cli.gui import add_selftest_parser, cmd_launch
from opsconsole.cli.onboarding import add_site_check_parser
from opsconsole.cli.orbits import (
    cmd_elements_activate,
    cmd_elements_import,
    cmd_elements_list,
    cmd_elements_refresh,
    cmd_passes,
    cmd_propagate,
)
from opsconsole.cli.plans import add_plan_parser
from opsconsole.cli.support import MAX_LISTED_ISSUES, CommandError
from opsconsole.cli.training import add_training_parser
from opsconsole.core.celestrak import DEFAULT_TIMEOUT_S, GP_URL, RefreshError
from opsconsole.core.input_errors import InputFileError


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="PATH",
        help="SQLite database (default: opsconsole.sqlite in the user data dir)",
    )
    return common


def _fmt(parser: argparse.ArgumentParser, choices: Sequence[str], default: str) -> None:
    parser.add_argument("--format", choices=choices, default=default)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (subcommands carry their handler in ``handler``)."""
    common = _common()
    parser = argparse.ArgumentParser(
        prog="opsconsole",
        parents=[common],
        description="Operations console for a satellite-internet constellation and its cloud. "
        "Without a command, opens the graphical console.",
    )
    parser.add_argument("--version", action="version", version=f"opsconsole {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parser.set_defaults(handler=cmd_launch)

    p = sub.add_parser("propagate", parents=[common], help="positions of every satellite")
    p.add_argument("--elements", metavar="FILE", help="TLE/OMM file (default: active set)")
    p.add_argument("--skip-invalid", action="store_true", help="skip bad records in --elements")
    p.add_argument(
        "--at",
        required=True,
        type=utc_time,
        metavar="ISO8601",
        help="UTC time, e.g. 2026-05-13T06:00Z",
    )
    _fmt(p, ("csv", "json"), "csv")
    p.set_defaults(handler=cmd_propagate)

    p = sub.add_parser("passes", parents=[common], help="passes over a site")
    p.add_argument("--elements", metavar="FILE", help="TLE/OMM file (default: active set)")
    p.add_argument("--skip-invalid", action="store_true", help="skip bad records in --elements")
    p.add_argument(
        "--site",
        required=True,
        metavar="LAT,LON[,ALT_M]|NAME",
        help="a place, or a stored site by name (SITE or CUSTOMER/SITE): then its own "
        "terminal mask and horizon profile apply; write a negative latitude as "
        "--site=-33.92,18.42",
    )
    p.add_argument("--start", required=True, type=utc_time, metavar="ISO8601")
    p.add_argument(
        "--hours",
        required=True,
        type=HOURS_OF_PASSES,
        help=f"window length, at most {MAX_PASS_HOURS:g} h (computed in 6 h chunks)",
    )
    p.add_argument(
        "--min-elevation",
        type=number_in(-5.0, 90.0, open_high=True, unit="deg"),
        default=None,
        metavar="DEG",
        help="terminal mask (default 25; a stored site's own mask unless given)",
    )
    _fmt(p, ("csv", "json"), "csv")
    p.set_defaults(handler=cmd_passes)

    elements = sub.add_parser("elements", help="element sets").add_subparsers(
        dest="elements_command", metavar="ACTION", required=True
    )
    p = elements.add_parser("import", parents=[common], help="import a TLE/OMM file")
    p.add_argument("file")
    p.add_argument("--skip-invalid", action="store_true")
    p.add_argument("--name", help="name of the stored set (default: file name)")
    p.add_argument("--no-activate", action="store_true", help="keep the current active set")
    p.set_defaults(handler=cmd_elements_import)
    p = elements.add_parser("list", parents=[common], help="stored element sets")
    _fmt(p, ("table", "csv", "json"), "table")
    p.set_defaults(handler=cmd_elements_list)
    p = elements.add_parser("activate", parents=[common], help="make a stored set active")
    p.add_argument("id", type=int)
    p.set_defaults(handler=cmd_elements_activate)
    p = elements.add_parser(
        "refresh",
        parents=[common],
        help="ONLINE: fetch a CelesTrak GP group (OMM JSON) and import it",
    )
    p.add_argument("--group", default="starlink")
    p.add_argument("--url", default=GP_URL, help="URL template with {group}")
    p.add_argument(
        "--timeout",
        type=number_in(0.0, 600.0, open_low=True, unit="s"),
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDS",
    )
    p.add_argument(
        "--max-age-hours",
        type=number_in(0.0, 8760.0, unit="h"),
        default=2.0,
        help="reuse a cached download younger than this",
    )
    p.add_argument("--cache-dir", help="download cache (default: user cache dir)")
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="store the good records of a partly bad download",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="activate even a set that lacks more than 10 %% of the active set's satellites",
    )
    p.set_defaults(handler=cmd_elements_refresh)

    sites = sub.add_parser("sites", help="customer sites").add_subparsers(
        dest="sites_command", metavar="ACTION", required=True
    )
    p = sites.add_parser("import", parents=[common], help="import sites from CSV or GeoJSON")
    p.add_argument("file")
    p.add_argument("--customer", required=True, metavar="NAME")
    p.add_argument("--sector", default="", help="sector of a new customer")
    p.add_argument("--skip-invalid", action="store_true")
    p.set_defaults(handler=cmd_sites_import)
    p = sites.add_parser("remove", parents=[common], help="remove sites of a customer")
    p.add_argument("--customer", required=True, metavar="NAME")
    p.add_argument("sites", nargs="+", metavar="SITE", help="site names (any case)")
    p.set_defaults(handler=cmd_sites_remove)
    add_site_check_parser(sites, common)
    p = sites.add_parser("list", parents=[common], help="every site")
    _fmt(p, ("table", "csv", "json"), "table")
    p.set_defaults(handler=cmd_sites_list)

    for name, handler in (
        ("regions", cmd_regions_list),
        ("gateways", cmd_gateways_list),
        ("pops", cmd_pops_list),
    ):
        what = "points of presence" if name == "pops" else name
        group = sub.add_parser(name, help=f"{what} in the catalog").add_subparsers(
            dest=f"{name}_command", metavar="ACTION", required=True
        )
        p = group.add_parser("list", parents=[common])
        _fmt(p, ("table", "csv", "json"), "table")
        p.set_defaults(handler=handler)

    add_selftest_parser(sub, common)
    add_plan_parser(sub, common)
    add_contingency_parser(sub, common)
    add_training_parser(sub, common)
    add_eop_parser(sub, common)
    add_customer_parsers(sub, common)
    add_maintenance_parser(sub, common)

    db = sub.add_parser("db", help="database maintenance").add_subparsers(
        dest="db_command", metavar="ACTION", required=True
    )
    p = db.add_parser("check", parents=[common], help="integrity, schema version, counts")
    _fmt(p, ("text", "json"), "text")
    p.set_defaults(handler=cmd_db_check)
    return parser


def _report_input_error(exc: InputFileError) -> None:
    print(f"error: {len(exc.issues)} problem(s); nothing was written:", file=sys.stderr)
    for issue in exc.issues[:MAX_LISTED_ISSUES]:
        print(f"  {issue}", file=sys.stderr)
    if len(exc.issues) > MAX_LISTED_ISSUES:
        print(f"  ... and {len(exc.issues) - MAX_LISTED_ISSUES} more", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``opsconsole`` and ``python -m opsconsole``."""
    import multiprocessing

    multiprocessing.freeze_support()  # the packaged app re-enters here in worker processes
    from opsconsole.core.propagation import check_accelerated
    from opsconsole.store.file_check import DatabaseRefusedError

    args = build_parser().parse_args(argv)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if not check_accelerated():
            print(
                "WARNING: sgp4's C++ extension is missing: propagation is ~8x slower",
                file=sys.stderr,
            )
    try:
        return int(args.handler(args))
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except InputFileError as exc:
        _report_input_error(exc)
    except sqlite3.DatabaseError as exc:
        print(f"error: database {getattr(args, 'db', '(default)')}: {exc}", file=sys.stderr)
    except (
        CommandError,
        DatabaseRefusedError,
        RefreshError,
        LookupError,
        ValueError,
        OSError,
    ) as exc:
        print(f"error: {exc}", file=sys.stderr)
    return 1

"""Commands over the store: sites, regions, gateways, database check, and launching."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from opsconsole.cli.support import CommandError, open_store, report_skipped
from opsconsole.core.catalog import GBPS_PER_ANTENNA
from opsconsole.core.input_errors import name_problem
from opsconsole.core.site_files import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from opsconsole.row_formats import json_text, write_rows
from opsconsole.store.database import Store

SITE_COLUMNS = ("customer", "sector", *REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)


def cmd_sites_import(args: argparse.Namespace) -> int:
    from opsconsole.core.site_files import SiteFile, read_sites
    from opsconsole.store.catalog_repository import import_site_file

    customer = args.customer.strip()
    problem = name_problem(customer, "--customer")
    if problem:
        raise CommandError(problem)

    def read(existing: frozenset[str]) -> SiteFile:
        return read_sites(args.file, skip_invalid=args.skip_invalid, existing_names=existing)

    with open_store(args, may_create=True) as store:
        written, parsed = import_site_file(
            store, customer, read, sector=args.sector, source=args.file
        )
    report_skipped(parsed.skipped, "row(s)")
    print(
        f"imported {written} site(s) for {customer!r} from {args.file} "
        f"({len(parsed.skipped)} skipped)"
    )
    return 0


def cmd_sites_remove(args: argparse.Namespace) -> int:
    """Remove named sites of a customer (all named, or none)."""
    from opsconsole.store.catalog_repository import remove_sites

    with open_store(args, may_create=False) as store:
        try:
            removed = remove_sites(store, args.customer.strip(), args.sites)
        except LookupError as exc:
            raise CommandError(f"{exc.args[0]}; nothing was removed") from None
    print(f"removed {len(removed)} site(s) of {args.customer.strip()!r}: {', '.join(removed)}")
    return 0


REGION_COLUMNS = (
    "id", "provider", "name", "display_name", "lat", "lon", "geography", "country",
    "residency_zone", "paired_region",
)  # fmt: skip
GATEWAY_COLUMNS = (
    "id", "name", "country", "lat", "lon", "status", "antennas", "antennas_source",
    "capacity_gbps", "min_elevation_deg", "residency_zone", "pop_id", "backhaul_regions",
)  # fmt: skip
POP_COLUMNS = (
    "id", "code", "code_source", "name", "country", "lat", "lon", "status", "residency_zone",
    "gateways", "regions",
)  # fmt: skip
GROUND_NOTE = (
    "note: the public Starlink ground network (not official SpaceX data); capacities are "
    f"MODELLED as antennas x {GBPS_PER_ANTENNA:g} Gbps; home PoPs and PoP regions are "
    "modelled too"
)


def _list(args: argparse.Namespace, columns: tuple[str, ...],
          fetch: Callable[[Store], list[dict[str, Any]]]) -> int:  # fmt: skip
    with open_store(args, may_create=False) as store:
        rows = [tuple(row[c] for c in columns) for row in fetch(store)]
    write_rows(rows, columns, args.format)
    return 0


def cmd_sites_list(args: argparse.Namespace) -> int:
    from opsconsole.store.catalog_repository import list_sites

    return _list(args, SITE_COLUMNS, list_sites)


def cmd_regions_list(args: argparse.Namespace) -> int:
    from opsconsole.store.catalog_repository import list_regions

    return _list(args, REGION_COLUMNS, list_regions)


def cmd_gateways_list(args: argparse.Namespace) -> int:
    from opsconsole.store.catalog_repository import list_gateways

    code = _list(args, GATEWAY_COLUMNS, list_gateways)
    print(GROUND_NOTE, file=sys.stderr)
    return code


def cmd_pops_list(args: argparse.Namespace) -> int:
    from opsconsole.store.catalog_repository import list_pops

    code = _list(args, POP_COLUMNS, list_pops)
    print(GROUND_NOTE, file=sys.stderr)
    return code


def cmd_db_check(args: argparse.Namespace) -> int:
    from opsconsole.cli.eop import eop_summary
    from opsconsole.store.migrations import SCHEMA_VERSION

    with open_store(args, may_create=False) as store:
        problems = store.integrity_check()
        report = {
            "path": str(store.path),
            "schema_version": store.schema_version,
            "code_schema_version": SCHEMA_VERSION,
            "journal_mode": store.conn.execute("PRAGMA journal_mode").fetchone()[0],
            "integrity": problems if problems else "ok",
            "counts": store.counts(),
            "earth_orientation": eop_summary(),
        }
    if args.format == "json":
        print(json_text(report, indent=1))
    else:
        print(f"database:       {report['path']}")
        print(f"schema version: {report['schema_version']} (this opsconsole: {SCHEMA_VERSION})")
        print(f"journal mode:   {report['journal_mode']}")
        print(f"integrity:      {'ok' if not problems else '; '.join(problems)}")
        eop = report["earth_orientation"]
        print(f"earth orient.:  {eop['text']}")
        for table, count in report["counts"].items():
            print(f"  {table:<18} {count}")
    return 0 if not problems else 1

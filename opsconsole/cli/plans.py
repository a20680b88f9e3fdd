"""``opsconsole plan ...``: create, list, show, compare, approve and export plans."""

from __future__ import annotations

import argparse
import math
import sys
from datetime import timedelta
from typing import Any

from opsconsole.cli.arg_types import HOURS_OF_PLAN, MAX_PLAN_HOURS, WORKERS, utc_time
from opsconsole.cli.support import (
    CommandError,
    check_cluster,
    open_store,
    plan_executor,
    warn_element_age,
)
from opsconsole.planning.parameters import DEFAULT_HANDOVER_POLICY, HANDOVER_POLICIES
from opsconsole.row_formats import json_text, write_rows

PLAN_LIST_COLUMNS = (
    "id",
    "name",
    "status",
    "author",
    "created_utc",
    "start_utc",
    "slots",
    "served_demand_pct",
    "sites_meeting_slo",
    "handovers",
    "rtt_p95_ms",
)


def add_plan_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """The ``plan`` command and its actions."""
    plans = sub.add_parser("plan", help="assignment plans").add_subparsers(
        dest="plan_command", metavar="ACTION", required=True
    )
    p = plans.add_parser("create", parents=[common], help="plan a window and keep it")
    p.add_argument("--name", required=True)
    p.add_argument("--start", required=True, type=utc_time, metavar="ISO8601")
    p.add_argument(
        "--hours",
        required=True,
        type=HOURS_OF_PLAN,
        help=f"window length, at most {MAX_PLAN_HOURS:g} h (31 days)",
    )
    p.add_argument(
        "--step",
        type=float,
        default=15.0,
        choices=(15.0, 30.0, 60.0),
        help="slot length in seconds (default 15, Starlink's reassignment interval)",
    )
    p.add_argument("--mode", default="bent-pipe", choices=("bent-pipe", "isl"))
    p.add_argument(
        "--handover",
        default=DEFAULT_HANDOVER_POLICY,
        choices=HANDOVER_POLICIES,
        help="rtt: best round trip with a 5 ms hysteresis; dwell: keep the satellite while "
        "within 10 ms of the best, else the one that stays in view longest "
        f"(default {DEFAULT_HANDOVER_POLICY}; docs/planning.md)",
    )
    p.add_argument(
        "--include-planned-gateways",
        action="store_true",
        help="what-if: plan as if the catalog's planned gateways were live",
    )
    p.add_argument("--customer", action="append", default=[], metavar="NAME")
    p.add_argument("--exclude-satellite", action="append", default=[], type=int, metavar="ID")
    p.add_argument("--exclude-gateway", action="append", default=[], metavar="ID_OR_NAME")
    p.add_argument("--exclude-region", action="append", default=[], metavar="ID_OR_NAME")
    p.add_argument(
        "--region-ingress",
        action="append",
        default=[],
        metavar="ID_OR_NAME=GBPS",
        help="ingress limit of a cloud region (Gbps from all its gateways); repeatable",
    )
    p.add_argument("--workers", type=WORKERS, default=2, help="processes sharing the window")
    p.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="run the window on Dask instead: a scheduler (tcp://host:8786) or local:N "
        "worker processes; needs pip install 'opsconsole[cluster]' (docs/planning.md)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=cmd_plan_create)
    p = plans.add_parser("list", parents=[common], help="every plan")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(handler=cmd_plan_list)
    p = plans.add_parser("show", parents=[common], help="one plan's figures")
    p.add_argument("id", type=int)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=cmd_plan_show)
    p = plans.add_parser("compare", parents=[common], help="per-site deltas, B minus A")
    p.add_argument("a", type=int)
    p.add_argument("b", type=int)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(handler=cmd_plan_compare)
    for action in ("approve", "activate", "archive"):
        p = plans.add_parser(action, parents=[common], help=f"{action} a plan")
        p.add_argument("id", type=int)
        p.set_defaults(
            handler=cmd_plan_status,
            status={"approve": "approved", "activate": "active", "archive": "archived"}[action],
        )
    p = plans.add_parser("export", parents=[common], help="the schedule as a file")
    p.add_argument("id", type=int)
    p.add_argument("--format", required=True, choices=("csv", "json", "geojson", "kml", "czml"))
    p.add_argument("--out", required=True, metavar="FILE")
    p.set_defaults(handler=cmd_plan_export)


def _resolve(rows: list[dict[str, Any]], wanted: list[str], what: str) -> list[str]:
    out = []
    for text in wanted:
        match = [r["id"] for r in rows if text in (r["id"], r["name"], r.get("display_name"))]
        if not match:
            raise CommandError(f"no {what} with id or name {text!r}")
        out.append(str(match[0]))
    return out


def _ingress_limits(regions: list[dict[str, Any]], texts: list[str]) -> dict[str, float]:
    """``ID_OR_NAME=GBPS`` arguments as region id -> Gbps."""
    out: dict[str, float] = {}
    for text in texts:
        key, sep, value = text.rpartition("=")
        try:
            gbps = float(value)
        except ValueError:
            gbps = math.nan
        if not sep or not key or not math.isfinite(gbps) or gbps < 0:
            raise CommandError(f"--region-ingress wants ID_OR_NAME=GBPS (Gbps >= 0), got {text!r}")
        out[_resolve(regions, [key], "region")[0]] = gbps
    return out


def cmd_plan_create(args: argparse.Namespace) -> int:
    """Plan the window, save it, print its id and totals."""
    from opsconsole.planning.inputs import Exclusion
    from opsconsole.planning.parameters import PlanParameters
    from opsconsole.plans.request import PlanRequest
    from opsconsole.plans.service import create_plan
    from opsconsole.store.catalog_repository import list_gateways, list_regions
    from opsconsole.store.element_repository import element_set_epoch
    from opsconsole.store.plan_repository import load_plan

    check_cluster(args.cluster)
    with open_store(args, may_create=True) as store:
        try:
            params = PlanParameters(
                start=args.start,
                duration_s=args.hours * 3600.0,
                step_s=args.step,
                mode=args.mode,
                handover_policy=args.handover,
                include_planned_gateways=args.include_planned_gateways,
                region_ingress_gbps=_ingress_limits(list_regions(store), args.region_ingress),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        epoch = element_set_epoch(store)
        if epoch is not None:
            end = params.start + timedelta(seconds=params.duration_s)
            warn_element_age(*epoch, params.start, end)
        exclusions = [Exclusion("satellite", n) for n in args.exclude_satellite]
        exclusions += [
            Exclusion("gateway", g)
            for g in _resolve(list_gateways(store), args.exclude_gateway, "gateway")
        ]
        exclusions += [
            Exclusion("region", r)
            for r in _resolve(list_regions(store), args.exclude_region, "region")
        ]

        def progress(fraction: float, stage: str) -> None:
            print(f"\r{stage}: {100 * fraction:5.1f} %", end="", file=sys.stderr, flush=True)

        try:
            request = PlanRequest(args.name, params, customers=tuple(args.customer),
                                  exclusions=tuple(exclusions))  # fmt: skip
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        with plan_executor(args.cluster) as executor:
            plan_id = create_plan(store, request, progress=progress,
                                  workers=max(1, args.workers), executor=executor)  # fmt: skip
        print(file=sys.stderr)
        totals = load_plan(store, plan_id).totals
    if args.format == "json":
        print(json_text({"id": plan_id, "totals": totals}))
    else:
        print(
            f"plan {plan_id}: "
            + ", ".join(
                f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in totals.items()
            )
        )
    return 0


def cmd_plan_list(args: argparse.Namespace) -> int:
    """Every plan with its headline figures."""
    from opsconsole.store.plan_repository import list_plans

    with open_store(args, may_create=False) as store:
        rows = list_plans(store)
    table = [tuple(r.get(c, r["totals"].get(c)) for c in PLAN_LIST_COLUMNS) for r in rows]
    write_rows(table, PLAN_LIST_COLUMNS, args.format)
    return 0


def _load(store: Any, plan_id: int) -> Any:
    from opsconsole.store.plan_repository import load_plan

    try:
        return load_plan(store, plan_id)
    except KeyError as exc:
        raise CommandError(str(exc.args[0])) from None


def cmd_plan_show(args: argparse.Namespace) -> int:
    """A plan's parameters, totals and unserved intervals."""
    from opsconsole.plans.reports import schedule_rows

    with open_store(args, may_create=False) as store:
        stored = _load(store, args.id)
    served, unserved = schedule_rows(stored)
    row = dict(stored.row)
    if args.format == "json":
        row["unserved"] = [
            dict(zip(("site", "customer", "reason", "start_utc", "end_utc"), u, strict=True))
            for u in unserved
        ]
        print(json_text(row, default=str))
        return 0
    print(
        f"plan {row['id']} {row['name']!r} ({row['status']}), by {row['author']}, "
        f"{row['created_utc']}"
    )
    print(
        f"window {row['start_utc']} + {row['slots']} x {row['step_s']:g} s; "
        f"elements epoch {row['element_epoch_utc']}; opsconsole {row['software_version']}"
    )
    params = stored.parameters
    print(f"mode {params.mode}; handover policy {params.handover_policy}")
    for key, value in row["totals"].items():
        print(f"  {key}: {value:.4g}" if isinstance(value, float) else f"  {key}: {value}")
    limited = int(row["totals"].get("limited_slots", 0))
    if limited:
        print(f"note: in {limited} slot(s) the solver's work limit stopped the search before "
              "optimality was proved; the best assignment found is kept")  # fmt: skip
    print(f"{len(served)} served intervals, {len(unserved)} unserved")
    return 0


def cmd_plan_compare(args: argparse.Namespace) -> int:
    """Per-site deltas of availability, round trip, handovers; changed gateway/region."""
    from opsconsole.plans.reports import COMPARE_COLUMNS, compare_rows

    with open_store(args, may_create=False) as store:
        rows = compare_rows(_load(store, args.a), _load(store, args.b))
    write_rows(rows, COMPARE_COLUMNS, args.format)
    return 0


def cmd_plan_status(args: argparse.Namespace) -> int:
    """Approve, activate or archive."""
    from opsconsole.store.plan_repository import set_status

    with open_store(args, may_create=False) as store:
        try:
            set_status(store, args.id, args.status)
        except KeyError as exc:
            raise CommandError(str(exc.args[0])) from None
    print(f"plan {args.id} is {args.status}")
    return 0


def cmd_plan_export(args: argparse.Namespace) -> int:
    """Write the schedule as CSV, JSON, GeoJSON, KML or CZML."""
    from opsconsole.atomic_files import atomic_text
    from opsconsole.plans.geo_exports import write_plan
    from opsconsole.store.catalog_repository import list_gateways, list_regions

    with open_store(args, may_create=False) as store:
        stored = _load(store, args.id)
        gateways = {str(g["id"]): g for g in list_gateways(store)}
        regions = {str(r["id"]): r for r in list_regions(store)}
    with atomic_text(args.out, newline="") as out:
        write_plan(stored, args.format, gateways, regions, out)
    print(f"wrote {args.out}")
    return 0

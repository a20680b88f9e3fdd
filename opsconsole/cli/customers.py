"""``opsconsole contract|incident|sla``: customer operations on the command line."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime
from typing import Any

from opsconsole.cli.arg_types import number_in, utc_time
from opsconsole.cli.support import CommandError, open_store
from opsconsole.row_formats import json_text, write_rows

INCIDENT_COLUMNS = (
    "id",
    "element",
    "state",
    "start_utc",
    "end_utc",
    "capacity_pct",
    "cause",
    "ticket",
)


def _month(text: str) -> tuple[datetime, datetime]:
    from opsconsole.customers.sla import month_bounds

    found = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise argparse.ArgumentTypeError(f"expected a month as YYYY-MM, got {text!r}")
    return month_bounds(int(found.group(1)), int(found.group(2)))


def add_customer_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """``contract``, ``incident`` and ``sla`` with their actions."""
    contract = sub.add_parser("contract", help="customer contracts (SLA, credits)").add_subparsers(
        dest="contract_command", metavar="ACTION", required=True
    )
    p = contract.add_parser("list", parents=[common], help="every contract")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(handler=cmd_contract_list)
    p = contract.add_parser("import", parents=[common], help="contracts from TOML or CSV")
    p.add_argument("file")
    p.set_defaults(handler=cmd_contract_import)
    p = contract.add_parser("export", parents=[common], help="contracts to TOML or CSV")
    p.add_argument("--out", required=True, metavar="FILE.toml|FILE.csv")
    p.set_defaults(handler=cmd_contract_export)

    incident = sub.add_parser("incident", help="the operations record").add_subparsers(
        dest="incident_command", metavar="ACTION", required=True
    )
    p = incident.add_parser("add", parents=[common], help="record an incident")
    p.add_argument(
        "--element",
        required=True,
        metavar="KIND:ID",
        help="gateway:ID, pop:ID, region:ID, satellite:NORAD or plane:NORAD",
    )
    p.add_argument("--from", dest="start", required=True, type=utc_time, metavar="ISO8601")
    p.add_argument("--to", dest="end", type=utc_time, metavar="ISO8601", help="omit while open")
    p.add_argument(
        "--capacity-pct",
        type=number_in(0.0, 100.0, open_high=True),
        help="degraded to this share of capacity (gateways, PoPs); else out",
    )
    p.add_argument("--cause", required=True)
    p.add_argument("--ticket", default="")
    p.set_defaults(handler=cmd_incident_add)
    p = incident.add_parser("list", parents=[common], help="recorded incidents")
    p.add_argument("--open", action="store_true", help="only those still open")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(handler=cmd_incident_list)
    p = incident.add_parser("close", parents=[common], help="end an open incident")
    p.add_argument("id", type=int)
    p.add_argument("--at", type=utc_time, metavar="ISO8601", help="default: now")
    p.set_defaults(handler=cmd_incident_close)

    sla = sub.add_parser("sla", help="SLA accounting").add_subparsers(
        dest="sla_command", metavar="ACTION", required=True
    )
    p = sla.add_parser("report", parents=[common], help="a customer's SLA report for a period")
    p.add_argument("--customer", required=True, metavar="NAME")
    p.add_argument("--month", type=_month, metavar="YYYY-MM", help="a calendar month (UTC)")
    p.add_argument("--from", dest="start", type=utc_time, metavar="ISO8601")
    p.add_argument("--to", dest="end", type=utc_time, metavar="ISO8601")
    p.add_argument("--format", choices=("text", "json", "csv"), default="text")
    p.add_argument("--pdf", metavar="FILE.pdf", help="also write the customer-facing PDF")
    p.set_defaults(handler=cmd_sla_report)


def cmd_contract_list(args: argparse.Namespace) -> int:
    from opsconsole.core.contract_files import CSV_COLUMNS, contract_csv_row
    from opsconsole.store.contract_repository import list_contracts

    with open_store(args, may_create=False) as store:
        rows = [contract_csv_row(c) for c in list_contracts(store)]
    write_rows(rows, CSV_COLUMNS, args.format)
    return 0


def cmd_contract_import(args: argparse.Namespace) -> int:
    from opsconsole.core.contract_files import read_contracts
    from opsconsole.store.contract_repository import save_contracts

    contracts = read_contracts(args.file)
    with open_store(args, may_create=True) as store:
        save_contracts(store, contracts, action="contract.import")
    print(f"imported {len(contracts)} contract(s) from {args.file}")
    return 0


def cmd_contract_export(args: argparse.Namespace) -> int:
    from opsconsole.atomic_files import atomic_text
    from opsconsole.core.contract_files import CSV_COLUMNS, contract_csv_row, contracts_toml
    from opsconsole.store.contract_repository import list_contracts

    with open_store(args, may_create=False) as store:
        contracts = list_contracts(store)
    with atomic_text(args.out, newline="") as out:
        if args.out.lower().endswith(".csv"):
            write_rows([contract_csv_row(c) for c in contracts], CSV_COLUMNS, "csv", out=out)
        else:
            out.write(contracts_toml(contracts))
    print(f"wrote {len(contracts)} contract(s) to {args.out}")
    return 0


def cmd_incident_add(args: argparse.Namespace) -> int:
    from opsconsole.core.incidents import Incident, parse_element
    from opsconsole.store.incident_repository import add_incident

    kind, element_id = parse_element(args.element)
    incident = Incident(
        kind, element_id, args.start, args.end, args.cause, args.ticket, args.capacity_pct
    )
    with open_store(args, may_create=False) as store:
        incident_id = add_incident(store, incident)
    print(f"incident {incident_id}: {incident.element} from {args.start.isoformat()}")
    return 0


def _incident_row(i: Any) -> tuple[object, ...]:
    return (
        i.id,
        i.element,
        "open" if i.end is None else "closed",
        i.start.isoformat(),
        None if i.end is None else i.end.isoformat(),
        i.capacity_pct,
        i.cause,
        i.ticket,
    )


def cmd_incident_list(args: argparse.Namespace) -> int:
    from opsconsole.store.incident_repository import list_incidents

    with open_store(args, may_create=False) as store:
        rows = [_incident_row(i) for i in list_incidents(store, open_only=args.open)]
    write_rows(rows, INCIDENT_COLUMNS, args.format)
    return 0


def cmd_incident_close(args: argparse.Namespace) -> int:
    from opsconsole.store.incident_repository import close_incident

    with open_store(args, may_create=False) as store:
        closed = close_incident(store, args.id, args.at or datetime.now(UTC))
    assert closed.end is not None
    print(f"incident {args.id} closed at {closed.end.isoformat()}")
    return 0


def cmd_sla_report(args: argparse.Namespace) -> int:
    from opsconsole.customers.sla_output import report_csv_rows, report_json, report_text
    from opsconsole.customers.sla_report import sla_report

    if args.month and (args.start or args.end):
        raise CommandError("give --month or --from/--to, not both")
    if args.month:
        start, end = args.month
    elif args.start and args.end:
        start, end = args.start, args.end
    else:
        raise CommandError("give --month YYYY-MM, or --from and --to")
    with open_store(args, may_create=False) as store:
        report = sla_report(store, args.customer, start, end)
    if args.pdf:
        pages = _write_pdf(report_json(report), args.pdf)
        print(f"wrote {args.pdf}: {pages} page(s)", file=sys.stderr)
    if args.format == "json":
        print(json_text(report_json(report), indent=1))
    elif args.format == "csv":
        columns, rows = report_csv_rows(report)
        write_rows(rows, columns, "csv")
    else:
        sys.stdout.write(report_text(report))
    return 0


def _write_pdf(figures: dict[str, Any], path: str) -> int:
    """The report as a PDF, drawn by Qt without a screen (offscreen platform)."""
    from opsconsole.cli.support import draw_offscreen
    from opsconsole.ui.qt.sla_document import write_sla_pdf

    return draw_offscreen(lambda: write_sla_pdf(figures, path))


def add_maintenance_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """``maintenance plan|list|move|cancel``."""
    group = sub.add_parser("maintenance", help="planned maintenance and its notices")
    actions = group.add_subparsers(dest="maintenance_command", metavar="ACTION", required=True)
    p = actions.add_parser("plan", parents=[common], help="assess a maintenance, send notices")
    p.add_argument("--element", required=True, metavar="KIND:ID")
    p.add_argument("--from", dest="start", required=True, type=utc_time, metavar="ISO8601")
    p.add_argument("--to", dest="end", required=True, type=utc_time, metavar="ISO8601")
    p.add_argument("--reason", required=True)
    p.add_argument("--out", metavar="DIR", help="notice folder (default: user data dir)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=cmd_maintenance_plan)
    p = actions.add_parser("list", parents=[common], help="planned and cancelled maintenances")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(handler=cmd_maintenance_list)
    for name, what in (("move", "move it: re-assess, updated notices"),
                       ("cancel", "cancel it: cancellation notices")):  # fmt: skip
        p = actions.add_parser(name, parents=[common], help=what)
        p.add_argument("tracking_id", metavar="TRACKING_ID")
        if name == "move":
            p.add_argument("--from", dest="start", required=True, type=utc_time, metavar="ISO8601")
            p.add_argument("--to", dest="end", required=True, type=utc_time, metavar="ISO8601")
        p.add_argument("--out", metavar="DIR", help="notice folder (default: user data dir)")
        p.add_argument("--format", choices=("text", "json"), default="text")
        p.set_defaults(handler=cmd_maintenance_change, cancel=name == "cancel")


def _notice_dir(args: argparse.Namespace) -> Any:
    from pathlib import Path

    return Path(args.out) if args.out else None


def _print_outcome(args: argparse.Namespace, m: Any, assessment: Any, notices: Any) -> None:
    affected = [] if assessment is None else assessment.affected
    if args.format == "json":
        print(json_text({
            "tracking_id": m.tracking_id, "element": m.element, "revision": m.revision,
            "status": m.status, "start_utc": m.start.isoformat(), "end_utc": m.end.isoformat(),
            "affected": [{"customer": s.customer, "site": s.site,
                          "served_pct_before": round(s.served_pct_before, 2),
                          "served_pct_during": round(s.served_pct_during, 2),
                          "rtt_p95_before_ms": s.rtt_before_ms,
                          "rtt_p95_during_ms": s.rtt_during_ms}
                         for s in affected],
            "notices": [{"customer": n.customer, "kind": n.kind, "files": list(n.files)}
                        for n in notices],
        }, indent=1))  # fmt: skip
        return
    print(f"{m.tracking_id} (revision {m.revision}, {m.status}): {m.element} "
          f"{m.start:%Y-%m-%d %H:%M} to {m.end:%Y-%m-%d %H:%M} UTC")  # fmt: skip
    if assessment is not None:
        print(f"{len(affected)} of {len(assessment.sites)} site(s) affected"
              + ("" if affected else ": no customer is affected"))  # fmt: skip
        for s in affected:
            rtt = "no service" if s.rtt_during_ms is None else f"p95 {s.rtt_during_ms:.0f} ms"
            print(f"  {s.customer} / {s.site}: served {s.served_pct_before:.1f} % -> "
                  f"{s.served_pct_during:.1f} %, {rtt}")  # fmt: skip
    for n in notices:
        print(f"notice ({n.kind}) to {n.customer}: {', '.join(n.files)}")


def cmd_maintenance_plan(args: argparse.Namespace) -> int:
    from opsconsole.customers.maintenance_flow import plan_maintenance

    with open_store(args, may_create=False) as store:
        done = plan_maintenance(store, args.element, args.start, args.end, args.reason,
                                _notice_dir(args))  # fmt: skip
    _print_outcome(args, done.maintenance, done.assessment, done.notices)
    return 0


def cmd_maintenance_change(args: argparse.Namespace) -> int:
    from opsconsole.customers.maintenance_flow import cancel_maintenance, move_maintenance

    with open_store(args, may_create=False) as store:
        if args.cancel:
            done = cancel_maintenance(store, args.tracking_id, _notice_dir(args))
        else:
            done = move_maintenance(store, args.tracking_id, args.start, args.end,
                                    _notice_dir(args))  # fmt: skip
    _print_outcome(args, done.maintenance, done.assessment, done.notices)
    return 0


def cmd_maintenance_list(args: argparse.Namespace) -> int:
    from opsconsole.store.maintenance_repository import list_maintenances

    with open_store(args, may_create=False) as store:
        rows = [(m.tracking_id, m.element, m.status, m.revision, m.start.isoformat(),
                 m.end.isoformat(), m.reason) for m in list_maintenances(store)]  # fmt: skip
    columns = ("tracking_id", "element", "status", "revision", "start_utc", "end_utc", "reason")
    write_rows(rows, columns, args.format)
    return 0

"""``opsconsole contingency PLAN_ID``: the plan's N-1 study, run and stored, ranked."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from opsconsole.cli.arg_types import WORKERS
from opsconsole.cli.support import CommandError, check_cluster, open_store, plan_executor
from opsconsole.planning.contingency import KINDS
from opsconsole.row_formats import json_text

TOP_TEXT_ROWS = 25


def add_contingency_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "contingency",
        parents=[common],
        help="N-1 study: re-plan a plan without each gateway, PoP, region or plane it uses",
        description="Re-plans PLAN_ID's window once for each single element it uses taken "
        "out, ranks the elements by priority-weighted demand lost and stores the study "
        "with the plan (docs/planning.md).",
    )
    p.add_argument("plan_id", type=int, metavar="PLAN_ID")
    p.add_argument(
        "--kinds",
        default=",".join(KINDS),
        metavar="KINDS",
        help=f"comma-separated, of {', '.join(KINDS)} (default: all)",
    )
    p.add_argument("--workers", type=WORKERS, default=2, help="local processes (default 2)")
    p.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="run on Dask: a scheduler (tcp://host:8786) or local:N worker processes",
    )
    p.add_argument(
        "--latest", action="store_true", help="show the newest stored study, do not re-run"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=cmd_contingency)


def _kinds(text: str) -> list[str]:
    kinds = [k.strip() for k in text.split(",") if k.strip()]
    wrong = [k for k in kinds if k not in KINDS]
    if wrong or not kinds:
        raise CommandError(f"--kinds {text!r}: choose from {', '.join(KINDS)}")
    return kinds


def _as_json(study: Any, names: dict[int, str]) -> dict[str, Any]:
    return {
        "study_id": study.id,
        "plan_id": study.plan_id,
        "created_utc": study.created_utc.isoformat(),
        "who": study.who,
        "kinds": list(study.kinds),
        "executor": study.executor,
        "elapsed_s": round(study.elapsed_s, 3),
        "elements": [
            {
                "rank": r.rank,
                "kind": r.kind,
                "id": r.element_id,
                "label": r.label,
                "lost_weighted_pct": r.lost_weighted_pct,
                "lost_demand_mbps_h": r.lost_demand_mbps_h,
                "sites_losing_availability": list(r.sites_losing_availability),
                "sites_losing_rtt": list(r.sites_losing_rtt),
                "customers": list(r.customers),
                "worst_site": None
                if r.worst_site_id is None
                else {"id": r.worst_site_id, "name": names.get(r.worst_site_id, "?")},
                "worst_drop_pct": r.worst_drop_pct,
            }
            for r in study.rows
        ],
    }


def _print_text(study: Any, names: dict[int, str]) -> None:
    age = datetime.now(UTC) - study.created_utc
    print(
        f"study {study.id} of plan {study.plan_id}: {len(study.rows)} single failures "
        f"({', '.join(study.kinds)}), run {study.created_utc:%Y-%m-%d %H:%M} UTC "
        f"({age.total_seconds() / 3600:.1f} h ago) on {study.executor} in {study.elapsed_s:.0f} s"
    )
    print(f"{'rank':>4}  {'element':<38} {'lost %':>8} {'Mbps h':>10} {'sites':>5} "
          f"{'cust.':>5}  worst site")  # fmt: skip
    for r in study.rows[:TOP_TEXT_ROWS]:
        worst = (
            "-"
            if r.worst_site_id is None
            else f"{names.get(r.worst_site_id, r.worst_site_id)} (-{r.worst_drop_pct:.2f} pts)"
        )
        print(f"{r.rank:>4}  {(r.kind + ' ' + r.label)[:38]:<38} {r.lost_weighted_pct:>8.3f} "
              f"{r.lost_demand_mbps_h:>10.1f} {len(r.sites_hurt):>5} {len(r.customers):>5}  "
              f"{worst}")  # fmt: skip
    if len(study.rows) > TOP_TEXT_ROWS:
        print(f"... and {len(study.rows) - TOP_TEXT_ROWS} more (--format json lists all)")


def cmd_contingency(args: argparse.Namespace) -> int:
    """Run (or show) the N-1 study of a plan."""
    from opsconsole.plans.contingency_service import study_plan
    from opsconsole.store.contingency_repository import latest_study
    from opsconsole.store.plan_repository import load_plan

    kinds = _kinds(args.kinds)
    check_cluster(args.cluster)
    with open_store(args, may_create=False) as store:
        try:
            sites = load_plan(store, args.plan_id).sites
        except KeyError:
            raise CommandError(f"no plan {args.plan_id}") from None
        names = {int(s["id"]): str(s.get("name", s["id"])) for s in sites}
        if not args.latest:

            def progress(fraction: float, stage: str) -> None:
                print(f"\r{stage}: {100 * fraction:5.1f} %", end="", file=sys.stderr, flush=True)

            with plan_executor(args.cluster) as executor:
                study_plan(store, args.plan_id, kinds, executor=executor,
                           workers=max(1, args.workers), progress=progress)  # fmt: skip
            print(file=sys.stderr)
        study = latest_study(store, args.plan_id)
    if study is None:
        raise CommandError(f"plan {args.plan_id} has no contingency study yet")
    if args.format == "json":
        print(json_text(_as_json(study, names)))
    else:
        _print_text(study, names)
    return 0

"""``opsconsole training ...``: validate a scenario, run its headless baseline."""

from __future__ import annotations

import argparse
from pathlib import Path

from opsconsole.cli.arg_types import number_in, utc_time
from opsconsole.cli.support import CommandError
from opsconsole.row_formats import json_text


def add_training_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """The ``training`` command and its actions."""
    training = sub.add_parser("training", help="operator training scenarios").add_subparsers(
        dest="training_command", metavar="ACTION", required=True
    )
    p = training.add_parser("validate", help="check a scenario file (errors name the line)")
    p.add_argument("scenario", metavar="SCENARIO", help="a .toml file, or a shipped name")
    p.set_defaults(handler=cmd_training_validate)
    p = training.add_parser("run", help="the headless baseline: what happens if nobody acts")
    p.add_argument("scenario", metavar="SCENARIO", help="a .toml file, or a shipped name")
    p.add_argument("--report", required=True, metavar="FILE.json", help="debrief figures")
    p.add_argument("--pdf", metavar="FILE.pdf", help="also write the debrief as a PDF")
    p.add_argument(
        "--speed",
        type=number_in(1.0, 3600.0),
        metavar="X",
        help="clock speed, 1 to 3600 (recorded; a headless run does not depend on it)",
    )
    p.add_argument(
        "--until", type=utc_time, metavar="ISO8601", help="stop the session at this UTC time"
    )
    p.set_defaults(handler=cmd_training_run)
    p = training.add_parser("list", help="the scenarios shipped with opsconsole")
    p.set_defaults(handler=cmd_training_list)


def _scenario_path(text: str) -> Path:
    """A file path, or the name of a shipped scenario (``eu-gateway-outage``)."""
    from importlib import resources

    path = Path(text)
    if path.suffix == ".toml" or path.exists():
        return path
    shipped = resources.files("opsconsole.resources").joinpath("scenarios", f"{text}.toml")
    if not shipped.is_file():
        raise CommandError(f"no scenario file {text!r} and no shipped scenario of that name")
    return Path(str(shipped))


def _load(text: str):  # type: ignore[no-untyped-def]
    from opsconsole.training.scenario import ScenarioError, load_scenario

    try:
        return load_scenario(_scenario_path(text))
    except ScenarioError as exc:
        raise CommandError(str(exc)) from None


def cmd_training_validate(args: argparse.Namespace) -> int:
    """Print a summary of a valid scenario; an invalid one is an error naming the line."""
    scenario = _load(args.scenario)
    print(f"{scenario.path}: valid")
    print(f"  {scenario.title}")
    print(f"  start {scenario.start.isoformat()}, {scenario.duration}, speed {scenario.speed:g}x")
    for event in scenario.events:
        print(f"  {event.start:%H:%M}-{event.end:%H:%M} UTC  {event.label}")
    for objective in scenario.objectives:
        print(f"  objective: {objective.name}")
    return 0


def cmd_training_run(args: argparse.Namespace) -> int:
    """Run the baseline and write the debrief figures as JSON."""
    from opsconsole.atomic_files import atomic_text
    from opsconsole.training.baseline import run_baseline
    from opsconsole.training.scenario import with_overrides

    scenario = _load(args.scenario)
    try:
        scenario = with_overrides(
            scenario, speed=args.speed, until=args.until.isoformat() if args.until else None
        )
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    report = run_baseline(scenario)
    report["speed"] = scenario.speed
    with atomic_text(args.report) as out:
        out.write(json_text(report, indent=1))
    if args.pdf:
        pages = _write_pdf(report, args.pdf)
        print(f"wrote {args.pdf}: {pages} page(s)")
    lost = sum(report["slo_minutes_lost_by_customer"].values())
    met = sum(o["met"] for o in report["objectives"])
    print(f"wrote {args.report}: {lost:g} SLO minutes lost, "
          f"{met} of {len(report['objectives'])} objectives met")  # fmt: skip
    return 0


def _write_pdf(report: dict[str, object], path: str) -> int:
    """The debrief as a PDF, drawn by Qt without a screen (offscreen platform)."""
    from opsconsole.cli.support import draw_offscreen
    from opsconsole.ui.qt.debrief_document import write_pdf

    return draw_offscreen(lambda: write_pdf(report, path))


def cmd_training_list(_args: argparse.Namespace) -> int:
    """Name and title of every shipped scenario."""
    from importlib import resources

    from opsconsole.training.scenario import load_scenario

    folder = resources.files("opsconsole.resources").joinpath("scenarios")
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.name.endswith(".toml"):
            scenario = load_scenario(Path(str(item)))
            print(f"{item.name.removesuffix('.toml'):<22} {scenario.title}")
    return 0

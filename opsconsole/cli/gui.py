"""Commands that open the graphical console: the default launch and ``selftest``."""

from __future__ import annotations

import argparse
import json
import sys
import time

from opsconsole.cli.arg_types import utc_time, whole_number_in
from opsconsole.cli.support import db_path

STARTED = time.perf_counter()
"""When this module was imported: the start of the command, for the self-test figures."""


def cmd_launch(args: argparse.Namespace) -> int:
    """Open the main window on the database (seeded with the demo data on first run)."""
    from pathlib import Path

    from opsconsole.app import GlNotAvailableError, check_display, run_gui
    from opsconsole.store.file_check import check_database_file

    path = db_path(args)
    check_database_file(path)  # refused before any window opens
    try:
        check_display()
        if hasattr(args, "db") and not Path(path).exists():
            print(f"created new database at {Path(path).resolve()}", file=sys.stderr)
        return run_gui(path)
    except GlNotAvailableError as exc:
        print(f"error: cannot show the globe: {exc}", file=sys.stderr)
        return 1


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from None
    if width < 64 or height < 64:
        raise argparse.ArgumentTypeError("the globe needs at least 64x64 pixels")
    return width, height


def add_selftest_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """``opsconsole selftest --screenshot PATH [--elements FILE] [--size WxH] [--at TIME]``."""
    p = sub.add_parser(
        "selftest",
        parents=[common],
        help="start the window, time frames, save a screenshot, print JSON",
    )
    p.add_argument("--screenshot", required=True, metavar="PATH", help="PNG of the window")
    p.add_argument("--elements", metavar="FILE", help="TLE/OMM file instead of the active set")
    p.add_argument("--size", type=_size, metavar="WxH", help="globe canvas size, e.g. 1280x800")
    p.add_argument(
        "--frames", type=whole_number_in(60, 100_000), default=120, help="frames to time (60+)"
    )
    p.add_argument(
        "--at", type=utc_time, metavar="TIME", help="start the clock at this UTC time, not now"
    )
    p.set_defaults(handler=cmd_selftest)


def cmd_selftest(args: argparse.Namespace) -> int:
    """Run the window unattended and print ``{"startup_s", "first_frame_s", ...}``."""
    from opsconsole.app import GlNotAvailableError, selftest

    database = db_path(args) if getattr(args, "db", None) else None
    try:
        figures = selftest(
            database,
            args.screenshot,
            elements_file=args.elements,
            size=args.size,
            started=STARTED,
            frames=max(60, args.frames),
            at=args.at,
        )
    except GlNotAvailableError as exc:
        print(f"error: OpenGL is not available: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(figures), flush=True)
    return 0

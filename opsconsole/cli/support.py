"""Helpers shared by the command-line modules."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from opsconsole.jobs.part_executor import PartExecutor
from opsconsole.store.database import Store, default_database_path

MAX_LISTED_ISSUES = 200


class CommandError(RuntimeError):
    """A command could not do what was asked; the message is shown to the operator."""


def db_path(args: argparse.Namespace) -> str:
    """The database named by ``--db``, else the default one in the user's data directory.
    An empty ``--db`` (an unset variable in a script) is refused: it must never fall
    back to the default database."""
    if not hasattr(args, "db"):
        return str(default_database_path())
    if not str(args.db).strip():
        raise CommandError("--db is empty: give the database file's path (is a variable unset?)")
    return str(args.db)


def open_store(args: argparse.Namespace, *, may_create: bool) -> Store:
    """Open (create, migrate, seed on first run) the database of ``args``.

    The default database (no ``--db``) is created and seeded on first use by every
    command. A ``--db`` file that does not exist is refused unless the command may
    create it (``may_create``: imports and plan creation; commands that only read, or
    act on something that must already be stored, refuse: a mistyped path must not
    look like lost data); a created one is named on standard error.
    """
    from opsconsole.store.seed import open_store as open_seeded

    path = db_path(args)
    explicit = hasattr(args, "db")
    created = explicit and not Path(path).exists()
    if created and not may_create:
        raise CommandError(
            f"no database at {path} (check --db; commands that write create a new one)"
        )
    store = open_seeded(path)
    if created:
        print(f"created new database at {Path(path).resolve()}", file=sys.stderr)
    return store


def check_cluster(text: str | None) -> None:
    """Refuse a malformed ``--cluster`` before any work starts."""
    if text is not None:
        from opsconsole.jobs.dask_executor import parse_cluster

        try:
            parse_cluster(text)
        except ValueError as exc:
            raise CommandError(str(exc)) from None


@contextmanager
def plan_executor(cluster: str | None) -> Iterator[PartExecutor | None]:
    """The Dask executor of ``--cluster`` (stopped or disconnected on exit), or
    ``None`` for the local pool."""
    if cluster is None:
        yield None
        return
    from opsconsole.jobs.dask_executor import ClusterError, DaskExecutor

    try:
        executor = DaskExecutor(cluster)
    except (ValueError, ClusterError) as exc:
        raise CommandError(str(exc)) from None
    print(f"planning on {executor.description}", file=sys.stderr)
    with executor:
        yield executor


def report_skipped(issues: Sequence[object], what: str) -> None:
    """List skipped records on standard error."""
    if issues:
        print(f"skipped {len(issues)} invalid {what}:", file=sys.stderr)
        for issue in list(issues)[:MAX_LISTED_ISSUES]:
            print(f"  {issue}", file=sys.stderr)


def warn_element_age(
    median: datetime | None, source: str, synthetic: bool, *moments: datetime
) -> None:
    """Warn on stderr when the elements (median epoch, UTC) are more than 3 days (and
    more than 14: stale) from the farthest of ``moments``; note a synthetic set."""
    from datetime import timedelta

    from opsconsole.core.element_sets import age_status

    if median is not None and moments:
        at = max(moments, key=lambda m: abs(m - median))
        age = (at - median) / timedelta(days=1)
        status = age_status(abs(age))
        if status != "ok":
            print(
                f"warning: element set {source} is {age:.1f} days from {at:%Y-%m-%d} "
                f"({status}); positions may be off by kilometres",
                file=sys.stderr,
            )
    if synthetic:
        print("note: using the SYNTHETIC demo constellation", file=sys.stderr)


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 UTC with microseconds and a ``Z``; ``None`` stays ``None``."""
    if moment is None:
        return None
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def draw_offscreen(draw: Callable[[], int]) -> int:
    """Run ``draw`` (which writes a PDF with Qt and returns its page count) under a Qt
    application on the offscreen platform when none exists: no screen is needed."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["opsconsole", "-platform", "offscreen"])
    pages = draw()
    del app
    return pages

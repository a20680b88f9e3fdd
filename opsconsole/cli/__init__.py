"""The ``opsconsole`` command line: ``main`` parses and dispatches (``cli.entry``); each
command group has its module (``orbits``, ``catalog``, ``plans``, ``training``, ``gui``)
and ``support`` holds what they share (errors, the database option, dates)."""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``opsconsole`` and ``python -m opsconsole`` (see ``cli.entry``)."""
    from opsconsole.cli.entry import main as run

    return run(argv)

"""The ``opsconsole`` command line: ``main`` parses and dispatches (``cli.entry``); each
command group has its module (``orbits``, ``catalog``, ``plans``, ``training``, ``gui``)
and ``support`` holds what they share (errors, the database option, dates)."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

INTERRUPTED_EXIT_CODE = 130
"""Exit code after Ctrl-C or ``kill`` (SIGTERM): 128 + SIGINT, as shells report it."""
INTERRUPTED_MESSAGE = "interrupted: nothing was written"


def _terminate_as_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``opsconsole`` and ``python -m opsconsole`` (see ``cli.entry``).

    Ctrl-C and SIGTERM end a command the same way: its worker processes are stopped,
    its open transaction is rolled back (nothing is committed before a command's work
    is complete), one line is printed and the exit code is 130."""
    main_thread = threading.current_thread() is threading.main_thread()
    if main_thread:
        previous = (
            signal.signal(signal.SIGTERM, _terminate_as_interrupt),
            signal.getsignal(signal.SIGINT),
        )
    try:
        from opsconsole.cli.entry import main as run

        return run(argv)
    except KeyboardInterrupt:
        from opsconsole.jobs.process_pool import shutdown_shared_executor

        if main_thread:  # a second Ctrl-C must not interrupt the clean-up
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        shutdown_shared_executor(kill=True)
        print(f"\n{INTERRUPTED_MESSAGE}", file=sys.stderr)
        return INTERRUPTED_EXIT_CODE
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous[0])
            signal.signal(signal.SIGINT, previous[1])

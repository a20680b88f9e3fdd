"""Watches the console's database for writes by other processes, off the UI thread.

A daemon thread asks ``console.database_watch.DataVersion`` every ``POLL_S`` and emits
:attr:`DatabaseWatch.changed` when someone committed; Qt queues the signal to the UI
thread, where the window re-reads what is stale (``Catalog.refresh``).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from opsconsole.console.database_watch import POLL_S, DataVersion


class DatabaseWatch(QObject):
    """Polls one database file until :meth:`stop` (or :meth:`watch` of another)."""

    changed = Signal()
    """Another connection committed to the database (emitted from the watch thread)."""

    def __init__(self, parent: QObject | None = None, poll_s: float = POLL_S) -> None:
        super().__init__(parent)
        self.poll_s = poll_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, path: Path) -> None:
        """Watch ``path`` from now on (and stop watching any other)."""
        self.stop()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(path, self._stop),
                                        name="opsconsole-db-watch", daemon=True)  # fmt: skip
        self._thread.start()

    def _run(self, path: Path, stop: threading.Event) -> None:
        version = DataVersion(path)
        try:
            version.changed()  # the starting point
            while not stop.wait(self.poll_s):
                if version.changed():
                    self.changed.emit()
        finally:
            version.close()

    def stop(self) -> None:
        """Stop the watch thread (waits for it, at most one poll)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.poll_s + 2.0)
            self._thread = None

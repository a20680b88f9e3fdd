"""Long work off the UI thread, with a progress dialog and cancel.

A :class:`BackgroundTask` runs a function on a worker thread; the function receives a
``progress(fraction)`` callback and a ``cancelled()`` query. The UI thread polls the
future from a timer (never blocking) and calls ``done`` or ``failed`` on the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

_EXECUTOR = ThreadPoolExecutor(2, thread_name_prefix="opsconsole-task")
Work = Callable[[Callable[[float], None], Callable[[], bool]], Any]


class BackgroundTask(QObject):
    """One job: ``work(progress, cancelled)`` on a thread, results on the UI thread."""

    def __init__(
        self,
        parent: QWidget,
        title: str,
        work: Work,
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
        *,
        show_dialog: bool = True,
    ) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._fraction = 0.0
        self._done, self._failed = done, failed
        self.dialog: QProgressDialog | None = None
        if show_dialog:
            self.dialog = QProgressDialog(title, "Cancel", 0, 1000, parent)
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setMinimumDuration(300)
            self.dialog.canceled.connect(self._cancel.set)
        self.future: Future[Any] = _EXECUTOR.submit(work, self._progress, self._cancel.is_set)
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def _progress(self, fraction: float) -> None:
        self._fraction = fraction

    def cancel(self) -> None:
        """Ask the work to stop at its next check."""
        self._cancel.set()

    def _poll(self) -> None:
        if self.dialog is not None and not self._cancel.is_set():
            self.dialog.setValue(int(self._fraction * 1000))
        if not self.future.done():
            return
        self._timer.stop()
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.deleteLater()
            self.dialog = None
        error = self.future.exception()
        if error is not None:
            self._failed(error)
        else:
            self._done(self.future.result())
        self.deleteLater()

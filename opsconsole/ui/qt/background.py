"""Long work off the UI thread, with a progress dialog and cancel.

A :class:`BackgroundTask` runs a function on a worker thread; the function receives a
``progress(fraction, stage=None)`` callback and a ``cancelled()`` query. The UI thread
polls the future from a timer (never blocking), shows the stage, percentage and an
estimate of the time left, and calls ``done`` or ``failed`` on the UI thread.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

_EXECUTOR = ThreadPoolExecutor(2, thread_name_prefix="opsconsole-task")
Work = Callable[[Callable[..., None], Callable[[], bool]], Any]
ETA_AFTER = 0.03
"""Estimate the time left once this fraction is done (earlier guesses are noise)."""


def progress_text(title: str, fraction: float, stage: str, elapsed_s: float) -> str:
    """Dialog text: title, stage, percentage and time left (linear extrapolation)."""
    lines = [title]
    if stage:
        lines.append(f"{stage[:1].upper()}{stage[1:]}")
    status = f"{100.0 * fraction:.0f} % · {elapsed_s:.0f} s elapsed"
    if ETA_AFTER <= fraction < 1.0:
        left = elapsed_s * (1.0 - fraction) / fraction
        status += f" · about {left:.0f} s left"
    lines.append(status)
    return "\n".join(lines)


def failure_text(error: BaseException) -> str:
    """Why a job wrote nothing, in words: cancelled, or its error without the type name
    a child process prefixes (``ValueError: ...``)."""
    from opsconsole.jobs.cancel import Cancelled

    if isinstance(error, Cancelled):
        return "Cancelled: nothing was recorded."
    text = re.sub(r"^[A-Za-z]*(Error|Exception): ", "", str(error))
    return f"Nothing was recorded: {text or type(error).__name__}"


class BackgroundTask(QObject):
    """One job: ``work(progress, cancelled)`` on a thread, results on the UI thread.
    ``busy``: the work reports no fraction (a child process that is stopped to cancel
    it): the dialog shows a busy bar and the time elapsed."""

    def __init__(
        self,
        parent: QWidget,
        title: str,
        work: Work,
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
        *,
        show_dialog: bool = True,
        busy: bool = False,
    ) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._fraction, self._stage = 0.0, ""
        self._title, self._started = title, time.monotonic()
        self._done, self._failed, self._busy = done, failed, busy
        self.dialog: QProgressDialog | None = None
        if show_dialog:
            self.dialog = QProgressDialog(title, "Cancel", 0, 1000, parent)
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setMinimumDuration(300)
            self.dialog.canceled.connect(self._cancel.set)
            if busy:
                self.dialog.setRange(0, 0)
        self.future: Future[Any] = _EXECUTOR.submit(work, self._progress, self._cancel.is_set)
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def _progress(self, fraction: float, stage: str | None = None) -> None:
        self._fraction = fraction
        if stage is not None:
            self._stage = stage

    @property
    def stage(self) -> str:
        """The stage the work reported last."""
        return self._stage

    def cancel(self) -> None:
        """Ask the work to stop at its next check."""
        self._cancel.set()

    def _poll(self) -> None:
        if self.dialog is not None and not self._cancel.is_set():
            elapsed = time.monotonic() - self._started
            if self._busy:
                self.dialog.setLabelText(f"{self._title}\n{elapsed:.0f} s elapsed")
            else:
                self.dialog.setValue(int(self._fraction * 1000))
                self.dialog.setLabelText(
                    progress_text(self._title, self._fraction, self._stage, elapsed)
                )
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

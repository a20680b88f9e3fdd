"""Whole jobs of the console run in a child process, not on one of its threads.

SGP4, the assignment, JSON decoding of plans and the construction of thousands of
``Satrec`` objects hold the GIL for milliseconds at a time. On a worker thread of the
console's process such a job makes the UI thread wait for the GIL each time it gives it
up (every OpenGL call through ctypes does), so one second of background work stalls
the frames by 100 ms and more on a 2-core machine (measured while planning: 270 ms; at
the end of a training session while its debrief was computed: up to 186 ms). A job run
here happens in a ``spawn``-ed child at a lower priority (``nice`` 10); the calling
thread only waits on a queue, without the GIL, and relays progress and cancellation.

``target`` must be a module-level function (``spawn`` finds it by name) and its
arguments and result must pickle. A job reporting progress is called with
``progress(fraction, stage)`` and ``cancelled()`` first; it raises
:class:`~opsconsole.jobs.cancel.Cancelled` to stop.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queue_module
from collections.abc import Callable
from typing import Any

from opsconsole.jobs.cancel import Cancelled

POLL_S = 0.1
CHILD_NICENESS = 10
JOIN_S = 10.0


def _child(
    target: Callable[..., Any],
    kwargs: dict[str, Any],
    reports_progress: bool,
    messages: Any,
    cancel: Any,
    parent_pid: int,
) -> None:
    import os

    from opsconsole.jobs.parent_watch import die_with_parent
    from opsconsole.jobs.process_pool import shutdown_shared_executor

    # the caller's thread waits for this child until it ends, so the kernel's
    # parent-death signal (tied to that thread) is safe here
    die_with_parent(parent_pid, True)

    # background work: on a 2-core desktop the console's own frames come first (the
    # worker processes this child starts inherit the lower priority)
    os.nice(CHILD_NICENESS)

    def progress(fraction: float, stage: str) -> None:
        messages.put(("progress", fraction, stage))

    finished = False
    try:
        args = (progress, cancel.is_set) if reports_progress else ()
        result = target(*args, **kwargs)
        finished = True
        messages.put(("done", result))
    except Cancelled:
        messages.put(("cancelled",))
    except BaseException as exc:  # reported to the caller, which raises it
        messages.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        shutdown_shared_executor(kill=not finished)  # no worker may outlive this process


def run_in_child(
    target: Callable[..., Any],
    /,
    *,
    name: str,
    reports_progress: bool = False,
    progress: Callable[[float, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    **kwargs: Any,
) -> Any:
    """``target(**kwargs)`` (with ``progress, cancelled`` first when
    ``reports_progress``) in a child process named ``name``; returns its result.

    Blocks the calling thread (not holding the GIL) until the child is done. Raises
    :class:`Cancelled` when ``cancelled()`` turned true (the child is told, and stopped
    if it does not end within :data:`JOIN_S`), ``RuntimeError`` with the child's error
    when it failed or when it died.
    """
    context = multiprocessing.get_context("spawn")
    messages = context.Queue()
    cancel = context.Event()
    child = context.Process(
        target=_child,
        args=(target, kwargs, reports_progress, messages, cancel, os.getpid()),
        name=name,
    )
    child.start()
    try:
        while True:
            if cancelled is not None and cancelled():
                cancel.set()
                if not reports_progress:  # the job cannot notice: stop it
                    raise Cancelled
            try:
                message = messages.get(timeout=POLL_S)
            except queue_module.Empty:
                if not child.is_alive():
                    raise RuntimeError(
                        f"the {name} process ended unexpectedly (exit code {child.exitcode})"
                    ) from None
                continue
            if message[0] == "progress":
                if progress is not None:
                    progress(float(message[1]), str(message[2]))
            elif message[0] == "done":
                return message[1]
            elif message[0] == "cancelled":
                raise Cancelled
            else:
                raise RuntimeError(str(message[1]))
    finally:
        child.join(0.0 if cancel.is_set() and not reports_progress else JOIN_S)
        if child.is_alive():
            child.terminate()
            child.join()

"""Worker processes end with their parent, however the parent ends.

A ``spawn``-ed worker does not notice its parent's death: after ``kill -9`` of a
planning command its pool workers went on computing with parent 1 (one for 18 minutes,
holding 2.4 GB). Two mechanisms stop that; :func:`die_with_parent` sets up both:

* On Linux the kernel sends the worker ``SIGKILL`` when its parent dies
  (``prctl(PR_SET_PDEATHSIG)``). The kernel ties this to the *thread* that started the
  worker, so it is used only when that was the parent's main thread (the command
  line, and the child process of a console job, start their pools there).
* Everywhere, a daemon thread checks every :data:`POLL_S` seconds that the parent is
  still the one that started the worker, and ends the process at once otherwise.
  It needs the GIL, which the long C calls of the work (SGP4, HiGHS) release between
  calls, so it is the fallback, not the first line.

Workers also ignore ``SIGINT``: Ctrl-C in a terminal reaches the whole process group,
and the parent, which handles it, stops its workers itself.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

POLL_S = 0.5
"""How often the fallback thread checks its parent (s)."""
_PR_SET_PDEATHSIG = 1


def _set_parent_death_signal() -> bool:
    """Ask Linux for ``SIGKILL`` at the parent's death; ``False`` where not possible."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent_pid: int) -> None:
    while True:
        if os.getppid() != parent_pid:
            os._exit(1)  # the parent is gone: nothing of ours may outlive it
        time.sleep(POLL_S)


def die_with_parent(parent_pid: int, started_on_main_thread: bool = True) -> None:
    """Make this process end when ``parent_pid`` (the process that started it) ends.
    Call it first thing in a worker. ``started_on_main_thread``: whether the parent
    started this process from its main thread (then the kernel signal is safe)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if started_on_main_thread:
        _set_parent_death_signal()
    if os.getppid() != parent_pid:  # the parent died before the signal was set
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid,), name="parent-watch", daemon=True).start()


def on_main_thread() -> bool:
    """Whether the caller runs on its process's main thread."""
    return threading.current_thread() is threading.main_thread()

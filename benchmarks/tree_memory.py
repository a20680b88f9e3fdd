"""Peak memory of this process and all its descendants together, sampled.

``ru_maxrss`` gives the peak of one process (and of the largest child), not of the
sum, so a planning run over worker processes is sampled from ``/proc`` instead: every
``interval_s`` the resident sizes of this process and every live descendant are added,
both as RSS (pages shared between processes, such as numpy's and scipy's libraries,
counted once per process: an upper bound) and as PSS (``smaps_rollup``: each shared page
split between the processes that map it, so the sum is the memory the tree takes).
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from types import TracebackType

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _pss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def tree_bytes(root: int | None = None) -> tuple[int, int]:
    """(RSS, PSS) bytes of ``root`` (default: this process) and its descendants now."""
    tree, todo, rss, pss = _children(), [root or os.getpid()], 0, 0
    while todo:
        pid = todo.pop()
        todo += tree.get(pid, [])
        with contextlib.suppress(OSError, ValueError):  # ended meanwhile
            rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
            pss += _pss_bytes(pid)
    return rss, pss


class TreeMemory:
    """``with TreeMemory() as memory: ...`` then ``memory.peak_mb`` (PSS) and
    ``memory.peak_rss_mb``."""

    def __init__(self, interval_s: float = 0.25) -> None:
        self.interval_s, self.peak_bytes, self.peak_rss_bytes = interval_s, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _take(self) -> None:
        rss, pss = tree_bytes()
        self.peak_bytes = max(self.peak_bytes, pss)
        self.peak_rss_bytes = max(self.peak_rss_bytes, rss)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self._take()
            self._stop.wait(self.interval_s)

    @property
    def peak_mb(self) -> float:
        """Peak of the tree's summed PSS (MiB)."""
        return self.peak_bytes / 2**20

    @property
    def peak_rss_mb(self) -> float:
        """Peak of the tree's summed RSS (MiB, counts shared pages once per process)."""
        return self.peak_rss_bytes / 2**20

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        self._take()

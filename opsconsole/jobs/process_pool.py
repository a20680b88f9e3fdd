"""One persistent ``spawn`` process pool per process, shared by every job that splits
its work between processes (propagation, planning parts)."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from opsconsole.jobs.parent_watch import die_with_parent, on_main_thread

_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def shared_executor(size: int) -> ProcessPoolExecutor:
    """The persistent ``spawn`` pool with at least ``size`` workers (a smaller one is
    replaced). Its workers end with this process however it ends
    (:mod:`opsconsole.jobs.parent_watch`)."""
    global _pool, _pool_size
    if _pool is None or _pool_size < size:
        if _pool is not None:
            _pool.shutdown()
        _pool = ProcessPoolExecutor(
            max_workers=size,
            mp_context=get_context("spawn"),
            initializer=die_with_parent,
            initargs=(os.getpid(), on_main_thread()),
        )
        _pool_size = size
    return _pool


def shutdown_shared_executor(*, kill: bool = False) -> None:
    """Stop the shared pool's workers: after the pending work (``kill=False``) or at
    once (``kill=True``, e.g. after a cancel). A process that used the pool must call
    this before it exits: idle workers do not notice their parent's end and would stay.
    """
    global _pool, _pool_size
    pool, _pool, _pool_size = _pool, None, 0
    if pool is None:
        return
    if kill:
        # the executor has no public way to stop a running task; its processes are known
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)

"""Planning in a process of its own, for the console.

SGP4 and parts of the assignment hold the GIL for tens of milliseconds at a time, so a
planning run on a thread of the console's process stalls its UI thread (measured: up
to 270 ms). Here the whole run (``plan_service.create_plan``, which may itself share
the window with worker processes) happens in a ``spawn``-ed child with its own
database connection; the caller's thread only relays progress and cancellation.

The child runs at a lower scheduling priority (``nice`` 10), so that the console's
frames win the CPU on a small machine. The child saves the plan in one transaction
only when it is complete: cancelling,
killing or crashing the child leaves nothing in the database.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from opsconsole.planning.coverage import Cancelled
from opsconsole.planning.inputs import Exclusion, Pin
from opsconsole.planning.parameters import PlanParameters

POLL_S = 0.1
CHILD_NICENESS = 10
JOIN_S = 10.0


def _child(db_path: str, request: dict[str, Any], messages: Any, cancel: Any) -> None:
    import os

    from opsconsole.core.parallel_propagation import shutdown_shared_executor

    # background work: on a 2-core desktop the console's own frames come first (the
    # worker processes this child starts inherit the lower priority)
    os.nice(CHILD_NICENESS)
    from opsconsole.plan_service import create_plan
    from opsconsole.store.database import Store

    def progress(fraction: float, stage: str) -> None:
        messages.put(("progress", fraction, stage))

    finished = False
    try:
        with Store(db_path) as store:
            plan_id = create_plan(store, progress=progress, cancelled=cancel.is_set, **request)
        finished = True
        messages.put(("done", plan_id))
    except Cancelled:
        messages.put(("cancelled",))
    except BaseException as exc:  # reported to the console, which shows it
        messages.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        shutdown_shared_executor(kill=not finished)  # no worker may outlive this process


def create_plan_in_process(
    db_path: str | Path,
    name: str,
    params: PlanParameters,
    *,
    customers: Sequence[str] = (),
    exclusions: Sequence[Exclusion] = (),
    pins: Sequence[Pin] = (),
    parent_plan_id: int | None = None,
    workers: int = 1,
    progress: Callable[[float, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    gateway_capacity_factor: dict[str, float] | None = None,
    demand_factor: dict[str, float] | None = None,
) -> int:
    """Plan and save in a child process; returns the new plan's id.

    Blocks the calling thread (not holding the GIL) until the child is done. Raises
    :class:`Cancelled` when ``cancelled()`` turned true, ``RuntimeError`` when the child
    failed or died; in both cases nothing was saved.
    """
    context = multiprocessing.get_context("spawn")
    messages = context.Queue()
    cancel = context.Event()
    request = {
        "name": name,
        "params": params,
        "customers": list(customers),
        "exclusions": list(exclusions),
        "pins": list(pins),
        "parent_plan_id": parent_plan_id,
        "workers": workers,
        "gateway_capacity_factor": dict(gateway_capacity_factor or {}),
        "demand_factor": dict(demand_factor or {}),
    }
    child = context.Process(
        target=_child, args=(str(db_path), request, messages, cancel), name="opsconsole-plan"
    )
    child.start()
    try:
        while True:
            if cancelled is not None and cancelled():
                cancel.set()
            try:
                message = messages.get(timeout=POLL_S)
            except queue_module.Empty:
                if not child.is_alive():
                    raise RuntimeError(
                        f"the planning process ended unexpectedly (exit code {child.exitcode}); "
                        "nothing was saved"
                    ) from None
                continue
            if message[0] == "progress":
                if progress is not None:
                    progress(float(message[1]), str(message[2]))
            elif message[0] == "done":
                return int(message[1])
            elif message[0] == "cancelled":
                raise Cancelled
            else:
                raise RuntimeError(str(message[1]))
    finally:
        child.join(JOIN_S)
        if child.is_alive():
            child.terminate()
            child.join()

"""Planning in a process of its own, for the console.

SGP4 and parts of the assignment hold the GIL for tens of milliseconds at a time, so a
planning run on a thread of the console's process stalls its UI thread (measured: up
to 270 ms). Here the whole run (``plan_service.create_plan``, which may itself share
the window with worker processes) happens in a child (``child_process.run_in_child``,
``nice`` 10) with its own database connection; the caller's thread only relays
progress and cancellation. The child saves the plan in one transaction only when it is
complete: cancelling, killing or crashing the child leaves nothing in the database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from opsconsole.jobs.cancel import Progress
from opsconsole.jobs.child_process import CHILD_NICENESS, run_in_child
from opsconsole.plans.request import PlanRequest

__all__ = ["CHILD_NICENESS", "PlanRequest", "create_plan_in_process"]


def _plan(
    progress: Callable[[float, str], None],
    cancelled: Callable[[], bool],
    db_path: str,
    request: dict[str, Any],
    workers: int,
    cluster: str | None = None,
) -> int:
    from opsconsole.plans.service import create_plan
    from opsconsole.store.database import Store

    with Store(db_path) as store:
        if cluster is None:
            return create_plan(store, PlanRequest.from_json(request), progress=progress,
                               cancelled=cancelled, workers=workers)  # fmt: skip
        from opsconsole.jobs.dask_executor import DaskExecutor

        with DaskExecutor(cluster) as executor:
            return create_plan(store, PlanRequest.from_json(request), progress=progress,
                               cancelled=cancelled, executor=executor)  # fmt: skip


def create_plan_in_process(
    db_path: str | Path,
    request: PlanRequest,
    *,
    workers: int = 1,
    cluster: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Plan ``request`` and save it in a child process; returns the new plan's id. The
    request travels as its JSON form (``PlanRequest.to_json``). With ``cluster``
    (``local:N`` or ``tcp://host:port``) the child runs the window on that Dask cluster
    (``jobs.dask_executor``) instead of ``workers`` local processes.

    Blocks the calling thread (not holding the GIL) until the child is done. Raises
    :class:`~opsconsole.jobs.cancel.Cancelled` when ``cancelled()`` turned true,
    ``RuntimeError`` when the child failed or died; in both cases nothing was saved.
    """
    try:
        plan_id = run_in_child(_plan, name="opsconsole-plan", reports_progress=True,
                               progress=progress, cancelled=cancelled, db_path=str(db_path),
                               request=request.to_json(), workers=workers,
                               cluster=cluster)  # fmt: skip
    except RuntimeError as exc:
        raise RuntimeError(f"{exc}; nothing was saved") from exc
    return int(plan_id)

"""An N-1 study in a process of its own, for the console (as ``plans.process`` does for
planning): the child opens its own database connection, runs the study on the local
pool or a Dask cluster and stores it in one transaction only when it is complete."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from opsconsole.jobs.cancel import Progress
from opsconsole.jobs.child_process import run_in_child


def _study(
    progress: Callable[[float, str], None],
    cancelled: Callable[[], bool],
    db_path: str,
    plan_id: int,
    kinds: list[str],
    workers: int,
    cluster: str | None,
) -> int:
    from opsconsole.plans.contingency_service import study_plan
    from opsconsole.store.database import Store

    with Store(db_path) as store:
        if cluster is None:
            return study_plan(store, plan_id, kinds, workers=workers, progress=progress,
                              cancelled=cancelled)  # fmt: skip
        from opsconsole.jobs.dask_executor import DaskExecutor

        with DaskExecutor(cluster) as executor:
            return study_plan(store, plan_id, kinds, executor=executor, progress=progress,
                              cancelled=cancelled)  # fmt: skip


def study_in_process(
    db_path: str | Path,
    plan_id: int,
    kinds: Sequence[str],
    *,
    workers: int = 2,
    cluster: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Run and store plan ``plan_id``'s N-1 study in a child process; returns the
    study's id. Raises ``Cancelled`` or ``RuntimeError`` (nothing stored) as
    ``create_plan_in_process`` does."""
    try:
        study_id = run_in_child(_study, name="opsconsole-contingency", reports_progress=True,
                                progress=progress, cancelled=cancelled, db_path=str(db_path),
                                plan_id=int(plan_id), kinds=list(kinds), workers=workers,
                                cluster=cluster)  # fmt: skip
    except RuntimeError as exc:
        raise RuntimeError(f"{exc}; nothing was stored") from exc
    return int(study_id)

"""Planning, moving and cancelling a maintenance, with its notices: the steps the
command line (``opsconsole maintenance``) and the console's Maintenance tab share.

Each step assesses the window (``customers.maintenance``, the long part: two plans of
the window) before anything is stored, so an element that does not exist or a window
that is not valid writes nothing; the ``record_*`` steps then store the maintenance and
its notices (quick). The console runs the assessment in a child process
(:func:`assess_at`, ``jobs.child_process``), which it may stop, and records on the UI
thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from opsconsole.customers.maintenance import Assessment, assess_maintenance
from opsconsole.customers.notices import issue_notices
from opsconsole.store.database import Store
from opsconsole.store.maintenance_repository import (
    Maintenance,
    Notice,
    add_maintenance,
    change_maintenance,
    get_maintenance,
    notified_customers,
)


@dataclass(frozen=True)
class MaintenanceOutcome:
    """The maintenance as stored now, what it does (``None`` for a cancellation) and
    the notices written and recorded."""

    maintenance: Maintenance
    assessment: Assessment | None
    notices: tuple[Notice, ...]


def default_notice_root() -> Path:
    """``notices/`` in the user's data directory: one folder per tracking ID."""
    import platformdirs

    return Path(platformdirs.user_data_dir("opsconsole", appauthor=False)) / "notices"


def _folder(out_dir: Path | None, tracking_id: str) -> Path:
    return out_dir if out_dir is not None else default_notice_root() / tracking_id


def record_planned(store: Store, assessment: Assessment, reason: str,
                   out_dir: Path | None = None) -> MaintenanceOutcome:  # fmt: skip
    """Store the assessed maintenance under a new tracking ID and issue the initial
    notices (in ``out_dir``, or the default folder of the tracking ID)."""
    a = assessment
    m = add_maintenance(store, a.element, a.start, a.end, reason)
    notices = issue_notices(store, m, a, _folder(out_dir, m.tracking_id), "initial")
    return MaintenanceOutcome(m, a, tuple(notices))


def record_moved(store: Store, tracking_id: str, assessment: Assessment,
                 out_dir: Path | None = None) -> MaintenanceOutcome:  # fmt: skip
    """Store the next revision of the maintenance over the assessed window and send
    updated notices under the same tracking ID (to those told before, and any newly
    affected customer)."""
    current = get_maintenance(store, tracking_id)
    told = notified_customers(store, current.tracking_id)
    m = change_maintenance(store, current.tracking_id, start=assessment.start,
                           end=assessment.end)  # fmt: skip
    notices = issue_notices(store, m, assessment, _folder(out_dir, m.tracking_id), "updated",
                            told)  # fmt: skip
    return MaintenanceOutcome(m, assessment, tuple(notices))


def plan_maintenance(store: Store, element: str, start: datetime, end: datetime, reason: str,
                     out_dir: Path | None = None) -> MaintenanceOutcome:  # fmt: skip
    """Assess ``element`` out over ``[start, end)`` (UTC), then :func:`record_planned`."""
    return record_planned(store, assess_maintenance(store, element, start, end), reason, out_dir)


def move_maintenance(store: Store, tracking_id: str, start: datetime, end: datetime,
                     out_dir: Path | None = None) -> MaintenanceOutcome:  # fmt: skip
    """Re-assess the maintenance over its new window, then :func:`record_moved`."""
    current = get_maintenance(store, tracking_id)
    assessment = assess_maintenance(store, current.element, start, end)
    return record_moved(store, tracking_id, assessment, out_dir)


def cancel_maintenance(store: Store, tracking_id: str,
                       out_dir: Path | None = None) -> MaintenanceOutcome:  # fmt: skip
    """Cancel the maintenance and tell every customer notified before."""
    current = get_maintenance(store, tracking_id)
    told = notified_customers(store, current.tracking_id)
    m = change_maintenance(store, current.tracking_id, cancel=True)
    notices = issue_notices(store, m, None, _folder(out_dir, m.tracking_id), "cancelled", told)
    return MaintenanceOutcome(m, None, tuple(notices))


def assess_at(db_path: str, element: str, start: datetime, end: datetime) -> Assessment:
    """:func:`~opsconsole.customers.maintenance.assess_maintenance` on the database at
    ``db_path`` (the console runs it in a child process; it writes nothing, so it may
    be stopped at any moment)."""
    with Store(db_path) as store:
        return assess_maintenance(store, element, start, end)

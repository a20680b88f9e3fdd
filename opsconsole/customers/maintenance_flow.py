"""Planning, moving and cancelling a maintenance, with its notices: the steps the
command line (``opsconsole maintenance``) and the console's Maintenance tab share.

Each step assesses the window (``customers.maintenance``) before anything is stored, so
an element that does not exist or a window that is not valid writes nothing. The
``*_at`` forms open the database themselves so that the console can run them in a
child process (``jobs.child_process``).
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


def plan_maintenance(store: Store, element: str, start: datetime, end: datetime, reason: str,
                     out_dir: Path | None = None) -> MaintenanceOutcome:  # fmt: skip
    """Assess ``element`` out over ``[start, end)`` (UTC), store the maintenance under a
    new tracking ID and issue the initial notices (in ``out_dir``, or the default
    folder of the tracking ID)."""
    assessment = assess_maintenance(store, element, start, end)
    m = add_maintenance(store, assessment.element, start, end, reason)
    notices = issue_notices(store, m, assessment, _folder(out_dir, m.tracking_id), "initial")
    return MaintenanceOutcome(m, assessment, tuple(notices))


def move_maintenance(store: Store, tracking_id: str, start: datetime, end: datetime,
                     out_dir: Path | None = None) -> MaintenanceOutcome:  # fmt: skip
    """Re-assess the maintenance over its new window, store the next revision and send
    updated notices under the same tracking ID (to those told before, and any newly
    affected customer)."""
    current = get_maintenance(store, tracking_id)
    told = notified_customers(store, current.tracking_id)
    assessment = assess_maintenance(store, current.element, start, end)
    m = change_maintenance(store, current.tracking_id, start=start, end=end)
    notices = issue_notices(store, m, assessment, _folder(out_dir, m.tracking_id), "updated",
                            told)  # fmt: skip
    return MaintenanceOutcome(m, assessment, tuple(notices))


def cancel_maintenance(store: Store, tracking_id: str,
                       out_dir: Path | None = None) -> MaintenanceOutcome:  # fmt: skip
    """Cancel the maintenance and tell every customer notified before."""
    current = get_maintenance(store, tracking_id)
    told = notified_customers(store, current.tracking_id)
    m = change_maintenance(store, current.tracking_id, cancel=True)
    notices = issue_notices(store, m, None, _folder(out_dir, m.tracking_id), "cancelled", told)
    return MaintenanceOutcome(m, None, tuple(notices))


def plan_maintenance_at(
    db_path: str, element: str, start: datetime, end: datetime, reason: str,
    out_dir: Path | None = None,
) -> MaintenanceOutcome:  # fmt: skip
    """:func:`plan_maintenance` on the database at ``db_path``."""
    with Store(db_path) as store:
        return plan_maintenance(store, element, start, end, reason, out_dir)


def move_maintenance_at(db_path: str, tracking_id: str, start: datetime, end: datetime,
                        out_dir: Path | None = None) -> MaintenanceOutcome:  # fmt: skip
    """:func:`move_maintenance` on the database at ``db_path``."""
    with Store(db_path) as store:
        return move_maintenance(store, tracking_id, start, end, out_dir)


def cancel_maintenance_at(db_path: str, tracking_id: str,
                          out_dir: Path | None = None) -> MaintenanceOutcome:  # fmt: skip
    """:func:`cancel_maintenance` on the database at ``db_path``."""
    with Store(db_path) as store:
        return cancel_maintenance(store, tracking_id, out_dir)

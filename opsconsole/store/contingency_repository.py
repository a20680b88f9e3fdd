"""N-1 contingency studies of plans: saved in one transaction, the newest read back."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from opsconsole.store.database import Store, utc_now_text


@dataclass(frozen=True)
class StudyRow:
    """One element's impact in a study (``rank`` 1 is the worst). Site and customer
    lists are the plan's site ids and customer names."""

    rank: int
    kind: str
    element_id: str
    label: str
    lost_weighted_pct: float
    lost_demand_mbps_h: float
    sites_losing_availability: tuple[int, ...]
    sites_losing_rtt: tuple[int, ...]
    customers: tuple[str, ...]
    worst_site_id: int | None
    worst_drop_pct: float

    @property
    def sites_hurt(self) -> tuple[int, ...]:
        """Site ids losing either objective."""
        return tuple(sorted({*self.sites_losing_availability, *self.sites_losing_rtt}))


@dataclass(frozen=True)
class Study:
    """A stored study: which plan, when (UTC), by whom, of which kinds, where it ran
    and how long it took (s); ``rows`` ranked."""

    id: int
    plan_id: int
    created_utc: datetime
    who: str
    software_version: str
    kinds: tuple[str, ...]
    executor: str
    elapsed_s: float
    rows: tuple[StudyRow, ...]


def save_study(
    store: Store,
    plan_id: int,
    kinds: Sequence[str],
    executor: str,
    elapsed_s: float,
    software_version: str,
    rows: Sequence[StudyRow],
) -> int:
    """Store a study and its ranked rows at once; returns its id."""
    detail = {"plan_id": plan_id, "kinds": list(kinds), "elements": len(rows)}
    with store.transaction("contingency.study", "plan", str(plan_id), detail) as conn:
        head = (plan_id, utc_now_text(), store.who, software_version, ",".join(kinds),
                executor, float(elapsed_s))  # fmt: skip
        cursor = conn.execute(
            "INSERT INTO contingency_studies (plan_id, created_utc, who, software_version, "
            "kinds, executor, elapsed_s) VALUES (?, ?, ?, ?, ?, ?, ?)",
            head,
        )
        study_id = int(cursor.lastrowid or 0)
        conn.executemany(
            "INSERT INTO contingency_results (study_id, rank, kind, element_id, label, "
            "lost_weighted_pct, lost_demand_mbps_h, sites_losing_availability, "
            "sites_losing_rtt, customers, worst_site_id, worst_drop_pct) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (study_id, r.rank, r.kind, r.element_id, r.label, r.lost_weighted_pct,
                 r.lost_demand_mbps_h, json.dumps(list(r.sites_losing_availability)),
                 json.dumps(list(r.sites_losing_rtt)), json.dumps(list(r.customers)),
                 r.worst_site_id, r.worst_drop_pct)
                for r in rows
            ],
        )  # fmt: skip
    return study_id


def latest_study(store: Store, plan_id: int) -> Study | None:
    """The newest study of ``plan_id``, or ``None``."""
    head = store.conn.execute(
        "SELECT id, plan_id, created_utc, who, software_version, kinds, executor, elapsed_s "
        "FROM contingency_studies WHERE plan_id = ? ORDER BY id DESC LIMIT 1",
        (plan_id,),
    ).fetchone()
    if head is None:
        return None
    rows = store.conn.execute(
        "SELECT rank, kind, element_id, label, lost_weighted_pct, lost_demand_mbps_h, "
        "sites_losing_availability, sites_losing_rtt, customers, worst_site_id, "
        "worst_drop_pct FROM contingency_results WHERE study_id = ? ORDER BY rank",
        (head[0],),
    ).fetchall()
    return Study(
        id=int(head[0]),
        plan_id=int(head[1]),
        created_utc=datetime.fromisoformat(head[2]),
        who=str(head[3]),
        software_version=str(head[4]),
        kinds=tuple(k for k in str(head[5]).split(",") if k),
        executor=str(head[6]),
        elapsed_s=float(head[7]),
        rows=tuple(
            StudyRow(
                int(r[0]), str(r[1]), str(r[2]), str(r[3]), float(r[4]), float(r[5]),
                tuple(int(v) for v in json.loads(r[6])), tuple(int(v) for v in json.loads(r[7])),
                tuple(str(v) for v in json.loads(r[8])), None if r[9] is None else int(r[9]),
                float(r[10]),
            )
            for r in rows
        ),
    )  # fmt: skip

"""Training sessions and their log (schema 5).

A session keeps the scenario's text as it was run, so that a replay or a debrief never
depends on the file changing later. Its log is append-only (triggers refuse updates and
deletes): every scripted or injected event, every operator action, alert and
acknowledgement, and the instructor's controls, each with the simulation time it
belongs to and the wall-clock time it was written, and who did it. Every write is one
audited transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from opsconsole.store.database import Store, utc_now_text

LOG_KINDS = ("control", "event", "action", "alert", "ack")


@dataclass(frozen=True)
class LogEntry:
    """One line of a session log; times aware UTC."""

    id: int
    sim: datetime
    wall: datetime
    who: str
    kind: str
    what: str
    detail: dict[str, Any]


def _sim_text(moment: datetime) -> str:
    """Simulation time as sortable text: UTC, always with microseconds."""
    if moment.tzinfo is None:
        raise ValueError("simulation times must be timezone-aware UTC")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def start_session(
    store: Store,
    title: str,
    scenario_path: str,
    scenario_text: str,
    sim_start: datetime,
    starting_plan_id: int | None,
) -> int:
    """A new session row; returns its id."""
    with store.transaction("start training session", "training_session", detail=title) as conn:
        cursor = conn.execute(
            "INSERT INTO training_sessions (title, scenario_path, scenario_text, sim_start_utc,"
            " started_utc, who, starting_plan_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (title, scenario_path, scenario_text, _sim_text(sim_start), utc_now_text(),
             store.who, starting_plan_id),
        )  # fmt: skip
        return int(cursor.lastrowid or 0)


def append(
    store: Store, session_id: int, sim: datetime, kind: str, what: str,
    detail: dict[str, Any] | None = None,
) -> int:  # fmt: skip
    """Append one log entry (``kind`` in :data:`LOG_KINDS`); returns its id."""
    if kind not in LOG_KINDS:
        raise ValueError(f"log kind must be one of {', '.join(LOG_KINDS)}, got {kind!r}")
    text = json.dumps(detail or {}, default=str, sort_keys=True)
    with store.transaction(f"session log: {kind}", "session_log", str(session_id), what) as conn:
        cursor = conn.execute(
            "INSERT INTO session_log (session_id, sim_utc, wall_utc, who, kind, what, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (session_id, _sim_text(sim), utc_now_text(), store.who, kind, what, text),
        )
        return int(cursor.lastrowid or 0)


def append_many(
    store: Store, session_id: int, sim: datetime, kind: str,
    entries: list[tuple[str, dict[str, Any]]],
) -> None:  # fmt: skip
    """Append several entries of one kind at one simulation time in one transaction
    (e.g. the alerts an outage opens in one tick)."""
    if kind not in LOG_KINDS:
        raise ValueError(f"log kind must be one of {', '.join(LOG_KINDS)}, got {kind!r}")
    if not entries:
        return
    wall, when = utc_now_text(), _sim_text(sim)
    rows = [
        (session_id, when, wall, store.who, kind, what, json.dumps(detail, default=str))
        for what, detail in entries
    ]
    with store.transaction(f"session log: {len(rows)} x {kind}", "session_log",
                           str(session_id)) as conn:  # fmt: skip
        conn.executemany(
            "INSERT INTO session_log (session_id, sim_utc, wall_utc, who, kind, what, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def end_session(store: Store, session_id: int) -> None:
    """Mark the session ended (wall-clock time now)."""
    with store.transaction("end training session", "training_session", str(session_id)) as conn:
        done = conn.execute(
            "UPDATE training_sessions SET ended_utc = ? WHERE id = ? AND ended_utc IS NULL",
            (utc_now_text(), session_id),
        )
        if done.rowcount != 1:
            raise KeyError(f"no running training session {session_id}")


def session_row(store: Store, session_id: int) -> dict[str, Any]:
    """The session's row (``KeyError`` when there is none)."""
    rows = list(store.db.query("SELECT * FROM training_sessions WHERE id = ?", [session_id]))
    if not rows:
        raise KeyError(f"no training session {session_id}")
    return dict(rows[0])


def list_sessions(store: Store) -> list[dict[str, Any]]:
    """Every session, newest first, with its number of log entries."""
    rows = store.db.query(
        "SELECT s.*, (SELECT COUNT(*) FROM session_log l WHERE l.session_id = s.id) AS entries"
        " FROM training_sessions s ORDER BY s.id DESC"
    )
    return [dict(r) for r in rows]


def session_log(store: Store, session_id: int) -> list[LogEntry]:
    """The session's log in simulation-time order (then in the order written)."""
    rows = store.db.query(
        "SELECT id, sim_utc, wall_utc, who, kind, what, detail FROM session_log"
        " WHERE session_id = ? ORDER BY sim_utc, id",
        [session_id],
    )
    return [
        LogEntry(
            int(r["id"]),
            datetime.fromisoformat(r["sim_utc"]),
            datetime.fromisoformat(r["wall_utc"]),
            str(r["who"]),
            str(r["kind"]),
            str(r["what"]),
            json.loads(r["detail"]),
        )
        for r in rows
    ]

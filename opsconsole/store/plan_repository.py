"""Plans in the store: save a finished run in one transaction, load it back, move its
status on, and revise an approved plan into a new draft.

A plan's slot arrays (satellite, gateway, region, round trip, status per slot and site)
are kept as one compressed NumPy archive; satellites are recorded by catalog number and
sites, gateways and regions by id, so a plan stays readable whatever the catalog does
later. Approved, active and archived plans are frozen by triggers (migration 4).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsconsole.planning.inputs import Exclusion, Pin, exclusion_of
from opsconsole.planning.parameters import PlanParameters
from opsconsole.store.database import Store, utc_now_text

STATUSES = ("draft", "approved", "active", "archived")
TRANSITIONS = {
    "draft": {"approved", "archived"},
    "approved": {"active", "archived"},
    "active": {"approved", "archived"},
    "archived": set(),
}
"""Allowed status moves; an active plan steps back to approved when another is activated."""
ARRAY_NAMES = ("satellite", "gateway", "region", "rtt_ms", "status")
"""The slot arrays every stored plan has; plans made since whole-slot validity also keep
``rtt_start_ms``, ``rtt_end_ms`` (``[slots, k]``) and ``limited`` (``[slots]``)."""


def pack_arrays(arrays: dict[str, NDArray[Any]]) -> bytes:
    """Arrays into one compressed ``.npz`` blob."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
    return buffer.getvalue()


def unpack_arrays(blob: bytes) -> dict[str, NDArray[Any]]:
    """Inverse of :func:`pack_arrays`."""
    with np.load(io.BytesIO(blob), allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


@dataclass(frozen=True)
class StoredPlan:
    """A plan row with its results: ``arrays`` by :data:`ARRAY_NAMES` ``[slots, k]``,
    ``metrics`` per site ``(k,)``, ``norad_ids`` per satellite index; ``sites`` rows
    as at planning time; ``gateway_ids`` and ``region_ids`` per index."""

    row: dict[str, Any]
    sites: list[dict[str, Any]]
    gateway_ids: list[str]
    region_ids: list[str]
    norad_ids: NDArray[np.int64]
    arrays: dict[str, NDArray[Any]]
    metrics: dict[str, NDArray[Any]]

    @property
    def id(self) -> int:
        """The plan's id."""
        return int(self.row["id"])

    # typed fields: every reader goes through these, so no default is declared twice
    @property
    def name(self) -> str:
        return str(self.row["name"])

    @property
    def status(self) -> str:
        return str(self.row["status"])

    @property
    def parameters(self) -> PlanParameters:
        """The window and model constants it was planned with (``PlanParameters``;
        fields an older plan lacks take their documented defaults)."""
        return PlanParameters.from_json(self.row["parameters"] or {})

    @property
    def start(self) -> datetime:
        """Start of the first slot (aware UTC)."""
        return datetime.fromisoformat(str(self.row["start_utc"]))

    @property
    def step_s(self) -> float:
        return float(self.row["step_s"])

    @property
    def slots(self) -> int:
        return int(self.row["slots"])

    @property
    def element_set_id(self) -> int | None:
        """The element set it was planned with (``None``: given directly)."""
        value = self.row.get("element_set_id")
        return None if value is None else int(value)

    @property
    def parent_plan_id(self) -> int | None:
        value = self.row.get("parent_plan_id")
        return None if value is None else int(value)

    @property
    def totals(self) -> dict[str, Any]:
        """Headline figures (``planning.metrics.PlanTotals`` as a dict)."""
        return dict(self.row.get("totals") or {})

    @property
    def customers(self) -> tuple[str, ...]:
        """Customers planned for (empty: all)."""
        return tuple(str(c) for c in (self.row["parameters"] or {}).get("customers") or ())

    @property
    def exclusions(self) -> tuple[Exclusion, ...]:
        return tuple(exclusion_of(e) for e in self.row.get("exclusions") or ())

    @property
    def pins(self) -> tuple[Pin, ...]:
        return tuple(Pin(int(p["site_id"]), str(p["kind"]), str(p["key"]))
                     for p in self.row.get("pins") or ())  # fmt: skip

    @property
    def gateway_capacity_factor(self) -> dict[str, float]:
        factors = (self.row["parameters"] or {}).get("gateway_capacity_factor") or {}
        return {str(k): float(v) for k, v in factors.items()}

    @property
    def demand_factor(self) -> dict[str, float]:
        factors = (self.row["parameters"] or {}).get("demand_factor") or {}
        return {str(k): float(v) for k, v in factors.items()}


def save_plan(
    store: Store,
    row: dict[str, Any],
    sites: list[dict[str, Any]],
    gateway_ids: list[str],
    region_ids: list[str],
    norad_ids: NDArray[np.int64],
    arrays: dict[str, NDArray[Any]],
    metrics: dict[str, NDArray[Any]],
) -> int:
    """Insert a plan and its results in one audited transaction; returns its id.

    ``row`` holds the ``plans`` columns (``name``, ``author``, ``parameters`` ...); JSON
    columns may be given as Python values.
    """
    values = {key: json.dumps(v) if isinstance(v, dict | list) else v for key, v in row.items()}
    values.setdefault("created_utc", utc_now_text())
    values.setdefault("status", "draft")
    columns = ", ".join(values)
    marks = ", ".join(f":{key}" for key in values)
    detail = {"name": row.get("name"), "slots": int(arrays["status"].shape[0]), "sites": len(sites)}
    with store.transaction("plan.save", "plan", None, detail) as conn:
        plan_id = int(
            conn.execute(f"INSERT INTO plans ({columns}) VALUES ({marks})", values).lastrowid or 0
        )
        conn.execute(
            "INSERT INTO plan_results (plan_id, sites, gateways, regions, satellites, arrays, "
            "site_metrics) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                plan_id,
                json.dumps(sites),
                json.dumps(gateway_ids),
                json.dumps(region_ids),
                np.asarray(norad_ids, dtype=np.int64).tobytes(),
                pack_arrays(arrays),
                pack_arrays(metrics),
            ),
        )
    return plan_id


def list_plans(store: Store) -> list[dict[str, Any]]:
    """Every plan's row (newest first) with ``totals`` decoded."""
    rows = list(store.db.query("SELECT * FROM plans ORDER BY id DESC"))
    for row in rows:
        row["totals"] = json.loads(row["totals"] or "{}")
    return rows


def active_plan_id(store: Store) -> int | None:
    """The id of the active plan (at most one), or ``None``."""
    row = store.conn.execute("SELECT id FROM plans WHERE status = 'active'").fetchone()
    return int(row[0]) if row else None


def plan_element_set_id(store: Store, plan_id: int) -> int | None:
    """The element set plan ``plan_id`` was made with (``None``: no such plan, or made
    with elements that are not in the database)."""
    row = store.conn.execute("SELECT element_set_id FROM plans WHERE id = ?", (plan_id,))
    found = row.fetchone()
    return None if found is None or found[0] is None else int(found[0])


def load_plan(store: Store, plan_id: int) -> StoredPlan:
    """A plan with its results. Raises ``KeyError`` when there is none."""
    rows = list(store.db.query("SELECT * FROM plans WHERE id = ?", [plan_id]))
    if not rows:
        raise KeyError(f"no plan with id {plan_id}")
    row = rows[0]
    for key in ("parameters", "exclusions", "pins", "totals"):
        row[key] = json.loads(row[key] or "null")
    res = store.conn.execute(
        "SELECT sites, gateways, regions, satellites, arrays, site_metrics FROM plan_results "
        "WHERE plan_id = ?",
        (plan_id,),
    ).fetchone()
    if res is None:
        raise KeyError(f"plan {plan_id} has no results")
    return StoredPlan(
        row,
        json.loads(res[0]),
        json.loads(res[1]),
        json.loads(res[2]),
        np.frombuffer(res[3], dtype=np.int64).copy(),
        unpack_arrays(res[4]),
        unpack_arrays(res[5]),
    )


def plan_status(store: Store, plan_id: int) -> str | None:
    """The plan's status, or ``None`` when there is no such plan."""
    row = store.conn.execute("SELECT status FROM plans WHERE id = ?", (plan_id,)).fetchone()
    return None if row is None else str(row[0])


def set_status(store: Store, plan_id: int, status: str) -> None:
    """Move a plan's status along :data:`TRANSITIONS` (one audited transaction).

    Activating a plan returns the previously active one to ``approved``.
    """
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    row = store.conn.execute("SELECT status FROM plans WHERE id = ?", (plan_id,)).fetchone()
    if row is None:
        raise KeyError(f"no plan with id {plan_id}")
    if status not in TRANSITIONS[row[0]]:
        raise ValueError(f"plan {plan_id} is {row[0]}: it cannot become {status}")
    detail = {"from": row[0], "to": status}
    with store.transaction(f"plan.{status}", "plan", str(plan_id), detail) as conn:
        if status == "active":
            conn.execute("UPDATE plans SET status = 'approved' WHERE status = 'active'")
        conn.execute("UPDATE plans SET status = ? WHERE id = ?", (status, plan_id))


def revise_plan(store: Store, plan_id: int, name: str | None = None) -> int:
    """A new draft copied from ``plan_id`` and linked to it (editing an approved plan)."""
    source = load_plan(store, plan_id)
    keep = (
        "author",
        "parameters",
        "element_set_id",
        "element_epoch_utc",
        "software_version",
        "start_utc",
        "step_s",
        "slots",
        "exclusions",
        "pins",
        "totals",
    )
    row = {key: source.row[key] for key in keep}
    row.update(name=name or f"{source.row['name']} (revision)", parent_plan_id=plan_id)
    return save_plan(
        store,
        row,
        source.sites,
        source.gateway_ids,
        source.region_ids,
        source.norad_ids,
        source.arrays,
        source.metrics,
    )

"""Plans in the store: round trip, frozen once approved, revisions, nothing partial."""

from __future__ import annotations

import sqlite3
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from opsconsole.jobs.cancel import Cancelled
from opsconsole.planning.inputs import Exclusion
from opsconsole.planning.parameters import PlanParameters
from opsconsole.plans.request import PlanRequest
from opsconsole.plans.service import create_plan, stored_result
from opsconsole.store.database import Store
from opsconsole.store.plan_repository import (
    list_plans,
    load_plan,
    pack_arrays,
    plan_element_set_id,
    revise_plan,
    save_plan,
    set_status,
    unpack_arrays,
)
from opsconsole.store.seed import seed_defaults
from tests.conftest import SYNTHETIC_EPOCH

START = SYNTHETIC_EPOCH + timedelta(hours=1)


@pytest.fixture()
def store(db_path: Path):  # type: ignore[no-untyped-def]
    s = Store(db_path)
    seed_defaults(s, SYNTHETIC_EPOCH)
    yield s
    s.close()


def test_plan_round_trip_and_listing(store) -> None:  # type: ignore[no-untyped-def]
    params = PlanParameters(step_s=60.0, start=START, duration_s=1800.0)
    exclusions = [Exclusion("satellite", 270005, START, START + timedelta(minutes=10))]
    plan_id = create_plan(store, PlanRequest("demo", params, exclusions=tuple(exclusions)))
    stored = load_plan(store, plan_id)
    result = stored_result(stored)
    assert result.slots == 30 and result.start == START
    assert len(stored.sites) == 66 and stored.row["status"] == "draft"
    assert stored.row["exclusions"][0]["key"] == 270005
    assert stored.row["parameters"]["step_s"] == 60.0
    assert 0 < stored.row["totals"]["served_demand_pct"] <= 100
    assert stored.norad_ids.size == 4408 and stored.metrics["availability_pct"].shape == (66,)
    # the excluded satellite serves nobody while excluded
    index = int(np.flatnonzero(stored.norad_ids == 270005)[0])
    assert not (result.satellite[:10] == index).any()
    again = create_plan(store, PlanRequest("demo", params, exclusions=tuple(exclusions)))
    for name in ("satellite", "gateway", "region", "status"):
        assert np.array_equal(load_plan(store, again).arrays[name], stored.arrays[name])
    assert [row["id"] for row in list_plans(store)] == [again, plan_id]
    active = store.conn.execute("SELECT id FROM element_sets WHERE active = 1").fetchone()[0]
    assert plan_element_set_id(store, plan_id) == active  # the elements it was made with
    assert plan_element_set_id(store, plan_id + 1000) is None


def test_approved_plans_are_frozen_and_revised(store) -> None:  # type: ignore[no-untyped-def]
    plan_id = create_plan(
        store, PlanRequest("frozen", PlanParameters(step_s=60.0, start=START, duration_s=600.0))
    )
    set_status(store, plan_id, "approved")
    for sql in ("UPDATE plans SET name = 'edited' WHERE id = ?",
                "DELETE FROM plans WHERE id = ?",
                "UPDATE plan_results SET sites = '[]' WHERE plan_id = ?"):  # fmt: skip
        with (
            pytest.raises(sqlite3.DatabaseError, match="cannot be changed"),
            store.transaction("test.edit", "plan", str(plan_id)) as conn,
        ):
            conn.execute(sql, (plan_id,))
    with pytest.raises(ValueError, match="cannot become draft"):
        set_status(store, plan_id, "draft")
    revision = revise_plan(store, plan_id)
    row = load_plan(store, revision).row
    assert row["status"] == "draft" and row["parent_plan_id"] == plan_id
    set_status(store, plan_id, "active")
    set_status(store, revision, "approved")
    set_status(store, revision, "active")
    assert load_plan(store, plan_id).row["status"] == "approved"
    assert store.integrity_check() == []


def test_cancelled_planning_writes_nothing(store) -> None:  # type: ignore[no-untyped-def]
    before = store.counts()
    with pytest.raises(Cancelled):
        create_plan(
            store,
            PlanRequest("never", PlanParameters(step_s=60.0, start=START, duration_s=7200.0)),
            cancelled=lambda: True,
        )
    assert store.counts() == before


def test_full_day_for_1000_sites_saves_and_loads_quickly(store) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(5)
    slots, k = 1440, 1000
    # realistic structure: runs of a few minutes per satellite, some gaps
    sat = np.repeat(rng.integers(0, 10_000, size=(slots // 4, k)), 4, axis=0).astype(np.int32)
    arrays = {"satellite": sat, "gateway": (sat % 61).astype(np.int16),
              "region": (sat % 92).astype(np.int16),
              "rtt_ms": rng.uniform(20, 60, (slots, k)).astype(np.float32),
              "status": (rng.uniform(size=(slots, k)) < 0.05).astype(np.uint8)}  # fmt: skip
    metrics = {"availability_pct": rng.uniform(90, 100, k)}
    t0 = time.perf_counter()
    plan_id = save_plan(store, {"name": "big", "author": "t", "software_version": "x"},
                        [{"id": i} for i in range(k)], ["g"] * 61, ["r"] * 92,
                        np.arange(10_000), arrays, metrics)  # fmt: skip
    saved = time.perf_counter() - t0
    t0 = time.perf_counter()
    stored = load_plan(store, plan_id)
    loaded = time.perf_counter() - t0
    for name, values in arrays.items():
        assert np.array_equal(stored.arrays[name], values)
    assert unpack_arrays(pack_arrays(metrics))["availability_pct"].shape == (k,)
    # generous bounds for a shared CI machine; benchmarks/ has the measured figures
    assert saved < 10.0 and loaded < 10.0

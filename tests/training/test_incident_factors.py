"""Plans made during a session see the rain fades and surges in force: a gateway with
no capacity left is never used, surged demand is what gets planned, and both are kept
with the plan."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np

from opsconsole.planning.parameters import PlanParameters
from opsconsole.plans.request import PlanRequest
from opsconsole.plans.service import create_plan
from opsconsole.store.database import Store
from opsconsole.store.plan_repository import load_plan
from opsconsole.store.seed import seed_defaults
from tests.conftest import SYNTHETIC_EPOCH

CUSTOMER = "Harbourline Ports Group"


def test_fades_and_surges_reach_the_planner(tmp_path: Path) -> None:
    with Store(tmp_path / "f.sqlite") as store:
        seed_defaults(store, SYNTHETIC_EPOCH)
        params = PlanParameters(
            step_s=60.0, start=SYNTHETIC_EPOCH + timedelta(hours=8), duration_s=1800.0
        )
        plain = load_plan(
            store, create_plan(store, PlanRequest("plain", params, customers=tuple([CUSTOMER])))
        )
        used = plain.arrays["gateway"][plain.arrays["gateway"] >= 0]
        busiest = plain.gateway_ids[int(np.bincount(used).argmax())]
        faded = load_plan(
            store,
            create_plan(
                store,
                PlanRequest(
                    "faded",
                    params,
                    customers=tuple([CUSTOMER]),
                    gateway_capacity_factor={busiest: 0.0},
                    demand_factor={CUSTOMER: 2.0},
                ),
            ),
        )
    assert busiest not in {faded.gateway_ids[g] for g in faded.arrays["gateway"].ravel() if g >= 0}
    assert [s["demand_mbps"] for s in faded.sites] == [2 * s["demand_mbps"] for s in plain.sites]
    assert faded.row["parameters"]["gateway_capacity_factor"] == {busiest: 0.0}
    assert faded.row["parameters"]["demand_factor"] == {CUSTOMER: 2.0}


def test_planner_factors_take_the_lowest_fade_and_multiply_surges() -> None:
    from datetime import UTC, datetime

    from opsconsole.training.scenario import Event
    from opsconsole.training.session import planner_factors

    t = datetime(2026, 11, 24, tzinfo=UTC)

    def event(kind: str, **fields: object) -> Event:
        return Event(0, kind, t, t, dict(fields), 1)

    fade, surge = planner_factors([
        event("gateway_capacity_loss", gateway="g", remaining_pct=40),
        event("gateway_capacity_loss", gateway="g", remaining_pct=70),
        event("demand_surge", customer="c", factor=2.0),
        event("demand_surge", customer="c", factor=1.5),
        event("gateway_outage", gateway="h"),
    ])  # fmt: skip
    assert fade == {"g": 0.4} and surge == {"c": 3.0}

"""A plan request round-trips through JSON, and a stored plan gives back the request it
was made from as typed fields (no reader re-parses a row or re-declares a default)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from opsconsole.planning.inputs import Exclusion, Pin
from opsconsole.planning.parameters import PlanParameters
from opsconsole.plans.request import PlanRequest
from opsconsole.plans.service import create_plan
from opsconsole.store.database import Store
from opsconsole.store.plan_repository import load_plan
from opsconsole.store.seed import seed_defaults
from tests.conftest import SYNTHETIC_EPOCH

START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def _request() -> PlanRequest:
    params = PlanParameters(
        start=START, duration_s=1800.0, step_s=60.0, mode="bent-pipe", handover_policy="rtt",
        site_mask_deg=30.0, region_ingress_gbps={"azure-westeurope": 2.5},
        priority_weights={1: 50.0, 2: 5.0, 3: 1.0, 4: 0.5, 5: 0.1},
    )  # fmt: skip
    return PlanRequest(
        "what-if",
        params,
        customers=("Harbourline Ports Group",),
        exclusions=(
            Exclusion("satellite", 44713),
            Exclusion("gateway", "gw-usingen", START, START + timedelta(minutes=20)),
        ),
        pins=(Pin(3, "region", "azure-westeurope"),),
        parent_plan_id=7,
        gateway_capacity_factor={"gw-chalfont-grove": 0.05},
        demand_factor={"Harbourline Ports Group": 1.5},
    )


def test_a_request_survives_its_json_form() -> None:
    request = _request()
    text = json.dumps(request.to_json())
    assert PlanRequest.from_json(json.loads(text)) == request


def test_bad_requests_are_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="name"):
        replace(_request(), name="  ")
    with pytest.raises(ValueError, match="demand factor"):
        replace(_request(), demand_factor={"x": -1.0})
    with pytest.raises(ValueError, match="lack 'start'"):
        PlanRequest.from_json({"name": "x", "parameters": {"duration_s": 60}})


def test_parameters_of_an_older_plan_keep_its_handover_rule() -> None:
    """Plans stored before the policy existed were made with ``rtt``; fields added
    since take their defaults; keys that are not fields are ignored."""
    old = {"start": START.isoformat(), "duration_s": 600.0, "step_s": 60.0, "customers": []}
    params = PlanParameters.from_json(old)
    assert params.handover_policy == "rtt" and params.satellite_capacity_gbps == 20.0
    assert PlanParameters.from_json(_request().parameters.to_json()) == _request().parameters


def test_a_stored_plan_gives_back_its_request(tmp_path: Path) -> None:
    with Store(tmp_path / "r.sqlite") as store:
        seed_defaults(store, SYNTHETIC_EPOCH)
        params = PlanParameters(start=START, duration_s=900.0, step_s=60.0, site_mask_deg=30.0)
        gateway = "gw-usingen"
        request = PlanRequest("typed", params, customers=("Harbourline Ports Group",),
                              exclusions=(Exclusion("gateway", gateway),),
                              demand_factor={"Harbourline Ports Group": 2.0})  # fmt: skip
        stored = load_plan(store, create_plan(store, request))
    assert stored.parameters == params and stored.start == START and stored.step_s == 60.0
    assert stored.slots == 15 and stored.status == "draft" and stored.name == "typed"
    assert PlanRequest.of_stored(stored) == request

"""The SLA report from the operations record, recomputed independently from the stored
plan's own arrays: a site loses exactly the slots its plan did not serve and those where
its planned gateway was down under the recorded incident."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from opsconsole.core.contracts import Contract
from opsconsole.core.incidents import Incident
from opsconsole.customers.sla import outage_runs
from opsconsole.customers.sla_report import sla_report
from opsconsole.planning.assignment import SERVED
from opsconsole.planning.parameters import PlanParameters
from opsconsole.plans.request import PlanRequest
from opsconsole.plans.service import create_plan
from opsconsole.store.contract_repository import ContractError, remove_contract, save_contracts
from opsconsole.store.incident_repository import IncidentError, add_incident
from opsconsole.store.plan_repository import load_plan, set_status
from opsconsole.store.seed import open_store

STEP = 15.0


def test_report_matches_an_independent_recount(tmp_path: Path) -> None:
    # the plan's window lies after its activation (audited now), so it is in force
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=2)
    with open_store(str(tmp_path / "ops.sqlite")) as store:
        customer = store.conn.execute("SELECT name FROM customers ORDER BY id").fetchone()[0]
        params = PlanParameters(start=start, duration_s=1800.0, step_s=STEP)
        plan_id = create_plan(store, PlanRequest("p", params, customers=(customer,)), workers=1)
        set_status(store, plan_id, "approved")
        set_status(store, plan_id, "active")
        plan = load_plan(store, plan_id)
        used = plan.arrays["gateway"][plan.arrays["gateway"] >= 0]
        gateway = plan.gateway_ids[int(np.bincount(used).argmax())]
        down_from, down_to = start + timedelta(minutes=5), start + timedelta(minutes=15)
        assert remove_contract(store, customer)  # the seeded demo contract
        with pytest.raises(ContractError, match="has no contract"):
            sla_report(store, customer, start, start + timedelta(minutes=30))
        save_contracts(store, [Contract(customer, availability_pct=99.0, monthly_fee=3000.0)])
        with pytest.raises(IncidentError, match="no gateway 'gw-nowhere'"):
            add_incident(store, Incident("gateway", "gw-nowhere", down_from, down_to, "x"))
        incident_id = add_incident(store, Incident("gateway", gateway, down_from, down_to,
                                                   "fibre cut", "INC-7"))  # fmt: skip
        report = sla_report(store, customer, start, start + timedelta(minutes=30))

    slots = plan.arrays["status"].shape[0]
    times = np.arange(slots) * STEP
    in_incident = (times >= 300) & (times < 900)
    hit = 0
    for column, site in enumerate(plan.sites):
        account = next(a for a in report.sites if a.site == site["name"])
        served = plan.arrays["status"][:, column] == SERVED
        on_gateway = plan.arrays["gateway"][:, column] == plan.gateway_ids.index(gateway)
        lost = ~served | (on_gateway & in_incident)
        expected_down = sum((b - a) * STEP for a, b in outage_runs(lost) if (b - a) * STEP >= 60)
        assert account.counted_downtime_s == pytest.approx(expected_down), site["name"]
        assert account.availability_pct == pytest.approx(100 * (1 - expected_down / 1800.0))
        if (on_gateway & in_incident).any():
            hit += 1
            labels = " ".join(c for o in account.outages for c in o.causes)
            assert (
                f"incident {incident_id}: gateway:{gateway} out of service (fibre cut, INC-7)"
                in labels
            )
        expected_credit = 0.0 if account.availability_pct >= 99.0 else 20.0
        fee = 3000.0 * 1800 / (30 * 86_400)
        assert account.credit == pytest.approx(round(fee * expected_credit / 100, 2))
    assert hit >= 1 and not report.met
    assert report.credit == pytest.approx(sum(a.credit for a in report.sites))

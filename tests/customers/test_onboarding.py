"""The onboarding check agrees with what a plan that includes the site then delivers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from opsconsole.core.catalog import SiteSpec
from opsconsole.customers.onboarding import check_site
from opsconsole.planning.assignment import SERVED
from opsconsole.planning.parameters import PlanParameters
from opsconsole.plans.request import PlanRequest
from opsconsole.plans.service import create_plan
from opsconsole.store.catalog_repository import import_sites
from opsconsole.store.plan_repository import load_plan
from opsconsole.store.seed import open_store

START = datetime(2026, 12, 10, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("spec", "verdict"),
    [
        (
            SiteSpec(
                "Frankfurt depot", 50.1, 8.7, demand_mbps=200, max_rtt_ms=60, residency=("EU",)
            ),
            "meets",
        ),
        (
            SiteSpec(
                "Santiago depot", -33.45, -70.66, demand_mbps=200, max_rtt_ms=60, residency=("AU",)
            ),
            "cannot meet",
        ),
        (SiteSpec("Tight objective", 50.1, 8.7, demand_mbps=200, max_rtt_ms=20), "cannot meet"),
    ],
)
def test_the_check_agrees_with_a_plan_that_includes_the_site(
    tmp_path: Path, spec: SiteSpec, verdict: str
) -> None:
    with open_store(str(tmp_path / "ops.sqlite")) as store:
        found = check_site(store, spec, START, hours=0.5, customer="New Customer")
        assert found.verdict == verdict, found.reasons
        import_sites(store, "New Customer", [spec])
        params = PlanParameters(start=START, duration_s=1800.0, step_s=15.0)
        plan = load_plan(store, create_plan(store, PlanRequest("with it", params), workers=1))
    column = next(i for i, s in enumerate(plan.sites) if s["name"] == spec.name)
    served = plan.arrays["status"][:, column] == SERVED
    assert found.served_pct == pytest.approx(100.0 * served.mean())
    rtt = plan.arrays["rtt_ms"][:, column][served].astype(float)
    if rtt.size:
        assert found.rtt_percentiles_ms["p95"] == pytest.approx(np.percentile(rtt, 95))
        used = plan.arrays["gateway"][:, column][served]
        top = plan.gateway_ids[int(np.bincount(used).argmax())]
        assert found.gateways[0][0] == top
    else:
        assert found.rtt_percentiles_ms["p95"] is None and not found.gateways


def test_reasons_are_named() -> None:
    from opsconsole.customers.onboarding import _verdict

    spec = SiteSpec("x", 0, 0, max_rtt_ms=50, min_availability_pct=99.5)
    verdict, why = _verdict(spec, 99.7, {"p50": 30, "p95": 40, "p99": 55},
                            (("gw-a", 100.0),), (("r", 100.0),))  # fmt: skip
    assert verdict == "meets with risks"
    assert any("margin 0.20" in w for w in why) and any("one gateway" in w for w in why)
    assert any("p99 55.0 ms" in w for w in why)
    verdict, why = _verdict(replace(spec, max_rtt_ms=30), 99.0, {"p50": 30, "p95": 40, "p99": 55},
                            (("gw-a", 100.0),), (("r", 100.0),))  # fmt: skip
    assert verdict == "cannot meet" and len(why) == 2

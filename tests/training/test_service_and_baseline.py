"""Events in force at the right slots, service under a plan with known answers, and the
headless baseline of the shipped scenarios (deterministic, and consistent with them)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from opsconsole.planning.assignment import CAPACITY as PLAN_CAPACITY
from opsconsole.planning.assignment import SERVED
from opsconsole.planning.planner import PlanResult
from opsconsole.training.baseline import run_baseline
from opsconsole.training.scenario import Event, load_scenario
from opsconsole.training.service import (
    CAPACITY,
    INACTIVE,
    NOT_PLACED,
    OK,
    OUTAGE,
    SLO_MISS,
    UNPLANNED,
    SiteFacts,
    evaluate,
)
from opsconsole.training.world import build_world, slot_times
from tests.training.test_scenario_files import SHIPPED

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def _event(index: int, kind: str, at_min: float, until_min: float, **fields: object) -> Event:
    return Event(index, kind, T0 + timedelta(minutes=at_min), T0 + timedelta(minutes=until_min),
                 dict(fields), 1)  # fmt: skip


@pytest.mark.parametrize("step_s", [15.0, 30.0, 60.0])
def test_an_event_is_in_force_from_its_exact_slot(step_s: float) -> None:
    times = slot_times(T0, step_s, int(3600 / step_s))
    outage = _event(0, "gateway_outage", 10.25, 20.0, gateway="g1")
    world = build_world([outage], times, norad_ids=np.array([1, 2]), plane_of={},
                        gateway_ids=["g0", "g1"], region_ids=["r"], site_customers=["c"],
                        new_site_events=[])  # fmt: skip
    down = world.gateway_down[:, 1]
    expected = np.array([T0 + timedelta(minutes=10.25) <= t < T0 + timedelta(minutes=20)
                         for t in times])  # fmt: skip
    assert np.array_equal(down, expected) and not world.gateway_down[:, 0].any()
    first = int(np.argmax(down))
    assert times[first] >= outage.start and times[first] - outage.start < timedelta(seconds=step_s)


def _plan(slots: int, k: int) -> PlanResult:
    """Every site on satellite 0, gateway 0, region 0 with a 30 ms round trip."""
    return PlanResult(T0, 60.0, np.zeros((slots, k), dtype=np.intp),
                      np.zeros((slots, k), dtype=np.intp), np.zeros((slots, k), dtype=np.intp),
                      np.full((slots, k), 30.0, dtype=np.float32),
                      np.full((slots, k), SERVED, dtype=np.uint8))  # fmt: skip


def test_service_under_events_has_the_known_answer() -> None:
    """Three 1 Gbps sites (priorities 1, 3, 2; site 2's objective is below its 30 ms
    round trip) on one 10 Gbps gateway. Slot by slot: nothing; an outage; capacity cut
    to 25 % (2.5 Gbps: priority 3 is shed); demand x2 for site 0's customer as well
    (2 Gbps: priorities 2 and 3 are shed); a site requested at minute 4; and a slot the
    plan itself left unserved."""
    result = _plan(6, 3)
    result.status[5, 2] = PLAN_CAPACITY  # the plan itself could not serve site 2 at slot 5
    times = slot_times(T0, 60.0, 6)
    events = [
        _event(0, "gateway_outage", 1, 2, gateway="g"),
        _event(1, "gateway_capacity_loss", 2, 4, gateway="g", remaining_pct=25),
        _event(2, "demand_surge", 3, 4, customer="a", factor=2.0),
    ]
    request = _event(3, "new_site", 4, 6, customer="a", name="new")
    world = build_world(events, times, norad_ids=np.array([7]), plane_of={}, gateway_ids=["g"],
                        region_ids=["r"], site_customers=["a", "b", "b"],
                        new_site_events=[request])  # fmt: skip
    facts = SiteFacts(np.array([1000.0, 1000.0, 1000.0, 100.0]), np.array([1, 3, 2, 1]),
                      np.array([50.0, 50.0, 20.0, 50.0]), ("a", "b", "b", "a"))  # fmt: skip
    reason = evaluate(result, world, facts, 20.0, np.array([10.0]), np.array([np.inf]))
    assert reason[0].tolist() == [OK, OK, SLO_MISS, INACTIVE]
    assert reason[1].tolist() == [OUTAGE, OUTAGE, OUTAGE, INACTIVE]
    assert reason[2].tolist() == [OK, CAPACITY, SLO_MISS, INACTIVE]  # 2.5 Gbps: 3 is shed
    # site a now needs 2 Gbps: with 2.5 Gbps only it fits; both priority-2/3 sites shed
    assert reason[3].tolist() == [OK, CAPACITY, CAPACITY, INACTIVE]
    assert reason[4].tolist() == [OK, OK, SLO_MISS, NOT_PLACED]
    assert reason[5].tolist() == [OK, OK, UNPLANNED, NOT_PLACED]


@pytest.fixture(scope="module")
def reports() -> dict[str, dict[str, object]]:
    return {path.stem: run_baseline(load_scenario(path)) for path in SHIPPED}


def test_headless_baselines_are_deterministic(reports) -> None:  # type: ignore[no-untyped-def]
    again = run_baseline(load_scenario(SHIPPED[0]))
    assert json.dumps(again, sort_keys=True) == json.dumps(reports[SHIPPED[0].stem],
                                                           sort_keys=True)  # fmt: skip


def test_baselines_say_what_happens_if_nobody_acts(reports) -> None:  # type: ignore[no-untyped-def]
    for name, report in reports.items():
        assert report["incidents"] and report["objectives"], name
        assert sum(report["slo_minutes_lost_by_customer"].values()) > 0, name  # type: ignore[attr-defined]
        assert not any(o["met"] for o in report["objectives"]), name  # type: ignore[attr-defined]
    outage = reports["region-failover"]["incidents"][0]  # type: ignore[index]
    # nobody fails over: the sites come back only when the region does, after 90 min
    # (the last of them a slot or so later, once its pass brings it within objective)
    assert outage["affected_site_names"] and 90.0 <= outage["time_to_restore_min"] <= 95.0
    request = reports["region-failover"]["incidents"][1]  # type: ignore[index]
    assert request["affected_site_names"] == ["Tennant Creek field post"]
    assert request["time_to_restore_min"] is None  # never placed
    for incident in reports["eu-gateway-outage"]["incidents"]:  # type: ignore[attr-defined]
        assert incident["affected_sites"], incident["event"]  # each incident costs service
    level = reports["plane-failure"]["service_level"]["sites_within_objective_pct"]  # type: ignore[index]
    assert min(level) < max(level) <= 100.0


def test_training_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from opsconsole.cli import main

    assert main(["training", "validate", "eu-gateway-outage"]) == 0
    assert "gateway_outage gw-usingen" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\ntitle = "x"\nstart = 2026-11-24T08:00:00Z\nduration_minutes = 0\n')
    assert main(["training", "validate", str(bad)]) == 1
    assert f"{bad} line 4: scenario.duration_minutes" in capsys.readouterr().err
    out = tmp_path / "report.json"
    assert main(["training", "run", "region-failover", "--report", str(out)]) == 0
    assert json.loads(out.read_text())["title"].startswith("Cloud-region outage")
    assert main(["training", "list"]) == 0
    assert "plane-failure" in capsys.readouterr().out


def test_until_cuts_the_session_and_speed_changes_nothing_headless(tmp_path: Path) -> None:
    from opsconsole.cli import main

    reports = []
    for speed in ("1", "3600"):
        out = tmp_path / f"{speed}.json"
        assert main(["training", "run", "eu-gateway-outage", "--report", str(out), "--speed",
                     speed, "--until", "2026-11-24T09:00Z"]) == 0  # fmt: skip
        reports.append(json.loads(out.read_text()))
    assert reports[0]["slots"] == 60 and reports[0]["speed"] == 1.0
    assert {k: v for k, v in reports[0].items() if k != "speed"} == {
        k: v for k, v in reports[1].items() if k != "speed"
    }
    assert reports[0]["incidents"][0]["end_utc"] == "2026-11-24T09:00:00+00:00"
    assert main(["training", "run", "eu-gateway-outage", "--report", str(tmp_path / "x"),
                 "--until", "2026-11-25T09:00Z"]) == 1  # fmt: skip

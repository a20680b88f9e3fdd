"""The debrief of a logged session: a trainee who acknowledges the outage and re-plans
around it does measurably better than a session in which nobody acts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from opsconsole.planning.parameters import PlanParameters
from opsconsole.plans.request import PlanRequest
from opsconsole.plans.service import create_plan
from opsconsole.store.database import Store
from opsconsole.store.plan_repository import load_plan
from opsconsole.store.seed import seed_defaults
from opsconsole.training.scenario import Scenario, load_scenario
from opsconsole.training.session import TrainingSession, outage_exclusions
from opsconsole.training.session_debrief import session_report
from tests.conftest import SYNTHETIC_EPOCH
from tests.training.test_scenario_files import SHIPPED

EU = next(path for path in SHIPPED if path.stem == "eu-gateway-outage")


def _starting_plan(store: Store, scenario: Scenario) -> int:
    """Seed the demo catalog and plan the scenario's whole window for its customers."""
    seed_defaults(store, SYNTHETIC_EPOCH)
    window = PlanParameters(
        step_s=60.0, start=scenario.start, duration_s=scenario.duration.total_seconds()
    )
    return create_plan(store, PlanRequest("start", window, customers=tuple(scenario.customers)))


def _nobody_acts(store: Store, scenario: Scenario, starting: int) -> int:
    """A session run to its end with no action; returns its id."""
    session = TrainingSession.start(store, scenario, starting)
    session.advance(scenario.end)
    session.end(scenario.end)
    return session.id


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    scenario = load_scenario(EU)
    db = tmp_path_factory.mktemp("training") / "t.sqlite"
    with Store(db, who="trainee") as store:
        starting = _starting_plan(store, scenario)
        idle = _nobody_acts(store, scenario, starting)
        acting = TrainingSession.start(store, scenario, starting)
        t = scenario.start + timedelta(minutes=12)
        acting.advance(t)
        every = [int(s["id"]) for s in load_plan(store, starting).sites]  # an alert naming all
        acting.acknowledge(t, "outage: sites on gw-usingen", every)
        t += timedelta(minutes=1)
        exclusions = outage_exclusions(acting.in_force(t), {})
        replan = PlanParameters(step_s=60.0, start=t, duration_s=(scenario.end - t).total_seconds())
        new = create_plan(
            store,
            PlanRequest(
                "around the outage",
                replan,
                customers=tuple(scenario.customers),
                exclusions=tuple(exclusions),
                parent_plan_id=starting,
            ),
        )
        acting.record(t, "activated plan around the outage", {"activated_plan_id": new})
        acting.advance(scenario.end)
        acting.end(scenario.end)
        return session_report(store, idle), {**session_report(store, acting.id), "db": str(db)}


def test_nobody_acting_restores_only_when_the_outage_ends(sessions) -> None:  # type: ignore[no-untyped-def]
    idle, _ = sessions
    outage = idle["incidents"][0]
    assert outage["kind"] == "gateway_outage" and outage["affected_sites"]
    assert outage["time_to_restore_min"] == 60.0 and outage["time_to_detect_min"] is None
    assert [p["plan_id"] for p in idle["plans"]] == [1]


def test_a_trainee_who_replans_restores_service_and_is_credited(sessions) -> None:  # type: ignore[no-untyped-def]
    idle, acting = sessions
    outage = acting["incidents"][0]
    assert outage["time_to_detect_min"] == 2.0
    assert outage["time_to_restore_min"] is not None and outage["time_to_restore_min"] <= 5.0
    lost_idle = sum(idle["slo_minutes_lost_by_customer"].values())
    lost_acting = sum(acting["slo_minutes_lost_by_customer"].values())
    assert lost_acting < lost_idle / 2, (lost_acting, lost_idle)
    assert [p["plan_id"] for p in acting["plans"]] == [1, 2]
    kinds = [entry["kind"] for entry in acting["log"]]
    assert {"control", "event", "action", "ack"} <= set(kinds)
    # the rain fade at gw-chalfont-grove was left alone: it is reported with the sites it touched
    # and never detected; the objective (priority-1 sites restored within 20 minutes)
    # is met exactly when every incident was restored in time
    fade = acting["incidents"][1]
    assert fade["kind"] == "gateway_capacity_loss" and fade["affected_sites"]
    assert fade["time_to_detect_min"] is None
    restored = [i["time_to_restore_min"] for i in acting["incidents"]]
    in_time = all(m is not None and m <= 20.0 for m in restored)
    assert acting["objectives"][0]["met"] is in_time
    assert idle["objectives"][0]["met"] is False  # nobody acting: the outage lasts 60 min


def test_a_logged_session_replays_the_same_at_any_moment(sessions) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from opsconsole.store.database import Store
    from opsconsole.training.replay import SessionReplay

    _idle, acting = sessions
    db = Path(acting["db"])
    with Store(db) as store:
        replay = SessionReplay.load(store, acting["session_id"])
    start = replay.scenario.start
    assert replay.plan_at(start) == 1 and replay.plan_at(start + timedelta(minutes=13)) == 2
    assert replay.plan_at(start - timedelta(seconds=1)) is None
    at = start + timedelta(minutes=11)
    assert [e.label for e in replay.in_force(at)] == ["gateway_outage gw-usingen"]
    shown = [e.what for e in replay.entries_until(at)]
    assert "gateway_outage gw-usingen begins" in shown and not any("ack" in w for w in shown)
    backwards = [len(replay.entries_until(start + timedelta(minutes=m))) for m in (90, 30, 5)]
    assert backwards == sorted(backwards, reverse=True)  # answers depend on the time alone
    assert replay.entries_until(datetime.max.replace(tzinfo=start.tzinfo)) == list(replay.log)


def test_a_session_debrief_counts_a_late_element_update(tmp_path: Path) -> None:
    scenario = load_scenario(next(p for p in SHIPPED if p.stem == "plane-failure"))
    with Store(tmp_path / "p.sqlite") as store:
        report = session_report(
            store, _nobody_acts(store, scenario, _starting_plan(store, scenario))
        )
    late = next(i for i in report["incidents"] if i["kind"] == "element_update")
    plane = next(i for i in report["incidents"] if i["kind"] == "satellite_failure")
    assert late["affected_sites"] and late["time_to_restore_min"] is None  # nobody re-planned
    assert plane["affected_sites"]


def test_a_trainee_who_replans_with_the_late_update_restores_its_links(tmp_path: Path) -> None:
    """The console loads the update when it fires (``import_update``, logged); a plan
    made with it holds, so the update's incident is restored, and a plan made with an
    element set the session never loaded cannot be judged."""
    from opsconsole.core.constellation_structure import constellation_structure
    from opsconsole.store.element_repository import active_element_set_id, load_element_set
    from opsconsole.training.late_elements import import_update
    from opsconsole.training.world import plane_members

    scenario = load_scenario(next(p for p in SHIPPED if p.stem == "plane-failure"))
    update = next(e for e in scenario.events if e.kind == "element_update")
    with Store(tmp_path / "p.sqlite", who="trainee") as store:
        starting = _starting_plan(store, scenario)
        session = TrainingSession.start(store, scenario, starting)
        base = session.element_set_id
        assert base is not None and base == active_element_set_id(store)
        session.advance(update.start)
        t = update.start + timedelta(minutes=1)
        loaded = import_update(store, base, float(update.fields["along_track_s"]), session.id)
        assert active_element_set_id(store) == loaded != base
        session.update_loaded(t, update, loaded)
        t += timedelta(minutes=1)
        # the failed plane is left out too, as the console's Training dock does
        elements = load_element_set(store, base)
        structure = constellation_structure(elements, scenario.start)
        planes = {
            int(e.fields["plane_of"]): [int(n) for n in plane_members(
                structure.shell, structure.plane, elements.norad_ids, int(e.fields["plane_of"]))]
            for e in session.in_force(t) if "plane_of" in e.fields
        }  # fmt: skip
        exclusions = outage_exclusions(session.in_force(t), planes)
        replan = PlanParameters(step_s=60.0, start=t, duration_s=(scenario.end - t).total_seconds())
        new = create_plan(
            store,
            PlanRequest(
                "with the fresh elements",
                replan,
                customers=tuple(scenario.customers),
                exclusions=tuple(exclusions),
            ),
        )
        assert load_plan(store, new).row["element_set_id"] == loaded
        session.record(t, "activated plan with the fresh elements", {"activated_plan_id": new})
        session.advance(scenario.end)
        session.end(scenario.end)
        report = session_report(store, session.id)
        late = next(i for i in report["incidents"] if i["kind"] == "element_update")
        assert late["affected_sites"]
        assert late["time_to_restore_min"] is not None and late["time_to_restore_min"] <= 2.0
        loaded_entry = next(e for e in report["log"] if e["what"].startswith("element set"))
        assert loaded_entry["kind"] == "event" and str(loaded) in loaded_entry["what"]

        stray = import_update(store, base, 5.0, session.id)  # not logged by any session
        other = TrainingSession.start(store, scenario, starting)
        other.advance(t)
        stray_plan = create_plan(
            store, PlanRequest("stray", replan, customers=tuple(scenario.customers))
        )
        assert load_plan(store, stray_plan).row["element_set_id"] == stray
        other.record(t, "activated", {"activated_plan_id": stray_plan})
        other.end(scenario.end)
        with pytest.raises(ValueError, match="cannot be judged"):
            session_report(store, other.id)

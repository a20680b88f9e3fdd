"""The console model without Qt: events, selection, catalog edits, the replayed plan,
the training state and the alert book, driven as the panels drive them."""

from __future__ import annotations

import sys
from datetime import timedelta
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from opsconsole.console.events import Event
from opsconsole.console.intents import Intents, StatusChange
from opsconsole.console.model import ConsoleModel
from opsconsole.console.selection import ObjectRef
from opsconsole.core.sim_clock import SimulationClock
from opsconsole.planning.parameters import PlanParameters
from opsconsole.plans.playback import PlanPlayback
from opsconsole.plans.request import PlanRequest
from opsconsole.plans.service import create_plan
from opsconsole.store import catalog_edits
from opsconsole.store.database import Store
from opsconsole.store.plan_repository import load_plan
from opsconsole.store.seed import seed_defaults
from opsconsole.training.alerts import MIN_SLOTS
from opsconsole.training.scenario import load_scenario
from opsconsole.training.session import TrainingSession
from tests.conftest import SYNTHETIC_EPOCH


def test_the_model_loads_without_qt() -> None:
    """In a fresh interpreter: importing the whole model imports no Qt, vispy or
    pyqtgraph (the import-linter contract checks the source; this checks the run)."""
    import subprocess

    code = ("import sys, opsconsole.console.model; "
            "print([m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'shiboken6', 'vispy', 'pyqtgraph')])")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)  # fmt: skip
    assert out.stdout.strip() == "[]"


def test_events_call_in_order_and_disconnect() -> None:
    event: Event[int] = Event("numbers")
    got: list[tuple[str, int]] = []
    first = event.connect(lambda v: got.append(("a", v)))
    event.connect(lambda v: got.append(("b", v)))
    event.emit(1)
    event.disconnect(first)
    event.disconnect(first)  # twice: no error
    event.emit(2)
    assert got == [("a", 1), ("b", 1), ("b", 2)] and event.emitted == 2


def test_intents_carry_typed_values() -> None:
    intents = Intents()
    seen: list[StatusChange] = []
    intents.status_changed.connect(seen.append)
    intents.status_changed.emit(StatusChange(7, "approved"))
    assert seen == [StatusChange(7, "approved")]


@pytest.fixture()
def model(tmp_path: Path) -> ConsoleModel:
    path = tmp_path / "m.sqlite"
    store = Store(path)
    seed_defaults(store, SYNTHETIC_EPOCH)
    clock = SimulationClock(SYNTHETIC_EPOCH, utc_now=lambda: SYNTHETIC_EPOCH)
    built = ConsoleModel.open(path, store, clock)
    yield built
    built.catalog.store.close()


def test_selecting_the_same_object_emits_once(model: ConsoleModel) -> None:
    seen: list[ObjectRef | None] = []
    model.selection.changed.connect(seen.append)
    ref = ObjectRef("site", int(model.catalog.data.sites[0]["id"]))
    model.selection.select(ref)
    model.selection.select(ref)
    model.selection.select(None)
    assert seen == [ref, None] and model.selection.emitted == 2


def test_a_ground_edit_reloads_the_catalog_and_names_the_object(model: ConsoleModel) -> None:
    site = model.catalog.data.sites[0]
    seen: list[ObjectRef] = []
    model.catalog.ground_changed.connect(seen.append)
    values = catalog_edits.site_values(model.catalog.store, int(site["id"]))
    catalog_edits.update_site(model.catalog.store, int(site["id"]), {**values, "name": "Pier 9"})
    model.catalog.ground_edited("site", int(site["id"]))
    assert seen == [ObjectRef("site", int(site["id"]))]
    assert model.catalog.data.site(int(site["id"]))["name"] == "Pier 9"  # type: ignore[index]


def _scenario():  # type: ignore[no-untyped-def]
    folder = resources.files("opsconsole.resources").joinpath("scenarios")
    return load_scenario(str(folder.joinpath("eu-gateway-outage.toml")))


def _show(model: ConsoleModel, plan_id: int) -> None:
    data = model.catalog.data
    stored = load_plan(model.catalog.store, plan_id)
    set_id = data.element_info.id if data.element_info is not None else None
    model.replay.request(plan_id)
    model.replay.set(PlanPlayback(stored, data.elements.norad_ids, data.gateways,
                                  data.regions, set_id))  # fmt: skip


def test_alert_book_follows_any_plan_and_logs_acknowledgements(model: ConsoleModel) -> None:
    """Headless version of the Alerts freeze (issue 15, flow 2): the session's plan
    covers its customers' sites; a plan for every customer then replaces it."""
    scenario = _scenario()
    store = model.catalog.store
    params = PlanParameters(start=scenario.start, duration_s=1800.0, step_s=scenario.step_s)
    session_plan = create_plan(
        store, PlanRequest("session", params, customers=tuple(list(scenario.customers)))
    )
    session = TrainingSession.start(store, scenario, session_plan)
    changes: list[None] = []
    model.alerts.changed.connect(changes.append)
    model.training.set_session(session)
    assert model.alerts.open == {} and changes  # a new session resets the book
    _show(model, session_plan)
    step = timedelta(seconds=scenario.step_s)
    for j in range(MIN_SLOTS + 2):
        now = scenario.start + j * step
        session.advance(now)
        model.alerts.refresh(now)
    every = create_plan(store, PlanRequest("all", params))
    _show(model, every)
    playback = model.replay.playback
    assert playback is not None and len(playback.sites) > len(load_plan(store, session_plan).sites)
    for j in range(MIN_SLOTS + 2, 2 * MIN_SLOTS + 4):
        now = scenario.start + j * step
        session.advance(now)
        model.alerts.refresh(now)  # raised a shape mismatch before issue 15's fix
    assert "critical;" in model.alerts.summary
    planned = {int(s["id"]) for s in playback.sites}
    assert {key[0] for key in model.alerts.open} <= planned
    keys = list(model.alerts.open)
    assert keys  # the gateway outage from 08:10 leaves sites out of objective
    assert model.alerts.acknowledge(keys, now) == len(keys)
    assert all(o.acknowledged for o in model.alerts.open.values())
    assert model.alerts.acknowledge(keys, now) == 0  # once only
    from opsconsole.store.training_repository import session_log

    kinds = [entry.kind for entry in session_log(store, session.id)]
    assert kinds.count("ack") == len(keys), kinds


def test_outages_in_force_become_planner_exclusions(model: ConsoleModel) -> None:
    scenario = _scenario()
    store = model.catalog.store
    params = PlanParameters(start=scenario.start, duration_s=900.0, step_s=scenario.step_s)
    plan_id = create_plan(
        store, PlanRequest("s", params, customers=tuple(list(scenario.customers)))
    )
    model.training.set_session(TrainingSession.start(store, scenario, plan_id))
    assert model.training.incident_exclusions(scenario.start) == []
    during = scenario.start + timedelta(minutes=15)  # the outage begins at 08:10
    model.training.session.advance(during)  # type: ignore[union-attr]
    excluded = model.training.incident_exclusions(during)
    assert [(x.kind, x.key, x.end) for x in excluded] == [("gateway", "gw-usingen", None)]
    fade, _surge = model.training.incident_factors(during)
    assert fade == {}
    later = scenario.start + timedelta(minutes=35)  # the rain fade from 08:30
    model.training.session.advance(later)  # type: ignore[union-attr]
    fade, _surge = model.training.incident_factors(later)
    assert set(fade) == {"gw-chalfont-grove"} and np.isclose(fade["gw-chalfont-grove"], 0.05)


def test_following_other_writers_says_what_to_reload(model: ConsoleModel) -> None:
    """Another process activates a plan, then another element set: the model says the
    replay, then everything, must be reloaded; nothing when nothing changed."""
    from opsconsole.core.walker import synthetic_constellation
    from opsconsole.store.element_repository import import_element_set
    from opsconsole.store.plan_repository import set_status

    db = model.catalog.db_path
    model.replay.request(None, active=True)
    assert model.follow_other_writers() == ""
    with Store(db) as other:
        params = PlanParameters(start=SYNTHETIC_EPOCH, duration_s=600.0, step_s=60.0)
        plan_id = create_plan(other, PlanRequest("theirs", params))
        set_status(other, plan_id, "approved")
        set_status(other, plan_id, "active")
    assert model.follow_other_writers() == "replay"
    model.replay.request(plan_id, active=True)
    assert model.follow_other_writers() == ""
    with Store(db) as other:
        import_element_set(other, synthetic_constellation(SYNTHETIC_EPOCH), "newer")
    assert model.follow_other_writers() == "elements"

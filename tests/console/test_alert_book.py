"""The alert lifecycle without a window: one alert per site and cause, return to normal,
re-raise as the same alert, acknowledge with a comment, shelve, clear (issue 15,
section 3)."""

from __future__ import annotations

from datetime import timedelta
from importlib import resources
from pathlib import Path

import pytest

from opsconsole.console.model import ConsoleModel
from opsconsole.core.sim_clock import SimulationClock
from opsconsole.planning.parameters import PlanParameters
from opsconsole.plans.request import PlanRequest
from opsconsole.plans.service import create_plan
from opsconsole.store.database import Store
from opsconsole.store.seed import seed_defaults
from opsconsole.store.training_repository import session_log
from opsconsole.training.alerts import AVAILABILITY, Alert
from opsconsole.training.scenario import load_scenario
from opsconsole.training.service import OUTAGE
from opsconsole.training.session import TrainingSession
from tests.conftest import SYNTHETIC_EPOCH


def _alert(site: int, reason: int, cause: str, topic: str = "") -> Alert:
    return Alert(0, site, f"site {site}", "c", 1, "critical", reason, "why", cause, topic)


OUT = _alert(1, OUTAGE, "gateway gw-usingen down")
AVAIL = _alert(1, AVAILABILITY, "availability 80.0 % < 99 %", "availability")


@pytest.fixture()
def model(tmp_path: Path) -> ConsoleModel:
    path = tmp_path / "a.sqlite"
    store = Store(path)
    seed_defaults(store, SYNTHETIC_EPOCH)
    clock = SimulationClock(SYNTHETIC_EPOCH, utc_now=lambda: SYNTHETIC_EPOCH)
    built = ConsoleModel.open(path, store, clock)
    folder = resources.files("opsconsole.resources").joinpath("scenarios")
    scenario = load_scenario(str(folder.joinpath("eu-gateway-outage.toml")))
    params = PlanParameters(start=scenario.start, duration_s=600.0, step_s=60.0)
    plan_id = create_plan(store, PlanRequest("s", params, customers=scenario.customers))
    built.training.set_session(TrainingSession.start(store, scenario, plan_id))
    yield built
    store.close()


def test_one_alert_per_site_and_cause(model: ConsoleModel) -> None:
    book, t = model.alerts, SYNTHETIC_EPOCH
    changed, raised = book.fold(t, [OUT, AVAIL])
    assert changed and raised == [OUT] and len(book.entries) == 1  # availability follows
    changed, raised = book.fold(t + timedelta(minutes=1), [OUT, AVAIL])
    assert not changed and raised == []
    _, raised = book.fold(t + timedelta(minutes=2), [AVAIL])  # outage over, still below
    assert raised == [AVAIL] and book.entries[(1, "gateway gw-usingen down")].state == "returned"


def test_a_flapping_cause_is_the_same_alert_again(model: ConsoleModel) -> None:
    book, t = model.alerts, SYNTHETIC_EPOCH
    book.fold(t, [OUT])
    book.fold(t + timedelta(minutes=1), [])
    entry = book.entries[(1, "gateway gw-usingen down")]
    assert entry.state == "returned" and entry.since == t  # stays until acknowledged
    changed, raised = book.fold(t + timedelta(minutes=2), [OUT])
    entry = book.entries[(1, "gateway gw-usingen down")]
    assert changed and raised == [] and entry.active and entry.occurrences == 2


def test_acknowledge_with_a_comment_then_return_to_normal(model: ConsoleModel) -> None:
    book, t = model.alerts, SYNTHETIC_EPOCH
    book.fold(t, [OUT])
    key = (1, "gateway gw-usingen down")
    assert book.acknowledge([key], t, "  rerouting via gw-aerzen ") == 1
    entry = book.entries[key]
    assert entry.acknowledged is not None and entry.comment == "rerouting via gw-aerzen"
    assert entry.acknowledged.startswith(model.catalog.store.who)  # the OS user
    assert book.rows("unacknowledged") == [] and book.rows("open") == [entry]
    book.fold(t + timedelta(minutes=1), [])
    assert key not in book.entries  # acknowledged and back to normal: gone
    session = model.training.session
    assert session is not None
    acks = [e for e in session_log(model.catalog.store, session.id) if e.kind == "ack"]
    assert len(acks) == 1 and acks[0].detail["comment"] == "rerouting via gw-aerzen"


def test_shelve_hides_until_the_chosen_time(model: ConsoleModel) -> None:
    book, t = model.alerts, SYNTHETIC_EPOCH
    book.fold(t, [OUT])
    key = (1, "gateway gw-usingen down")
    assert book.shelve([key], t, timedelta(minutes=15)) == 1
    assert book.rows("open", t) == [] and len(book.rows("shelved", t)) == 1
    assert len(book.rows("all", t)) == 1
    later = t + timedelta(minutes=16)
    book.fold(later, [OUT])
    assert book.entries[key].shelved_until is None and len(book.rows("open", later)) == 1
    with pytest.raises(ValueError, match="filter"):
        book.rows("everything")


def test_clear_removes_only_alerts_back_to_normal(model: ConsoleModel) -> None:
    book, t = model.alerts, SYNTHETIC_EPOCH
    other = _alert(2, OUTAGE, "region azure:westeurope down")
    book.fold(t, [OUT, other])
    book.fold(t + timedelta(minutes=1), [other])
    cleared, refused = book.clear([(1, "gateway gw-usingen down"),
                                   (2, "region azure:westeurope down")], t)  # fmt: skip
    assert (cleared, refused) == (1, 1) and list(book.entries) == [(2, other.cause)]

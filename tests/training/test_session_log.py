"""A running session: events fire at their exact simulation time at any clock speed,
injections, actions and acknowledgements are logged, the log cannot change, and a
replay gives back the same events."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from opsconsole.store.database import Store
from opsconsole.store.training_repository import list_sessions, session_log, session_row
from opsconsole.training.scenario import load_scenario
from opsconsole.training.session import TrainingSession, outage_exclusions, replayed_events
from tests.training.test_scenario_files import SHIPPED

EU = next(path for path in SHIPPED if path.stem == "eu-gateway-outage")


def _run_clock(session: TrainingSession, speed: float, seed: int) -> None:
    """Advance like the console's clock: irregular 5-40 ms wall ticks at ``speed``."""
    rng = np.random.default_rng(seed)
    now, end = session.scenario.start, session.scenario.end
    while now < end:
        now = min(now + timedelta(seconds=float(rng.uniform(0.005, 0.040)) * speed), end)
        session.advance(now)


@pytest.mark.parametrize("speed", [1.0, 60.0, 600.0, 3600.0])
def test_events_are_logged_at_their_exact_time_at_any_speed(tmp_path: Path, speed: float) -> None:
    scenario = load_scenario(EU)
    with Store(tmp_path / "s.sqlite") as store:
        session = TrainingSession.start(store, scenario)
        if speed == 1.0:  # an hour of 1x ticks is slow: tick through 2 s around each start
            for event in scenario.events:
                now = event.start - timedelta(seconds=1)
                while now < event.start + timedelta(seconds=1):
                    now += timedelta(milliseconds=17)
                    session.advance(now)
            session.advance(scenario.end)
        else:
            _run_clock(session, speed, seed=int(speed))
        events = [e for e in session_log(store, session.id) if e.kind == "event"]
    expected = sorted([(e.start, f"{e.label} begins") for e in scenario.events]
                      + [(e.end, f"{e.label} ends") for e in scenario.events])  # fmt: skip
    assert [(e.sim, e.what) for e in events] == expected


def test_injections_actions_acknowledgements_and_replay(tmp_path: Path) -> None:
    scenario = load_scenario(EU)
    with Store(tmp_path / "s.sqlite", who="trainer") as store:
        session = TrainingSession.start(store, scenario)
        t = scenario.start + timedelta(minutes=5)
        session.advance(t)
        injected = session.inject("region_outage", {"region": "azure:swedencentral"}, t, 15.0)
        with pytest.raises(ValueError, match="no region 'azure:atlantis'"):
            session.inject("region_outage", {"region": "azure:atlantis"}, t, 15.0)
        with pytest.raises(ValueError, match="moves nothing"):
            session.inject("element_update", {"along_track_s": 0}, t, 15.0)
        with pytest.raises(ValueError, match="needs gateway"):
            session.inject("gateway_outage", {}, t, 15.0)
        assert session.advance(t) == [("begins", injected)]
        update = session.inject("element_update", {"along_track_s": 20}, t, 15.0)
        assert update.end == scenario.end  # an update is not withdrawn after 15 min
        assert session.advance(t) == [("begins", update)]
        assert session.in_force(t) == [injected, update]
        session.record(
            t + timedelta(minutes=1), "excluded gateway gw-usingen", {"key": "gw-usingen"}
        )
        session.alerts(t + timedelta(minutes=1), [("critical: quay", [13], "outage"),
                                                  ("major: yard", [14], "outage")])  # fmt: skip
        session.acknowledge(t + timedelta(minutes=2), "outage at Rotterdam Maasvlakte", [13])
        session.advance(scenario.end)
        session.end(scenario.end)
        log = session_log(store, session.id)
        kinds = [entry.kind for entry in log]
        assert kinds[0] == "control" and kinds[-1] == "control"
        assert {"action", "ack"} <= set(kinds) and kinds.count("alert") == 2
        assert all(entry.who == "trainer" for entry in log)
        assert [e.sim for e in log] == sorted(e.sim for e in log)
        row = session_row(store, session.id)
        assert row["ended_utc"] and row["scenario_text"] == EU.read_text()
        assert list_sessions(store)[0]["entries"] == len(log)
        replay = replayed_events(store, session.id)
        assert [(e.kind, e.start, e.end, e.fields) for e in replay] == [
            (e.kind, e.start, e.end, e.fields) for e in session.events
        ]
        with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
            store.conn.execute("UPDATE session_log SET what = 'x'")
        with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
            store.conn.execute("DELETE FROM session_log")
        exclusions = outage_exclusions(replay, {})
        assert [(x.kind, x.key) for x in exclusions] == [
            ("gateway", "gw-usingen"),
            ("region", "azure:swedencentral"),
        ]
        assert exclusions[0].start == scenario.events[0].start

"""Scenario files: the shipped ones are valid; errors name the line and the reason."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from opsconsole.training.scenario import ScenarioError, load_scenario

SHIPPED = sorted(
    Path(str(item))
    for item in resources.files("opsconsole.resources").joinpath("scenarios").iterdir()
    if item.name.endswith(".toml")
)
GOOD = """\
[scenario]
title = "t"
start = 2026-11-24T08:00:00Z
duration_minutes = 60
customers = ["Harbourline Ports Group"]

[[events]]
kind = "gateway_outage"
gateway = "gw-usingen"
at_minutes = 10
"""


def test_three_shipped_scenarios_are_valid() -> None:
    names = {path.stem for path in SHIPPED}
    assert {"eu-gateway-outage", "plane-failure", "region-failover"} <= names
    for path in SHIPPED:
        scenario = load_scenario(path)
        assert scenario.title and scenario.briefing and scenario.events and scenario.objectives
        assert all(scenario.start <= e.start < e.end <= scenario.end for e in scenario.events)


def test_a_good_file_parses_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(GOOD)
    scenario = load_scenario(path)
    (event,) = scenario.events
    assert event.end == scenario.end  # no until_minutes: to the end of the scenario
    assert (event.start - scenario.start).total_seconds() == 600.0
    assert scenario.speed == 60.0 and scenario.step_s == 60.0 and event.line == 7


@pytest.mark.parametrize(
    ("change", "line", "reason"),
    [
        (('gateway = "gw-usingen"', 'gateway = "gw-atlantis"'), 9, "no gateway 'gw-atlantis'"),
        (("at_minutes = 10", "at_minutes = 60"), 10, "must fall within the scenario"),
        (("at_minutes = 10", "at_minutes = 10\nuntil_minutes = 5"), 11, "must come after"),
        (('kind = "gateway_outage"', 'kind = "meteor"'), 8, "unknown event 'meteor'"),
        (('gateway = "gw-usingen"', "gateway = 7"), 9, "expected str, got 7"),
        (("at_minutes = 10\n", ""), 7, "events[0]: missing 'at_minutes'"),
        (("2026-11-24T08:00:00Z", "2026-11-24T08:00:00"), 3, "give a UTC offset"),
        (('title = "t"', 'title = "t"\ncolour = "red"'), 3, "unknown key"),
        (('"Harbourline Ports Group"', '"Nobody"'), 5, "no customer called 'Nobody'"),
        (("duration_minutes = 60", "duration_minutes = 60\nspeed = 7200"), 5, "between 1 and 3600"),
        (('title = "t"', 'title = "t'), 2, "not valid TOML"),
        (("at_minutes = 10", "at_minutes = nan"), 10, "must be a finite number, got nan"),
        (("duration_minutes = 60", "duration_minutes = inf"), 4, "finite number, got inf"),
        (('"Harbourline Ports Group"', "7"), 5, "expected customer names, got 7"),
        (('title = "t"', 'title = "t\\u0007"'), 2, "title contains the control character"),
        (("at_minutes = 10", "at_minutes = 10\n[plan]\nsite_mask_deg = 95"), 12, "95 outside"),
        (
            (
                'kind = "gateway_outage"\ngateway = "gw-usingen"',
                'kind = "demand_surge"\ncustomer = "Harbourline Ports Group"\nfactor = nan',
            ),
            10,
            "factor: must be a finite number",
        ),
        (
            (
                'kind = "gateway_outage"\ngateway = "gw-usingen"\nat_minutes = 10',
                'kind = "element_update"\nalong_track_s = 30\nat_minutes = 10\nuntil_minutes = 20',
            ),
            11,
            "holds to the scenario's end",
        ),
    ],
)
def test_errors_name_the_line_and_the_reason(tmp_path: Path, change: tuple[str, str],
                                             line: int, reason: str) -> None:  # fmt: skip
    path = tmp_path / "bad.toml"
    assert change[0] in GOOD
    path.write_text(GOOD.replace(change[0], change[1], 1))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.line == line, str(caught.value)
    assert reason in str(caught.value) and str(path) in str(caught.value)


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "nowhere.toml")


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_text(GOOD + "#" * 2**20)
    with pytest.raises(ScenarioError, match=r"huge.toml: cannot read: file is .* bytes, more"):
        load_scenario(path)


def test_dev_zero_is_refused() -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("/dev/zero is not on this system")
    with pytest.raises(ScenarioError, match="bytes allowed"):
        load_scenario("/dev/zero")


@pytest.mark.parametrize("opening", ["[", "{a = "])
def test_deep_nesting_is_refused(tmp_path: Path, opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    path = tmp_path / "deep.toml"
    path.write_text(GOOD + "\n[extra]\nx = " + opening * 5000 + closing * 5000 + "\n")
    with pytest.raises(ScenarioError, match="nested too deeply"):
        load_scenario(path)


def test_bytes_that_are_not_utf8_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(GOOD.replace('"t"', '"caf\xe9"').encode("latin-1"))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.line == 2 and "not UTF-8" in str(caught.value)


def test_the_session_keeps_the_text_that_was_read(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(GOOD)
    scenario = load_scenario(path)
    path.write_text("changed")
    assert scenario.text == GOOD

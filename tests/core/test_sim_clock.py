"""The simulation clock, driven by a fake wall clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from opsconsole.core.sim_clock import SPEED_STEPS, SimulationClock

T0 = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


class FakeWall:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def make() -> tuple[SimulationClock, FakeWall]:
    wall = FakeWall()
    return SimulationClock(T0, wall=wall, utc_now=lambda: T0 + timedelta(days=1)), wall


def test_paused_clock_stands_still_and_play_advances() -> None:
    clock, wall = make()
    wall.t += 50
    assert clock.now() == T0 and not clock.playing
    clock.play()
    wall.t += 10
    assert clock.now() == T0 + timedelta(seconds=10)
    clock.pause()
    wall.t += 100
    assert clock.now() == T0 + timedelta(seconds=10)


@pytest.mark.parametrize("speed", [s * sign for s in SPEED_STEPS for sign in (1, -1)])
def test_every_speed_in_both_directions(speed: int) -> None:
    clock, wall = make()
    clock.set_speed(speed)
    clock.play()
    wall.t += 2.5
    assert clock.now() == T0 + timedelta(seconds=2.5 * speed)


def test_speed_changes_keep_time_continuous() -> None:
    clock, wall = make()
    clock.play()
    wall.t += 10
    clock.set_speed(60)
    assert clock.now() == T0 + timedelta(seconds=10)
    wall.t += 1
    assert clock.now() == T0 + timedelta(seconds=70)
    clock.reverse()
    wall.t += 1
    assert clock.now() == T0 + timedelta(seconds=10)
    assert clock.revision == 0


def test_faster_slower_stop_at_the_ends() -> None:
    clock, _ = make()
    for _ in range(20):
        clock.faster()
    assert clock.speed == 3600
    clock.reverse()
    for _ in range(20):
        clock.slower()
    assert clock.speed == -1
    with pytest.raises(ValueError):
        clock.set_speed(7)


def test_step_scrub_and_jump_count_revisions() -> None:
    clock, wall = make()
    clock.step(-60)
    assert clock.now() == T0 - timedelta(minutes=1)
    clock.scrub(T0 + timedelta(hours=2))
    assert clock.now() == T0 + timedelta(hours=2)
    clock.jump_to_now()
    assert clock.now() == T0 + timedelta(days=1)
    assert clock.revision == 3
    clock.toggle()
    wall.t += 1
    assert clock.now() == T0 + timedelta(days=1, seconds=1)

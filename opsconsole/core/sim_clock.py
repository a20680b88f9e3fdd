"""The simulation clock: what time the console shows, independent of any widget.

Simulation time advances with the wall clock times a signed speed (1x to 3600x, or the
same in reverse) while playing. Every change (play, pause, speed, step, scrub, jump)
re-anchors the clock, so simulation time is continuous except where the operator asked
for a jump; ``revision`` counts those discontinuities so that caches can follow.

The wall clock is injectable (a callable returning seconds), which makes the clock
deterministic in tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from opsconsole.core.timescale import as_utc

SPEED_STEPS: tuple[int, ...] = (1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)
"""Speeds offered to the operator (multiples of real time); each may also be negative."""


class SimulationClock:
    """Simulation time in UTC, driven by a wall clock at a signed speed."""

    def __init__(
        self,
        start: datetime | None = None,
        *,
        wall: Callable[[], float] = time.monotonic,
        utc_now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._wall = wall
        self._utc_now = utc_now
        self._anchor_sim = as_utc(start) if start is not None else utc_now()
        self._anchor_wall = wall()
        self._speed = 1
        self._playing = False
        self.revision = 0
        """Incremented whenever simulation time jumps (step, scrub, jump to now)."""

    # -- reading -----------------------------------------------------------------
    def now(self) -> datetime:
        """The current simulation time (aware UTC)."""
        if not self._playing:
            return self._anchor_sim
        elapsed = (self._wall() - self._anchor_wall) * self._speed
        return self._anchor_sim + timedelta(seconds=elapsed)

    @property
    def speed(self) -> int:
        """Signed multiple of real time (negative runs backwards)."""
        return self._speed

    @property
    def playing(self) -> bool:
        """Whether simulation time is advancing."""
        return self._playing

    # -- changing ----------------------------------------------------------------
    def _reanchor(self) -> None:
        self._anchor_sim = self.now()
        self._anchor_wall = self._wall()

    def play(self) -> None:
        """Start advancing from the current simulation time."""
        self._reanchor()
        self._playing = True

    def pause(self) -> None:
        """Freeze simulation time where it is."""
        self._reanchor()
        self._playing = False

    def toggle(self) -> None:
        """Play if paused, pause if playing (the Space key)."""
        if self._playing:
            self.pause()
        else:
            self.play()

    def set_speed(self, speed: int) -> None:
        """Set a signed speed; its magnitude must be one of :data:`SPEED_STEPS`."""
        if abs(speed) not in SPEED_STEPS:
            raise ValueError(f"speed {speed} is not one of ±{SPEED_STEPS}")
        self._reanchor()
        self._speed = speed

    def faster(self) -> None:
        """Next speed step up in magnitude (keeps the direction); stops at 3600x."""
        index = SPEED_STEPS.index(abs(self._speed))
        step = SPEED_STEPS[min(index + 1, len(SPEED_STEPS) - 1)]
        self.set_speed(step if self._speed > 0 else -step)

    def slower(self) -> None:
        """Next speed step down in magnitude (keeps the direction); stops at 1x."""
        index = SPEED_STEPS.index(abs(self._speed))
        step = SPEED_STEPS[max(index - 1, 0)]
        self.set_speed(step if self._speed > 0 else -step)

    def reverse(self) -> None:
        """Run the other way at the same magnitude."""
        self.set_speed(-self._speed)

    def step(self, seconds: float) -> None:
        """Jump simulation time by ``seconds`` (negative steps back)."""
        self._reanchor()
        self._anchor_sim += timedelta(seconds=seconds)
        self.revision += 1

    def scrub(self, moment: datetime) -> None:
        """Set simulation time to ``moment`` (the scrub slider)."""
        self._reanchor()
        self._anchor_sim = as_utc(moment)
        self.revision += 1

    def jump_to_now(self) -> None:
        """Set simulation time to the real current UTC time."""
        self.scrub(self._utc_now())

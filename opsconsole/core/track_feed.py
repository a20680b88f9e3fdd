"""Satellite positions for every frame, computed ahead of the clock on a worker thread.

:class:`TrackFeed` keeps a window of Hermite nodes (:class:`TrackNodes`) around the
simulation time and answers :meth:`TrackFeed.positions` from it in well under a
millisecond. When the clock nears the end of the window (in its direction of travel), or
the speed calls for coarser nodes, the next window is computed on a background thread;
after a jump outside the window the feed first computes the single instant (one SGP4
call) and then the window, returning the last positions it had meanwhile, so a frame
never waits for SGP4.

SGP4 holds the GIL, so the worker propagates one node per call (a few ms for 10,000
satellites) and the UI thread gets the interpreter back between calls. Qt-free: the
caller drives it from its frame timer.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from opsconsole.core.element_sets import ElementSet
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import as_utc, time_at, times_from
from opsconsole.core.track_cache import TrackNodes

FloatArray = NDArray[np.float64]
NODES_PER_WINDOW = 41


def node_step_s(speed: float) -> float:
    """Node spacing (s) for a clock speed: 60 s up to 120x, then 120 s, 300 s above 600x.

    Hermite interpolation errors grow as the fourth power of the spacing: about 0.5 m at
    60 s, tens of metres at 120 s and a few hundred metres at 300 s, still below a pixel
    of the whole-Earth view; the window then spans minutes of wall time even at 3600x.
    """
    rate = abs(speed)
    if rate <= 120:
        return 60.0
    return 120.0 if rate <= 600 else 300.0


@dataclass
class _Job:
    future: Future[TrackNodes | None]
    cancel: threading.Event
    start: datetime
    end: datetime
    step_s: float
    instant: tuple[datetime, FloatArray] | None = None


class TrackFeed:
    """Frame positions of ``elements``; call :meth:`positions` from the frame loop."""

    def __init__(
        self,
        elements: ElementSet,
        *,
        nodes: int = NODES_PER_WINDOW,
        executor: ThreadPoolExecutor | None = None,
    ) -> None:
        self.elements = elements
        self.nodes = max(nodes, 3)
        self._executor = executor or ThreadPoolExecutor(1, thread_name_prefix="track-feed")
        self._owns_executor = executor is None
        self._window: TrackNodes | None = None
        self._job: _Job | None = None
        self._last: FloatArray = np.full((len(elements), 3), np.nan)
        self._last_time: datetime | None = None
        self.windows_computed = 0

    # -- public ------------------------------------------------------------------------
    @property
    def window(self) -> TrackNodes | None:
        """The nodes in use (``None`` before the first window is ready)."""
        return self._window

    @property
    def busy(self) -> bool:
        """Whether a window is being computed."""
        return self._job is not None and not self._job.future.done()

    def positions(self, when: datetime, speed: float = 0.0) -> tuple[FloatArray, datetime | None]:
        """Positions (km, ITRS, ``(n, 3)``) for a frame at ``when`` and the instant they
        are exact for (``when`` itself when the window covers it; else the last instant
        known, or ``None`` before anything was computed). Never blocks on SGP4."""
        when = as_utc(when)
        self._collect()
        window = self._window
        if window is not None and window.covers(when):
            self._last, self._last_time = window.positions_at(when), when
            self._prefetch(when, speed)
        else:
            self._request(when, speed, jumped=True)
            job = self._job
            if job is not None and job.instant is not None:
                self._last_time, self._last = job.instant
        return self._last, self._last_time

    def wait(self, timeout: float | None = None) -> None:
        """Block until the running job (if any) is done; for tests and the self-test."""
        if self._job is not None:
            self._job.future.result(timeout)
            self._collect()

    def close(self) -> None:
        """Cancel work and stop the worker thread (when the feed created it)."""
        if self._job is not None:
            self._job.cancel.set()
        if self._owns_executor:
            self._executor.shutdown(wait=True, cancel_futures=True)

    # -- internals ---------------------------------------------------------------------
    def _collect(self) -> None:
        job = self._job
        if job is None or not job.future.done():
            return
        self._job = None
        if job.future.cancelled() or job.future.exception() is not None:
            return
        nodes = job.future.result()
        if nodes is not None:
            self._window = nodes
            self.windows_computed += 1

    def _span(self, when: datetime, speed: float) -> tuple[datetime, float]:
        step = node_step_s(speed)
        if speed > 0:
            lead = 2
        elif speed < 0:
            lead = self.nodes - 3
        else:
            lead = (self.nodes - 1) // 2
        return when - timedelta(seconds=lead * step), step

    def _prefetch(self, when: datetime, speed: float) -> None:
        window = self._window
        assert window is not None
        if self._job is not None:
            return
        span = (window.end - window.start).total_seconds()
        ahead = (window.end - when if speed >= 0 else when - window.start).total_seconds()
        if ahead < 0.4 * span or node_step_s(speed) != window.step_s:
            self._request(when, speed, jumped=False)

    def _request(self, when: datetime, speed: float, *, jumped: bool) -> None:
        job = self._job
        if job is not None:
            if job.start <= when <= job.end:
                return
            job.cancel.set()
        start, step = self._span(when, speed)
        cancel = threading.Event()
        end = start + timedelta(seconds=step * (self.nodes - 1))
        new = _Job(Future(), cancel, start, end, step)
        new.future = self._executor.submit(self._compute, new, when if jumped else None)
        self._job = new

    def _compute(self, job: _Job, instant: datetime | None) -> TrackNodes | None:
        if instant is not None:
            eph = propagate(self.elements, time_at(instant), velocities=False)
            job.instant = (instant, eph.position_km[:, 0])
        n = len(self.elements)
        pos = np.empty((n, self.nodes, 3))
        vel = np.empty((n, self.nodes, 3))
        for k in range(self.nodes):
            if job.cancel.is_set():
                return None
            eph = propagate(self.elements, times_from(job.start, [k * job.step_s]))
            assert eph.velocity_km_s is not None
            pos[:, k] = eph.position_km[:, 0]
            vel[:, k] = eph.velocity_km_s[:, 0]
        return TrackNodes(job.start, job.step_s, pos, vel)

"""A plan's result as intervals: who serves each site when, and when it is unserved.

An interval is a run of consecutive slots of one site with the same satellite, gateway,
region and status. Times are slot boundaries (UTC). Round-trip statistics (ms) are over
every slot end the interval covers (its ``m`` slots have ``m + 1`` ends): the maximum
is the worst of them, the mean their mean. Plans made before the ends were recorded
fall back to one figure per slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from opsconsole.planning.assignment import SERVED
from opsconsole.planning.planner import PlanResult


@dataclass(frozen=True)
class Intervals:
    """Arrays ``(m,)`` sorted by site then start: site index, first slot, slot count,
    satellite / gateway / region indices (-1 when unserved), status, and round-trip
    mean and max in ms (NaN when unserved)."""

    site: NDArray[np.intp]
    first_slot: NDArray[np.intp]
    slots: NDArray[np.intp]
    satellite: NDArray[np.int32]
    gateway: NDArray[np.int16]
    region: NDArray[np.int16]
    status: NDArray[np.uint8]
    rtt_mean_ms: NDArray[np.float64]
    rtt_max_ms: NDArray[np.float64]
    start: datetime
    step_s: float

    def __len__(self) -> int:
        return int(self.site.shape[0])

    def start_utc(self, i: int) -> datetime:
        """Start of interval ``i``."""
        return self.start + timedelta(seconds=float(self.first_slot[i]) * self.step_s)

    def end_utc(self, i: int) -> datetime:
        """End of interval ``i`` (exclusive)."""
        last = float(self.first_slot[i] + self.slots[i])
        return self.start + timedelta(seconds=last * self.step_s)

    @property
    def served(self) -> NDArray[np.bool_]:
        """Which intervals are served."""
        return np.asarray(self.status == SERVED)


def intervals(result: PlanResult) -> Intervals:
    """Run-length intervals of every site (vectorised over sites x slots)."""
    fields = [
        np.ascontiguousarray(getattr(result, name).T)
        for name in ("satellite", "gateway", "region", "status")
    ]
    k, s = fields[0].shape
    change = np.zeros((k, s), dtype=bool)
    change[:, 0] = True
    for f in fields:
        change[:, 1:] |= f[:, 1:] != f[:, :-1]
    flat = np.flatnonzero(change.ravel())
    lengths = np.diff(np.r_[flat, k * s])
    rtt = np.ascontiguousarray(result.rtt_ms.T, dtype=np.float64).ravel()
    served = ~np.isnan(rtt)
    counts = np.add.reduceat(served.astype(np.int64), flat)
    maxima = np.maximum.reduceat(np.where(served, rtt, -np.inf), flat)
    if result.rtt_start_ms is not None and result.rtt_end_ms is not None:
        starts = np.ascontiguousarray(result.rtt_start_ms.T, dtype=np.float64).ravel()
        ends = np.ascontiguousarray(result.rtt_end_ms.T, dtype=np.float64).ravel()
        last = flat + lengths - 1
        sums = np.add.reduceat(np.where(served, starts, 0.0), flat)
        sums = sums + np.where(served[last], ends[last], 0.0)
        ends_counted = counts + served[last]
    else:
        sums = np.add.reduceat(np.where(served, rtt, 0.0), flat)
        ends_counted = counts
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(counts > 0, sums / ends_counted, np.nan)
    maxima = np.where(counts > 0, maxima, np.nan)
    site, first = np.divmod(flat, s)
    pick = [f.ravel()[flat] for f in fields]
    return Intervals(
        site,
        first,
        lengths,
        pick[0].astype(np.int32),
        pick[1].astype(np.int16),
        pick[2].astype(np.int16),
        pick[3].astype(np.uint8),
        mean,
        maxima,
        result.start,
        result.step_s,
    )

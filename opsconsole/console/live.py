"""What the globe computes every frame and other views read: the satellites' positions
now, the terminal mask, the replayed plan's frame, labels. The globe's controller
(``ui.qt.globe_controller``) provides it; panels depend on this protocol, not on it."""

from __future__ import annotations

from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from opsconsole.console.selection import ObjectRef
from opsconsole.core.track_feed import TrackFeed
from opsconsole.plans.playback import PlanFrame


class LiveSky(Protocol):
    """Read-only view of the globe's current frame."""

    positions: NDArray[np.float64]
    """``(n, 3)`` km ITRS of every satellite at the displayed instant (NaN: failed)."""
    mask_deg: float
    """Terminal elevation mask used where a site has none (degrees)."""
    plan_frame: PlanFrame | None
    """The replayed plan's slot on the globe, if any."""
    feed: TrackFeed | None
    """The positions' source (its windows hold velocities too)."""

    def label_of(self, ref: ObjectRef) -> str:
        """Short label of an object."""
        ...

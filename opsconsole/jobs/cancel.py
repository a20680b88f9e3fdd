"""How long work is stopped and how it reports progress."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[float, str], None]
"""``progress(fraction, stage)``: ``fraction`` in [0, 1] of the whole job, ``stage`` a
few words for the operator ("propagating and assigning (part 1 of 2)")."""


class Cancelled(Exception):
    """Raised inside long work when its ``cancelled()`` callback turned true."""

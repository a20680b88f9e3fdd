"""Times as the console shows them: UTC and the operator's local time."""

from __future__ import annotations

from datetime import datetime


def format_times(moment: datetime) -> tuple[str, str]:
    """``(UTC text, local text)`` of an aware time, to the second."""
    utc = moment.strftime("%Y-%m-%d %H:%M:%S UTC")
    local = moment.astimezone()
    return utc, local.strftime("%Y-%m-%d %H:%M:%S %Z (local)")

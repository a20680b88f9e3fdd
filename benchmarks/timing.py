"""Repeat-and-report timing with machine information, for a noisy shared machine."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SAMPLE_TLE = Path(
    os.environ.get(
        "OPSCONSOLE_SAMPLE_TLE",
        Path(__file__).resolve().parents[1].parent / "shared" / "data" / "starlink-sample.tle",
    )
)


@dataclass
class Timing:
    """Seconds of each repeat of one measured call."""

    name: str
    seconds: list[float] = field(default_factory=list)

    @property
    def min(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "min_s": self.min,
            "median_s": self.median,
            "repeats": len(self.seconds),
        }


def measure(name: str, call: Callable[[], object], repeats: int, warmup: int = 1) -> Timing:
    """Run ``call`` ``warmup`` times unmeasured, then ``repeats`` times measured."""
    for _ in range(warmup):
        call()
    timing = Timing(name)
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        timing.seconds.append(time.perf_counter() - start)
    return timing


def interleaved(calls: dict[str, Callable[[], object]], repeats: int) -> dict[str, Timing]:
    """Measure several calls alternately (A B A B ...) so machine noise hits them alike."""
    timings = {name: Timing(name) for name in calls}
    for name, call in calls.items():
        call()  # warm-up
        del name
    for _ in range(repeats):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            timings[name].seconds.append(time.perf_counter() - start)
    return timings


def machine() -> dict[str, Any]:
    """What ran the benchmark."""
    import numpy
    import scipy
    import sgp4
    import skyfield
    from sgp4.api import accelerated

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "sgp4": sgp4.__version__,
        "skyfield": skyfield.__version__,
        "sgp4_accelerated": bool(accelerated),
    }


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:9.2f} ms"

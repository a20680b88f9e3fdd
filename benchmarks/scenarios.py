"""The measured workloads. Each returns rows ``(label, Timing | ratio text)`` to print."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np

from benchmarks.timing import SAMPLE_TLE, interleaved, measure
from opsconsole.core.element_readers import read_elements
from opsconsole.core.element_sets import ElementSet
from opsconsole.core.look_angles import Sites
from opsconsole.core.passes import find_passes
from opsconsole.core.propagation import propagate
from opsconsole.core.timescale import sgp4_julian_dates, time_at, times_from, timescale
from opsconsole.core.visibility import visible_satellites
from opsconsole.core.walker import WalkerShell, synthetic_constellation

AT = datetime(2026, 5, 13, 6, 0, tzinfo=UTC)


def load_elements() -> tuple[ElementSet, str]:
    """The real 10,361-satellite snapshot, or a synthetic 10,000 when it is absent."""
    if SAMPLE_TLE.is_file():
        return read_elements(SAMPLE_TLE), f"real snapshot ({SAMPLE_TLE.name})"
    shells = (WalkerShell("bench", 550.0, 53.0, 100, 100, 1),)
    return synthetic_constellation(AT, shells), "synthetic 10,000 (snapshot absent)"


def random_sites(count: int, seed: int = 7) -> Sites:
    rng = np.random.default_rng(seed)
    lat = np.degrees(np.arcsin(rng.uniform(-0.9, 0.9, count)))  # populated latitudes
    return Sites.from_geodetic(lat, rng.uniform(-180, 180, count), rng.uniform(0, 2, count))


def one_instant(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """Whole constellation at one instant: ours vs a skyfield EarthSatellite.at() loop."""
    from skyfield.api import EarthSatellite
    from skyfield.framelib import itrs

    ts = timescale()
    t_sky = ts.from_datetime(AT)
    satellites = [EarthSatellite.from_satrec(s, ts) for s in elements.satrecs]
    elements.satrec_array  # noqa: B018  (built once, as the console keeps it)

    def ours() -> object:
        return propagate(elements, time_at(AT), velocities=False, geodetic=True)

    def skyfield_loop() -> object:
        return [sat.at(t_sky).frame_xyz(itrs).km for sat in satellites]

    timings = interleaved(
        {
            "opsconsole propagate + geodetic": ours,
            "skyfield EarthSatellite.at() loop": skyfield_loop,
        },
        repeats,
    )
    a, b = timings["opsconsole propagate + geodetic"], timings["skyfield EarthSatellite.at() loop"]
    return {
        "timings": [a, b],
        "ratios": {
            "speed-up vs skyfield (min/min)": b.min / a.min,
            "speed-up vs skyfield (median/median)": b.median / a.median,
        },
    }


def full_day(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """All satellites x 1,440 one-minute steps: ours vs the raw SatrecArray.sgp4 call."""
    satrecs = elements.satrec_array
    t = times_from(AT, np.arange(1440) * 60.0)
    jd, fraction = sgp4_julian_dates(t)

    def raw() -> None:
        satrecs.sgp4(jd, fraction)

    def ours_serial() -> None:
        propagate(elements, t, velocities=True, geodetic=True, workers=1)

    def ours_shared() -> None:
        propagate(elements, t, velocities=True, geodetic=True, workers=None)

    timings = interleaved(
        {
            "raw SatrecArray.sgp4 (TEME only)": raw,
            "ours, 1 process (ITRS + vel + geodetic)": ours_serial,
            "ours, shared by processes": ours_shared,
        },
        repeats,
    )
    raw_t = timings["raw SatrecArray.sgp4 (TEME only)"]
    serial = timings["ours, 1 process (ITRS + vel + geodetic)"]
    shared = timings["ours, shared by processes"]
    return {
        "timings": [raw_t, serial, shared],
        "ratios": {
            "1 process / raw (min/min)": serial.min / raw_t.min,
            "1 process / raw (median/median)": serial.median / raw_t.median,
            "shared / raw (min/min)": shared.min / raw_t.min,
            "shared / raw (median/median)": shared.median / raw_t.median,
        },
    }


def visibility(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """1,000 sites x all satellites at one instant, against brute force in the same run."""
    from opsconsole.core.look_angles import look_angles

    pos = propagate(elements, time_at(AT), velocities=False).position_km[:, 0]
    sites = random_sites(1000)
    kd = measure("KD-tree prefilter + exact test", lambda: visible_satellites(sites, pos), repeats)
    brute = measure(
        "brute force (all pairs)", lambda: look_angles(sites, pos), max(3, repeats // 4)
    )
    pairs = len(visible_satellites(sites, pos))
    return {
        "timings": [kd, brute],
        "ratios": {"brute / KD-tree (min/min)": brute.min / kd.min},
        "pairs": pairs,
    }


def passes(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """Passes of all satellites over 1,000 sites for 24 h at 60 s nodes (25 deg mask)."""
    sites = random_sites(1000)
    found: list[int] = []

    def run() -> None:
        found.append(len(find_passes(elements, sites, AT, 86_400.0, workers=None)))

    timing = measure("find_passes, 1,000 sites x 24 h", run, repeats, warmup=0)
    return {
        "timings": [timing],
        "ratios": {},
        "passes": found[-1],
        "passes_per_site": found[-1] / len(sites),
    }


def frame(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """Globe frame time at 1280x800, console vs bare vispy; start to first frame."""
    from benchmarks.frames import frame as measure_frames

    return measure_frames(elements, repeats)


def plan_day(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """Planner: 24 h, 1,000 land sites, bent-pipe, at 60 s and 15 s, vs raw SGP4."""
    from benchmarks.planning import plan_day as measure_plan

    return measure_plan(elements, repeats)


def plan_congested(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """Planner: 2 h, 1,000 land sites, with region ingress or satellite capacity binding."""
    from benchmarks.planning import plan_congested as measure_congested

    return measure_congested(elements, repeats)


def ten_thousand_day(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """Planner at scale: 10,000 land sites, 24 h at 15 s, real network, 2 processes."""
    from benchmarks.scale import ten_thousand_day as measure

    return measure(elements, repeats)


def hundred_thousand_hour(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """Planner at scale: 100,000 land sites, 1 h at 15 s, real network, 2 processes."""
    from benchmarks.scale import hundred_thousand_hour as measure

    return measure(elements, repeats)


def dask_day(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """Planner on Dask: 1,000 sites 24 h at 15 s, local pool vs LocalCluster of 1 and 2."""
    from benchmarks.scale import dask_day as measure

    return measure(elements, repeats)


def contingency_study(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """N-1 study: demo customers 6 h at 15 s, every gateway and PoP, pool vs Dask."""
    from benchmarks.contingency import study

    return study(elements, repeats)


def calibration(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """Round trip: dish-to-PoP of 200 population-weighted US sites vs Starlink's figures."""
    from benchmarks.latency import calibration as measure_latency

    return measure_latency(elements, repeats)


def handover_policies(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """Handover: rtt vs dwell policy on the demo customers, 6 h at 15 s."""
    from benchmarks.handover import handover as measure_handover

    return measure_handover(elements, repeats)


def packaged(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """Packaged console vs source install: first frame, propagate, size (needs dist/)."""
    from benchmarks.frozen import frozen as measure_frozen

    return measure_frozen(elements, repeats)


def plan_stall(elements: ElementSet, repeats: int) -> dict[str, Any]:
    """Console: longest UI-thread stall while planning 24 h from the Planner dock."""
    from benchmarks.stalls import plan_stall as measure_stalls

    return measure_stalls(elements, repeats)


def training_stall(_elements: ElementSet, repeats: int) -> dict[str, Any]:
    """Console: longest UI-thread stall during a plane-failure training session at 600x."""
    from benchmarks.stalls import session_stall

    return session_stall(repeats)


ALL = {
    "one_instant": one_instant,
    "full_day": full_day,
    "visibility": visibility,
    "passes": passes,
    "frame": frame,
    "plan": plan_day,
    "congested": plan_congested,
    "latency": calibration,
    "handover": handover_policies,
    "stall": plan_stall,
    "session": training_stall,
    "frozen": packaged,
    "scale10k": ten_thousand_day,
    "scale100k": hundred_thousand_hour,
    "dask": dask_day,
    "contingency": contingency_study,
}
REPEATS = {
    "one_instant": 15,
    "full_day": 3,
    "visibility": 40,
    "passes": 2,
    "frame": 3,
    "plan": 2,
    "congested": 3,
    "latency": 1,
    "handover": 2,
    "stall": 3,
    "session": 3,
    "frozen": 5,
    "scale10k": 1,  # ~10 min a run
    "scale100k": 1,
    "dask": 2,
    "contingency": 1,
}

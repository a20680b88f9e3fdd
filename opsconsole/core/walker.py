"""Synthetic Starlink-like constellation: Walker-delta shells written as valid TLEs.

The default shells follow the published Starlink Gen1 filings (altitude, inclination,
planes x satellites per plane). Everything generated here is **synthetic**: names carry
a ``(synthetic)`` tag, catalog numbers come from the Alpha-5 range ``T0000``+ (270,000 and
up), which no real object uses, and element sets built here have ``synthetic=True``.

The generator is deterministic: the same shells and epoch give the same TLEs byte for byte.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sgp4.api import WGS72, Satrec

from opsconsole.core.element_readers import tle_epoch
from opsconsole.core.element_sets import ElementRecord, ElementSet, build_element_set
from opsconsole.core.timescale import as_utc
from opsconsole.core.tle_lines import format_tle

SYNTHETIC_FIRST_CATALOG_NUMBER = 270_000
"""First catalog number of synthetic satellites (Alpha-5 ``T0000``)."""
SYNTHETIC_TAG = "(synthetic)"

_MU_KM3_S2 = 398600.8  # WGS72, as SGP4 uses


@dataclass(frozen=True)
class WalkerShell:
    """One Walker-delta shell i:T/P/F.

    ``altitude_km`` is the mean altitude above the WGS72 equatorial radius;
    ``phasing`` is Walker's F (0..planes-1): the along-track offset between adjacent
    planes is ``360 * F / T`` degrees.
    """

    name: str
    altitude_km: float
    inclination_deg: float
    planes: int
    per_plane: int
    phasing: int = 1

    @property
    def total(self) -> int:
        """Number of satellites in the shell."""
        return self.planes * self.per_plane


STARLINK_SHELLS: tuple[WalkerShell, ...] = (
    WalkerShell("S1 550km 53.0deg", 550.0, 53.0, 72, 22, 17),
    WalkerShell("S2 540km 53.2deg", 540.0, 53.2, 72, 22, 17),
    WalkerShell("S3 570km 70.0deg", 570.0, 70.0, 36, 20, 11),
    WalkerShell("S4 560km 97.6deg", 560.0, 97.6, 6, 58, 1),
    WalkerShell("S5 560km 97.6deg", 560.0, 97.6, 4, 43, 1),
)
"""Published Starlink Gen1 shells (FCC filings); F values are our choice, not published."""


def _kozai_mean_motion(altitude_km: float, inclination_deg: float, eccentricity: float) -> float:
    """Kozai mean motion (rev/day) whose SGP4 mean semi-major axis gives ``altitude_km``.

    SGP4 converts the TLE's Kozai mean motion to Brouwer's; we solve for the TLE value by
    a few secant steps on ``satrec.a`` so the shell really sits at its nominal altitude.
    """
    target_er = (6378.135 + altitude_km) / 6378.135

    def brouwer_a(n_rev_day: float) -> float:
        satrec = Satrec()
        satrec.sgp4init(
            WGS72,
            "i",
            1,
            27000.0,
            0.0,
            0.0,
            0.0,
            eccentricity,
            0.0,
            math.radians(inclination_deg),
            0.0,
            n_rev_day * 2 * math.pi / 1440.0,
            0.0,
        )
        return float(satrec.a)

    a_km = 6378.135 + altitude_km
    n0 = math.sqrt(_MU_KM3_S2 / a_km**3) * 86400.0 / (2 * math.pi)
    n1 = n0 * 1.001
    f0, f1 = brouwer_a(n0) - target_er, brouwer_a(n1) - target_er
    for _ in range(8):
        if f1 == f0:
            break
        n0, n1 = n1, n1 - f1 * (n1 - n0) / (f1 - f0)
        f0, f1 = f1, brouwer_a(n1) - target_er
        if abs(f1) < 1e-12:
            break
    return n1


def _epoch_fields(epoch: datetime) -> tuple[int, float]:
    start = datetime(epoch.year, 1, 1, tzinfo=UTC)
    day = 1.0 + (epoch - start).total_seconds() / 86400.0
    return epoch.year, round(day, 8)


def walker_records(
    epoch: datetime,
    shells: Sequence[WalkerShell] = STARLINK_SHELLS,
    *,
    first_catalog_number: int = SYNTHETIC_FIRST_CATALOG_NUMBER,
    eccentricity: float = 0.0001,
    bstar: float = 2.0e-5,
) -> list[ElementRecord]:
    """TLE records for every satellite of ``shells`` at ``epoch`` (UTC, rounded to 1 ms).

    Satellite ``s`` of plane ``p`` in a shell of ``P`` planes and ``T`` satellites has
    RAAN ``360 p / P`` and mean anomaly ``360 s / S + 360 F p / T`` (degrees).
    """
    epoch = as_utc(epoch).replace(microsecond=(as_utc(epoch).microsecond // 1000) * 1000)
    year, day = _epoch_fields(epoch)
    records: list[ElementRecord] = []
    epoch_of_lines: datetime | None = None
    number = first_catalog_number
    for shell_index, shell in enumerate(shells, start=1):
        mean_motion = _kozai_mean_motion(shell.altitude_km, shell.inclination_deg, eccentricity)
        for plane in range(shell.planes):
            raan = 360.0 * plane / shell.planes
            for slot in range(shell.per_plane):
                anomaly = (
                    360.0 * slot / shell.per_plane + 360.0 * shell.phasing * plane / shell.total
                )
                line1, line2 = format_tle(
                    catalog_number=number,
                    classification="U",
                    international_designator=f"{year % 100:02d}9{shell_index:02d}{'A'}",
                    epoch_year=year,
                    epoch_day=day,
                    ndot_rev_per_day2=0.0,
                    bstar_per_earth_radius=bstar,
                    element_set_number=1,
                    inclination_deg=shell.inclination_deg,
                    raan_deg=raan,
                    eccentricity=eccentricity,
                    arg_perigee_deg=90.0,
                    mean_anomaly_deg=anomaly % 360.0,
                    mean_motion_rev_per_day=mean_motion,
                    revolution_number=0,
                )
                if epoch_of_lines is None:
                    epoch_of_lines = tle_epoch(line1)
                name = f"SYN-{shell_index}-P{plane + 1:02d}-{slot + 1:02d} {SYNTHETIC_TAG}"
                records.append(ElementRecord(number, name, epoch_of_lines, "tle", line1, line2))
                number += 1
    return records


def synthetic_constellation(
    epoch: datetime, shells: Sequence[WalkerShell] = STARLINK_SHELLS
) -> ElementSet:
    """The embedded default: a synthetic Starlink-like constellation at ``epoch`` (UTC)."""
    stamp = as_utc(epoch).strftime("%Y-%m-%dT%H:%M:%SZ")
    return build_element_set(
        walker_records(epoch, shells), f"synthetic:walker-starlink@{stamp}", synthetic=True
    )


def shell_and_plane(name: str) -> tuple[int, int] | None:
    """Recover (shell, plane) numbers from a synthetic satellite's name, else ``None``."""
    if not name.startswith("SYN-"):
        return None
    parts = name.split()[0].split("-")
    try:
        return int(parts[1]), int(parts[2].lstrip("P"))
    except (IndexError, ValueError):
        return None

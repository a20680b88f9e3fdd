"""Element sets: what satellites we know about, from which source, at which epoch.

An :class:`ElementSet` is an immutable collection of :class:`ElementRecord` values, one
per catalog number. Records come from TLE text (two- or three-line), CelesTrak OMM JSON or
OMM CSV (see :mod:`opsconsole.core.element_readers`) or from the synthetic Walker generator
(:mod:`opsconsole.core.walker`). Each record keeps the exact text or fields it was read
from so that it can be stored and re-read without loss.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from sgp4.api import WGS72, Satrec, SatrecArray, jday

from opsconsole.core.input_errors import InputIssue

AGE_WARNING_DAYS = 3.0
"""Element sets older than this many days get a warning in the UI."""
AGE_STALE_DAYS = 14.0
"""Element sets older than this many days are stale: positions may be off by tens of km."""

AgeStatus = Literal["ok", "warning", "stale"]

_SGP4_EPOCH0_JD = 2433281.5  # 1949 December 31 00:00 UT, the sgp4init epoch origin
_XPDOTP = 1440.0 / (2.0 * math.pi)  # rev/day per rad/min

OMM_REQUIRED_FIELDS = (
    "NORAD_CAT_ID",
    "EPOCH",
    "MEAN_MOTION",
    "ECCENTRICITY",
    "INCLINATION",
    "RA_OF_ASC_NODE",
    "ARG_OF_PERICENTER",
    "MEAN_ANOMALY",
    "BSTAR",
)
OMM_OPTIONAL_FIELDS = ("OBJECT_NAME", "OBJECT_ID", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT")


def age_status(age_days: float) -> AgeStatus:
    """Classify an element age in days: ``ok``, ``warning`` (> 3 d) or ``stale`` (> 14 d)."""
    if age_days > AGE_STALE_DAYS:
        return "stale"
    if age_days > AGE_WARNING_DAYS:
        return "warning"
    return "ok"


def parse_omm_epoch(text: str) -> datetime:
    """Parse an OMM ``EPOCH`` (ISO 8601; UTC unless it carries ``Z`` or an offset such
    as ``+05:00``; any number of fraction digits) into an aware UTC datetime. Raises
    ``ValueError``."""
    found = _OMM_EPOCH.match(text.strip())
    if found is None:
        raise ValueError(f"not an ISO 8601 time: {text!r}")
    head, fraction, zone = found.group("head", "fraction", "zone")
    value = head + (f".{(fraction + '000000')[:6]}" if fraction else "")
    parsed = datetime.fromisoformat(value + ("" if zone in (None, "Z", "z") else zone))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


_OMM_EPOCH = re.compile(
    r"^(?P<head>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?)"
    r"(?:\.(?P<fraction>\d+))?(?P<zone>[Zz]|[+-]\d{2}:?\d{2})?$"
)


def _jd_parts(moment: datetime) -> tuple[float, float]:
    moment = moment.astimezone(UTC)
    seconds = moment.second + moment.microsecond * 1e-6
    jd, fraction = jday(moment.year, moment.month, moment.day, moment.hour, moment.minute, seconds)
    return float(jd), float(fraction)


@dataclass(frozen=True)
class ElementRecord:
    """One satellite's mean elements.

    ``kind`` is ``"tle"`` (``line1``/``line2`` hold the two lines) or ``"omm"`` (``omm``
    holds the OMM fields as strings). ``epoch`` is timezone-aware UTC. ``origin`` is the
    1-based line (TLE) or record (OMM) where it was read, 0 when generated.
    """

    norad_id: int
    name: str
    epoch: datetime
    kind: Literal["tle", "omm"]
    line1: str = ""
    line2: str = ""
    omm: Mapping[str, str] = field(default_factory=dict)
    origin: int = field(default=0, compare=False)

    def satrec(self) -> Satrec:
        """Build the SGP4 model (WGS72 constants, improved mode, as skyfield does)."""
        if self.kind == "tle":
            return Satrec.twoline2rv(self.line1, self.line2)
        fields = self.omm
        jd, fraction = _jd_parts(self.epoch)
        satrec = Satrec()
        satrec.sgp4init(
            WGS72,
            "i",
            self.norad_id if self.norad_id <= 339_999 else 0,
            (jd - _SGP4_EPOCH0_JD) + fraction,
            float(fields["BSTAR"]),
            float(fields.get("MEAN_MOTION_DOT") or 0.0) / (_XPDOTP * 1440.0),
            float(fields.get("MEAN_MOTION_DDOT") or 0.0) / (_XPDOTP * 1440.0 * 1440.0),
            float(fields["ECCENTRICITY"]),
            math.radians(float(fields["ARG_OF_PERICENTER"])),
            math.radians(float(fields["INCLINATION"])),
            math.radians(float(fields["MEAN_ANOMALY"])),
            float(fields["MEAN_MOTION"]) / _XPDOTP,
            math.radians(float(fields["RA_OF_ASC_NODE"])),
        )
        return satrec

    def to_json(self) -> str:
        """Serialise the source fields (used by the store)."""
        if self.kind == "tle":
            return json.dumps({"line1": self.line1, "line2": self.line2})
        return json.dumps(dict(self.omm), sort_keys=True)

    @property
    def inclination_deg(self) -> float:
        """Inclination in degrees, read from the source fields."""
        if self.kind == "tle":
            return float(self.line2[8:16])
        return float(self.omm["INCLINATION"])

    @property
    def mean_motion_rev_per_day(self) -> float:
        """Kozai mean motion in revolutions per day."""
        if self.kind == "tle":
            return float(self.line2[52:63])
        return float(self.omm["MEAN_MOTION"])


@dataclass(frozen=True)
class ElementSet:
    """Satellites' element records, one per catalog number, sorted by catalog number.

    ``source`` names where the records came from (a path, a URL, or ``synthetic:...``);
    ``skipped`` lists the bad records left out when the reader was asked to skip them;
    ``duplicates_replaced`` counts records dropped because a newer epoch of the same
    catalog number was present.
    """

    records: tuple[ElementRecord, ...]
    source: str
    synthetic: bool = False
    skipped: tuple[InputIssue, ...] = ()
    duplicates_replaced: int = 0

    def __len__(self) -> int:
        return len(self.records)

    @cached_property
    def norad_ids(self) -> NDArray[np.int64]:
        """Catalog numbers, shape ``(n,)``."""
        return np.array([r.norad_id for r in self.records], dtype=np.int64)

    @cached_property
    def names(self) -> tuple[str, ...]:
        """Object names, length ``n``."""
        return tuple(r.name for r in self.records)

    @cached_property
    def satrecs(self) -> tuple[Satrec, ...]:
        """One SGP4 model per record, built once."""
        return tuple(r.satrec() for r in self.records)

    @cached_property
    def satrec_array(self) -> SatrecArray:
        """The vectorised SGP4 model for all records."""
        return SatrecArray(list(self.satrecs))

    @cached_property
    def epoch_jd(self) -> NDArray[np.float64]:
        """Epochs as UTC Julian dates, shape ``(n,)``."""
        return np.array([s.jdsatepoch + s.jdsatepochF for s in self.satrecs])

    def age_days(self, now: datetime) -> NDArray[np.float64]:
        """Element age at ``now`` (aware datetime) in days, shape ``(n,)``."""
        jd, fraction = _jd_parts(now)
        return (jd - self.epoch_jd) + fraction

    def epoch_range(self) -> tuple[datetime, datetime] | None:
        """Oldest and newest epoch (UTC), or ``None`` for an empty set."""
        if not self.records:
            return None
        epochs = [r.epoch for r in self.records]
        return min(epochs), max(epochs)

    def median_epoch(self) -> datetime | None:
        """The median epoch (UTC), or ``None`` for an empty set."""
        if not self.records:
            return None
        ordered = sorted(r.epoch for r in self.records)
        return ordered[len(ordered) // 2]

    def status(self, now: datetime) -> AgeStatus:
        """Age status of the set as a whole, judged on its median epoch."""
        median = self.median_epoch()
        if median is None:
            return "ok"
        return age_status((now - median) / timedelta(days=1))


def build_element_set(
    records: Iterable[ElementRecord],
    source: str,
    *,
    synthetic: bool = False,
    skipped: Sequence[InputIssue] = (),
) -> ElementSet:
    """Keep the newest epoch per catalog number and sort by catalog number."""
    newest: dict[int, ElementRecord] = {}
    duplicates = 0
    for record in records:
        known = newest.get(record.norad_id)
        if known is not None:
            duplicates += 1
            if known.epoch >= record.epoch:
                continue
        newest[record.norad_id] = record
    ordered = tuple(newest[key] for key in sorted(newest))
    return ElementSet(ordered, source, synthetic, tuple(skipped), duplicates)

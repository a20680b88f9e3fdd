"""Offline time handling: skyfield's timescale with UT1 and polar motion.

Nothing here reaches the network. The IERS ``finals2000A.all`` file (shipped by
``skyfield-data``, or a newer copy fetched on request by ``opsconsole eop refresh``, see
``core.earth_orientation``) supplies UT1-UTC and polar motion; after its last entry the
values are held constant (skyfield's behaviour), which the console reports through
:func:`earth_orientation_ends`.
"""

from __future__ import annotations

import threading
import warnings
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

SECONDS_PER_DAY = 86_400.0


_DATA_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def skyfield_data_dir() -> Path:
    """Directory of the offline skyfield data files (``de421.bsp``, ``finals2000A.all``)."""
    # the lock keeps two threads (UI and track feed) from racing on the global filters
    with _DATA_LOCK, warnings.catch_warnings():
        # skyfield-data warns when its files pass their expiry date; opsconsole reports the
        # end of Earth-orientation data itself (earth_orientation_ends).
        warnings.simplefilter("ignore", RuntimeWarning)
        from skyfield_data import get_skyfield_data_path

        return Path(get_skyfield_data_path())


@lru_cache(maxsize=1)
def _loader() -> Any:
    from skyfield.api import Loader

    return Loader(str(skyfield_data_dir()), verbose=False)


@lru_cache(maxsize=1)
def timescale() -> Any:
    """The shared skyfield ``Timescale`` with IERS UT1 and polar motion (offline): from
    the refreshed ``finals2000A.all`` in the user cache when it reaches further than the
    packaged one (``core.earth_orientation``)."""
    from skyfield.data import iers

    from opsconsole.core.earth_orientation import finals_file

    load = _loader()
    ts = load.timescale(builtin=False)
    with finals_file().path.open("rb") as handle:
        finals = iers.parse_x_y_dut1_from_finals_all(handle)
    iers.install_polar_motion_table(ts, finals)
    return ts


@lru_cache(maxsize=1)
def earth_orientation_ends() -> datetime:
    """UTC date after which UT1 and polar motion are extrapolated, not tabulated."""
    ts = timescale()
    table = ts.polar_motion_table
    last_tt = float(np.max(table[0]))
    end: datetime = ts.tt_jd(last_tt).utc_datetime().astimezone(UTC)
    return (end + timedelta(microseconds=500_000)).replace(microsecond=0)  # whole seconds


@lru_cache(maxsize=1)
def ephemeris() -> Any:
    """The JPL DE421 planetary ephemeris from skyfield-data (for the Sun)."""
    return _loader()("de421.bsp")


def as_utc(moment: datetime) -> datetime:
    """Return ``moment`` as aware UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_utc(text: str) -> datetime:
    """Parse an ISO 8601 time (``Z`` or an offset allowed; none means UTC)."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    return as_utc(datetime.fromisoformat(value))


def times_from(start: datetime, offsets_s: ArrayLike) -> Any:
    """A skyfield ``Time`` array at ``start`` (UTC) plus ``offsets_s`` seconds, shape ``(m,)``."""
    start = as_utc(start)
    seconds = start.second + start.microsecond * 1e-6 + np.asarray(offsets_s, dtype=float)
    return timescale().utc(start.year, start.month, start.day, start.hour, start.minute, seconds)


def time_at(moment: datetime) -> Any:
    """A skyfield ``Time`` array of one instant, shape ``(1,)``."""
    return times_from(moment, np.zeros(1))


def sgp4_julian_dates(t: Any) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """UTC Julian date split (whole, fraction) as SGP4 wants it, exactly as skyfield does."""
    whole = np.atleast_1d(np.asarray(t.whole, dtype=float))
    fraction = np.atleast_1d(t.tai_fraction - t._leap_seconds() / SECONDS_PER_DAY)
    return whole, np.asarray(fraction, dtype=float)

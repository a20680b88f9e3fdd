"""Earth-orientation data (IERS ``finals2000A.all``: UT1-UTC and polar motion): which
file the timescale uses, how far it reaches, and an opt-in online refresh.

The ``skyfield-data`` package ships a copy that ends on a fixed date (2026-08-29 for
its newest release); after the last row skyfield holds UT1 and polar motion constant,
which moves Earth-fixed positions by metres within months. ``opsconsole eop refresh``
downloads the current file from the IERS into the user cache folder (only when asked,
with a timeout); :func:`finals_file` then picks whichever of the cached and packaged
copies reaches further. Nothing here touches the network unless
:func:`refresh_finals` is called.
"""

from __future__ import annotations

import io
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from opsconsole.atomic_files import write_bytes_atomic
from opsconsole.core.input_errors import InputFileError

IERS_FINALS_URL = "https://datacenter.iers.org/products/eop/rapid/standard/finals2000A.all"
FINALS_NAME = "finals2000A.all"
DEFAULT_TIMEOUT_S = 30.0
MAX_FINALS_BYTES = 16 * 2**20
"""Largest download accepted (the file is ~3.7 MB)."""
MIN_ROWS = 1000
MJD_EPOCH = datetime(1858, 11, 17, tzinfo=UTC)


class EopRefreshError(RuntimeError):
    """The IERS file could not be fetched, or what came back is not a finals file."""


@dataclass(frozen=True)
class FinalsInfo:
    """A finals file: its path, first and last tabulated day (UTC) and row count."""

    path: Path
    first: datetime
    last: datetime
    rows: int


def default_cache_dir() -> Path:
    """The user cache folder where a refreshed file is kept."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("opsconsole", appauthor=False)) / "iers"


def packaged_finals() -> Path:
    """The copy shipped with skyfield-data."""
    from opsconsole.core.timescale import skyfield_data_dir

    return skyfield_data_dir() / FINALS_NAME


def parse_finals(data: bytes, source: str) -> FinalsInfo:
    """Check that ``data`` is a usable finals file (at least :data:`MIN_ROWS` rows,
    days increasing, polar motion under 1 arcsec and UT1-UTC under 1 s) and say what it
    covers. Raises :class:`InputFileError` naming ``source``."""
    from skyfield.data import iers

    rows = iers.parse_x_y_dut1_from_finals_all(io.BytesIO(data))
    problem = None
    if rows.shape[0] < MIN_ROWS:
        problem = f"{rows.shape[0]} Earth-orientation rows, expected at least {MIN_ROWS}"
    else:
        mjd = rows["utc_mjd"]
        values = np.column_stack([rows["x_arcseconds"], rows["y_arcseconds"], rows["dut1"]])
        if not (np.isfinite(mjd).all() and np.isfinite(values).all()):
            problem = "rows with values that are not numbers"
        elif not (np.diff(mjd) > 0).all():
            problem = "days are not in increasing order"
        elif np.abs(values[:, :2]).max() >= 1.0 or np.abs(values[:, 2]).max() >= 1.0:
            problem = "polar motion or UT1-UTC out of range"
    if problem:
        from opsconsole.core.input_errors import InputIssue

        raise InputFileError([InputIssue(source, "line", 0, f"not an IERS finals file: {problem}")])
    first = MJD_EPOCH + timedelta(days=float(rows["utc_mjd"][0]))
    last = MJD_EPOCH + timedelta(days=float(rows["utc_mjd"][-1]))
    return FinalsInfo(Path(source), first, last, int(rows.shape[0]))


def finals_info(path: Path) -> FinalsInfo | None:
    """What ``path`` covers, ``None`` when it is missing or unusable."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if len(data) > MAX_FINALS_BYTES:
        return None
    try:
        return parse_finals(data, str(path))
    except InputFileError:
        return None


def finals_file(cache_dir: Path | None = None) -> FinalsInfo:
    """The finals file the timescale uses: the cached copy in ``cache_dir`` (the user
    cache folder by default) when it reaches further than the packaged one."""
    packaged = finals_info(packaged_finals())
    if packaged is None:  # the package is broken: report it where it is used
        raise FileNotFoundError(f"skyfield-data's {FINALS_NAME} is missing or unreadable")
    cached = finals_info((cache_dir or default_cache_dir()) / FINALS_NAME)
    return cached if cached is not None and cached.last > packaged.last else packaged


@dataclass(frozen=True)
class EopRefresh:
    """What a refresh did: the file now in use and whether the download replaced it."""

    in_use: FinalsInfo
    downloaded: FinalsInfo
    replaced: bool


def refresh_finals(
    cache_dir: Path | None = None,
    *,
    url: str = IERS_FINALS_URL,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> EopRefresh:
    """ONLINE: download ``url`` (the IERS ``finals2000A.all``), check it, and keep it in
    ``cache_dir`` when it reaches further than the file in use (written whole or not at
    all). Raises :class:`EopRefreshError`."""
    folder = cache_dir or default_cache_dir()
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "opsconsole"})
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            data = response.read(MAX_FINALS_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise EopRefreshError(f"could not fetch {url}: {exc}") from None
    if len(data) > MAX_FINALS_BYTES:
        raise EopRefreshError(f"{url}: more than {MAX_FINALS_BYTES:,} bytes")
    try:
        downloaded = parse_finals(data, url)
    except InputFileError as exc:
        raise EopRefreshError(str(exc.issues[0])) from None
    current = finals_file(folder)
    if downloaded.last <= current.last:
        return EopRefresh(current, downloaded, False)
    target = folder / FINALS_NAME
    folder.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(target, data)
    return EopRefresh(FinalsInfo(target, downloaded.first, downloaded.last, downloaded.rows),
                      downloaded, True)  # fmt: skip

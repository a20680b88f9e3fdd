"""Earth-orientation data: the opt-in refresh of finals2000A.all (served by a local
server on 127.0.0.1), its checks, and the choice of the newer of cached and packaged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from opsconsole.core.earth_orientation import (
    FINALS_NAME,
    MJD_EPOCH,
    EopRefreshError,
    finals_file,
    packaged_finals,
    parse_finals,
    refresh_finals,
)
from opsconsole.core.input_errors import InputFileError

from ..local_server import LocalServer


def _extended(days: int) -> bytes:
    """The packaged file with ``days`` more rows after its last tabulated day (copies of
    its last row, new day numbers): a file that reaches further, as a newer IERS file
    would."""
    data = packaged_finals().read_bytes()
    last_mjd = (parse_finals(data, "packaged").last - MJD_EPOCH).days
    lines = data.splitlines()
    last = next(i for i, line in enumerate(lines) if line[7:15] == f"{last_mjd:8.2f}".encode())
    head, tail = lines[last][:7], lines[last][15:]
    extra = [head + f"{last_mjd + k:8.2f}".encode() + tail for k in range(1, days + 1)]
    return b"\n".join(lines[: last + 1] + extra) + b"\n"


@pytest.fixture()
def server() -> Iterator[LocalServer]:
    s = LocalServer(_extended(60), content_type="text/plain")
    yield s
    s.close()


def test_packaged_file_is_read() -> None:
    info = parse_finals(packaged_finals().read_bytes(), "packaged")
    assert info.rows > 10_000 and info.first.year == 1973 and info.last.year >= 2026


def test_a_newer_download_is_kept_and_used(server: LocalServer, tmp_path: Path) -> None:
    before = finals_file(tmp_path)
    assert before.path == packaged_finals()
    done = refresh_finals(tmp_path, url=f"{server.base}/{FINALS_NAME}", timeout_s=10)
    assert done.replaced and server.requests == [f"/{FINALS_NAME}"]
    assert done.in_use.last - before.last == timedelta(days=60)
    chosen = finals_file(tmp_path)
    assert chosen.path == tmp_path / FINALS_NAME and chosen.last == done.in_use.last
    again = refresh_finals(tmp_path, url=f"{server.base}/{FINALS_NAME}", timeout_s=10)
    assert not again.replaced  # not newer than what is in use


def test_an_older_cached_file_loses_to_the_packaged_one(tmp_path: Path) -> None:
    lines = packaged_finals().read_bytes().splitlines()
    (tmp_path / FINALS_NAME).write_bytes(b"\n".join(lines[:5000]) + b"\n")
    assert finals_file(tmp_path).path == packaged_finals()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html>maintenance</html>", "expected at least 1000"),
        (b"", "expected at least 1000"),
    ],
)
def test_a_bad_download_writes_nothing(tmp_path: Path, body: bytes, reason: str) -> None:
    server = LocalServer(body, content_type="text/html")
    try:
        with pytest.raises(EopRefreshError, match=reason):
            refresh_finals(tmp_path, url=f"{server.base}/x", timeout_s=10)
    finally:
        server.close()
    assert list(tmp_path.iterdir()) == []


def test_shuffled_days_are_refused() -> None:
    lines = packaged_finals().read_bytes().splitlines()
    shuffled = lines[2000:4000] + lines[:2000]
    with pytest.raises(InputFileError, match="increasing"):
        parse_finals(b"\n".join(shuffled), "f.all")


def test_a_server_that_does_not_answer_times_out(tmp_path: Path) -> None:
    server = LocalServer(b"late")
    server.delay = 3.0
    try:
        with pytest.raises(EopRefreshError, match="could not fetch"):
            refresh_finals(tmp_path, url=f"{server.base}/x", timeout_s=0.5)
    finally:
        server.close()
    assert list(tmp_path.iterdir()) == []


def test_no_server_at_all(tmp_path: Path) -> None:
    with pytest.raises(EopRefreshError, match="could not fetch"):
        refresh_finals(tmp_path, url="http://127.0.0.1:9/finals", timeout_s=2)

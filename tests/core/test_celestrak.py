"""Online refresh, served from a local HTTP server on 127.0.0.1 (no outside network)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from opsconsole.core.celestrak import RefreshError, refresh_group
from opsconsole.core.input_errors import InputFileError

from ..helpers import omm_fields
from ..local_server import LocalServer as _Server
from ..local_server import local_server

OMM = [omm_fields()]
server = local_server(json.dumps(OMM).encode())


@pytest.mark.network_local
def test_download_then_cache(server: _Server, tmp_path: Path) -> None:
    first = refresh_group("starlink", tmp_path, url_template=server.url)
    assert not first.from_cache and first.elements.norad_ids.tolist() == [44714]
    assert server.requests == ["/gp.php?GROUP=starlink&FORMAT=json"]
    second = refresh_group("starlink", tmp_path, url_template=server.url)
    assert second.from_cache and len(server.requests) == 1
    old = time.time() - 3 * 3600
    os.utime(first.cache_file, (old, old))
    refresh_group("starlink", tmp_path, url_template=server.url)
    assert len(server.requests) == 2


@pytest.mark.network_local
def test_timeout_falls_back_to_cache_or_fails(server: _Server, tmp_path: Path) -> None:
    server.delay = 1.0
    with pytest.raises(RefreshError, match="could not fetch"):
        refresh_group("starlink", tmp_path, url_template=server.url, timeout_s=0.2)
    server.delay = 0.0
    refresh_group("starlink", tmp_path, url_template=server.url)
    server.delay = 1.0
    result = refresh_group(
        "starlink", tmp_path, url_template=server.url, timeout_s=0.2, max_age_s=0.0
    )
    assert result.from_cache and "unreachable" in result.note


@pytest.mark.network_local
def test_bad_download_keeps_the_good_cache(server: _Server, tmp_path: Path) -> None:
    good = refresh_group("starlink", tmp_path, url_template=server.url)
    server.body = b"<html>rate limited</html>"
    with pytest.raises(InputFileError):
        refresh_group("starlink", tmp_path, url_template=server.url, max_age_s=0.0)
    assert json.loads(good.cache_file.read_text()) == OMM

"""Online refresh, served from a local HTTP server on 127.0.0.1 (no outside network)."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from opsconsole.core.celestrak import RefreshError, refresh_group
from opsconsole.core.input_errors import InputFileError

from ..helpers import omm_fields

OMM = [omm_fields()]


class _Server:
    def __init__(self) -> None:
        self.body = json.dumps(OMM).encode()
        self.delay = 0.0
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                time.sleep(server.delay)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/gp.php?GROUP={{group}}&FORMAT=json"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture()
def server() -> Iterator[_Server]:
    s = _Server()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


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

"""A local HTTP server on 127.0.0.1 for tests of online features (no outside network):
it answers every GET with ``body`` (after ``delay`` seconds) and records the paths."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class LocalServer:
    def __init__(self, body: bytes, content_type: str = "application/json") -> None:
        self.body = body
        self.delay = 0.0
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                time.sleep(server.delay)
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        self.url = f"{self.base}/gp.php?GROUP={{group}}&FORMAT=json"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def local_server(body: bytes) -> Callable[[], Iterator[LocalServer]]:
    """A pytest fixture serving ``body`` (started for each test, then stopped)."""

    @pytest.fixture()
    def server() -> Iterator[LocalServer]:
        s = LocalServer(body)
        yield s
        s.close()

    return server

"""A local stand-in for the robots' webhooks, the SMS gateway and the
platforms' APIs (fake_vendors.py builds those on it): records
every request and answers what the test says, in a thread of its own."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    path: str
    raw_query: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    method: str = "POST"


Answer = tuple[int, dict[str, Any]]


class FakeServer:
    def __init__(self, answer: Callable[[Request], Answer] | None = None):
        self.requests: list[Request] = []
        self.answer = answer or (lambda request: (200, {"errcode": 0, "errmsg": "ok"}))
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.do_POST()

            def do_POST(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length", 0))
                request = Request(
                    path=parts.path,
                    raw_query=parts.query,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    headers=dict(self.headers.items()),
                    body=json.loads(self.rfile.read(length) or b"null"),
                    method=self.command,
                )
                with server.lock:
                    server.requests.append(request)
                status, body = server.answer(request)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format, *args):
                pass  # keep the test output quiet

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

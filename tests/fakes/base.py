"""A tiny real HTTP server on 127.0.0.1 for the portal fakes.

Each fake (Discourse, Decidim, Go Vocal) subclasses :class:`FakeServer` and answers
requests with the platform's own JSON shapes. The server runs ``http.server`` in a
thread, so the connectors under test talk real HTTP over loopback through httpx.

Faults a test wants on demand (429 with ``Retry-After``, 500, ...) are queued with
:meth:`FakeServer.fail_next`; every request is recorded in :attr:`FakeServer.requests`.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default


@dataclass
class Reply:
    """What the fake answers."""

    status: int = 200
    body: Any = None  # JSON-encoded unless bytes/str
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, bytes):
            return self.body, self.headers.get("Content-Type", "application/octet-stream")
        if isinstance(self.body, str):
            return self.body.encode(), self.headers.get("Content-Type", "text/html")
        if self.body is None and self.status == 204:
            return b"", "application/json"
        return json.dumps(self.body).encode(), "application/json; charset=utf-8"


@dataclass
class _Fault:
    reply: Reply
    path_prefix: str | None
    times: int


class FakeServer:
    """Base class: start/stop a threaded HTTP server bound to 127.0.0.1 only."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.requests: list[Request] = []
        self._faults: deque[_Fault] = deque()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, port: int = 0) -> str:
        """Listen on 127.0.0.1 (``port`` 0 picks a free one); return the base URL."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                req = Request(
                    self.command,
                    parts.path,
                    parse_qs(parts.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                reply = fake._dispatch(req)
                data, ctype = reply.encoded()
                self.send_response(reply.status)
                headers = {"Content-Type": ctype, **reply.headers}
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass  # keep test output clean

        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self.url

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- faults and bookkeeping -----------------------------------------------------
    def fail_next(
        self,
        status: int,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        *,
        path_prefix: str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` requests (under ``path_prefix``) with this reply."""
        with self.lock:
            self._faults.append(
                _Fault(Reply(status, body, dict(headers or {})), path_prefix, times)
            )

    def recover(self) -> None:
        """Drop the faults still waiting: the next requests are answered as ever."""
        with self.lock:
            self._faults.clear()

    def paths(self, method: str | None = None) -> list[str]:
        """Paths requested so far (optionally only one method), in order."""
        with self.lock:
            return [r.path for r in self.requests if method is None or r.method == method]

    def _dispatch(self, req: Request) -> Reply:
        with self.lock:
            self.requests.append(req)
            for fault in self._faults:
                if fault.path_prefix is None or req.path.startswith(fault.path_prefix):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault.reply
            try:
                return self.handle(req)
            except Exception as exc:  # a bug in a fake must show, not hang the client
                return Reply(500, {"errors": [f"fake server error: {exc!r}"]})

    def handle(self, req: Request) -> Reply:
        """Answer one request; subclasses route on ``req.method`` and ``req.path``."""
        raise NotImplementedError


class Sleeps:
    """Records the backoff waits a connector asks for instead of sleeping (tests never
    sleep)."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


class Clock:
    """A clock a test moves by hand (``clock.now += 3600``)."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

"""A real HTTP proxy on 127.0.0.1 that puts a fault between a connector and a fake.

Requests go to the upstream fake (e.g. the WordPress-shaped server of tools/wp-real)
unchanged, unless :attr:`FaultProxy.fault` is set and the request matches ``where``;
then the proxy answers with the fault itself, over real HTTP: a status with any body
and headers, an answer that stops half-way (``truncate``), an answer that never comes
(``hold``, until :meth:`FaultProxy.release`), or a 500 that echoes the request's
``Authorization`` header back (``echo_auth``, as some misconfigured servers do).
Every request is counted (``requests``, ``faulted``).
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Fault:
    """What the proxy answers instead of the upstream."""

    status: int = 500
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    kind: str = "reply"  # reply | truncate | hold | echo_auth


def listing(method: str, path: str) -> bool:
    """The default ``where``: WordPress's comment listings (discovery still works)."""
    return method == "GET" and path.startswith("/wp-json/wp/v2/comments")


class FaultProxy:
    def __init__(self, upstream: str, where: Callable[[str, str], bool] = listing) -> None:
        u = urlsplit(upstream)
        self.host, self.port = u.hostname or "127.0.0.1", u.port or 80
        self.where = where
        self.fault: Fault | None = None
        self.lock = threading.Lock()
        self.requests = 0
        self.faulted = 0
        self._held = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._port = 0

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def release(self) -> None:
        """Let every held request go (it then gets no answer: the connection closes)."""
        self._held.set()

    def refuse(self) -> None:
        """Stop listening: connections to the port are refused until :meth:`accept`."""
        assert self._httpd is not None
        self._port = self._httpd.server_address[1]
        self._httpd.shutdown()
        self._httpd.server_close()
        self._httpd = None

    def accept(self) -> None:
        """Listen again on the same port."""
        self.start(self._port)

    def start(self, port: int = 0) -> str:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _go(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n) if n else b""
                path = urlsplit(self.path).path
                with proxy.lock:
                    proxy.requests += 1
                    fault = proxy.fault if proxy.where(self.command, path) else None
                    if fault is not None:
                        proxy.faulted += 1
                if fault is not None:
                    self._fault(fault)
                    return
                conn = http.client.HTTPConnection(proxy.host, proxy.port, timeout=30)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                    conn.request(self.command, self.path, body=raw or None, headers=headers)
                    resp = conn.getresponse()
                    body = resp.read()
                    self.send_response(resp.status)
                    upstream = f"http://{proxy.host}:{proxy.port}"
                    for k, v in resp.getheaders():
                        if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                            # Discovery (Link: <base/wp-json/>) must lead back here.
                            self.send_header(k, v.replace(upstream, proxy.url))
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                finally:
                    conn.close()

            def _fault(self, fault: Fault) -> None:
                if fault.kind == "hold":
                    proxy._held.wait(60)
                    self.close_connection = True
                    return
                body = fault.body
                if fault.kind == "echo_auth":
                    echoed = self.headers.get("Authorization", "")
                    body = (
                        b"<html><body><h1>500 Internal Server Error</h1><pre>"
                        + f"Authorization: {echoed}\nrequest failed".encode()
                        + b"</pre></body></html>"
                    )
                self.send_response(fault.status)
                for k, v in fault.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if fault.kind == "truncate":
                    self.wfile.write(body[: len(body) // 2])
                    self.close_connection = True
                    return
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _go

        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self.url

    def stop(self) -> None:
        self.release()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

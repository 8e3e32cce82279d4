"""An answer too large to hold, from a real server on 127.0.0.1: a body larger than the
cap, a Content-Length of 10 GB, a chunked body without end, and that body on a redirect
within the source's origin (one the client follows). The source's round ends with one
line naming it and the cap (recorded as its error, retried later); the healthy source in
the same run syncs. The cap (``http.MAX_BODY``, 32 MB) is lowered here so that
no test sends megabytes."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from helpers.twosources import HEALTHY, error_lines, stored_error, sync_once, wp_block

from reactieveld.connectors import http

CAP = 64 * 1024
CHUNK = b"[" + b" " * 8190 + b"\n"


class Endless(BaseHTTPRequestHandler):
    """Answers every GET with the body shape of the server's ``kind``."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # keep the test's output clean
        pass

    def do_GET(self) -> None:  # noqa: N802 - the http.server's name
        kind = self.server.kind  # type: ignore[attr-defined]
        if kind.startswith("redirect_"):
            # Sent on within the origin (followed), the redirect's own body without end.
            kind = kind.removeprefix("redirect_")
            self.send_response(302)
            self.send_header("Location", "/moved" + self.path)
        else:
            self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if kind == "large":
            body = b"[" + b" " * (CAP * 3) + b"]"
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(body)
            return
        if kind == "ten_gb":
            self.send_header("Content-Length", str(10 * 2**30))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        # Until the client hangs up: without a cap, that is never (or after 10 GB).
        with contextlib.suppress(OSError):
            while True:
                if kind == "ten_gb":
                    self.wfile.write(CHUNK)
                else:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK))


@contextlib.contextmanager
def endless(kind: str) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Endless)
    server.daemon_threads = True
    server.kind = kind  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "kind", ["large", "ten_gb", "chunked_without_end", "redirect_chunked_without_end"]
)
def test_an_answer_larger_than_the_cap_is_one_line(healthy_site, monkeypatch, kind) -> None:
    monkeypatch.setattr(http, "MAX_BODY", CAP)
    with endless(kind) as url:
        block = wp_block("huge", url, "TEST_BIG_PW")
        code, printed, db = sync_once(block, {"TEST_BIG_PW": "pw"}, healthy_site)
    assert "Traceback" not in printed
    assert f"site: {HEALTHY} new, 0 updated" in printed, printed
    assert code == 1, printed
    [line] = error_lines(printed, "huge")
    said = line.split(": error: ", 1)[1]
    assert "larger than 0.0625 MB" in said, said
    assert stored_error(db, "huge") == said

"""A local 127.0.0.1 HTTP server that answers like WordPress 6.1's comment REST API.

For what the real WordPress cannot do on demand: serve 100,000 comments quickly (the
benchmark), and stop at an exact request so a test can SIGKILL a sync mid-way (the
crash tests). The JSON shapes are those of the recorded real payloads in
tests/fixtures/wordpress/. Standard library only.

    python tools/wp-real/fakewp.py --comments 100000 --port 8099

Implements: ``HEAD /`` (Link rel="https://api.w.org/"), ``GET /wp-json/``,
``GET /wp-json/wp/v2/comments`` (status any/all/approve/hold/spam/trash, orderby=id,
order, page, per_page, offset, include, parent, _fields, X-WP-Total(Pages)),
``GET /wp-json/wp/v2/comments/<id>``, ``POST /wp-json/wp/v2/comments/<id>`` (status),
``POST /wp-json/wp/v2/comments`` (reply, 409 on a duplicate), ``GET /wp-json/wp/v2/posts``
(include), HTTP Basic auth when a user is set.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import threading
from bisect import bisect_left
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

STATUS_PARAM = {"approve": "approved", "hold": "hold", "spam": "spam", "trash": "trash"}
WORDS = (
    "fietspad parkeren bomen speeltuin geluid verkeer wijk bewoners raad plan groen "
    "veiligheid school water woningbouw bushalte markt zwembad bibliotheek"
).split()


class FakeWordPress:
    """The data and the behaviour; :meth:`serve` puts it on a port."""

    def __init__(
        self,
        comments: int = 1000,
        *,
        posts: int = 20,
        seed: int = 1,
        user: str | None = None,
        password: str | None = None,
    ) -> None:
        rnd = random.Random(seed)
        self.lock = threading.Lock()
        self.auth = (
            "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
            if user and password
            else None
        )
        self.posts = {
            pid: {
                "id": pid,
                "title": {"raw": f"Plan {pid}", "rendered": f"Plan {pid}"},
                "link": f"http://127.0.0.1/plan-{pid}/",
                "date_gmt": "2024-01-01T10:00:00",
                "comment_status": "closed" if pid == posts else "open",
            }
            for pid in range(1, posts + 1)
        }
        self.comments: dict[int, dict[str, Any]] = {}
        self.ids: list[int] = []  # sorted
        t0 = datetime(2024, 1, 1, tzinfo=UTC)
        for i in range(1, comments + 1):
            r = rnd.random()
            status = (
                "approved" if r < 0.55 else "hold" if r < 0.8 else "spam" if r < 0.92 else "trash"
            )
            text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(5, 40)))
            self._add(
                {
                    "id": i,
                    "post": rnd.randint(1, posts - 1),
                    "parent": rnd.randint(1, i - 1) if i > 1 and rnd.random() < 0.3 else 0,
                    "author": 1 if rnd.random() < 0.03 else 0,
                    "author_name": f"Bewoner {rnd.randint(1, 5000)}",
                    "author_email": f"b{rnd.randint(1, 5000)}@example.org",
                    "author_url": "",
                    "date_gmt": (t0 + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%S"),
                    "content": {"raw": text, "rendered": f"<p>{text}</p>\n"},
                    "link": f"http://127.0.0.1/plan/#comment-{i}",
                    "status": status,
                    "type": "comment",
                }
            )
        self.requests = 0
        self.status_changes = 0  # POSTs that changed a status
        #: Called with (method, path, query) before a request is handled; may block.
        self.hook: Callable[[str, str, dict[str, str]], None] | None = None
        #: Called the same way after it was handled, before the answer is sent.
        self.after_hook: Callable[[str, str, dict[str, str]], None] | None = None

    def _add(self, c: dict[str, Any]) -> None:
        self.comments[c["id"]] = c
        if not self.ids or c["id"] > self.ids[-1]:
            self.ids.append(c["id"])
        else:
            self.ids.insert(bisect_left(self.ids, c["id"]), c["id"])

    def by_status(self) -> dict[str, str]:
        """id -> status of every comment (the truth a test compares with)."""
        with self.lock:
            return {str(i): c["status"] for i, c in self.comments.items()}

    def delete(self, cid: int) -> None:
        with self.lock:
            del self.comments[cid]
            self.ids.remove(cid)

    # -- the API ----------------------------------------------------------------------
    def list_comments(self, q: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        status = q.get("status", "approve")
        per_page = int(q.get("per_page", 10))
        if per_page > 100:
            return 400, {"code": "rest_invalid_param", "message": "per_page"}, {}
        with self.lock:
            ids = self.ids
            if "include" in q:
                want = {int(x) for x in q["include"].split(",") if x}
                ids = [i for i in ids if i in want]
            if status == "any":
                sel = ids
            elif status == "all":
                sel = [i for i in ids if self.comments[i]["status"] in ("approved", "hold")]
            else:
                s = STATUS_PARAM.get(status, status)
                sel = [i for i in ids if self.comments[i]["status"] == s]
            if "parent" in q:
                p = int(q["parent"])
                sel = [i for i in sel if self.comments[i]["parent"] == p]
            if q.get("order", "desc") == "desc":
                sel = sel[::-1]
            total = len(sel)
            offset = int(q["offset"]) if q.get("offset") else per_page * (int(q.get("page", 1)) - 1)
            pages = (total + per_page - 1) // per_page
            if offset > 0 and offset >= total and "offset" not in q:
                return (
                    400,
                    {
                        "code": "rest_comment_invalid_page_number",
                        "message": "The page number requested is larger than the number "
                        "of pages available.",
                        "data": {"status": 400},
                    },
                    {},
                )
            chunk = [self.comments[i] for i in sel[offset : offset + per_page]]
        fields = q.get("_fields")
        if fields:
            keep = fields.split(",")
            chunk = [{k: c[k] for k in keep if k in c} for c in chunk]
        return 200, chunk, {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}

    def handle(
        self, method: str, path: str, q: dict[str, str], body: Any, auth: str | None
    ) -> tuple[int, Any, dict[str, str]]:
        with self.lock:
            self.requests += 1
        if path in ("/wp-json", "/wp-json/"):
            return 200, {"name": "fake", "namespaces": ["oembed/1.0", "wp/v2"]}, {}
        if not path.startswith("/wp-json/wp/v2/"):
            return 404, {"code": "rest_no_route", "message": "No route"}, {}
        if self.auth and auth != self.auth:
            if auth:
                return 401, {"code": "invalid_username", "message": "Unknown username."}, {}
            if q.get("context") == "edit" or method != "GET":
                return (
                    401,
                    {
                        "code": "rest_forbidden_context",
                        "message": "Sorry, you are not allowed to edit comments.",
                    },
                    {},
                )
        route = path[len("/wp-json/wp/v2/") :].strip("/")
        if route == "comments" and method == "GET":
            return self.list_comments(q)
        if route == "posts" and method == "GET":
            want = [int(x) for x in q.get("include", "").split(",") if x]
            return 200, [self.posts[i] for i in want if i in self.posts], {}
        if route == "comments" and method == "POST":
            return self._reply(body or {})
        if route.startswith("comments/"):
            cid = int(route.split("/")[1])
            with self.lock:
                c = self.comments.get(cid)
                if c is None:
                    return (
                        404,
                        {"code": "rest_comment_invalid_id", "message": "Invalid comment ID."},
                        {},
                    )
                if method == "POST" and "status" in (body or {}):
                    new = {"approve": "approved", "1": "approved", "0": "hold"}.get(
                        body["status"], body["status"]
                    )
                    if new != c["status"]:
                        c["status"] = new
                        self.status_changes += 1
                out = dict(c)
            if q.get("_fields"):
                out = {k: out[k] for k in q["_fields"].split(",") if k in out}
            return 200, out, {}
        return 404, {"code": "rest_no_route", "message": "No route"}, {}

    def _reply(self, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        post = self.posts.get(int(body.get("post", 0)))
        if post is None:
            return 400, {"code": "rest_comment_invalid_post_id", "message": "Invalid post"}, {}
        if post["comment_status"] != "open":
            return (
                403,
                {
                    "code": "rest_comment_closed",
                    "message": "Sorry, comments are closed for this item.",
                },
                {},
            )
        with self.lock:
            for c in self.comments.values():
                if (
                    c["post"] == post["id"]
                    and c["content"]["raw"] == body.get("content")
                    and c["author"] == 1
                ):
                    return (
                        409,
                        {"code": "comment_duplicate", "message": "Duplicate comment detected."},
                        {},
                    )
            cid = (self.ids[-1] if self.ids else 0) + 1
            text = str(body.get("content", ""))
            c = {
                "id": cid,
                "post": post["id"],
                "parent": int(body.get("parent", 0)),
                "author": 1,
                "author_name": "admin",
                "author_email": "admin@example.com",
                "author_url": "",
                "date_gmt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
                "content": {"raw": text, "rendered": f"<p>{text}</p>\n"},
                "link": f"http://127.0.0.1/plan/#comment-{cid}",
                "status": "approved",
                "type": "comment",
            }
            self._add(c)
        return 201, c, {}

    def serve(self, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
        """Start serving on 127.0.0.1 in a daemon thread; returns (server, base URL)."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _go(self, method: str) -> None:
                u = urlsplit(self.path)
                q = {k: v[-1] for k, v in parse_qs(u.query, keep_blank_values=True).items()}
                path = u.path
                if "rest_route" in q:
                    path = "/wp-json" + q.pop("rest_route")
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n) if n else b""
                if fake.hook:
                    fake.hook(method, path, q)
                if method == "HEAD":
                    self.send_response(200)
                    self.send_header("Link", f'<{base}/wp-json/>; rel="https://api.w.org/"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = json.loads(raw) if raw else None
                status, data, headers = fake.handle(
                    method, path, q, body, self.headers.get("Authorization")
                )
                if fake.after_hook:
                    fake.after_hook(method, path, q)
                out = json.dumps(data, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(out)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(out)

            def do_GET(self) -> None:  # noqa: N802
                self._go("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._go("POST")

            def do_HEAD(self) -> None:  # noqa: N802
                self._go("HEAD")

        server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        server.daemon_threads = True
        base = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server, base


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--comments", type=int, default=1000)
    ap.add_argument("--port", type=int, default=8099)
    ap.add_argument("--user")
    ap.add_argument("--password")
    a = ap.parse_args()
    fake = FakeWordPress(a.comments, user=a.user, password=a.password)
    server, base = fake.serve(a.port)
    print(f"WP_URL={base}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()

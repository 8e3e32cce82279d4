"""Helpers for the tests that run against the real WordPress of tools/wp-real.

The server is started outside the tests (it takes ~25 s cold and needs root for apt),
with the command the README names:

    eval "$(tools/wp-real/ci-env.sh)"

Tests that need it use the ``wp`` fixture of their module, which skips with that hint
when WP_URL / WP_USER / WP_APP_PASSWORD are not set.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import httpx
import pytest

from reactieveld.config import SourceConfig

HINT = (
    'needs the real WordPress: run `eval "$(tools/wp-real/ci-env.sh)"` '
    "(as root the first time; ~25 s) and run pytest again in that shell (see the README)"
)
STATUSES = {"approve": "approved", "hold": "hold", "spam": "spam", "trash": "trash"}


@dataclass(frozen=True)
class WP:
    url: str
    user: str
    password: str
    closed_post: int | None

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.url.rstrip("/") + "/wp-json/wp/v2/",
            auth=(self.user, self.password),
            timeout=30,
        )

    def comments(self, status: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every comment with the REST ``status`` (approve, hold, spam, trash), page by
        page, in the edit context (raw content), read with bare httpx."""
        with self.client() as c:
            page = 1
            while True:
                r = c.get(
                    "comments",
                    params={
                        "status": status,
                        "per_page": 100,
                        "page": page,
                        "context": "edit",
                        **params,
                    },
                )
                r.raise_for_status()
                yield from r.json()
                if page >= int(r.headers["X-WP-TotalPages"] or 0):
                    break
                page += 1

    def truth(self) -> dict[str, str]:
        """Every comment on the site: id -> status."""
        return {
            str(x["id"]): name
            for param, name in STATUSES.items()
            for x in self.comments(param, _fields="id")
        }

    def add_comment(self, content: str, status: str) -> str:
        """A new comment by "Test" with the REST ``status`` on the first post open to
        comments, so that a test does not depend on what others changed; its id."""
        with self.client() as c:
            post = next(
                p["id"]
                for p in c.get("posts", params={"_fields": "id,comment_status"}).json()
                if p["comment_status"] == "open"
            )
            made = c.post(
                "comments",
                json={
                    "post": post,
                    "content": content,
                    "status": status,
                    "author_name": "Test",
                    "author_email": "t@example.org",
                },
            )
            assert made.status_code == 201, made.text
            return str(made.json()["id"])

    def replies_to(self, parent: str) -> list[dict[str, Any]]:
        """The comments under ``parent``, of every status, with their raw content."""
        with self.client() as c:
            params = {"parent": parent, "context": "edit", "status": "any", "per_page": 100}
            replies: list[dict[str, Any]] = c.get("comments", params=params).json()
            return replies

    def source_config(self, name: str = "blog", **extra: Any) -> SourceConfig:
        os.environ.setdefault("WP_APP_PASSWORD", self.password)
        opts = {"url": self.url, "username": self.user, "password_env": "WP_APP_PASSWORD"}
        opts.update(extra)
        return SourceConfig(name, "wordpress", 30.0, MappingProxyType(opts))


def _skip(reason: str) -> None:
    # In CI (REACTIEVELD_REQUIRE_WP=1) a missing server is a failure, not a quiet skip.
    if os.environ.get("REACTIEVELD_REQUIRE_WP") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def wp_from_env() -> WP:
    url, user, pw = (os.environ.get(k) for k in ("WP_URL", "WP_USER", "WP_APP_PASSWORD"))
    if not (url and user and pw):
        _skip(HINT)
    assert url.startswith(("http://127.0.0.1", "http://localhost")), "loopback only"
    try:
        httpx.get(url.rstrip("/") + "/wp-json/", timeout=5)
    except httpx.HTTPError:
        _skip(f"WordPress at {url} does not answer; " + HINT)
    closed = os.environ.get("WP_CLOSED_POST_ID")
    return WP(url, user, pw, int(closed) if closed else None)


def load_fakewp():
    """The WordPress-shaped local server of tools/wp-real/fakewp.py, as a module."""
    import importlib.util
    import pathlib
    import sys

    path = pathlib.Path(__file__).resolve().parents[1] / "tools" / "wp-real" / "fakewp.py"
    if "fakewp" not in sys.modules:
        spec = importlib.util.spec_from_file_location("fakewp", path)
        assert spec and spec.loader
        mod = importlib.util.module_from_spec(spec)
        sys.modules["fakewp"] = mod
        spec.loader.exec_module(mod)
    return sys.modules["fakewp"]


@contextlib.contextmanager
def served_fakewp(comments: int, *, password: str = "app-pass-1") -> Iterator[Any]:
    """A FakeWordPress of ``comments`` comments (user ``admin``) served on 127.0.0.1 in a
    thread; its URL is ``.base``. Hooks are cleared and the server is shut down after."""
    wp = load_fakewp().FakeWordPress(comments, user="admin", password=password)
    server, wp.base = wp.serve()
    try:
        yield wp
    finally:
        wp.hook = wp.after_hook = None
        server.shutdown()
        server.server_close()


def at_site(wp: Any, text: str) -> int:
    """How many comments with ``text`` the served FakeWordPress ``wp`` has (each POST of a
    reply makes one: it would refuse a second copy as a duplicate)."""
    from reactieveld.connectors.htmltext import html_to_text

    with wp.lock:
        return sum(html_to_text(c["content"]["raw"]) == text for c in wp.comments.values())


def served_config(wp: Any, tmp_path: Any, monkeypatch: Any) -> Any:
    """The configuration of one source ``blog`` on the served FakeWordPress ``wp`` (its
    password in the environment, through the ``MonkeyPatch`` ``monkeypatch``)."""
    from reactieveld.config import load_config

    monkeypatch.setenv("TEST_WP_APP_PASSWORD", "app-pass-1")
    cfg = tmp_path / "reactieveld.toml"
    cfg.write_text(
        '[[sources]]\nname = "blog"\ntype = "wordpress"\n'
        f'url = "{wp.base}"\nusername = "admin"\npassword_env = "TEST_WP_APP_PASSWORD"\n'
        "fetch_process = false\n"
    )
    return load_config(cfg)


async def write_back_queued(wp: Any, store: Any, decision: Any, text: str) -> dict[str, Any]:
    """A write-back queued in ``store`` on an approved comment of the served FakeWordPress
    ``wp``: the reply ``text`` (``decision`` "reply") or the status ``decision``; the
    comment."""
    target = next(c for c in wp.comments.values() if c["status"] == "approved" and c["author"] == 0)
    row = await store.get_by_external("blog", str(target["id"]))
    if decision == "reply":
        await store.reply(row.response.id, text, actor="moderator")
    else:
        await store.moderate([row.response.id], decision, actor="moderator")
    return dict(target)


def applied_once(wp: Any, target: dict[str, Any], decision: Any, text: str) -> bool:
    """Whether the site has what :func:`write_back_queued` queued: the reply once, or the
    comment at the status."""
    if decision == "reply":
        return at_site(wp, text) == 1
    return bool(wp.by_status()[str(target["id"])] == decision.value)


def held_back(worker: Any) -> Any:
    """An outbox worker whose requests to the site ``blog`` are held back before they
    leave (every connection to the site busy) until the semaphore returned is released,
    and whose rows' requests have no time at all to leave after their mark
    (``OutboxWorker.send_within``)."""
    import asyncio

    client = worker.connectors["blog"].client
    client.limit = asyncio.Semaphore(0)
    worker.send_within = 0.0
    return client.limit


@contextlib.contextmanager
def first_post_answered(wp: Any, status: int | None) -> Iterator[None]:
    """The served FakeWordPress ``wp`` answers the next POST with HTTP ``status`` (a
    WordPress error, nothing done; to be tried again in ten minutes, not at once, where
    that is asked) instead of handling it; None: as it would."""
    handle = wp.handle
    answered: list[int] = []

    def answer(method: str, path: str, *rest: Any) -> Any:
        if status is None or method != "POST" or answered:
            return handle(method, path, *rest)
        answered.append(status)
        error = {"code": "test_refused", "message": "no", "data": {"status": status}}
        return status, error, {"Retry-After": "600"}

    wp.handle = answer
    try:
        yield
    finally:
        del wp.handle


def taken_over_before_recording(store: Any, take_over: Callable[[], Awaitable[None]]) -> list[str]:
    """``store``'s first record of a write-back's outcome (``outbox_done``, ``outbox_retry``
    or ``outbox_fail``) made only after ``take_over()`` has run: its program held back
    between the site's answer and the record (stopped, asleep) until its lease ran out and
    another took the row over. The list returned gets the name of the record made."""
    made: list[str] = []

    def late(name: str) -> Callable[..., Awaitable[Any]]:
        record = getattr(store, name)

        async def recorded(*args: Any, **kw: Any) -> Any:
            if not made:
                made.append(name)
                await take_over()
            return await record(*args, **kw)

        return recorded

    for name in ("outbox_done", "outbox_retry", "outbox_fail"):
        setattr(store, name, late(name))
    return made

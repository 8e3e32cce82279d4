"""A server whose paging does not advance (a ``next`` that leads back to the same page,
a cache or proxy that ignores the page parameter) against every connector, on real
loopback HTTP: ``sync --once`` ends, prints one line naming the source and saying so,
records it for that source, exits 1, and a second, healthy source in the same run still
syncs. Before, the round fetched the same page for ever: ``sync --once`` never ended.

Each platform's fake (tests/fakes, tools/wp-real/fakewp.py) is made to ignore its
paging parameter and to promise more pages, in the ways hypothesis picks: how many
pages it claims (none, a huge number, junk), which cursor it hands on, how full a page
is.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest
from fakes import decidim_source, discourse_source, govocal_source, seed_decidim, seed_govocal
from fakes.base import Reply, Request
from fakes.decidim import FakeDecidim
from fakes.discourse import FakeDiscourse
from fakes.govocal import FakeGoVocal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wpreal import served_fakewp

from reactieveld.config import load_config
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import run_sync

HEALTHY = 30  # the healthy WordPress's comments
SAID = "its paging does not advance"

#: What a stuck server claims about the pages still to come.
TOTALS = st.one_of(
    st.integers(10**3, 10**30).map(str), st.sampled_from(["", "0", "-1", "abc", "1e9"])
)


class StuckDiscourse(FakeDiscourse):
    """Answers ``/posts.json?before=N`` as if there were no ``before``."""

    stuck: bool | None = None

    def handle(self, req: Request) -> Reply:
        if self.stuck:
            req.query.pop("before", None)
        return super().handle(req)


class StuckDecidim(FakeDecidim):
    """Hands on ``hasNextPage: true`` with the same ``endCursor`` whatever it is asked."""

    cursor: str | None = None

    def _commentables(self, query: str, v: dict[str, Any], **kw: Any) -> dict[str, Any]:
        if self.cursor is None:
            return super()._commentables(query, v, **kw)
        out = super()._commentables(query, {**v, "after": None}, **kw)
        for conn in (out.get("component") or {}).values():
            if isinstance(conn, dict) and "pageInfo" in conn:
                conn["pageInfo"] = {"hasNextPage": True, "endCursor": self.cursor}
        return out


class StuckGoVocal(FakeGoVocal):
    """Answers every ``page_number`` with the first page, claiming ``total`` pages."""

    total: Any = None

    def _list(self, req: Request, root: str, rows: list[dict[str, Any]]) -> Reply:
        if self.total is None:
            return super()._list(req, root, rows)
        req.query.pop("page_number", None)
        reply = super()._list(req, root, rows)
        reply.body["meta"]["total_pages"] = self.total
        return reply


@pytest.fixture(scope="module")
def healthy():
    with served_fakewp(HEALTHY, password="healthy-pw") as wp:
        yield wp


@pytest.fixture(scope="module")
def stuck_wp():
    with served_fakewp(150, password="stuck-pw") as wp:
        real = wp.list_comments
        wp.stuck = None

        def listing(q: dict[str, str]) -> Any:
            if wp.stuck is None:
                return real(q)
            q = {k: v for k, v in q.items() if k not in ("offset", "page")}
            status, data, headers = real({**q, "per_page": "100"})
            headers = {k: v for k, v in headers.items() if not k.startswith("X-WP-Total")}
            if wp.stuck:
                headers["X-WP-Total"] = headers["X-WP-TotalPages"] = wp.stuck
            return status, data, headers

        wp.list_comments = listing
        yield wp


def wp_block(name: str, url: str, var: str) -> str:
    return (
        f'[[sources]]\nname = "{name}"\ntype = "wordpress"\nurl = "{url}"\n'
        f'username = "admin"\npassword_env = "{var}"\n'
    )


def sync_once(block: str, env: dict[str, str], healthy: Any) -> tuple[int, str, Path]:
    """``sync --once`` of the stuck source and the healthy WordPress "site", in a fresh
    memory: (exit code, what it printed, the memory). Bounded: a round that never ends
    fails the test (a healthy run takes a second or two)."""
    tmp = Path(tempfile.mkdtemp(prefix="rv-paging-"))
    cfg = tmp / "reactieveld.toml"
    block = block.replace('url = "', 'fetch_process = false\nurl = "', 1)
    cfg.write_text(block + wp_block("site", healthy.base, "TEST_PAGING_SITE_PW"), encoding="utf-8")
    printed: list[str] = []

    async def run() -> int:
        store = await SqliteStore.open(tmp / "m.db")
        try:
            return await asyncio.wait_for(
                run_sync(load_config(cfg), store, once=True, printer=printed.append), 20
            )
        finally:
            await store.close()

    with pytest.MonkeyPatch.context() as mp:
        for name, value in {**env, "TEST_PAGING_SITE_PW": "healthy-pw"}.items():
            mp.setenv(name, value)
        code = asyncio.run(run())
    return code, "\n".join(printed), tmp / "m.db"


def stuck_round(
    fake: Any, attr: str, value: Any, source: tuple[str, dict[str, str]], healthy: Any
) -> None:
    """With ``fake.attr = value`` (its paging stuck), ``sync --once`` of the source
    (its ``[[sources]]`` block and environment) and the healthy site: one line naming
    the source says so, and is its recorded error; the site synced; exit 1."""
    setattr(fake, attr, value)
    try:
        code, printed, db = sync_once(*source, healthy)
    finally:
        setattr(fake, attr, None)
    name = re.search(r'name = "(\w+)"', source[0])[1]  # type: ignore[index]
    assert code == 1, printed
    errors = [
        line for line in printed.splitlines() if re.match(rf"\d\d:\d\d:\d\d {name}: error: ", line)
    ]
    assert len(errors) == 1 and SAID in errors[0], printed
    assert "Traceback" not in printed
    assert f"site: {HEALTHY} new, 0 updated" in printed, printed
    con = sqlite3.connect(db)
    try:
        [(error,)] = con.execute("SELECT last_error FROM sources WHERE name = ?", (name,))
    finally:
        con.close()
    assert SAID in error and "\n" not in error


SETTINGS = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(total=st.one_of(st.none(), TOTALS))
def test_wordpress_offset_ignored(stuck_wp, healthy, total) -> None:
    block = wp_block("blog", stuck_wp.base, "TEST_PAGING_BLOG_PW")
    source = (block, {"TEST_PAGING_BLOG_PW": "stuck-pw"})
    stuck_round(stuck_wp, "stuck", total or "", source, healthy)


@pytest.fixture(scope="module")
def forum():
    with StuckDiscourse() as fake:
        fake.load_fixture()
        yield fake


@SETTINGS
@given(per_page=st.integers(1, 40))
def test_discourse_before_ignored(forum, healthy, per_page) -> None:
    forum.posts_per_page = per_page
    stuck_round(forum, "stuck", True, discourse_source(forum), healthy)


@pytest.fixture(scope="module")
def decidim():
    with StuckDecidim() as fake:
        seed_decidim(fake)
        yield fake


@SETTINGS
@given(cursor=st.text(min_size=1, max_size=20).filter(str.strip))
def test_decidim_end_cursor_repeated(decidim, healthy, cursor) -> None:
    stuck_round(decidim, "cursor", cursor, decidim_source(decidim), healthy)


@pytest.fixture(scope="module")
def govocal():
    with StuckGoVocal() as fake:
        seed_govocal(fake)
        yield fake


@SETTINGS
@given(total=st.integers(2, 10**30))
def test_govocal_page_number_ignored(govocal, healthy, total) -> None:
    stuck_round(govocal, "total", total, govocal_source(govocal), healthy)

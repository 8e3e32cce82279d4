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

from typing import Any

import pytest
from fakes import decidim_source, discourse_source, govocal_source, seed_decidim, seed_govocal
from fakes.base import Reply, Request
from fakes.decidim import FakeDecidim
from fakes.discourse import FakeDiscourse
from fakes.govocal import FakeGoVocal
from helpers.twosources import (
    HEALTHY,
    error_lines,
    serving,
    source_name,
    stored_error,
    sync_once,
    wp_block,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wpreal import served_fakewp

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


def stuck_round(
    fake: Any, attr: str, value: Any, source: tuple[str, dict[str, str]], healthy_site: Any
) -> None:
    """With ``fake.attr = value`` (its paging stuck), ``sync --once`` of the source
    (its ``[[sources]]`` block and environment) and the healthy site: one line naming
    the source says so, and is its recorded error; the site synced; exit 1."""
    setattr(fake, attr, value)
    try:
        code, printed, db = sync_once(*source, healthy_site)
    finally:
        setattr(fake, attr, None)
    name = source_name(source[0])
    assert code == 1, printed
    errors = error_lines(printed, name)
    assert len(errors) == 1 and SAID in errors[0], printed
    assert "Traceback" not in printed
    assert f"site: {HEALTHY} new, 0 updated" in printed, printed
    error = stored_error(db, name)
    assert error is not None and SAID in error and "\n" not in error


SETTINGS = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(total=st.one_of(st.none(), TOTALS))
def test_wordpress_offset_ignored(stuck_wp, healthy_site, total) -> None:
    block = wp_block("blog", stuck_wp.base, "TEST_PAGING_BLOG_PW")
    source = (block, {"TEST_PAGING_BLOG_PW": "stuck-pw"})
    stuck_round(stuck_wp, "stuck", total or "", source, healthy_site)


@pytest.fixture(scope="module")
def forum():
    with serving(StuckDiscourse(), FakeDiscourse.load_fixture, discourse_source) as fake:
        yield fake


@SETTINGS
@given(per_page=st.integers(1, 40))
def test_discourse_before_ignored(forum, healthy_site, per_page) -> None:
    forum.posts_per_page = per_page
    stuck_round(forum, "stuck", True, forum.source, healthy_site)


@pytest.fixture(scope="module")
def decidim():
    with serving(StuckDecidim(), seed_decidim, decidim_source) as fake:
        yield fake


@SETTINGS
@given(cursor=st.text(min_size=1, max_size=20).filter(str.strip))
def test_decidim_end_cursor_repeated(decidim, healthy_site, cursor) -> None:
    stuck_round(decidim, "cursor", cursor, decidim.source, healthy_site)


@pytest.fixture(scope="module")
def govocal():
    with serving(StuckGoVocal(), seed_govocal, govocal_source) as fake:
        yield fake


@SETTINGS
@given(total=st.integers(2, 10**30))
def test_govocal_page_number_ignored(govocal, healthy_site, total) -> None:
    stuck_round(govocal, "total", total, govocal.source, healthy_site)

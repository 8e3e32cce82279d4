"""The read-only comment feed connector: a recorded real feed, and the real site."""

from __future__ import annotations

import pathlib
from datetime import UTC

import httpx
import pytest
from wpreal import wp_from_env

from reactieveld.connectors.base import ConnectorError
from reactieveld.connectors.wpfeed import WordPressFeedConnector
from reactieveld.model import Action, Capability, RemoteStatus

FEED = (pathlib.Path(__file__).parent / "fixtures" / "wordpress" / "comments_feed.rss").read_bytes()


def feed_site(body=FEED, pretty=True):
    seen = []

    def handler(request):
        seen.append(str(request.url))
        if request.url.path.endswith("/comments/feed/") and pretty:
            return httpx.Response(
                200, content=body, headers={"Content-Type": "application/rss+xml"}
            )
        if request.url.params.get("feed") == "comments-rss2":
            return httpx.Response(
                200, content=body, headers={"Content-Type": "application/rss+xml"}
            )
        return httpx.Response(404, text="<html>nope</html>", headers={"Content-Type": "text/html"})

    return handler, seen


async def test_recorded_feed():
    handler, seen = feed_site()
    c = WordPressFeedConnector(
        "reacties", "http://127.0.0.1:9", transport=httpx.MockTransport(handler)
    )
    [page] = [p async for p in c.fetch(None)]
    assert page.done and page.responses
    assert all(r.remote_status is RemoteStatus.APPROVED for r in page.responses)
    assert all(r.external_id.isdigit() for r in page.responses)
    assert all(not r.body_text.startswith("<") for r in page.responses)
    assert {r.thread_external_id for r in page.responses} <= {t.external_id for t in page.threads}
    assert all(not t.title.startswith("Comment on") for t in page.threads)
    assert '"hw"' in page.next_cursor
    assert "approved comments" in c.notice
    with pytest.raises(ConnectorError):
        await c.apply(Action(Capability.APPROVE, "reacties", "1"))
    await c.aclose()


@pytest.mark.parametrize("zone", ["+0000", "-0000", "GMT", "+0200"])
async def test_feed_times_are_aware_utc(zone):
    # "-0000" (a UTC time, local zone unknown) parses to a naive datetime in Python,
    # and the store refuses naive times: the connector says what the zone is.
    body = FEED.replace(b"13:04:09 +0000", b"13:04:09 " + zone.encode())
    handler, _seen = feed_site(body)
    c = WordPressFeedConnector(
        "reacties", "http://127.0.0.1:9", transport=httpx.MockTransport(handler)
    )
    [page] = [p async for p in c.fetch(None)]
    await c.aclose()
    assert all(r.created_at.utcoffset() is not None for r in page.responses)
    [changed] = [r for r in page.responses if (r.created_at.minute, r.created_at.second) == (4, 9)]
    assert changed.created_at.astimezone(UTC).hour == (11 if zone == "+0200" else 13)


async def test_feed_fallback_without_pretty_links():
    handler, seen = feed_site(pretty=False)
    c = WordPressFeedConnector(
        "reacties", "http://127.0.0.1:9", transport=httpx.MockTransport(handler)
    )
    [page] = [p async for p in c.fetch(None)]
    assert page.responses and "feed=comments-rss2" in seen[-1]
    await c.aclose()


async def test_broken_feed_is_a_clear_error():
    handler, _ = feed_site(body=b"<rss><channel><item>")
    c = WordPressFeedConnector(
        "reacties", "http://127.0.0.1:9", transport=httpx.MockTransport(handler)
    )
    with pytest.raises(ConnectorError) as ei:
        [p async for p in c.fetch(None)]
    assert "not valid RSS" in str(ei.value)
    await c.aclose()


@pytest.mark.wordpress
async def test_real_feed_matches_latest_approved():
    wp = wp_from_env()
    c = WordPressFeedConnector("reacties", wp.url)
    [page] = [p async for p in c.fetch(None)]
    await c.aclose()
    truth = wp.truth()
    assert page.responses
    for r in page.responses:
        assert truth[r.external_id] == "approved"

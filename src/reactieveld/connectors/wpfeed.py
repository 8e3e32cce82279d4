"""WordPress comment feed connector: read-only, for a site without credentials.

Configured as ``[[sources]] type = "wordpress-feed"`` with ``url``. Reads
``<url>/comments/feed/`` (RSS 2), falling back to ``<url>/?feed=comments-rss2`` for a
site without pretty links. What it can see is limited, and it says so
(:attr:`WordPressFeedConnector.notice`): only approved comments, and only the latest
ones the site puts in its feed (10 by default; WordPress does not page comment feeds), so
a busy site must be polled often enough. Nothing can be written back.

The comment id comes from the guid (``...#comment-<id>``); the thread is the post's
permalink (the feed carries no post id) with the title taken from the item title
("Comment on <post> by <author>"). The cursor is the highest comment id seen.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Mapping
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from reactieveld.connectors.base import ApplyResult, ConnectorError
from reactieveld.connectors.htmltext import html_to_text, plain_text
from reactieveld.connectors.http import (
    HttpError,
    Sleep,
    SourceClient,
    clean_text,
    make_client,
    request_text,
)
from reactieveld.i18n import stored
from reactieveld.model import Action, Capability, Page, RemoteStatus, Response, Thread, utcnow

NS = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_GUID_ID = re.compile(r"#comment-(\d+)\s*$")
_TITLE = re.compile(r"^\s*(?:Comment on|Reactie op)\s+(.*?)\s+(?:by|door)\s+.*$", re.S | re.I)


class WordPressFeedConnector:
    """Reads a WordPress site's public comment feed (approved comments only)."""

    type = "wordpress-feed"
    capabilities: frozenset[Capability] = frozenset()
    notice = (
        "read-only comment feed: only approved comments, and only the latest ones in the "
        'feed; use type = "wordpress" with an Application Password to see held, spam and '
        "trashed comments and to moderate"
    )

    def __init__(
        self,
        name: str,
        url: str,
        *,
        client: SourceClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self.name = name
        self.url = url.rstrip("/") + "/"
        self.client = client or make_client(
            name,
            transport=transport,
            sleep=sleep,
            headers={"Accept": "application/rss+xml, application/xml;q=0.9, */*;q=0.5"},
        )
        why = stored("conn.feed.read_only")
        self.unsupported_reasons: Mapping[Capability, str] = {cap: why for cap in Capability}
        self._feed_url: str | None = None

    @classmethod
    def from_config(cls, cfg: Any, **kwargs: Any) -> WordPressFeedConnector:
        """Build from a ``SourceConfig`` (``url``)."""
        return cls(cfg.name, cfg.option("url"), **kwargs)

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.client.aclose()

    async def apply(self, action: Action) -> ApplyResult:
        """Always refused: a feed cannot be written to."""
        raise ConnectorError(
            self.name, self.unsupported_reasons[action.capability], retryable=False
        )

    async def _get_feed(self) -> bytes:
        candidates = (
            [self._feed_url]
            if self._feed_url
            else [
                self.url + "comments/feed/",
                self.url + "?feed=comments-rss2",
            ]
        )
        last: HttpError | None = None
        for url in candidates:
            assert url is not None
            try:
                body = await request_text(self.client, "GET", url)
            except HttpError as exc:
                if exc.status == 404:
                    last = exc
                    continue
                raise
            self._feed_url = url
            return body
        assert last is not None
        raise last

    def fetch(self, cursor: str | None) -> AsyncIterator[Page]:
        """Yield one page: the feed's comments (new and already known ones alike; the
        store's upsert makes repeats harmless)."""
        return self._fetch(cursor)

    async def _fetch(self, cursor: str | None) -> AsyncIterator[Page]:
        hw = 0
        if cursor:
            try:
                hw = int(json.loads(cursor).get("hw", 0))
            except (ValueError, AttributeError, TypeError):
                hw = 0
        body = await self._get_feed()
        responses, threads = self.parse(body)
        hw = max([hw, *(int(r.external_id) for r in responses)])
        yield Page(
            responses=responses,
            threads=threads,
            next_cursor=json.dumps({"v": 1, "hw": hw}),
            done=True,
        )

    def parse(self, body: bytes) -> tuple[list[Response], list[Thread]]:
        """Responses and threads from an RSS 2 comment feed."""
        try:
            root = ET.fromstring(body)
        except ET.ParseError as exc:
            raise ConnectorError(
                self.name, stored("conn.feed.invalid", detail=clean_text(str(exc), 80))
            ) from exc
        channel = root.find("channel")
        if root.tag != "rss" or channel is None:
            raise ConnectorError(self.name, stored("conn.feed.not_rss2"), retryable=False)
        responses: list[Response] = []
        threads: dict[str, Thread] = {}
        for item in channel.findall("item"):
            guid = (item.findtext("guid") or item.findtext("link") or "").strip()
            m = _GUID_ID.search(guid)
            if not m:
                continue
            link = (item.findtext("link") or guid).strip()
            parts = urlsplit(link)
            post_url = urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
            title_m = _TITLE.match(item.findtext("title") or "")
            title = plain_text(title_m.group(1)) if title_m else post_url
            threads.setdefault(post_url, Thread(self.name, post_url, title, url=post_url))
            html = item.findtext("content:encoded", namespaces=NS)
            if html is None:
                html = item.findtext("description") or ""
            try:
                created = parsedate_to_datetime(item.findtext("pubDate") or "")
            except (TypeError, ValueError):
                created = utcnow()
            if created.tzinfo is None:  # "-0000": a UTC time (RFC 5322), naive in Python
                created = created.replace(tzinfo=UTC)
            responses.append(
                Response(
                    source=self.name,
                    external_id=m.group(1),
                    thread_external_id=post_url,
                    author_name=plain_text(item.findtext("dc:creator", namespaces=NS) or ""),
                    body_text=html_to_text(html),
                    body_raw=html,
                    body_format="html",
                    created_at=created,
                    remote_status=RemoteStatus.APPROVED,
                    url=link,
                )
            )
        return responses, list(threads.values())

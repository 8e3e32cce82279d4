"""A fake WordPress behind ``httpx.MockTransport``, with a hook for faults a real server
cannot produce on demand (a listing cut off halfway, a refused connection, a timeout)."""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from wpreal import load_fakewp

from reactieveld.config import SourceConfig
from reactieveld.connectors.http import RetryPolicy, SourceClient, make_client
from reactieveld.connectors.wordpress import WordPressConnector

#: Where the connector thinks the site is; every request goes to the transport instead.
URL = "http://127.0.0.1:9"


async def nosleep(_: float) -> None:
    """The retry policy's sleep, not waiting."""
    return None


def no_retry_waits(mp: Any) -> None:
    """Every source client made from now on retries without waiting (a server's
    Retry-After too), through the ``MonkeyPatch`` ``mp``."""
    real_init = SourceClient.__init__

    def no_waiting(client: SourceClient, *args: Any, **kwargs: Any) -> None:
        real_init(client, *args, **{**kwargs, "sleep": nosleep})

    mp.setattr(SourceClient, "__init__", no_waiting)


class Site:
    """The fake WordPress with ``n`` comments; ``fault(request, listing_no)`` may step in."""

    def __init__(self, n: int = 650):
        self.fake = load_fakewp().FakeWordPress(n, user="admin", password="pw")
        self.fault = None  # callable(request, listing_no) -> Response | raises | None
        self.listings = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        u = urlsplit(str(request.url))
        q = {k: v[-1] for k, v in parse_qs(u.query).items()}
        if u.path.endswith("/comments") and request.method == "GET":
            self.listings += 1
            if self.fault:
                r = self.fault(request, self.listings)
                if r is not None:
                    return r
        if request.method == "HEAD":
            return httpx.Response(
                200, headers={"Link": '<http://127.0.0.1:9/wp-json/>; rel="https://api.w.org/"'}
            )
        body = json.loads(request.content) if request.content else None
        status, data, headers = self.fake.handle(
            request.method, u.path, q, body, request.headers.get("Authorization")
        )
        return httpx.Response(status, json=data, headers=headers)

    def source(self, *, attempts: int) -> tuple[SourceConfig, WordPressConnector]:
        """The source "blog" over this site: its configuration and a connector that sends
        every request to the site (no waiting between ``attempts``)."""
        client = make_client(
            "blog",
            auth=("admin", "pw"),
            transport=httpx.MockTransport(self),
            sleep=nosleep,
            retry=RetryPolicy(max_attempts=attempts),
        )
        conn = WordPressConnector("blog", URL, username="admin", password="pw", client=client)
        return SourceConfig("blog", "wordpress", 30.0, MappingProxyType({"url": URL})), conn

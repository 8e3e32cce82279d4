"""The shared HTTP client: retries, Retry-After, errors, concurrency cap.

Faults a real server cannot produce on demand are made with httpx.MockTransport;
backoff sleeping is injected and recorded instead of slept.
"""

from __future__ import annotations

import asyncio
import email.utils
import time

import httpx
import pytest
from fakes.base import Sleeps

from reactieveld import __version__
from reactieveld.connectors.base import ConnectorError
from reactieveld.connectors.http import (
    HttpError,
    RetryPolicy,
    make_client,
    parse_retry_after,
    redact_url,
    request_json,
)


def client_for(handler, sleeps=None, **kw):
    return make_client(
        "blog",
        base_url="http://127.0.0.1:9",
        transport=httpx.MockTransport(handler),
        sleep=sleeps or Sleeps(),
        **kw,
    )


async def test_user_agent_and_json():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["ua"] = request.headers["User-Agent"]
        return httpx.Response(200, json=[{"id": 1}], headers={"X-WP-TotalPages": "3"})

    async with client_for(handler) as c:
        r = await request_json(c, "GET", "/wp-json/wp/v2/comments")
    assert seen["ua"] == f"reactieveld/{__version__}"
    assert r.data == [{"id": 1}]
    assert r.headers["X-WP-TotalPages"] == "3"


async def test_5xx_retried_with_growing_backoff_then_succeeds():
    calls = []

    def handler(request):
        calls.append(1)
        if len(calls) < 3:
            return httpx.Response(502, text="<html>Bad gateway</html>")
        return httpx.Response(200, json={"ok": True})

    sleeps = Sleeps()
    async with client_for(handler, sleeps, retry=RetryPolicy(base_delay=1.0)) as c:
        r = await request_json(c, "GET", "/x")
    assert r.data == {"ok": True}
    assert len(calls) == 3
    assert len(sleeps.calls) == 2
    assert 0.5 <= sleeps.calls[0] <= 1.0 and 1.0 <= sleeps.calls[1] <= 2.0


async def test_5xx_gives_up_with_retryable_error_naming_source_and_url():
    def handler(request):
        return httpx.Response(500, json={"code": "internal", "message": "boom"})

    sleeps = Sleeps()
    async with client_for(handler, sleeps, retry=RetryPolicy(max_attempts=3)) as c:
        with pytest.raises(HttpError) as ei:
            await request_json(c, "GET", "/wp-json/wp/v2/comments", params={"page": 2})
    e = ei.value
    assert isinstance(e, ConnectorError)
    assert e.retryable and e.status == 500 and e.code == "internal"
    assert len(sleeps.calls) == 2
    assert str(e).startswith("blog: GET http://127.0.0.1:9/wp-json/wp/v2/comments?page=2")
    assert "HTTP 500 internal: boom" in str(e)


@pytest.mark.parametrize("status", [401, 403])
async def test_auth_errors_not_retried(status):
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(
            status, json={"code": "rest_not_logged_in", "message": "You are not logged in."}
        )

    async with client_for(handler) as c:
        with pytest.raises(HttpError) as ei:
            await request_json(c, "GET", "/x")
    assert len(calls) == 1
    assert ei.value.retryable is False and ei.value.status == status


async def test_retry_after_seconds_on_429():
    calls = []

    def handler(request):
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(429, headers={"Retry-After": "7"}, text="slow down")
        return httpx.Response(200, json=[])

    sleeps = Sleeps()
    async with client_for(handler, sleeps) as c:
        await request_json(c, "GET", "/x")
    assert sleeps.calls == [7.0]


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"Retry-After": "nan"}, {}),
        ({"Retry-After": "NaN"}, {}),
        ({"Retry-After": "-nan"}, {}),
        ({}, '{"errors": ["slow"], "extras": {"wait_seconds": NaN}}'),
    ],
)
async def test_a_nan_wait_is_no_wait_said(headers, body):
    """A server's wait that is no number (``NaN``) is as none said: the request is tried
    again after the backoff, not at once (a wait of 0, hammering the server)."""
    calls = []

    def handler(request):
        calls.append(1)
        if len(calls) == 1:
            content = body if isinstance(body, str) else ""
            return httpx.Response(429, headers=headers, content=content)
        return httpx.Response(200, json=[])

    sleeps = Sleeps()
    async with client_for(handler, sleeps, retry=RetryPolicy(base_delay=1.0)) as c:
        await request_json(c, "GET", "/x")
    assert len(sleeps.calls) == 1 and 0.5 <= sleeps.calls[0] <= 1.0, sleeps.calls


async def test_retry_after_http_date_on_503():
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    calls = []

    def handler(request):
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(503, headers={"Retry-After": when})
        return httpx.Response(200, json=[])

    sleeps = Sleeps()
    async with client_for(handler, sleeps) as c:
        await request_json(c, "GET", "/x")
    assert len(sleeps.calls) == 1 and 25 <= sleeps.calls[0] <= 31


async def test_discourse_wait_seconds_on_429():
    calls = []

    def handler(request):
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(
                429,
                json={
                    "errors": ["too many"],
                    "error_type": "rate_limit",
                    "extras": {"wait_seconds": 12},
                },
            )
        return httpx.Response(200, json={})

    sleeps = Sleeps()
    async with client_for(handler, sleeps) as c:
        await request_json(c, "GET", "/latest.json")
    assert sleeps.calls == [12.0]


async def test_long_retry_after_is_raised_not_slept():
    def handler(request):
        return httpx.Response(429, headers={"Retry-After": "3600"})

    sleeps = Sleeps()
    async with client_for(handler, sleeps) as c:
        with pytest.raises(HttpError) as ei:
            await request_json(c, "GET", "/x")
    assert sleeps.calls == []
    assert ei.value.retryable and ei.value.retry_after == 3600.0


async def test_post_not_retried_on_500_but_on_connect_error():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(500, json={"code": "x"})

    async with client_for(handler) as c:
        with pytest.raises(HttpError):
            await request_json(c, "POST", "/reply", json_body={"a": 1})
    assert len(calls) == 1

    calls2 = []

    def refusing(request):
        calls2.append(1)
        if len(calls2) < 3:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        return httpx.Response(201, json={"id": 5})

    async with client_for(refusing) as c:
        r = await request_json(c, "POST", "/reply", json_body={"a": 1})
    assert r.status == 201 and len(calls2) == 3


async def test_fatal_code_stops_retry():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(500, json={"code": "rest_comment_failed_edit", "message": "x"})

    async with client_for(handler) as c:
        with pytest.raises(HttpError) as ei:
            await request_json(
                c, "POST", "/c/1", idempotent=True, fatal_codes={"rest_comment_failed_edit"}
            )
    assert len(calls) == 1 and ei.value.code == "rest_comment_failed_edit"
    assert ei.value.retryable is False


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then closed)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("port", [9, None, None])  # port 9, and ports just freed
@pytest.mark.parametrize("path", ["/wp-json/", "/api/v1/comments?page=2"])
async def test_connection_refused_real_socket(port, path):
    # A real refused connection: nothing listens there. The one line says what is wrong
    # (where, cannot connect) and what to do (the site up? the source's url right?).
    port = port or _closed_port()
    sleeps = Sleeps()
    c = make_client(
        "blog",
        base_url=f"http://127.0.0.1:{port}",
        sleep=sleeps,
        retry=RetryPolicy(max_attempts=2),
    )
    async with c:
        with pytest.raises(HttpError) as ei:
            await request_json(c, "GET", path)
    said = str(ei.value)
    assert ei.value.retryable
    assert "cannot connect" in said and f"127.0.0.1:{port}" in said
    assert "url" in said and "\n" not in said, said
    assert len(sleeps.calls) == 1


@pytest.mark.parametrize(
    "fault,words",
    [
        # Faults a loopback server cannot produce on demand: the connection never
        # completes (and says what to do: the url), or the answer never comes.
        (httpx.ConnectTimeout, ("connection timed out", "url")),
        (httpx.ReadTimeout, ("read timeout",)),
    ],
)
async def test_a_timeout_is_retried_then_reported(fault, words):
    def handler(request):
        raise fault("timed out", request=request)

    async with client_for(handler, retry=RetryPolicy(max_attempts=2)) as c:
        with pytest.raises(HttpError) as ei:
            await request_json(c, "GET", "/x")
    said = str(ei.value)
    assert all(w in said for w in words) and "after 2 attempts" in said, said


@pytest.mark.parametrize(
    "body,ctype,expect",
    [
        (b'[{"id": 1}, {"id"', "application/json", "malformed JSON"),
        (
            b"<html><body>Error establishing a database connection</body></html>",
            "text/html; charset=UTF-8",
            "expected JSON but got text/html",
        ),
    ],
)
async def test_malformed_or_html_body(body, ctype, expect):
    def handler(request):
        return httpx.Response(200, content=body, headers={"Content-Type": ctype})

    async with client_for(handler, retry=RetryPolicy(max_attempts=2)) as c:
        with pytest.raises(HttpError) as ei:
            await request_json(c, "GET", "/x")
    assert expect in str(ei.value) and ei.value.retryable
    assert "<" not in str(ei.value)


async def test_credentials_removed_from_errors():
    def handler(request):
        return httpx.Response(404, json={"code": "nope", "message": "\x1b[31mred\x1b[0m gone"})

    async with client_for(handler) as c:
        with pytest.raises(HttpError) as ei:
            await request_json(
                c,
                "GET",
                "http://user:s3cret@127.0.0.1:9/x",
                params={"api_key": "s3cret", "page": 1},
            )
    msg = str(ei.value)
    assert "s3cret" not in msg and "user:" not in msg
    assert "page=1" in msg and "\x1b" not in msg
    assert ei.value.retryable is False


def test_redact_url():
    assert redact_url("https://a:b@x.org/p?token=t&q=1") == "https://x.org/p?token=%2A%2A%2A&q=1"


def test_parse_retry_after():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("garbage") is None
    assert parse_retry_after(email.utils.formatdate(1000.0, usegmt=True), now=990.0) == 10.0


async def test_concurrency_cap_per_source():
    active = 0
    peak = 0
    release = asyncio.Event()
    entered = asyncio.Condition()

    async def handler(request):
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        async with entered:
            entered.notify_all()
        await release.wait()
        active -= 1
        return httpx.Response(200, json={})

    c = make_client(
        "blog",
        base_url="http://127.0.0.1:9",
        transport=httpx.MockTransport(handler),
        max_concurrency=2,
    )
    async with c:
        tasks = [asyncio.create_task(request_json(c, "GET", f"/{i}")) for i in range(5)]
        async with entered:
            await entered.wait_for(lambda: active == 2)
        release.set()
        await asyncio.gather(*tasks)
    assert peak == 2

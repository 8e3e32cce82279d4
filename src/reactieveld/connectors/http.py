"""The one HTTP client factory every connector uses.

Why one place: timeouts, the user agent, retries with backoff, ``Retry-After`` and the
per-source concurrency cap must behave the same for WordPress, Discourse, Decidim and
Go Vocal, and every error must say which source and which URL (without credentials).

Use::

    client = make_client("blog", base_url="https://example.org", auth=("user", secret))
    resp = await request_json(client, "GET", "/wp-json/wp/v2/comments", params={...})
    resp.data      # the parsed JSON
    resp.headers   # e.g. resp.headers["X-WP-TotalPages"]
    await client.aclose()

What :func:`request_json` does:

* retries connection errors, timeouts, 5xx and malformed JSON with exponential backoff and
  jitter (``RetryPolicy``); for a request that is not idempotent (``POST`` unless the
  caller says ``idempotent=True``) only failures where the server cannot have acted are
  retried: connect errors, 429 and 503;
* on 429 and 503 waits what the server asks: ``Retry-After`` in seconds or as an HTTP
  date, or Discourse's JSON ``{"extras": {"wait_seconds": N}}``; a wait longer than
  ``RetryPolicy.max_retry_after`` is not slept through but raised, with
  :attr:`HttpError.retry_after` set so the sync engine can schedule the next try;
* never retries 401/403 (bad credentials; shown plainly) nor other 4xx;
* raises :class:`HttpError` (a :class:`~reactieveld.connectors.base.ConnectorError`)
  whose message names the method, the URL with credentials removed, the HTTP status,
  the platform's error code and a short, control-character-free excerpt of its message.

Tests inject ``sleep`` (so backoff does not really sleep) and ``transport``
(``httpx.MockTransport``) through :func:`make_client`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import email.utils
import errno
import html
import importlib.util
import json
import random
import re
import socket
import sys
import time
from collections.abc import AsyncIterable, Awaitable, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

import httpx

from reactieveld import __version__
from reactieveld.connectors.base import ConnectorError, error_at, may_send
from reactieveld.i18n import stored
from reactieveld.text import SHOWN_UNSAFE

USER_AGENT = f"reactieveld/{__version__}"

# httpcore asks ``import sniffio`` several times per request to learn the async library;
# when sniffio is not installed every one of those imports searches sys.path again
# (~40 us each, a sixth of a loopback request). Recording the absence once makes the
# failed import instant; it changes nothing else (the import fails either way).
if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]

#: connect quickly or give up; a big page of comments may take a while to render.
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=60.0)

#: The largest answer body read, in bytes: a page of 100 comments is well under 1 MB, so
#: a larger answer is a wrong address or a server gone astray (an endless stream, a
#: Content-Length of 10 GB); read whole, it would fill the memory. Tests lower it.
MAX_BODY = 32 * 1024 * 1024

Sleep = Callable[[float], Awaitable[None]]

# Query parameters whose values are secrets in some platform's API.
_SECRET_PARAM = re.compile(
    r"(key|token|secret|password|passwd|pass|auth|signature|sig|session|code)$", re.I
)
# A server's text on an error line of ours: controls, bidi overrides and marks dropped.
_CONTROL = SHOWN_UNSAFE


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry.

    ``max_attempts`` counts the first try. The delay before attempt *n+1* is
    ``min(max_delay, base_delay * 2**(n-1))``, jittered to between half and all of it.
    A server-requested wait (``Retry-After``) up to ``max_retry_after`` seconds is
    honoured as is; a longer one ends the request with :class:`HttpError`.
    """

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 120.0

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """The jittered delay after failed attempt number ``attempt`` (1-based)."""
        d = min(self.max_delay, self.base_delay * float(2 ** max(0, attempt - 1)))
        r = rng.random() if rng is not None else random.random()
        return d / 2 + d / 2 * r


NO_RETRY = RetryPolicy(max_attempts=1)


class SourceClient(httpx.AsyncClient):
    """An ``httpx.AsyncClient`` that knows its source, retry policy and concurrency cap.

    Create it with :func:`make_client`; connectors keep one per source and close it in
    their ``aclose``.
    """

    def __init__(
        self,
        source: str,
        *,
        retry: RetryPolicy,
        max_concurrency: int,
        sleep: Sleep,
        rng: random.Random | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.source = source
        self.retry = retry
        self.sleep = sleep
        self.rng = rng
        self.limit = asyncio.Semaphore(max_concurrency)
        #: Requests sent (attempts included); benchmarks and idle-poll tests read it.
        self.requests_sent = 0

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        """``httpx.AsyncClient.send``, unless a write-back's request may no longer leave
        (``base.SEND_BY``: :class:`~reactieveld.connectors.base.TooLateToSend`)."""
        may_send(self.source, time.time())
        return await super().send(request, **kwargs)


def make_client(
    source_name: str,
    base_url: str | None = None,
    *,
    auth: httpx.Auth | tuple[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: httpx.Timeout | float | None = None,
    max_concurrency: int = 4,
    retry: RetryPolicy | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    sleep: Sleep | None = None,
    rng: random.Random | None = None,
    follow_redirects: bool = True,
) -> SourceClient:
    """Build the HTTP client for one source.

    ``auth`` is e.g. ``("user", app_password)`` for HTTP Basic. ``headers`` are added to
    the ``User-Agent: reactieveld/<version>`` and ``Accept: application/json`` defaults
    (Discourse puts its ``Api-Key`` here). ``max_concurrency`` caps simultaneous requests
    to this source. ``transport``, ``sleep`` and ``rng`` are for tests.
    """
    hdrs = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if headers:
        hdrs.update(headers)
    kwargs: dict[str, Any] = {
        "headers": hdrs,
        "timeout": timeout if timeout is not None else DEFAULT_TIMEOUT,
        "follow_redirects": follow_redirects,
        "event_hooks": {
            "response": [_same_origin_only(source_name)]
            + ([_redirect_body_capped(source_name)] if follow_redirects else [])
        },
    }
    if base_url:
        kwargs["base_url"] = base_url
    if auth is not None:
        kwargs["auth"] = auth
    if transport is not None:
        kwargs["transport"] = transport
    return SourceClient(
        source_name,
        retry=retry or RetryPolicy(),
        max_concurrency=max(1, max_concurrency),
        sleep=sleep or asyncio.sleep,
        rng=rng,
        **kwargs,
    )


class HttpError(ConnectorError):
    """An HTTP request failed. A ConnectorError with the details a caller may act on.

    ``status`` is the HTTP status (None for network errors), ``code`` the platform's
    error code when its JSON body had one (WordPress ``code``, Discourse
    ``error_type``), ``data`` the parsed error body, ``retry_after`` the wait the server
    asked for (seconds), ``url`` the URL with credentials removed.
    """

    def __init__(
        self,
        source: str,
        message: str,
        *,
        retryable: bool,
        method: str = "",
        url: str = "",
        status: int | None = None,
        code: str | None = None,
        data: Any = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(source, message, retryable=retryable)
        self.method = method
        self.url = url
        self.status = status
        self.code = code
        self.data = data
        self.retry_after = retry_after


@dataclass(frozen=True)
class JsonResponse:
    """A successful JSON answer."""

    status: int
    headers: httpx.Headers
    data: Any
    url: str


def redact_url(url: str | httpx.URL) -> str:
    """The URL without user:password and with secret-looking query values replaced."""
    parts = urlsplit(str(url))
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode(
            [(k, "***" if _SECRET_PARAM.search(k) else v) for k, v in pairs], safe="/,:[]"
        )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def named_request(request: httpx.Request) -> tuple[str, str]:
    """How an error names ``request``: its URL redacted (:func:`redact_url`) and the
    ``METHOD url`` its error text starts with (``GET https://example.org/wp-json/``)."""
    url = redact_url(request.url)
    return url, f"{request.method} {url}"


# -- credentials out of every text ------------------------------------------------------
_MASK = "***"
# Credentials that need no knowing: an Authorization scheme's credential, header echoes
# (Api-Key, Authorization, Cookie), secret-named query parameters and JSON fields, and
# URL userinfo. Shown as "***" so the message still says *what* was there.
_AUTH_SCHEME = re.compile(
    r"(?i)\b(basic|bearer|digest|jwt)((?:\s|%20|\+|\\u0020)+)([A-Za-z0-9._~+/=%\\-]{6,})"
)
_HEADER_ECHO = re.compile(
    r"(?i)\b((?:x-)?api[-_]?(?:key|username|user|secret|token)|authorization|"
    r"proxy-authorization|cookie|set-cookie|x-auth-token|x-wp-nonce)"
    r"((?:\\?[\"'])?\s*(?:[:=]|=>)\s*(?:\\?[\"'])?)((?:(?:basic|bearer|digest)\s+)?)"
    r"([^\s\"'\\,;&<>]+)"
)
_QUERY_SECRET = re.compile(
    r"(?i)((?:^|[?&;\s\"'(])(?:[a-z_]*(?:token|secret|password|passwd|api[_-]?key|apikey)"
    r"|key|pass|auth|signature|sig|session|code)=)([^&\s\"'<>#)]+)"
)
_JSON_SECRET = re.compile(
    r'(?i)((?:\\?")[a-z_-]*(?:password|passwd|secret|token|api[_-]?key|apikey|authorization)'
    r'(?:\\?")\s*:\s*(?:\\?"))((?:[^"\\]|\\[^"])*)'
)
#: A PostgreSQL URL's role alone (no password) is no secret: the memory's lines show it
#: (reactieveld.store.urls.redact_url, which failures.failure applies first).
_USERINFO = re.compile(r"(?i)\b(?!postgres(?:ql)?://[^/\s@?#:]+@)([a-z][a-z0-9+.-]*://)[^/\s@?#]+@")


def _forms(secret: str, users: Iterable[str]) -> set[str]:
    """The ways ``secret`` may appear in a server's answer or an exception's text."""
    out = {
        secret,
        quote(secret, safe=""),
        quote_plus(secret, safe=""),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        html.escape(secret),
        html.escape(secret, quote=False),
    }
    pairs = [f"{u}:{secret}" for u in users] + [f":{secret}", secret]
    for pair in pairs:
        raw = pair.encode("utf-8", "surrogatepass")
        for enc in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
            text = enc.decode()
            out |= {text, text.rstrip("="), quote(text, safe=""), quote(text.rstrip("="), safe="")}
    return {f for f in out if len(f) >= 3}


def scrub(text: str, secrets: Iterable[str | None] = (), users: Iterable[str | None] = ()) -> str:
    """``text`` without any credential: every known secret (plain, percent-encoded,
    JSON- and HTML-escaped, base64 of ``user:secret``, ``:secret`` and ``secret``, with
    and without padding) and every credential-shaped thing even when not known (an
    ``Authorization``/``Api-Key`` echo, ``Basic``/``Bearer`` credentials, secret-named
    query parameters and JSON fields, URL userinfo). The one function every error text
    passes before it is shown or stored. Secrets shorter than 3 characters are only
    caught by their shape (masking two letters everywhere would garble every message).
    """
    names = [u for u in users if u]
    forms: set[str] = set()
    for secret in secrets:
        if secret and len(secret) >= 3:
            forms |= _forms(secret, names)
    if forms:
        pattern = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        text = re.sub(pattern, _MASK, text, flags=re.IGNORECASE)
    text = _USERINFO.sub(lambda m: m.group(1) + _MASK + "@", text)
    text = _HEADER_ECHO.sub(lambda m: m.group(1) + m.group(2) + m.group(3) + _MASK, text)
    text = _AUTH_SCHEME.sub(lambda m: m.group(1) + " " + _MASK, text)
    text = _JSON_SECRET.sub(lambda m: m.group(1) + _MASK, text)
    return _QUERY_SECRET.sub(lambda m: m.group(1) + _MASK, text)


def request_secrets(request: httpx.Request, *bodies: Any) -> tuple[list[str], list[str]]:
    """(secrets, user names) a request carries: its Authorization header (a Basic pair
    decoded), secret-named headers, and secret-named fields of the bodies it sent."""
    secrets: list[str] = []
    users: list[str] = []
    for name, value in request.headers.items():
        low = name.lower()
        if low in ("authorization", "proxy-authorization"):
            scheme, _, cred = value.partition(" ")
            secrets.append(cred or value)
            if scheme.lower() == "basic":
                with contextlib.suppress(ValueError, UnicodeDecodeError):
                    user, _, password = base64.b64decode(cred).decode().partition(":")
                    secrets.append(password)
                    users.append(user)
        elif re.search(r"key|token|secret|password|cookie", low):
            secrets.append(value)
        elif low == "api-username":
            users.append(value)
    for body in bodies:
        if isinstance(body, Mapping):
            for key, value in body.items():
                if isinstance(value, str) and _SECRET_PARAM.search(str(key)):
                    secrets.append(value)
    if request.url.password:
        secrets.append(request.url.password)
    return secrets, users


def clean_text(text: str, limit: int = 200) -> str:
    """Server text made fit for an error line: no controls, no tags, one line, short."""
    text = re.sub(r"<[^>]{0,200}>", " ", text)
    text = _CONTROL.sub("", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return None if seconds != seconds else max(0.0, seconds)  # NaN: no wait said
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


#: The longest wait a server's ``Retry-After`` is taken at: a day. A longer one (years,
#: infinity, a date in the year 9999) is a server's mistake, and no clock can add it.
MAX_WAIT = 86_400.0


def _wait_from(response: httpx.Response, data: Any) -> float | None:
    wait = parse_retry_after(response.headers.get("Retry-After"))
    if wait is None and isinstance(data, Mapping):
        extras = data.get("extras")
        if isinstance(extras, Mapping):
            ws = extras.get("wait_seconds")
            if isinstance(ws, int | float) and not isinstance(ws, bool) and ws == ws:
                wait = max(0.0, float(ws))  # (not NaN: no wait said)
    return None if wait is None else min(wait, MAX_WAIT)


def _error_details(data: Any, hide: Callable[[str], str] = lambda t: t) -> tuple[str | None, str]:
    """(code, message) from the JSON error shapes of WordPress, Discourse and others;
    ``hide`` removes credentials before the message is shortened (a cut secret would
    no longer be recognised)."""
    if not isinstance(data, Mapping):
        return None, ""
    code = data.get("code") or data.get("error_type")
    msg = data.get("message")
    if msg is None and isinstance(data.get("errors"), list) and data["errors"]:
        first = data["errors"][0]
        msg = first.get("message") if isinstance(first, Mapping) else first
    if msg is None:
        msg = data.get("error") or data.get("error_description") or ""
    return (str(code) if code is not None else None), clean_text(hide(str(msg)))


def _text(response: httpx.Response, body: bytes) -> str:
    """The body as text, whatever its bytes (invalid UTF-8 is replaced, not raised)."""
    try:
        return body.decode(response.encoding or "utf-8", "replace")
    except LookupError:
        return body.decode("utf-8", "replace")


def _try_json(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None


async def _receive(
    client: SourceClient, request: httpx.Request, where: str, hide: Callable[[str], str]
) -> tuple[httpx.Response, bytes]:
    """Send ``request`` and read its answer's body, no more than :data:`MAX_BODY` bytes
    of it (a larger one raises :class:`HttpError` before it is read further)."""
    response = await client.send(request, stream=True)
    try:
        too_big = partial(_too_big, client.source, request, where, hide)
        return response, await _capped(response, response.aiter_bytes(), too_big)
    finally:
        await response.aclose()


async def _capped(
    response: httpx.Response,
    chunks: AsyncIterable[bytes],
    too_big: Callable[[], HttpError],
    *,
    keep: bool = True,
) -> bytes:
    """The body of ``response`` read from ``chunks`` to its end, no more than
    :data:`MAX_BODY` bytes (a Content-Length above it raises ``too_big()`` at once, a
    body growing past it as soon as it does); ``keep``: joined, else read and dropped."""
    size = response.headers.get("Content-Length", "")
    if size.isdigit() and int(size) > MAX_BODY:
        raise too_big()
    kept: list[bytes] = []
    got = 0
    async for chunk in chunks:
        got += len(chunk)
        if got > MAX_BODY:
            raise too_big()
        if keep:
            kept.append(chunk)
    return b"".join(kept)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port or {"http": 80, "https": 443}.get(url.scheme)


def _same_origin_only(source: str) -> Callable[[httpx.Response], Awaitable[None]]:
    """The response hook of a source's client that follows a redirect only within the
    request's origin (scheme, host and port). httpx would follow one to another host
    without the credentials (the source then sees 401s, or reads another site's pages),
    one from http to https with them after sending them unencrypted first, and a
    write-back redirected by a 301 or 302 as a GET. Each means the source's url should
    be the other address: the request ends with one line saying so, not retryable (only
    a person can change the url; the outbox keeps the decision waiting meanwhile)."""

    async def hook(response: httpx.Response) -> None:
        if not response.has_redirect_location:
            return
        request = response.request
        try:
            target = request.url.join(response.headers["Location"])
        except httpx.InvalidURL:
            return  # httpx says what is wrong with it
        if _origin(target) == _origin(request.url):
            return
        # The address to set the url to, without its path: the connector adds its own.
        there = redact_url(target.copy_with(path="/", query=None, fragment=None))
        status = response.status_code
        url, where = named_request(request)
        raise HttpError(
            source,
            error_at(where, stored("conn.redirected", status=status, target=there)),
            retryable=False,
            method=request.method,
            url=url,
            status=status,
        )

    return hook


def _redirect_body_capped(source: str) -> Callable[[httpx.Response], Awaitable[None]]:
    """The response hook (after :func:`_same_origin_only`) that reads the body of a
    redirect the client is about to follow, no more than :data:`MAX_BODY` bytes of it as
    they came (not decompressed: nobody needs the words), and leaves httpx an empty one.
    httpx reads that body itself before it follows, whole and decompressed, past the cap
    of :func:`_receive`: a 302 with an endless body held the round for ever. Read to its
    end, the connection goes back to the pool; a larger one ends the request as
    :func:`_receive` ends it."""

    async def hook(response: httpx.Response) -> None:
        if not response.has_redirect_location:
            return
        request = response.request
        _, where = named_request(request)

        def hide(text: str) -> str:
            return scrub(text, *request_secrets(request))

        stream = response.stream
        if not isinstance(stream, httpx.AsyncByteStream):
            return  # an async client's answers are async streams
        try:
            await _capped(
                response, stream, partial(_too_big, source, request, where, hide), keep=False
            )
        finally:
            await stream.aclose()
        response.stream = httpx.ByteStream(b"")

    return hook


def _too_big(
    source: str, request: httpx.Request, where: str, hide: Callable[[str], str]
) -> HttpError:
    mb = f"{MAX_BODY / 2**20:g}"
    return HttpError(
        source,
        hide(error_at(where, stored("conn.too_big", mb=mb))),
        retryable=True,
        method=request.method,
        url=redact_url(request.url),
    )


def _is_json(response: httpx.Response) -> bool:
    ctype = response.headers.get("Content-Type", "").lower()
    return "json" in ctype or not ctype


async def request_json(
    client: SourceClient,
    method: str,
    url: str,
    *,
    params: Mapping[str, Any] | None = None,
    json_body: Any = None,
    data: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    idempotent: bool | None = None,
    ok: Collection[int] = (200, 201),
    fatal_codes: Collection[str] = (),
    expect_json: bool = True,
) -> JsonResponse:
    """Send one request through ``client`` and return its parsed JSON.

    ``idempotent`` defaults to True for GET/HEAD/PUT/DELETE/OPTIONS and False otherwise.
    ``ok`` lists the statuses that count as success (e.g. add 204). ``fatal_codes`` are
    platform error codes that end the request at once even on a 5xx (WordPress's
    ``rest_comment_failed_edit`` says "already that status": retrying cannot help).

    Raises :class:`HttpError` (a ConnectorError) with ``retryable`` telling whether a
    later try could help; 401/403 are ``retryable=False`` and say to check credentials.
    With ``expect_json=False`` the body is not parsed: ``data`` is the raw bytes (see
    :func:`request_text`).
    """
    method = method.upper()
    if idempotent is None:
        idempotent = method in ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")
    source = client.source
    policy = client.retry
    attempt = 0
    while True:
        attempt += 1
        last = attempt >= policy.max_attempts
        # Built once and sent as is: building it a second time for the error text cost
        # as much as the JSON parsing of a 100-comment page.
        request = client.build_request(
            method, url, params=params, json=json_body, data=data, headers=headers
        )
        full_url, where = named_request(request)

        def hide(text: str, request: httpx.Request = request) -> str:
            return scrub(text, *request_secrets(request, json_body, data, params))

        try:
            async with client.limit:
                client.requests_sent += 1
                response, body = await _receive(client, request, where, hide)
        except httpx.HTTPError as exc:
            # Connect errors mean the server never saw the request; safe to repeat.
            safe = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
            kind = _network_kind(exc)
            if (safe or idempotent) and not last:
                await client.sleep(policy.backoff(attempt, client.rng))
                continue
            at = error_at(where, kind)
            raise HttpError(
                source,
                hide(stored("conn.attempts", error=at, n=attempt)),
                retryable=True,
                method=method,
                url=full_url,
            ) from exc

        status = response.status_code
        if status in ok and not expect_json:
            return JsonResponse(status, response.headers, body, full_url)
        if status in ok:
            if not _is_json(response):
                err = HttpError(
                    source,
                    hide(
                        error_at(
                            where,
                            stored(
                                "conn.not_json",
                                ctype=clean_text(response.headers.get("Content-Type", ""), 60),
                                status=status,
                            ),
                        )
                    ),
                    retryable=True,
                    method=method,
                    url=full_url,
                    status=status,
                )
            else:
                try:
                    payload = json.loads(body) if body else None
                    return JsonResponse(status, response.headers, payload, full_url)
                except (ValueError, RecursionError) as exc:  # nested past Python's depth
                    err = HttpError(
                        source,
                        error_at(
                            where,
                            stored(
                                "conn.bad_json",
                                status=status,
                                detail=clean_text(hide(str(exc)), 80),
                                size=len(body),
                            ),
                        ),
                        retryable=True,
                        method=method,
                        url=full_url,
                        status=status,
                    )
            if idempotent and not last:
                await client.sleep(policy.backoff(attempt, client.rng))
                continue
            raise err

        answer = _try_json(body)
        code, msg = _error_details(answer, hide)
        if answer is None and body:
            msg = clean_text(hide(_text(response, body)), 120)
        detail = f"HTTP {status}" + (f" {code}" if code else "") + (f": {msg}" if msg else "")
        wait = _wait_from(response, answer) if status in (429, 503) else None

        if status in (401, 403):
            raise HttpError(
                source,
                hide(error_at(where, stored(f"conn.http.{status}", detail=detail))),
                retryable=False,
                method=method,
                url=full_url,
                status=status,
                code=code,
                data=answer,
            )

        retry_status = status in (429, 503) or (status >= 500 and idempotent)
        if code is not None and code in fatal_codes:
            retry_status = False
        if retry_status and not last:
            delay = wait if wait is not None else policy.backoff(attempt, client.rng)
            if delay <= policy.max_retry_after:
                await client.sleep(delay)
                continue
        transient = status in (408, 425, 429) or status >= 500
        raise HttpError(
            source,
            stored("conn.retry_after", error=hide(f"{where}: {detail}"), seconds=f"{wait:.0f}")
            if wait
            else hide(f"{where}: {detail}"),
            retryable=transient and (code is None or code not in fatal_codes),
            method=method,
            url=full_url,
            status=status,
            code=code,
            data=answer,
            retry_after=wait,
        )


#: What to do when the site cannot be reached at all: the round is retried by itself, but a
#: wrong address never answers (a typo in the source's url, a port, http for https).
CONNECT_HINT = stored("conn.hint.connect")


def _connect_why(exc: BaseException) -> str:
    """Why a connection failed, in words the table has in both languages (refused, an
    unknown host name) or as the system error's code (``EHOSTUNREACH``): the system's
    and anyio's own texts are English whatever the reader's language. Found along the
    exception's causes; its text only when none has a code."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            break
        if isinstance(seen, ConnectionRefusedError):
            return stored("conn.refused")
        if isinstance(seen, socket.gaierror):
            return stored("conn.unknown_host")
        code = seen.errno if isinstance(seen, OSError) else None
        if code is not None and code in errno.errorcode:
            return errno.errorcode[code]
        seen = seen.__cause__ or seen.__context__
    return clean_text(str(exc), 80) or stored("conn.refused")


def _network_kind(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return stored("conn.connect_timeout", hint=CONNECT_HINT)
    if isinstance(exc, httpx.ConnectError):
        return stored("conn.cannot_connect", error=_connect_why(exc), hint=CONNECT_HINT)
    if isinstance(exc, httpx.ReadTimeout):
        return stored("conn.read_timeout")
    if isinstance(exc, httpx.TimeoutException):
        return stored("conn.timeout")
    if isinstance(exc, httpx.RemoteProtocolError):
        return stored("conn.closed")
    return f"{type(exc).__name__}: {clean_text(str(exc), 80)}"


async def sign_in(
    client: SourceClient,
    source: str,
    path: str,
    body: Any,
    *,
    refused: Collection[int],
    refused_text: str,
    ok: Collection[int] = (200, 201),
) -> JsonResponse:
    """POST the API user's credentials ``body`` to ``path`` and return the answer. A
    status of ``refused`` (the platform's "these credentials are wrong") is one line that
    names the request, the status and ``refused_text`` (what to do), not retried: trying
    again with the same key cannot help."""
    try:
        return await request_json(client, "POST", path, json_body=body, ok=ok)
    except HttpError as exc:
        if exc.status in refused:
            raise ConnectorError(
                source,
                error_at(f"POST {path}", error_at(f"HTTP {exc.status}", refused_text)),
                retryable=False,
            ) from exc
        raise


async def request_text(
    client: SourceClient,
    method: str,
    url: str,
    *,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> bytes:
    """Like :func:`request_json` (same retries and errors) for a non-JSON body such as
    an RSS feed; returns the raw body."""
    r = await request_json(
        client, method, url, params=params, headers=headers, ok=(200,), expect_json=False
    )
    return bytes(r.data)

"""WordPress REST API connector (read every status, write moderation back).

Configured as ``[[sources]] type = "wordpress"`` with ``url``, and for moderation
``username`` + ``password_env`` (an Application Password, sent as HTTP Basic).

How it reads (tried against WordPress 6.1):

* The API root is discovered once: the ``Link: <...>; rel="https://api.w.org/"`` header
  of the site, else ``/wp-json/``, else ``/?rest_route=/`` (sites without pretty links).
* ``GET wp/v2/comments`` takes ONE ``status`` and, without it, returns only approved
  comments. ``status=any`` (one value, handled by ``WP_Comment_Query``) returns every
  status in one listing, so that is the default; ``statuses="each"`` reads ``approve``,
  ``hold``, ``spam`` and ``trash`` one at a time instead, for a site where ``any`` is
  filtered away. Without credentials only approved comments can be read.
* Comments have no "modified since" filter. The cursor (JSON) holds a high-water id:

  - ``phase "full"``: the first sync lists comments ``orderby=id&order=asc`` 100 at a
    time by ``offset``; each page carries the cursor of the next, so a crash repeats at
    most one page;
  - ``phase "inc"``: a poll probes ``order=desc&per_page=1&_fields=id`` per status (one
    tiny request on an idle site); only when the top id is above the high-water id are
    the new comments read, newest first until the high-water id, then handed out oldest
    first in pages whose cursors advance the high-water id.
  - Status changes and deletions made on the site itself are found by a re-scan every
    ``rescan_seconds`` (its time is kept in the cursor): a listing of
    ``_fields=id,status`` only, compared with what the connector knows (the sync engine
    primes that from the store through :attr:`known_loader` or :meth:`prime_known`);
    changed or unknown ids are read in full with ``include=``, known ids that are gone
    are reported in ``Page.gone`` as deleted.
  - Comments have no modified date either, so a text edited on the site (wp-admin, or
    ``POST wp/v2/comments/<id>`` with ``content``) is found by a re-read every
    ``reread_seconds`` (default a day; 0: never; its time kept in the cursor too): the
    re-scan's listing with every field, its pages handed out as any other. The store
    compares each comment's content hash, so an unchanged comment costs no write and an
    edited one gets a new version. A re-read is a re-scan as well (statuses, deletions).

* Threads are posts (``wp/v2/posts?include=...``; pages as a fallback), read once each:
  for a comment new to the connector (a known comment's thread is stored already). A
  re-read asks for the posts and pages changed since the last one (``modified_after``,
  newest first) and hands out those with comments (a changed title): an unchanged thread
  is not read or stored again.
* Comment HTML (``content.rendered``) is turned into plain text here, once; the raw
  comment (``content.raw``) is kept as ``body_raw``.
* A comment by a registered user (``author != 0``) gets ``role_hint="organisatie"``.

Write-back: ``POST wp/v2/comments/<id>`` with ``status`` approved/hold/spam/trash; a
reply is ``POST wp/v2/comments`` with ``post``, ``parent`` and ``content``, after a read
of the parent (WordPress takes a reply to a deleted or trashed comment: a conflict).
WordPress may answer 500 ``rest_comment_failed_edit`` when the comment already has the
status asked: the comment is read back and an equal status counts as success.

Before a decision the comment is read (``GET wp/v2/comments/<id>``, edit context): a status
changed on the site since the moderator saw it is a conflict; for an approval the read
asks for the whole comment, and a text edited since (its ``model_values.text_digest``
differs from the one the decision carries: a word, an emoji, a link target, not
whitespace or markup alone) is a conflict too, handed to the outbox with the comment as
the site has it, which stores it (``ActionConflict.response``). Which decisions stop at
an edit is ``model_values.EDIT_STOPS``; a decision queued without a digest (before
migration ``text_seen``) is not compared.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from reactieveld.connectors.base import (
    ActionConflict,
    ApplyResult,
    ConnectorError,
    PageGuard,
    ReplyUnconfirmed,
    error_at,
    new_comment_id,
    utc_time,
)
from reactieveld.connectors.htmltext import html_to_text
from reactieveld.connectors.http import (
    HttpError,
    JsonResponse,
    Sleep,
    SourceClient,
    make_client,
    request_json,
)
from reactieveld.connectors.plaintext import wordpress_html
from reactieveld.i18n import stored, stored_status
from reactieveld.model import Action, Capability, Page, RemoteStatus, Response, Thread
from reactieveld.model_values import edit_stops, text_checked, text_digest

PER_PAGE = 100  # WordPress's maximum
#: What a thread is read with (a post's or a page's fields).
THREAD_FIELDS = "id,title,link,date_gmt,comment_status"
#: A re-read asks for the posts changed since the last one from this much earlier (the
#: site's clock and ours may differ).
THREAD_CLOCK_MARGIN = 3600.0
EACH_STATUS = ("approve", "hold", "spam", "trash")
#: A write-back reads a comment (before, and in the answer after) in the edit context,
#: where WordPress shows every status, and needs only its id and status.
_ID_STATUS = {"context": "edit", "_fields": "id,status"}
COMMENT_FIELDS = (
    "id,post,parent,author,author_name,author_email,author_url,date_gmt,content,link,status,type"
)
WP_STATUS: Mapping[str, RemoteStatus] = {
    "approved": RemoteStatus.APPROVED,
    "approve": RemoteStatus.APPROVED,
    "1": RemoteStatus.APPROVED,
    "hold": RemoteStatus.HOLD,
    "unapproved": RemoteStatus.HOLD,
    "0": RemoteStatus.HOLD,
    "spam": RemoteStatus.SPAM,
    "trash": RemoteStatus.TRASH,
    "post-trashed": RemoteStatus.TRASH,
}
# What we send for a capability (WordPress's own words).
SEND_STATUS: Mapping[Capability, str] = {
    Capability.APPROVE: "approved",
    Capability.HOLD: "hold",
    Capability.SPAM: "spam",
    Capability.TRASH: "trash",
}
WRITE_CAPS = frozenset(
    {Capability.APPROVE, Capability.HOLD, Capability.SPAM, Capability.TRASH, Capability.REPLY}
)


def wp_status(value: Any) -> RemoteStatus:
    """Map a WordPress comment status string to :class:`RemoteStatus`."""
    return WP_STATUS.get(str(value), RemoteStatus.HOLD)


def comment_to_response(source: str, c: Mapping[str, Any]) -> Response:
    """Translate one REST comment (``context=edit`` or ``view``) into a Response."""
    content = c.get("content") or {}
    rendered = content.get("rendered") or ""
    raw = content.get("raw")
    parent = c.get("parent") or 0
    post = c.get("post") or 0
    author = c.get("author") or 0
    created = utc_time(c.get("date_gmt")) or datetime.fromtimestamp(0, UTC)
    return Response(
        source=source,
        external_id=str(c["id"]),
        thread_external_id=str(post) if post else None,
        parent_external_id=str(parent) if parent else None,
        author_name=str(c.get("author_name") or ""),
        body_text=html_to_text(rendered),
        body_raw=raw if raw is not None else rendered,
        body_format="html",
        created_at=created,
        remote_status=wp_status(c.get("status", "approved")),
        url=c.get("link") or None,
        author_email=c.get("author_email") or None,
        author_url=c.get("author_url") or None,
        role_hint="organisatie" if author else None,
        meta={"post": post, "author": author, "type": c.get("type", "comment")},
    )


def post_to_thread(source: str, p: Mapping[str, Any]) -> Thread:
    """Translate one REST post (or page) into a Thread; the title made plain text."""
    title = p.get("title") or {}
    text = html_to_text(title.get("rendered") or title.get("raw") or "") if title else ""
    return Thread(
        source=source,
        external_id=str(p["id"]),
        title=text or f"#{p['id']}",
        url=p.get("link") or None,
        created_at=utc_time(p.get("date_gmt")),
        meta={"comment_status": p.get("comment_status")},
    )


class WordPressConnector:
    """Read and moderate the comments of one WordPress site over its REST API."""

    type = "wordpress"

    def __init__(
        self,
        name: str,
        url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        statuses: str = "any",
        rescan_seconds: float = 300.0,
        reread_seconds: float = 86400.0,
        inflight: int = 2,
        client: SourceClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.name = name
        self.url = url.rstrip("/") + "/"
        self.authenticated = bool(username and password)
        auth = (username, password) if username and password else None
        self.client = client or make_client(name, auth=auth, transport=transport, sleep=sleep)
        if not self.authenticated:
            self.status_values: tuple[str, ...] = ("approve",)
        elif statuses == "each":
            self.status_values = EACH_STATUS
        else:
            self.status_values = ("any",)
        self.rescan_seconds = rescan_seconds
        #: How often every comment is read in full (edits); 0: never.
        self.reread_seconds = reread_seconds
        #: Listing requests kept in flight during a full sync (1: strictly one after
        #: the other, as for a server with a single worker).
        self.inflight = max(1, int(inflight))
        self._clock = clock
        self._force_rescan = False
        #: Set by the sync engine: loads id -> status of what the store holds, once,
        #: when the first re-scan needs it.
        self.known_loader: Callable[[], Awaitable[Mapping[str, RemoteStatus]]] | None = None
        self._primed = False
        self._root: str | None = None
        self._threads_seen: set[str] = set()
        #: external id -> status, as last seen (or as primed from the store).
        self.known: dict[str, RemoteStatus] = {}
        if self.authenticated:
            self.capabilities = WRITE_CAPS
            self.unsupported_reasons: Mapping[Capability, str] = {
                Capability.HIDE: stored("conn.wp.no_hidden"),
            }
        else:
            self.capabilities = frozenset()
            why = stored("conn.wp.read_only")
            self.unsupported_reasons = {cap: why for cap in Capability}

    @classmethod
    def from_config(cls, cfg: Any, **kwargs: Any) -> WordPressConnector:
        """Build from a ``SourceConfig`` (``url``, ``username``, ``password_env``)."""
        username = cfg.option("username")
        password = cfg.secret("password") if cfg.option("password_env") else None
        return cls(
            cfg.name,
            cfg.option("url"),
            username=username,
            password=password,
            statuses=cfg.option("statuses", "any"),
            rescan_seconds=float(cfg.option("rescan_seconds", 300.0)),
            reread_seconds=float(cfg.option("reread_seconds", 86400.0)),
            inflight=int(cfg.option("inflight", 2)),
            **kwargs,
        )

    # -- plumbing ---------------------------------------------------------------------
    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.client.aclose()

    def prime_known(self, known: Mapping[str, RemoteStatus]) -> None:
        """Tell the connector which comments the store already holds (id -> status), so
        that the re-scan can see deletions that happened while reactieveld was not
        running and does not re-read what is already stored."""
        self.known.update(known)

    async def api_root(self) -> str:
        """Discover (once) the REST API root: Link header, ``/wp-json/``, ``?rest_route=``."""
        if self._root:
            return self._root
        root = None
        try:
            async with self.client.limit:
                r = await self.client.head(self.url)
            for link in r.headers.get_list("link"):
                for part in link.split(","):
                    if 'rel="https://api.w.org/"' in part and "<" in part:
                        root = urljoin(self.url, part[part.index("<") + 1 : part.index(">")])
        except httpx.HTTPError:
            root = None  # fall through to the probes, which report the error properly
        if root is None:
            for candidate in (urljoin(self.url, "wp-json/"), self.url + "?rest_route=/"):
                try:
                    probe = await request_json(self.client, "GET", candidate)
                except HttpError as exc:
                    if exc.status is None or exc.status in (401, 403) or exc.status < 400:
                        raise  # (a redirect not followed: the url should be another)
                    continue
                if isinstance(probe.data, Mapping) and "wp/v2" in (
                    probe.data.get("namespaces") or ()
                ):
                    root = candidate
                    break
        if root is None:
            raise ConnectorError(
                self.name,
                stored("conn.wp.no_api", url=self.url),
                retryable=False,
            )
        self._root = root
        return root

    async def _endpoint(self, path: str) -> tuple[str, dict[str, Any]]:
        root = await self.api_root()
        if "rest_route=" in root:
            parts = urlsplit(root)
            base = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))
            return base, {"rest_route": "/" + path}
        return root.rstrip("/") + "/" + path, {}

    async def _get(self, path: str, params: Mapping[str, Any]) -> Any:
        url, extra = await self._endpoint(path)
        return await request_json(self.client, "GET", url, params={**extra, **params})

    def _list_params(self, status: str, **more: Any) -> dict[str, Any]:
        p: dict[str, Any] = {"status": status, "per_page": PER_PAGE}
        p["context"] = "edit" if self.authenticated else "view"
        if not self.authenticated:
            p.pop("status")  # approved only; asking for a status needs credentials
        p.update(more)
        return p

    def _guard(self, listing: int) -> PageGuard:
        """The guard of one status's listing pages (a server that ignores ``offset``)."""
        return PageGuard(self.name, f"GET wp/v2/comments?status={self.status_values[listing]}")

    async def _comments(self, status: str, **params: Any) -> tuple[list[dict[str, Any]], int]:
        """One listing request: (comments, total count)."""
        p = self._list_params(status, **params)
        try:
            r = await self._get("wp/v2/comments", p)
        except HttpError as exc:
            if exc.code == "rest_comment_invalid_page_number":
                return [], 0  # asked past the end (comments vanished meanwhile)
            raise
        if not isinstance(r.data, list):
            raise ConnectorError(
                self.name,
                error_at(f"GET {r.url}", stored("conn.wp.not_a_list", kind=type(r.data).__name__)),
            )
        total = _count(r.headers.get("X-WP-Total"))
        return r.data, total

    async def _threads_for(self, comments: Iterable[Mapping[str, Any]]) -> list[Thread]:
        """The threads (posts) of ``comments`` not yet handed out by this connector."""
        return await self._threads({str(c.get("post")) for c in comments if c.get("post")})

    async def _threads(self, posts: Iterable[str]) -> list[Thread]:
        """The threads ``posts`` (ids) not yet handed out by this connector."""
        want = sorted(set(posts) - self._threads_seen, key=int)
        threads: list[Thread] = []
        for endpoint in ("wp/v2/posts", "wp/v2/pages"):
            if not want:
                break
            found: set[str] = set()
            for i in range(0, len(want), PER_PAGE):
                chunk = want[i : i + PER_PAGE]
                listed = await self._posts(endpoint, include=",".join(chunk), _fields=THREAD_FIELDS)
                for p in listed or ():
                    t = post_to_thread(self.name, p)
                    threads.append(t)
                    found.add(t.external_id)
            want = [w for w in want if w not in found]
        for w in want:  # a deleted or private post: still a thread, without a title
            threads.append(Thread(source=self.name, external_id=w, title=f"#{w}"))
        self._threads_seen.update(t.external_id for t in threads)
        return threads

    async def _posts(self, endpoint: str, **params: Any) -> list[Mapping[str, Any]] | None:
        """One listing of posts or pages (``endpoint``), every status where credentials
        allow; None where the site does not answer it (e.g. a site that disabled the
        pages endpoint, a page past the last)."""
        params["per_page"] = PER_PAGE
        if self.authenticated:
            params.update(context="edit", status="any")
        try:
            r = await self._get(endpoint, params)
        except HttpError as exc:
            if exc.retryable or exc.status in (401, 403):
                raise
            return None
        return r.data if isinstance(r.data, list) else []

    async def _changed_threads(self, posts: set[str], since: float) -> list[Thread]:
        """The threads among ``posts`` (ids) whose post or page was changed on the site
        (its title, link, comments closed) since ``since``: asked newest change first
        and read until the first older one (a site that does not know
        ``modified_after``), so an unchanged thread is neither read nor stored again."""
        after = datetime.fromtimestamp(since - THREAD_CLOCK_MARGIN, UTC).replace(microsecond=0)
        threads: list[Thread] = []
        for endpoint in ("wp/v2/posts", "wp/v2/pages"):
            guard = PageGuard(self.name, f"GET {endpoint}")  # a site that ignores ``page``
            for page in itertools.count(1):
                found = await self._posts(
                    endpoint,
                    # With its offset: WordPress (5.7 on) compares it in its own zone.
                    modified_after=after.isoformat(),
                    orderby="modified",
                    order="desc",
                    page=page,
                    _fields=THREAD_FIELDS + ",modified_gmt",
                )
                if found is None:
                    break  # no pages endpoint, or past the last page
                guard.check(p.get("id") for p in found)
                newer = [p for p in found if (utc_time(p.get("modified_gmt")) or after) > after]
                threads += [post_to_thread(self.name, p) for p in newer if str(p["id"]) in posts]
                if len(newer) < len(found) or len(found) < PER_PAGE:
                    break
        self._threads_seen.update(t.external_id for t in threads)
        return threads

    async def _page(
        self,
        comments: Sequence[Mapping[str, Any]],
        cursor: dict[str, Any],
        *,
        done: bool,
        gone: Mapping[str, RemoteStatus] | None = None,
        changed: Sequence[Thread] = (),
    ) -> Page:
        """``comments`` as a page; with the threads of those new to the connector (a
        known comment's thread is stored already), and the ``changed`` threads."""
        responses = [comment_to_response(self.name, c) for c in comments]
        new = [c for c in comments if str(c["id"]) not in self.known]
        threads = [*(await self._threads_for(new) if new else []), *changed]
        for r in responses:
            self.known[r.external_id] = r.remote_status
        for ext in gone or {}:
            self.known.pop(ext, None)
        return Page(
            responses=responses,
            threads=threads,
            next_cursor=json.dumps(cursor, separators=(",", ":")),
            gone=dict(gone or {}),
            done=done,
        )

    # -- reading ----------------------------------------------------------------------
    def fetch(self, cursor: str | None) -> AsyncIterator[Page]:
        """Yield pages after ``cursor`` (see the module docstring for the phases)."""
        return self._fetch(cursor)

    async def _fetch(self, cursor: str | None) -> AsyncIterator[Page]:
        state = _parse_cursor(cursor)
        if state["phase"] == "full":
            resumed = state["st"] > 0 or state["offset"] > 0
            async for page in self._full(state, resumed=resumed):
                yield page
            return
        async for page in self._incremental(state):
            yield page

    async def _full(self, state: dict[str, Any], *, resumed: bool) -> AsyncIterator[Page]:
        hw = state["hw"]
        st, offset = state["st"], state["offset"]

        def listing(st: int, offset: int) -> asyncio.Task[tuple[list[dict[str, Any]], int]]:
            return asyncio.create_task(
                self._comments(
                    self.status_values[st],
                    orderby="id",
                    order="asc",
                    offset=offset,
                    _fields=COMMENT_FIELDS,
                )
            )

        # Listings ahead of the one being translated and stored: the server works while
        # we do, and a server with several workers (php-fpm, php -S with
        # PHP_CLI_SERVER_WORKERS) renders ``inflight`` pages at once. Requests ahead go
        # to the offsets a full page leads to; a short page (comments vanished meanwhile)
        # drops them and goes on from where it really ended. The cursor of each page is
        # exact either way: it is computed from the pages actually received.
        ahead: deque[tuple[int, int, asyncio.Task[tuple[list[dict[str, Any]], int]]]] = deque()
        total: int | None = None
        guards: dict[int, PageGuard] = {}

        def fill(st: int, offset: int) -> None:
            nxt = ahead[-1][1] + PER_PAGE if ahead else offset
            while len(ahead) < self.inflight and (not ahead or total is not None):
                if total is not None and nxt >= total:
                    return
                ahead.append((st, nxt, listing(st, nxt)))
                nxt += PER_PAGE

        try:
            if st < len(self.status_values):
                fill(st, offset)
            while ahead:
                listed, asked, task = ahead.popleft()
                comments, got_total = await task
                if asked != offset:  # cannot happen: requests ahead are dropped on a short page
                    raise ConnectorError(self.name, stored("conn.wp.out_of_order"), retryable=True)
                total = got_total or None
                offset += len(comments)
                hw = max([hw, *(int(c["id"]) for c in comments)])
                if listed not in guards:
                    guards[listed] = self._guard(listed)
                guards[listed].check(int(c["id"]) for c in comments)
                status_done = not comments or len(comments) < PER_PAGE or 0 < got_total <= offset
                if status_done or (ahead and ahead[0][1] != offset):
                    await _cancel_all(ahead)
                    total = None
                if status_done:
                    st, offset = st + 1, 0
                last = st >= len(self.status_values)
                if not last:
                    fill(st, offset)
                # A full listing from the start is as good as a re-scan and a re-read; a
                # resumed one is not (comments may have moved while we were away).
                now = None if resumed else self._clock()
                nxt = (
                    {"v": 1, "phase": "inc", "hw": hw, "rs": now, "rr": now}
                    if last
                    else {"v": 1, "phase": "full", "st": st, "offset": offset, "hw": hw}
                )
                yield await self._page(comments, nxt, done=last)
        finally:
            await _cancel_all(ahead)

    async def _incremental(self, state: dict[str, Any]) -> AsyncIterator[Page]:
        hw: int = state["hw"]
        fresh: dict[int, dict[str, Any]] = {}
        for status in self.status_values:
            top, _ = await self._comments(
                status, orderby="id", order="desc", per_page=1, _fields="id"
            )
            if not top or int(top[0]["id"]) <= hw:
                continue
            offset = 0
            guard = self._guard(self.status_values.index(status))
            while True:
                batch, _ = await self._comments(
                    status, orderby="id", order="desc", offset=offset, _fields=COMMENT_FIELDS
                )
                guard.check(int(c["id"]) for c in batch)
                newer = [c for c in batch if int(c["id"]) > hw]
                fresh.update((int(c["id"]), c) for c in newer)
                offset += len(batch)
                if len(newer) < len(batch) or len(batch) < PER_PAGE:
                    break
        reread = self._reread_due(state)
        rescan = reread or self._rescan_due(state)
        rs, rr = state.get("rs"), state.get("rr")
        ordered = [fresh[i] for i in sorted(fresh)]
        for i in range(0, len(ordered), PER_PAGE):
            chunk = ordered[i : i + PER_PAGE]
            hw = max(hw, int(chunk[-1]["id"]))
            last = i + PER_PAGE >= len(ordered) and not rescan
            cur = {"v": 1, "phase": "inc", "hw": hw, "rs": rs, "rr": rr}
            yield await self._page(chunk, cur, done=last)
        if rescan:
            async for page in self._rescan(
                {"v": 1, "phase": "inc", "hw": hw, "rs": rs, "rr": rr}, full=reread
            ):
                yield page
        elif not ordered:
            cur = {"v": 1, "phase": "inc", "hw": hw, "rs": rs, "rr": rr}
            yield await self._page([], cur, done=True)

    def force_rescan(self) -> None:
        """Make the next incremental round re-scan the site (status changes, deletions)."""
        self._force_rescan = True

    def _rescan_due(self, state: Mapping[str, Any]) -> bool:
        # The time of the last re-scan travels in the cursor, so a `sync --once` run
        # from cron does not re-scan the whole site every time.
        rs = state.get("rs")
        return self._force_rescan or not rs or self._clock() - float(rs) >= self.rescan_seconds

    def _reread_due(self, state: Mapping[str, Any]) -> bool:
        # As the re-scan's, the time of the last re-read travels in the cursor.
        if self.reread_seconds <= 0:
            return False
        rr = state.get("rr")
        return not rr or self._clock() - float(rr) >= self.reread_seconds

    async def _rescan(self, cursor: dict[str, Any], *, full: bool) -> AsyncIterator[Page]:
        """Compare the site's (id, status) list with what we know; read what differs.
        ``full`` (a re-read): list every field and hand every comment out (edits)."""
        if self.known_loader is not None and not self._primed:
            self.known = {**(await self.known_loader()), **self.known}
            self._primed = True
        started = self._clock()
        site: dict[str, tuple[str, RemoteStatus]] = {}
        posts: set[str] = set()  # the threads with comments (a re-read's)
        for status in self.status_values:
            offset = 0
            guard = self._guard(self.status_values.index(status))
            while True:
                batch, total = await self._comments(
                    status,
                    orderby="id",
                    order="asc",
                    offset=offset,
                    _fields=COMMENT_FIELDS if full else "id,status",
                )
                guard.check(int(c["id"]) for c in batch)
                for c in batch:
                    site[str(c["id"])] = (status, wp_status(c.get("status", "approved")))
                    if full and c.get("post"):
                        posts.add(str(c["post"]))
                if full and batch:
                    yield await self._page(batch, cursor, done=False)
                offset += len(batch)
                if len(batch) < PER_PAGE or 0 < total <= offset:
                    break
        differ: dict[str, list[str]] = {}
        for ext, (listing, st) in site.items():
            if not full and self.known.get(ext) != st:
                differ.setdefault(listing, []).append(ext)
        gone = {
            ext: RemoteStatus.DELETED
            for ext, st in self.known.items()
            if ext not in site and st != RemoteStatus.DELETED
        }
        if site:
            cursor = {**cursor, "hw": max(cursor["hw"], max(int(e) for e in site))}
        chunks = [
            (listing, ids[i : i + PER_PAGE])
            for listing, ids in differ.items()
            for i in range(0, len(ids), PER_PAGE)
        ]
        for listing, chunk in chunks:
            comments, _ = await self._comments(
                listing, include=",".join(chunk), _fields=COMMENT_FIELDS
            )
            yield await self._page(comments, cursor, done=False)
        changed: list[Thread] = []
        if full and cursor.get("rr") is not None:  # titles changed since the last re-read
            changed = await self._changed_threads(posts, float(cursor["rr"]))
        elif full:  # no re-read before (a resumed first sync): every thread read again
            self._threads_seen -= posts
            changed = await self._threads(posts)
        self._force_rescan = False
        end = {**cursor, "rs": started, **({"rr": started} if full else {})}
        yield await self._page([], end, done=True, gone=gone, changed=changed)

    # -- writing ----------------------------------------------------------------------
    async def apply(self, action: Action) -> ApplyResult:
        """Apply one moderation action or reply; see the module docstring."""
        if action.capability not in self.capabilities:
            reason = self.unsupported_reasons.get(action.capability, stored("conn.not_supported"))
            raise ConnectorError(
                self.name,
                error_at(action.capability.value, reason),
                retryable=False,
            )
        if action.capability is Capability.REPLY:
            return await self._reply(action)
        return await self._set_status(action)

    async def _post(
        self, url: str, extra: Mapping[str, Any], body: Mapping[str, Any], **options: Any
    ) -> JsonResponse:
        """POST ``body`` to a comments endpoint (status or reply), answered in the edit
        context with only the id and status: what a write-back reads back."""
        return await request_json(
            self.client, "POST", url, params={**extra, **_ID_STATUS}, json_body=body, **options
        )

    async def _read_comment(self, ext: str, fields: str) -> Mapping[str, Any] | None:
        """Comment ``ext`` in the edit context with ``fields`` (None: it no longer exists)."""
        url, extra = await self._endpoint(f"wp/v2/comments/{int(ext)}")
        try:
            r = await request_json(
                self.client, "GET", url, params={**extra, **_ID_STATUS, "_fields": fields}
            )
        except HttpError as exc:
            if exc.status == 404:
                return None
            raise
        return r.data if isinstance(r.data, Mapping) else {}

    async def _read_status(self, ext: str) -> RemoteStatus:
        comment = await self._read_comment(ext, _ID_STATUS["_fields"])
        return RemoteStatus.DELETED if comment is None else wp_status(comment.get("status"))

    async def _set_status(self, action: Action) -> ApplyResult:
        want = SEND_STATUS[action.capability]
        target = WP_STATUS[want]
        if action.expected_status is not None or text_checked(action):
            # Not forced: if the site changed the comment since the moderator saw it, stop.
            # An approval reads the whole comment (one request all the same): its text too.
            fields = COMMENT_FIELDS if text_checked(action) else _ID_STATUS["_fields"]
            comment = await self._read_comment(action.external_id, fields)
            now = RemoteStatus.DELETED if comment is None else wp_status(comment.get("status"))
            if now == target:
                return ApplyResult(remote_status=now)
            if now is RemoteStatus.DELETED:  # deleted for good: no status to set again
                raise ActionConflict(
                    self.name, stored("conn.wp.gone", id=action.external_id), remote_status=now
                )
            if comment is not None and text_checked(action):
                self._check_text(action, comment, now)
            if action.expected_status is not None and now != action.expected_status:
                raise ActionConflict(
                    self.name,
                    stored(
                        "conn.wp.changed",
                        id=action.external_id,
                        now=stored_status(now),
                        expected=stored_status(action.expected_status),
                    ),
                    remote_status=now,
                )
        url, extra = await self._endpoint(f"wp/v2/comments/{int(action.external_id)}")
        try:
            r = await self._post(
                url,
                extra,
                {"status": want},
                idempotent=True,  # setting a status twice is harmless
                fatal_codes={"rest_comment_failed_edit"},
            )
        except HttpError as exc:
            if exc.code == "rest_comment_failed_edit":
                # WordPress says this when the status was already the one asked.
                now = await self._read_status(action.external_id)
                if now == target:
                    return ApplyResult(remote_status=now)
                raise ConnectorError(
                    self.name,
                    stored(
                        "conn.wp.refused",
                        id=action.external_id,
                        want=stored_status(target),
                        now=stored_status(now),
                    ),
                    retryable=False,
                ) from exc
            if exc.status == 404:
                raise ActionConflict(
                    self.name,
                    stored("conn.wp.gone", id=action.external_id),
                    remote_status=RemoteStatus.DELETED,
                ) from exc
            raise
        status = r.data.get("status") if isinstance(r.data, Mapping) else None
        got = wp_status(status) if status else target
        self.known[action.external_id] = got
        return ApplyResult(remote_status=got)

    def _check_text(self, action: Action, comment: Mapping[str, Any], now: RemoteStatus) -> None:
        """Raise :class:`ActionConflict` with the comment as the site has it when its text
        is not the one the moderator saw (``edit_stops``; the outbox stores the new words)."""
        fresh = comment_to_response(self.name, {**comment, "id": action.external_id})
        if edit_stops(action, text_digest(fresh.body_text, fresh.body_raw)):
            raise ActionConflict(
                self.name,
                stored("conn.edited", id=action.external_id),
                remote_status=now,
                response=fresh,
            )

    async def _reply(self, action: Action) -> ApplyResult:
        post = action.thread_external_id or action.meta.get("post")
        if not post:
            raise ConnectorError(
                self.name, stored("conn.wp.no_post", id=action.external_id), retryable=False
            )
        if action.external_id:
            # WordPress takes a reply to a comment deleted or trashed on the site (it does
            # not check the parent): the reply would stand there answering nothing.
            now = await self._read_status(action.external_id)
            if now in (RemoteStatus.DELETED, RemoteStatus.TRASH):
                key = "conn.wp.gone" if now is RemoteStatus.DELETED else "conn.wp.reply_trashed"
                raise ActionConflict(
                    self.name, stored(key, id=action.external_id), remote_status=now
                )
        url, extra = await self._endpoint("wp/v2/comments")
        body = {
            "post": int(post),
            "parent": int(action.external_id) if action.external_id else 0,
            # Plain text: escaped, so a quoted <script> is shown, not run (plaintext.py).
            "content": wordpress_html(action.text or ""),
        }
        try:
            r = await self._post(url, extra, body)
        except HttpError as exc:
            if exc.code == "rest_comment_closed":
                raise ConnectorError(
                    self.name,
                    stored("conn.wp.closed", post=post),
                    retryable=False,
                ) from exc
            if exc.code == "comment_duplicate":
                # The same reply is already there (an earlier try got through).
                return ApplyResult()
            raise
        data = r.data if isinstance(r.data, Mapping) else {}
        made = new_comment_id(data.get("id"))
        if made is None:
            raise ReplyUnconfirmed(self.name, f"POST {r.url}")
        status = wp_status(data.get("status")) if data.get("status") else None
        return ApplyResult(remote_status=status, external_id=made)


async def _cancel_all(tasks: deque[tuple[int, int, asyncio.Task[Any]]]) -> None:
    """Cancel listings requested ahead that are no longer wanted, and wait for them."""
    while tasks:
        _, _, task = tasks.popleft()
        if not task.done():
            task.cancel()
        with contextlib.suppress(BaseException):
            await task


def _count(value: Any) -> int:
    """A count header (``X-WP-Total``); 0, unknown, when it is none (junk, negative)."""
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _parse_cursor(cursor: str | None) -> dict[str, Any]:
    base = {"v": 1, "phase": "full", "st": 0, "offset": 0, "hw": 0, "rs": None, "rr": None}
    if not cursor:
        return base
    try:
        data = json.loads(cursor)
    except ValueError:
        return base  # an unknown cursor: read everything again (idempotent)
    if not isinstance(data, dict) or data.get("v") != 1:
        return base
    return {**base, **{k: data[k] for k in base if k in data}}

"""Go Vocal (formerly CitizenLab): comments through the public API v2, read-only.

API (CitizenLabDotCo/citizenlab ``back/engines/commercial/public_api``):

* ``POST /api/v2/authenticate`` with ``{"auth": {"client_id", "client_secret"}}`` answers
  201 ``{"jwt": ...}``; the token lasts 24 h, so we renew it after ``token_seconds``
  (23 h) or at the first 401. Unknown credentials answer 404 (Knock's "not found").
* ``GET /api/v2/comments`` with ``page_size``, ``page_number``, ``locale`` and
  ``updated_at=<from>,<to>`` (dates, day granularity) answers
  ``{"comments": [...], "meta": {"total_pages", "current_page"}}``. The server caps
  ``page_size`` (24 in the published controllers), so we follow ``total_pages``.
* ``GET /api/v2/comments/deleted?deleted_at=<from>,`` lists deleted comment ids.
* ``GET /api/v2/ideas/<id>``, ``/projects/<id>``, ``/users/<id>`` give thread titles,
  links and author names (cached per run).

Incremental sync: ``updated_at`` has day granularity, so each round asks from the day
before the previous round started (overlap) and drops what it already saw unchanged
(the cursor keeps ``id -> updated_at`` for that window).

Bodies: the v2 serializer sends ``body`` translated to the requested ``locale``; if a
server sends the multiloc object instead, we pick the configured language for the
text and keep every language in ``body_raw`` (``body_format = "json"``).
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from reactieveld.connectors.base import (
    ApplyResult,
    ConnectorError,
    PageGuard,
    error_at,
    utc_time,
)
from reactieveld.connectors.htmltext import html_to_text, plain_text
from reactieveld.connectors.http import (
    HttpError,
    RetryPolicy,
    Sleep,
    SourceClient,
    make_client,
    request_json,
    sign_in,
)
from reactieveld.i18n import stored
from reactieveld.model import Action, Capability, Page, RemoteStatus, Response, Thread

TYPE = "govocal"
_READ_ONLY = stored("conn.gv.read_only")
CAPABILITIES: frozenset[Capability] = frozenset()
UNSUPPORTED_REASONS: Mapping[Capability, str] = {c: _READ_ONLY for c in Capability}
# Roles that speak for the organisation (Go Vocal user ``roles[].type``).
_STAFF_ROLES = {"admin", "project_moderator", "project_folder_moderator"}
# Comments hang off ideas (and, on older platforms, initiatives).
_POST_ENDPOINTS = {"idea": "ideas", "initiative": "initiatives"}


def pick_locale(value: Any, locale: str) -> str:
    """The text for ``locale`` from a multiloc ``{"nl-NL": ..., "en": ...}`` (exact,
    then same language, then the first non-empty one); a plain string as is."""
    if isinstance(value, str):
        return value
    if not isinstance(value, Mapping):
        return ""
    if value.get(locale):
        return str(value[locale])
    lang = locale.split("-")[0].lower()
    for key, text in value.items():
        if str(key).split("-")[0].lower() == lang and text:
            return str(text)
    return next((str(t) for t in value.values() if t), "")


class GoVocalConnector:
    """Reads the comments of one Go Vocal platform. Cannot moderate (read-only API)."""

    type = TYPE
    capabilities = CAPABILITIES
    unsupported_reasons = UNSUPPORTED_REASONS

    def __init__(
        self,
        name: str,
        url: str,
        client_id: str,
        client_secret: str,
        *,
        locale: str = "nl-NL",
        page_size: int = 100,
        token_seconds: float = 23 * 3600,
        overlap_days: int = 1,
        client: SourceClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        sleep: Sleep | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """A connector for the platform at ``url`` with a public-API client id/secret.

        ``locale`` picks the language of bodies and titles; ``token_seconds`` how long
        a token is used before it is renewed (Go Vocal's expire after 24 h).
        """
        self.name = name
        self.base_url = url.rstrip("/")
        self.locale = locale
        self.page_size = page_size
        self.token_seconds = token_seconds
        self.overlap_days = overlap_days
        self.clock = clock
        self._client_id = client_id
        self._client_secret = client_secret
        self._token: str | None = None
        self._token_at = 0.0
        self.client = client or make_client(
            name, self.base_url, retry=retry, sleep=sleep, transport=transport
        )
        self._threads: dict[str, Thread] = {}
        self._projects: dict[str, dict[str, Any]] = {}
        self._users: dict[str, dict[str, Any] | None] = {}

    @classmethod
    def from_config(
        cls, source: Any, client: SourceClient | None = None, **kwargs: Any
    ) -> GoVocalConnector:
        """Build from a ``SourceConfig`` (url, client_id_env, client_secret_env, locale)."""
        return cls(
            source.name,
            source.option("url"),
            source.secret("client_id"),
            source.secret("client_secret"),
            locale=source.option("locale") or "nl-NL",
            client=client,
            **kwargs,
        )

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.client.aclose()

    async def apply(self, action: Action) -> ApplyResult:
        """Always refuses: Go Vocal's public API cannot moderate or reply."""
        raise ConnectorError(
            self.name,
            error_at(action.capability.value, _READ_ONLY),
            retryable=False,
        )

    # --- HTTP with the bearer token ----------------------------------------------------
    async def _authenticate(self) -> None:
        resp = await sign_in(
            self.client,
            self.name,
            "/api/v2/authenticate",
            {"auth": {"client_id": self._client_id, "client_secret": self._client_secret}},
            refused=(400, 401, 403, 404, 422),
            refused_text=stored("conn.gv.key_refused"),
        )
        jwt = (resp.data or {}).get("jwt") if isinstance(resp.data, Mapping) else None
        if not jwt:
            raise ConnectorError(
                self.name,
                error_at("POST /api/v2/authenticate", stored("conn.no_field", field="jwt")),
            )
        self._token = str(jwt)
        self._token_at = self.clock()

    async def _get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        if self._token is None or self.clock() - self._token_at >= self.token_seconds:
            await self._authenticate()
        for attempt in (1, 2):
            try:
                resp = await request_json(
                    self.client,
                    "GET",
                    path,
                    params=params,
                    headers={"Authorization": f"Bearer {self._token}"},
                )
                return resp.data
            except HttpError as exc:
                if exc.status == 401 and attempt == 1:
                    await self._authenticate()  # expired early or revoked: one fresh try
                    continue
                raise
        raise AssertionError("unreachable")

    # --- reading ----------------------------------------------------------------------
    async def fetch(self, cursor: str | None) -> AsyncIterator[Page]:
        """One round: comments updated since the previous round (one page per API page),
        then deleted comments. The cursor is JSON: ``since`` (date asked from),
        ``seen`` (id -> updated_at within the overlap) and ``round`` (a round in
        progress: its start date and the next page)."""
        state: dict[str, Any] = json.loads(cursor) if cursor else {}
        rnd = state.get("round") or {"start": self._today().isoformat(), "page": 1, "del": 1}
        state["round"] = rnd
        since: str | None = state.get("since")
        seen: dict[str, str] = dict(state.get("seen") or {})

        guard = PageGuard(self.name, "GET /api/v2/comments")
        while rnd["page"]:
            params: dict[str, Any] = {
                "page_size": self.page_size,
                "page_number": rnd["page"],
                "locale": self.locale,
            }
            if since:
                params["updated_at"] = f"{since},"
            data = await self._get("/api/v2/comments", params)
            comments = [c for c in (data or {}).get("comments") or [] if isinstance(c, dict)]
            guard.check(str(c.get("id")) for c in comments)
            total = int(((data or {}).get("meta") or {}).get("total_pages") or 0)
            fresh = []
            for c in comments:
                cid, upd = str(c.get("id")), str(c.get("updated_at") or "")
                if seen.get(cid) == upd:
                    continue  # the overlap brought it again, unchanged
                seen[cid] = upd
                fresh.append(c)
            responses = [await self._comment(c) for c in fresh]
            threads = [
                self._threads[r.thread_external_id]
                for r in responses
                if r.thread_external_id in self._threads
            ]
            rnd["page"] = rnd["page"] + 1 if rnd["page"] < total and comments else 0
            state["seen"] = seen
            yield Page(
                responses,
                list({t.external_id: t for t in threads}.values()),
                json.dumps(state),
                done=False,
            )

        gone: dict[str, RemoteStatus] = {}
        guard = PageGuard(self.name, "GET /api/v2/comments/deleted")
        while rnd["del"]:
            params = {"page_size": self.page_size, "page_number": rnd["del"]}
            if since:
                params["deleted_at"] = f"{since},"
            data = await self._get("/api/v2/comments/deleted", params)
            items = [d for d in (data or {}).get("deleted_items") or [] if isinstance(d, dict)]
            guard.check(str(d.get("id")) for d in items)
            gone.update({str(d["id"]): RemoteStatus.DELETED for d in items if d.get("id")})
            total = int(((data or {}).get("meta") or {}).get("total_pages") or 0)
            rnd["del"] = rnd["del"] + 1 if rnd["del"] < total and items else 0

        # Next round starts a day before this one did: updated_at has day granularity.
        start = date.fromisoformat(rnd["start"])
        new_since = (start - timedelta(days=self.overlap_days)).isoformat()
        state = {
            "since": new_since,
            # Only what the next round can bring again needs remembering.
            "seen": {k: v for k, v in seen.items() if v[:10] >= new_since},
        }
        yield Page((), (), json.dumps(state), gone=gone, done=True)

    def _today(self) -> date:
        return datetime.fromtimestamp(self.clock(), UTC).date()

    async def _comment(self, c: Mapping[str, Any]) -> Response:
        post_type = str(c.get("post_type") or "idea")
        post_id = c.get("post_id") or c.get("idea_id")
        thread_id = f"{post_type}:{post_id}" if post_id else None
        if thread_id and thread_id not in self._threads:
            await self._load_thread(thread_id, post_type, str(post_id))
        author = await self._user(c.get("author_id"))
        body = c.get("body")
        if isinstance(body, Mapping):
            text_html = pick_locale(body, self.locale)
            raw, fmt = json.dumps(body, ensure_ascii=False), "json"
        else:
            text_html = str(body or "")
            raw, fmt = text_html, "html"
        status = (
            RemoteStatus.DELETED
            if c.get("publication_status") == "deleted"
            else RemoteStatus.APPROVED
        )
        roles = {r.get("type") for r in (author or {}).get("roles") or [] if isinstance(r, Mapping)}
        thread = self._threads.get(thread_id) if thread_id else None
        name = " ".join(
            str(x) for x in ((author or {}).get("first_name"), (author or {}).get("last_name")) if x
        )
        return Response(
            source=self.name,
            external_id=str(c["id"]),
            thread_external_id=thread_id,
            parent_external_id=str(c["parent_id"]) if c.get("parent_id") else None,
            author_name=plain_text(name),
            author_email=(author or {}).get("email") or None,
            body_text=html_to_text(text_html),
            body_raw=raw,
            body_format=fmt,
            created_at=utc_time(c.get("created_at")) or datetime.now(UTC),
            updated_at=utc_time(c.get("body_updated_at")) or utc_time(c.get("updated_at")),
            remote_status=status,
            url=thread.url if thread else None,
            role_hint="organisatie" if roles & _STAFF_ROLES else None,
            meta={
                "project_id": c.get("project_id"),
                "likes_count": c.get("likes_count"),
                "dislikes_count": c.get("dislikes_count"),
                "locale": self.locale,
            },
        )

    async def _load_thread(self, thread_id: str, post_type: str, post_id: str) -> None:
        endpoint = _POST_ENDPOINTS.get(post_type, "ideas")
        try:
            data = await self._get(f"/api/v2/{endpoint}/{post_id}", {"locale": self.locale})
        except HttpError as exc:
            if exc.status != 404:
                raise
            data = None  # deleted idea: keep the comment, without a title
        item = (data or {}).get(post_type) or (data or {}).get("idea") or {}
        title = pick_locale(item.get("title") or item.get("title_multiloc"), self.locale)
        meta: dict[str, Any] = {"post_type": post_type}
        project_id = item.get("project_id")
        if project_id:
            meta["project_id"] = project_id
            project_title = item.get("project_title")
            if not project_title:
                project = await self._project(str(project_id))
                project_title = pick_locale(project.get("title"), self.locale)
            meta["project_title"] = plain_text(str(project_title or ""))
        self._threads[thread_id] = Thread(
            self.name,
            thread_id,
            plain_text(title) or f"{post_type} {post_id}",
            item.get("href") or None,
            created_at=utc_time(item.get("published_at") or item.get("created_at")),
            meta=meta,
        )

    async def _project(self, project_id: str) -> dict[str, Any]:
        if project_id not in self._projects:
            try:
                data = await self._get(f"/api/v2/projects/{project_id}", {"locale": self.locale})
            except HttpError as exc:
                if exc.status != 404:
                    raise
                data = None
            self._projects[project_id] = dict((data or {}).get("project") or {})
        return self._projects[project_id]

    async def _user(self, user_id: Any) -> dict[str, Any] | None:
        if not user_id:
            return None  # the author deleted their account
        uid = str(user_id)
        if uid not in self._users:
            try:
                data = await self._get(f"/api/v2/users/{uid}")
                self._users[uid] = dict((data or {}).get("user") or {})
            except HttpError as exc:
                if exc.status not in (403, 404):
                    raise
                self._users[uid] = None
        return self._users[uid]

"""Decidim: comments on proposals, debates, meetings and blog posts via GraphQL.

API (decidim/decidim ``decidim-api/docs/usage.md``, ``decidim-comments/lib/decidim/api``):

* everything is ``POST /api`` with a GraphQL query; errors come back as HTTP 200 with
  an ``errors`` list;
* participatory spaces (``participatoryProcesses``, and where the installation has the
  module ``assemblies``, ``conferences``, ``initiatives``: the schema is asked which
  exist, ``__type(name: "Query") { fields { name } }``, once per connector) list their
  ``components``; a component's collection (``proposals``, ``debates``, ``meetings``,
  blog ``posts``) pages Relay-style (``first``, ``after``, ``pageInfo``);
* a commentable has ``totalCommentsCount`` and ``comments``, which is not paginated and
  gives the top-level comments with their replies nested in ``comments``; hidden and
  deleted comments are left out (``CommentType.authorized?``);
* optional sign-in: ``POST /api/sign_in`` with an API user's key and secret returns a
  JWT in the ``Authorization`` header;
* write-back: a reply is the ``addComment`` mutation on the comment (a comment is
  itself a commentable). Decidim's API has no moderation, so approve, hide, spam and
  trash are not offered and the UI says why.

Incremental sync: every round lists the commentables with their ``totalCommentsCount``
and re-reads only those whose count changed; the ids seen per commentable are kept in
the cursor, so a re-read that no longer returns an id reports it gone (hidden by
Decidim's moderators or deleted). A periodic full rescan (``rescan_seconds``) re-reads
every commentable, to catch a hide and a new comment that left the count unchanged.

Reports: the GraphQL ``Comment`` type (``decidim-comments/lib/decidim/api/comment_type.rb``)
has only ``alreadyReported`` (whether the signed-in API user reported it), no count of
the participants' reports, and a hidden (moderated) comment is not returned at all. So a
Decidim response never carries ``meta["reports"]`` (the Reported queue stays empty for
Decidim), and a comment hidden in Decidim's admin reaches the store only as gone
(``RemoteStatus.HIDDEN``, the one status a vanished comment is given: the API cannot tell
hidden from deleted).
"""

from __future__ import annotations

import json
import re
import time
import zlib
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from reactieveld.connectors.base import (
    ApplyResult,
    ConnectorError,
    PageGuard,
    ReplyUnconfirmed,
    error_at,
    new_comment_id,
    utc_time,
)
from reactieveld.connectors.htmltext import html_to_text, plain_text
from reactieveld.connectors.http import (
    HttpError,
    RetryPolicy,
    Sleep,
    SourceClient,
    clean_text,
    make_client,
    request_json,
    sign_in,
)
from reactieveld.connectors.plaintext import markdown_literal
from reactieveld.i18n import stored
from reactieveld.model import (
    DECIDIM_SPACE_TYPES,
    Action,
    Capability,
    Page,
    RemoteStatus,
    Response,
    Thread,
)

TYPE = "decidim"
COMMENT_TYPE = "Decidim::Comments::Comment"


@dataclass(frozen=True)
class _Kind:
    """A component type with commentable items."""

    component: str  # the component's GraphQL __typename
    many: str  # its connection field
    one: str  # its single-item field
    model: str  # the commentable's Ruby class (addComment's ``type``)
    path: str  # URL segment on the website
    prefix: str  # thread external id prefix


KINDS = {
    k.component: k
    for k in (
        _Kind(
            "Proposals",
            "proposals",
            "proposal",
            "Decidim::Proposals::Proposal",
            "proposals",
            "proposal",
        ),
        _Kind("Debates", "debates", "debate", "Decidim::Debates::Debate", "debates", "debate"),
        _Kind(
            "Meetings", "meetings", "meeting", "Decidim::Meetings::Meeting", "meetings", "meeting"
        ),
        _Kind("Blogs", "posts", "post", "Decidim::Blogs::Post", "posts", "post"),
    )
}
# The participatory space types (config name -> Query field) live in model.py, so that
# the config can check ``spaces = [...]`` without importing this connector.
SPACE_TYPES = DECIDIM_SPACE_TYPES
#: Query field -> the URL segment of its spaces on the website.
SPACES = {field: name for name, field in SPACE_TYPES.items()}

SCHEMA_QUERY = """
query ReactieveldSchema {
  __type(name: "Query") { fields { name } }
}
"""

_NO_MODERATION = stored("conn.dd.no_moderation")
CAPABILITIES = frozenset({Capability.REPLY})
UNSUPPORTED_REASONS: Mapping[Capability, str] = {
    c: _NO_MODERATION for c in Capability if c is not Capability.REPLY
}
_NO_USER = stored("conn.dd.no_user")

SPACES_QUERY = """
query ReactieveldSpaces($locale: String!) {
  %s
}
"""
_SPACE_BLOCK = """%s {
    id
    slug
    title { translation(locale: $locale) }
    components { id __typename }
  }"""

COMMENT_FIELDS = (
    "id body formattedBody createdAt alignment author { id name nickname deleted badge __typename }"
)


def _nested(depth: int) -> str:
    """A ``comments`` selection ``depth`` levels deep (Decidim nests replies)."""
    inner = ""
    for _ in range(depth):
        inner = f"comments {{ {COMMENT_FIELDS} {inner}}}"
    return inner


def commentables_query(kind: _Kind) -> str:
    """One page of a component's commentables with their comment counts."""
    return f"""
query ReactieveldCommentables($id: ID!, $first: Int!, $after: String, $locale: String!) {{
  component(id: $id) {{
    id
    __typename
    ... on {kind.component} {{
      {kind.many}(first: $first, after: $after) {{
        pageInfo {{ hasNextPage endCursor }}
        edges {{ node {{ id title {{ translation(locale: $locale) }} totalCommentsCount }} }}
      }}
    }}
  }}
}}
"""


def comments_query(kind: _Kind, depth: int) -> str:
    """Every visible comment of one commentable, replies nested."""
    return f"""
query ReactieveldComments($id: ID!, $item: ID!) {{
  component(id: $id) {{
    id
    ... on {kind.component} {{
      {kind.one}(id: $item) {{ id totalCommentsCount {_nested(depth)} }}
    }}
  }}
}}
"""


ADD_COMMENT = """
mutation ReactieveldAddComment($id: String!, $type: String!, $locale: String!, $body: String!) {
  commentable(id: $id, type: $type, locale: $locale, toggleTranslations: false) {
    addComment(body: $body) { id createdAt }
  }
}
"""


def _translation(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("translation") or "")
    return str(value or "")


class DecidimConnector:
    """Reads the comments of one Decidim organisation; replies when an API user is set."""

    type = TYPE

    def __init__(
        self,
        name: str,
        url: str,
        *,
        api_key: str | None = None,
        api_secret: str | None = None,
        locale: str = "nl",
        spaces: tuple[str, ...] | None = None,
        page_size: int = 50,
        depth: int = 4,
        rescan_seconds: float = 6 * 3600.0,
        client: SourceClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        sleep: Sleep | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """A connector for the Decidim at ``url``; ``api_key``/``api_secret`` (an API
        user) enable replies. ``spaces`` are the space types to read (``processes``,
        ``assemblies``, ``conferences``, ``initiatives``; None: every one the
        installation has, asked of its schema). ``depth`` is how deep nested replies are
        asked for; ``rescan_seconds`` how often every commentable is re-read."""
        self.name = name
        self.base_url = url.rstrip("/")
        self.locale = locale
        for space in spaces or ():
            if space not in SPACE_TYPES and space not in SPACES:
                raise ConnectorError(
                    name,
                    stored("conn.dd.unknown_space", space=space, known=", ".join(SPACE_TYPES)),
                    retryable=False,
                )
        # Config names, or Query fields as earlier versions took them.
        self.spaces = None if spaces is None else tuple(SPACE_TYPES.get(s, s) for s in spaces)
        self._space_fields: tuple[str, ...] | None = None
        self.page_size = page_size
        self.depth = depth
        self.rescan_seconds = rescan_seconds
        self.clock = clock
        self._key = api_key
        self._secret = api_secret
        self._jwt: str | None = None
        self.client = client or make_client(
            name, self.base_url, retry=retry, sleep=sleep, transport=transport
        )
        if api_key and api_secret:
            self.capabilities: frozenset[Capability] = CAPABILITIES
            self.unsupported_reasons: Mapping[Capability, str] = UNSUPPORTED_REASONS
        else:
            self.capabilities = frozenset()
            self.unsupported_reasons = {**UNSUPPORTED_REASONS, Capability.REPLY: _NO_USER}

    @classmethod
    def from_config(
        cls, source: Any, client: SourceClient | None = None, **kwargs: Any
    ) -> DecidimConnector:
        """Build from a ``SourceConfig`` (url; optional api_key_env, api_secret_env)."""
        key = source.secret("api_key") if source.option("api_key_env") else None
        secret = source.secret("api_secret") if source.option("api_secret_env") else None
        spaces = source.option("spaces")
        if spaces is not None:
            kwargs.setdefault("spaces", tuple(spaces))
        return cls(
            source.name,
            source.option("url"),
            api_key=key,
            api_secret=secret,
            client=client,
            **kwargs,
        )

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.client.aclose()

    # --- GraphQL ----------------------------------------------------------------------
    async def _sign_in(self) -> None:
        resp = await sign_in(
            self.client,
            self.name,
            "/api/sign_in",
            {"api_user": {"key": self._key, "secret": self._secret}},
            refused=(401, 403, 422),
            refused_text=stored("conn.dd.key_refused"),
            ok=(200, 201, 204),
        )
        token = resp.headers.get("Authorization")
        body_token = resp.data.get("jwt_token") if isinstance(resp.data, Mapping) else None
        if not token and isinstance(body_token, str) and body_token:
            # SessionsController also puts the token in the body, for clients (and
            # proxies) that drop the header.
            token = f"Bearer {body_token}"
        if not token:
            raise ConnectorError(
                self.name,
                error_at("POST /api/sign_in", stored("conn.dd.no_token")),
                retryable=False,
            )
        self._jwt = token

    async def graphql(
        self, query: str, variables: Mapping[str, Any], *, mutation: bool = False
    ) -> dict[str, Any]:
        """Run one GraphQL operation and return its ``data``; GraphQL errors raise
        ConnectorError (not retryable: the query or the permissions are wrong)."""
        if self._key and self._secret and self._jwt is None:
            await self._sign_in()
        named = re.search(r"\b(?:query|mutation)\s+(\w+)", query)
        op = named.group(1) if named else "query"
        body = {"operationName": op, "query": query, "variables": dict(variables)}
        for attempt in (1, 2):
            headers = {"Authorization": self._jwt} if self._jwt else None
            try:
                resp = await request_json(
                    self.client,
                    "POST",
                    "/api",
                    json_body=body,
                    headers=headers,
                    idempotent=not mutation,
                )
                break
            except HttpError as exc:
                if exc.status == 401 and self._jwt and attempt == 1:
                    await self._sign_in()  # the JWT expired: sign in again, once
                    continue
                raise
        data = resp.data if isinstance(resp.data, Mapping) else {}
        errors = data.get("errors")
        if errors:
            first = errors[0] if isinstance(errors, list) and errors else errors
            msg = first.get("message") if isinstance(first, Mapping) else first
            raise ConnectorError(
                self.name, f"GraphQL {op}: {clean_text(str(msg))}", retryable=False
            )
        result = data.get("data")
        if not isinstance(result, dict):
            raise ConnectorError(
                self.name,
                error_at(f"GraphQL {op}", stored("conn.no_field", field="data")),
            )
        return result

    # --- reading ----------------------------------------------------------------------
    async def fetch(self, cursor: str | None) -> AsyncIterator[Page]:
        """One round: list commentables and their counts, re-read those that changed
        (all of them when the rescan is due), one page per re-read commentable.

        The cursor is JSON: ``seen`` maps a thread id to ``[count, {comment id: body
        digest}]`` (only new and edited comments are yielded again),
        ``rescan_at`` is when every commentable was last re-read."""
        state: dict[str, Any] = json.loads(cursor) if cursor else {}
        state.setdefault("seen", {})
        full = self.clock() - float(state.get("rescan_at", 0)) >= self.rescan_seconds

        fields = await self.space_fields()
        space_fields = "\n  ".join(_SPACE_BLOCK % s for s in fields)
        spaces = await self.graphql(SPACES_QUERY % space_fields, {"locale": self.locale})
        for space_field in fields:
            for space in spaces.get(space_field) or []:
                for comp in space.get("components") or []:
                    kind = KINDS.get(str(comp.get("__typename")))
                    if kind is None:
                        continue
                    async for page in self._component(space_field, space, comp, kind, state, full):
                        yield page
        if full:
            state["rescan_at"] = self.clock()
        yield Page((), (), json.dumps(state), done=True)

    async def space_fields(self) -> tuple[str, ...]:
        """The Query fields of the space types to read: asked of the schema once per
        connector (``__type(name: "Query")``), so that a Decidim without an optional
        module is read without it; a configured type that is missing is an error that
        names it."""
        if self._space_fields is not None:
            return self._space_fields
        data = await self.graphql(SCHEMA_QUERY, {})
        present = {
            str(f.get("name"))
            for f in ((data.get("__type") or {}).get("fields") or [])
            if isinstance(f, Mapping)
        }
        if self.spaces is None:
            fields = tuple(f for f in SPACE_TYPES.values() if f in present)
        else:
            missing = [SPACES[f] for f in self.spaces if f not in present]
            if missing:
                names = ", ".join(f'"{m}"' for m in missing)
                raise ConnectorError(
                    self.name,
                    stored(
                        "conn.dd.space_missing" + (".one" if len(missing) == 1 else ""),
                        names=names,
                        fields=", ".join(SPACE_TYPES[m] for m in missing),
                    ),
                    retryable=False,
                )
            fields = self.spaces
        if not fields:
            raise ConnectorError(
                self.name,
                stored("conn.dd.no_spaces"),
                retryable=False,
            )
        self._space_fields = fields
        return fields

    async def _component(
        self,
        space_field: str,
        space: Mapping[str, Any],
        comp: Mapping[str, Any],
        kind: _Kind,
        state: dict[str, Any],
        full: bool,
    ) -> AsyncIterator[Page]:
        seen: dict[str, list[Any]] = state["seen"]
        after: str | None = None
        guard = PageGuard(self.name, f"POST /api ({kind.many} of component {comp['id']})")
        while True:
            data = await self.graphql(
                commentables_query(kind),
                {
                    "id": str(comp["id"]),
                    "first": self.page_size,
                    "after": after,
                    "locale": self.locale,
                },
            )
            conn = ((data.get("component") or {}).get(kind.many)) or {}
            for edge in conn.get("edges") or []:
                node = (edge or {}).get("node") or {}
                if not node.get("id"):
                    continue
                key = f"{kind.prefix}-{node['id']}"
                count = int(node.get("totalCommentsCount") or 0)
                before = seen.get(key)
                if before is not None and before[0] == count and not full:
                    continue
                if before is None and count == 0:
                    continue
                thread = Thread(
                    self.name,
                    key,
                    plain_text(_translation(node.get("title"))),
                    f"{self.base_url}/{SPACES.get(space_field, 'processes')}/{space.get('slug')}"
                    f"/f/{comp['id']}/{kind.path}/{node['id']}",
                    meta={
                        "component_id": str(comp["id"]),
                        "type": kind.model,
                        "space": _translation(space.get("title")),
                    },
                )
                yield await self._reread(kind, str(comp["id"]), str(node["id"]), thread, state)
            info = conn.get("pageInfo") or {}
            if not info.get("hasNextPage") or not info.get("endCursor"):
                return
            after = str(info["endCursor"])
            guard.check([after])

    async def _reread(
        self,
        kind: _Kind,
        component_id: str,
        item_id: str,
        thread: Thread,
        state: dict[str, Any],
    ) -> Page:
        seen: dict[str, list[Any]] = state["seen"]
        data = await self.graphql(
            comments_query(kind, self.depth), {"id": component_id, "item": item_id}
        )
        item = ((data.get("component") or {}).get(kind.one)) or {}
        responses: list[Response] = []

        def walk(comments: Any, parent: str | None) -> None:
            for c in comments or []:
                if not isinstance(c, Mapping) or not c.get("id"):
                    continue
                responses.append(self._comment(c, thread, parent))
                walk(c.get("comments"), str(c["id"]))

        walk(item.get("comments"), None)
        # Decidim comments carry no updated_at: a digest of the body tells an edit.
        digests = {r.external_id: format(zlib.crc32(r.body_raw.encode()), "x") for r in responses}
        before = seen.get(thread.external_id)
        known: dict[str, str] = dict(before[1]) if before and isinstance(before[1], dict) else {}
        # Gone from the API: hidden by a moderator or deleted (the API shows neither).
        gone = {cid: RemoteStatus.HIDDEN for cid in set(known) - set(digests)}
        changed = [r for r in responses if known.get(r.external_id) != digests[r.external_id]]
        seen[thread.external_id] = [int(item.get("totalCommentsCount") or len(digests)), digests]
        responses = changed
        return Page(responses, (thread,), json.dumps(state), gone=gone, done=False)

    def _comment(self, c: Mapping[str, Any], thread: Thread, parent: str | None) -> Response:
        author = c.get("author") or {}
        official = author.get("__typename") == "UserGroup" or bool(author.get("badge"))
        html = c.get("formattedBody")
        text = html_to_text(str(html)) if html else plain_text(str(c.get("body") or ""))
        nickname = author.get("nickname")
        return Response(
            source=self.name,
            external_id=str(c["id"]),
            thread_external_id=thread.external_id,
            parent_external_id=parent,
            author_name=plain_text(str(author.get("name") or "")),
            author_url=f"{self.base_url}/profiles/{str(nickname).lstrip('@')}"
            if nickname
            else None,
            body_text=text,
            body_raw=str(html if html is not None else c.get("body") or ""),
            body_format="html" if html is not None else "text",
            created_at=utc_time(c.get("createdAt")) or datetime.now(UTC),
            url=f"{thread.url}?commentId={c['id']}#comment_{c['id']}" if thread.url else None,
            role_hint="organisatie" if official else None,
            meta={
                "alignment": c.get("alignment"),
                "author_type": author.get("__typename"),
                "commentable_type": thread.meta.get("type"),
            },
        )

    # --- writing ----------------------------------------------------------------------
    async def apply(self, action: Action) -> ApplyResult:
        """Reply with ``addComment`` on the comment replied to; nothing else exists."""
        if action.capability not in self.capabilities:
            reason = self.unsupported_reasons.get(action.capability, _NO_MODERATION)
            raise ConnectorError(
                self.name,
                error_at(action.capability.value, reason),
                retryable=False,
            )
        data = await self.graphql(
            ADD_COMMENT,
            {
                "id": action.external_id,
                "type": COMMENT_TYPE,
                "locale": self.locale,
                # Plain text: Decidim renders comments as Markdown (plaintext.py).
                "body": markdown_literal(action.text or "", hashtags=True),
            },
            mutation=True,
        )
        commentable = data.get("commentable")
        if isinstance(commentable, Mapping) and "addComment" in commentable:
            added = commentable["addComment"]
            if added is None:
                # Decidim's answer to a form it found invalid (comments closed, a body it
                # refuses): its resolver returns the comment only when it was made.
                raise ConnectorError(
                    self.name,
                    stored("conn.dd.reply_refused"),
                    retryable=False,
                )
            made = new_comment_id(added.get("id")) if isinstance(added, Mapping) else None
            if made is not None:
                return ApplyResult(remote_status=RemoteStatus.APPROVED, external_id=made)
        # Any other shape names no comment, nor a refusal: it may have been made.
        raise ReplyUnconfirmed(self.name, "GraphQL ReactieveldAddComment")

"""Discourse: forum posts and the review queue, with moderation written back.

API (as documented at docs.discourse.org and served by ``PostsController`` /
``ReviewablesController``):

* ``Api-Key`` and ``Api-Username`` headers; the key comes from the environment.
* ``GET /posts.json`` gives the latest posts (newest first, about 50);
  ``?before=<id>`` the ones below that id. We page down to the stored high-water id.
* ``GET /review.json?status=pending`` lists the review queue, ten at a time
  (``offset``; ``meta.load_more_reviewables`` when more follow). Queued posts (not yet
  published) become responses on hold; flagged posts carry the reviewable id and version
  in ``Response.meta`` so the moderator's decision can be written back.
* ``PUT /review/<id>/perform/<action>?version=<v>`` performs a review action; 409 means
  someone else changed the item meanwhile: an :class:`ActionConflict`, never retried.
* ``POST /posts.json`` with ``topic_id``, ``raw``, ``reply_to_post_number`` replies.
* 429 comes with ``Retry-After`` and ``extras.wait_seconds``; :mod:`.http` honours both.

Reasons (issue 16): a decision's reason reaches the forum only with the deletion of a
published post (the ``context`` of ``PostsController#destroy``, shown in the staff action
log).
Core Discourse's review actions take no reason: ``ReviewablesController#perform`` passes
the ``version`` and each reviewable type's ``additional_args``, and only
``ReviewableUser`` (``reject_reason``, for rejecting an account) and
``ReviewableQueuedPost``'s ``revise_and_reject_post`` (``revise_reason``, a private
message to the author) have any; ``ReviewableFlaggedPost`` (``agree_and_hide``,
``delete_and_agree``, ``disagree``) has none. A decision through the review queue keeps
its reason in reactieveld's journal only.

Hiding is a flag's review action, so only a flagged post can be hidden
(:meth:`DiscourseConnector.refusal` says so before anything is queued); an undo of a
review action already performed goes to the post itself (``unhide``, ``recover``).

Hiding and deletion done on the forum itself are found by a periodic rescan of the
newest posts (``rescan_seconds``, ``rescan_posts``): a post id missing inside the walked
id range is reported gone. The gone map may name ids that were never stored (private
messages, small-action posts); the store ignores those.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from reactieveld import model
from reactieveld.connectors.base import (
    ActionConflict,
    ApplyResult,
    ConnectorError,
    PageGuard,
    ReplyUnconfirmed,
    TooLateToSend,
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
    make_client,
    request_json,
)
from reactieveld.connectors.plaintext import markdown_literal
from reactieveld.i18n import stored
from reactieveld.model import Action, Capability, Page, RemoteStatus, Response, Thread
from reactieveld.model_values import edit_stops, text_checked, text_digest

TYPE = "discourse"
QUEUED_PREFIX = "queued-"

# Reviewable.statuses in Discourse: pending 0, approved 1, rejected 2, ignored 3, deleted 4.
_REVIEW_STATUS = {1: "approved", 2: "rejected", 3: "ignored", 4: "deleted"}


@dataclass(frozen=True)
class _Performed:
    """What a review action leaves: the post's status and the review item's
    (Reviewable.statuses: agreeing with flags or approving a queued post approves the
    item, 1; disagreeing or rejecting rejects it, 2)."""

    post: RemoteStatus
    review: int


# One record per review action, so the post's and the item's status cannot drift apart.
_REVIEW_ACTIONS: Mapping[str, _Performed] = {
    "approve_post": _Performed(RemoteStatus.APPROVED, 1),
    "reject_post": _Performed(RemoteStatus.TRASH, 2),
    "disagree": _Performed(RemoteStatus.APPROVED, 2),
    "disagree_and_restore": _Performed(RemoteStatus.APPROVED, 2),
    "agree_and_hide": _Performed(RemoteStatus.HIDDEN, 1),
    "delete_and_agree": _Performed(RemoteStatus.TRASH, 1),
}

# What each reactieveld key does to a review item, by reviewable type.
_QUEUED_ACTIONS = {Capability.APPROVE: "approve_post", Capability.TRASH: "reject_post"}
_FLAGGED_ACTIONS = {
    Capability.APPROVE: "disagree",
    Capability.HIDE: "agree_and_hide",
    Capability.TRASH: "delete_and_agree",
}
# Post action types that are a user's flag to the moderators (PostActionType.flag_types:
# off_topic 3, inappropriate 4, notify_moderators 7, spam 8, illegal 10); 2 is a like and
# 6 (notify_user) a message to the author. A post's ``actions_summary`` gives their counts
# to staff.
_FLAG_TYPES = frozenset({3, 4, 7, 8, 10})
# Regular posts (1), moderator actions (2) and whispers (4) are text someone wrote;
# small actions (3: "closed this topic") are not.
_TEXT_POST_TYPES = {1, 2, 4}

CAPABILITIES = frozenset({Capability.APPROVE, Capability.HIDE, Capability.TRASH, Capability.REPLY})
UNSUPPORTED_REASONS: Mapping[Capability, str] = {
    Capability.HOLD: stored("conn.dc.no_hold"),
    Capability.SPAM: stored("conn.dc.no_spam"),
}


_QUEUED_ONLY = stored("conn.dc.queued_only")
_FLAGGED_ONLY = stored("conn.dc.flagged_only")


#: The keys of a flagged post's meta that come from its review item (the sync's
#: ``_reviewable_to_model``), kept on the post stored at an edit's conflict.
_REVIEW_META = frozenset(
    {"reviewable_id", "reviewable_version", "reviewable_type", "flagged", "post_version", "reports"}
)


def _flagged(meta: Mapping[str, Any]) -> bool:
    """Whether a response's meta names a flagged post's review item."""
    return meta.get("reviewable_type") == "ReviewableFlaggedPost"


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _flag_count(summary: Any) -> int:
    """Users' flags on a post from its ``actions_summary`` (``[{"id": 8, "count": 2}]``,
    counts given to staff), of the :data:`_FLAG_TYPES`."""
    if not isinstance(summary, list):
        return 0
    total = 0
    for item in summary:
        if isinstance(item, Mapping) and _int(item.get("id")) in _FLAG_TYPES:
            total += max(_int(item.get("count")) or 0, 0)
    return total


class DiscourseConnector:
    """Reads posts and the review queue of one Discourse forum; moderates and replies."""

    type = TYPE
    capabilities = CAPABILITIES
    unsupported_reasons = UNSUPPORTED_REASONS

    def __init__(
        self,
        name: str,
        url: str,
        api_username: str,
        api_key: str,
        *,
        client: SourceClient | None = None,
        rescan_seconds: float = 3600.0,
        rescan_posts: int = 500,
        max_review_pages: int = 50,
        clock: Callable[[], float] = time.time,
        retry: RetryPolicy | None = None,
        sleep: Sleep | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """A connector for the forum at ``url``, acting as ``api_username``.

        ``client`` replaces the default :func:`make_client` one (tests pass their own
        ``sleep`` via ``sleep`` instead). ``rescan_seconds``/``rescan_posts`` set how often
        and how deep the newest posts are re-read to find hidden and deleted ones.
        """
        self.name = name
        self.base_url = url.rstrip("/")
        self.rescan_seconds = rescan_seconds
        self.rescan_posts = rescan_posts
        self.max_review_pages = max_review_pages
        self.clock = clock
        self.client = client or make_client(
            name,
            self.base_url,
            headers={"Api-Key": api_key, "Api-Username": api_username},
            retry=retry,
            sleep=sleep,
            transport=transport,
        )
        # (topic_id, post_number) -> post id, to link replies to their parent post.
        self._post_ids: dict[tuple[int, int], int] = {}

    @classmethod
    def from_config(
        cls, source: Any, client: SourceClient | None = None, **kwargs: Any
    ) -> DiscourseConnector:
        """Build from a ``SourceConfig`` (keys url, api_username, api_key_env).

        ``kwargs`` are the constructor's test hooks (``transport``, ``sleep``, ...)."""
        username = source.option("api_username") or "system"
        return cls(
            source.name,
            source.option("url"),
            username,
            source.secret("api_key"),
            client=client,
            **kwargs,
        )

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.client.aclose()

    def refusal(self, capability: Capability, response: Response) -> str | None:
        """Why this post cannot take ``capability`` although the forum can (None when it
        can): hiding goes through a flag's review item, so only a flagged post can be
        hidden, and a queued post is not published yet. The app refuses the key at once
        with this; :meth:`apply` refuses the same. A reply to a queued post is refused
        too (the forum has no post to answer yet; approved, it gets one at the next sync)."""
        if capability is Capability.REPLY:
            queued = response.external_id.startswith(QUEUED_PREFIX)
            return stored("conn.dc.reply_queued") if queued else None
        if capability is not Capability.HIDE:
            return None
        if response.external_id.startswith(QUEUED_PREFIX):
            return _QUEUED_ONLY
        return None if _flagged(response.meta or {}) else _FLAGGED_ONLY

    # --- reading ----------------------------------------------------------------------
    async def fetch(self, cursor: str | None) -> AsyncIterator[Page]:
        """One sync round: the review queue, then new posts down to the high-water id,
        then (when due) a rescan of the newest posts for hidden and deleted ones.

        The cursor is JSON: ``hw`` (highest post id fully stored), ``walk`` (a paging
        walk in progress: its ``top`` id and the ``before`` id to continue from),
        ``pending`` (review ids pending last round) and ``rescan_at``.
        """
        state: dict[str, Any] = json.loads(cursor) if cursor else {}
        hw = int(state.get("hw", 0))

        # 1. The review queue: small, read whole every round.
        queue_page, flagged_meta, pending_ids = await self._review_round(state)
        state["pending"] = pending_ids
        yield Page(
            responses=queue_page[0],
            threads=queue_page[1],
            next_cursor=json.dumps(state),
            gone=queue_page[2],
            renamed=queue_page[3],
            done=False,
        )

        # 2. New posts since the high-water id.
        walk = state.get("walk") or {}
        before: int | None = walk.get("before")
        top: int | None = walk.get("top")
        guard = PageGuard(self.name, "GET /posts.json")
        while True:
            posts = await self._posts(before)
            guard.check(p["id"] for p in posts)
            if top is None:
                top = max((p["id"] for p in posts), default=hw)
            fresh = [p for p in posts if p["id"] > hw]
            lowest = min((p["id"] for p in posts), default=None)
            finished = lowest is None or lowest <= hw + 1 or len(fresh) < len(posts)
            if finished:
                state.pop("walk", None)
                state["hw"] = max(hw, top)
                if "rescan_at" not in state:
                    state["rescan_at"] = self.clock()  # a full read just happened
            else:
                state["walk"] = {"top": top, "before": lowest}
            responses, threads = self._posts_to_model(fresh, flagged_meta)
            yield Page(responses, threads, json.dumps(state), done=False)
            if finished:
                break
            before = lowest

        # 3. The rescan, when due.
        gone: dict[str, RemoteStatus] = {}
        responses = []
        threads = []
        if self.clock() - float(state.get("rescan_at", 0)) >= self.rescan_seconds:
            responses, threads, gone = await self._rescan(flagged_meta)
            state["rescan_at"] = self.clock()
        yield Page(responses, threads, json.dumps(state), gone=gone, done=True)

    async def _get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        resp = await request_json(self.client, "GET", path, params=params)
        return resp.data

    async def _posts(self, before: int | None) -> list[dict[str, Any]]:
        data = await self._get("/posts.json", {"before": before} if before else None)
        posts = data.get("latest_posts") if isinstance(data, Mapping) else None
        if not isinstance(posts, list):
            raise ConnectorError(
                self.name,
                error_at("GET /posts.json", stored("conn.no_field", field="latest_posts")),
            )
        return [p for p in posts if isinstance(p, dict) and _int(p.get("id")) is not None]

    async def _review_round(
        self, state: Mapping[str, Any]
    ) -> tuple[
        tuple[list[Response], list[Thread], dict[str, RemoteStatus], dict[str, str]],
        dict[int, dict[str, Any]],
        list[int],
    ]:
        """The pending review queue, plus items that left it since the last round."""
        gone: dict[str, RemoteStatus] = {}
        renamed: dict[str, str] = {}
        responses: list[Response] = []
        threads: dict[str, Thread] = {}
        flagged: dict[int, dict[str, Any]] = {}
        pending: list[int] = []
        offset = 0
        for _ in range(self.max_review_pages):
            data = await self._get("/review.json", {"status": "pending", "offset": offset})
            if not isinstance(data, Mapping):
                raise ConnectorError(
                    self.name,
                    error_at("GET /review.json", stored("conn.unexpected")),
                )
            items = [r for r in data.get("reviewables") or [] if isinstance(r, dict)]
            users = {u.get("id"): u for u in data.get("users") or [] if isinstance(u, dict)}
            topics = {t.get("id"): t for t in data.get("topics") or [] if isinstance(t, dict)}
            for rv in items:
                pending.append(int(rv["id"]))
                self._reviewable_to_model(rv, users, topics, responses, threads, flagged)
            meta = data.get("meta") or {}
            if not items or not meta.get("load_more_reviewables"):
                break
            offset += len(items)

        # Flagged posts: the post as /posts.json would give it, plus the review meta.
        for post_id, review_meta in flagged.items():
            try:
                post = await self._get(f"/posts/{post_id}.json")
            except HttpError as exc:
                if exc.status == 404:
                    gone[str(post_id)] = RemoteStatus.DELETED
                    continue
                raise
            if isinstance(post, dict) and _int(post.get("id")) is not None:
                self._posts_to_model([post], {})  # learn its post number
                responses.append(self._post_to_response(post, review_meta))

        # Queued posts that left the queue were approved or rejected on the forum.
        for rid in state.get("pending") or []:
            if rid in pending:
                continue
            try:
                data = await self._get(f"/review/{rid}.json")
            except HttpError as exc:
                if exc.status == 404:
                    # Deleted from the queue altogether: only the status changes.
                    gone[f"{QUEUED_PREFIX}{rid}"] = RemoteStatus.DELETED
                    continue
                raise
            shown = data.get("reviewable") if isinstance(data, Mapping) else None
            if isinstance(shown, dict) and shown.get("type") == "ReviewableQueuedPost":
                ext = f"{QUEUED_PREFIX}{rid}"
                status_code = _int(shown.get("status")) or 0
                # ReviewableSerializer names the target "<target type>_id": post_id.
                created = _int(shown.get("post_id"))
                if status_code == 1 and created is not None:
                    # Approved: it lives on as that post, which the post listing brings;
                    # the store moves the queued row (and its tags) to the post's id.
                    renamed[ext] = str(created)
                elif status_code == 1:
                    gone[ext] = RemoteStatus.APPROVED
                elif status_code:
                    gone[ext] = RemoteStatus.DELETED if status_code == 4 else RemoteStatus.TRASH
        return (responses, list(threads.values()), gone, renamed), flagged, pending

    def _reviewable_to_model(
        self,
        rv: Mapping[str, Any],
        users: Mapping[Any, Mapping[str, Any]],
        topics: Mapping[Any, Mapping[str, Any]],
        responses: list[Response],
        threads: dict[str, Thread],
        flagged: dict[int, dict[str, Any]],
    ) -> None:
        rid = int(rv["id"])
        rtype = str(rv.get("type") or "")
        meta: dict[str, Any] = {
            "reviewable_id": rid,
            "reviewable_version": _int(rv.get("version")) or 0,
            "reviewable_type": rtype,
        }
        topic_id = _int(rv.get("topic_id"))
        topic = topics.get(topic_id) if topic_id is not None else None
        if topic_id is not None:
            title = (topic or {}).get("title") or f"Topic {topic_id}"
            slug = (topic or {}).get("slug") or "-"
            threads[str(topic_id)] = Thread(
                self.name, str(topic_id), plain_text(str(title)), self._topic_url(slug, topic_id)
            )
        if rtype == "ReviewableQueuedPost":
            payload = rv.get("payload") or {}
            author = users.get(rv.get("created_by_id")) or {}
            thread_id = str(topic_id) if topic_id is not None else f"{QUEUED_PREFIX}{rid}"
            if topic_id is None:
                # A new topic waiting for approval: its title is in the payload, the
                # author's own (the rules read it too).
                meta[model.TITLE_BY_AUTHOR] = True
                threads[thread_id] = Thread(
                    self.name, thread_id, plain_text(str(payload.get("title") or "")), None
                )
            status_code = _int(rv.get("status")) or 0
            status = {
                0: RemoteStatus.HOLD,
                1: RemoteStatus.APPROVED,
                2: RemoteStatus.TRASH,
                4: RemoteStatus.DELETED,
            }.get(status_code, RemoteStatus.HOLD)
            queued_raw = str(payload.get("raw") or "")
            reply_to = _int(rv.get("reply_to_post_number"))
            if reply_to:
                meta["reply_to_post_number"] = reply_to
            meta["review_status"] = _REVIEW_STATUS.get(status_code, "pending")
            responses.append(
                Response(
                    source=self.name,
                    external_id=f"{QUEUED_PREFIX}{rid}",
                    thread_external_id=thread_id,
                    parent_external_id=self._parent(topic_id, reply_to),
                    author_name=plain_text(str(author.get("name") or author.get("username") or "")),
                    author_url=self._user_url(author.get("username")),
                    body_text=plain_text(queued_raw),
                    body_raw=queued_raw,
                    body_format="markdown",
                    created_at=utc_time(rv.get("created_at")) or datetime.now(UTC),
                    remote_status=status,
                    url=f"{self.base_url}/review/{rid}",
                    meta=meta,
                )
            )
        elif rtype == "ReviewableFlaggedPost" and _int(rv.get("post_id")) is not None:
            post_id = int(rv["post_id"])
            meta["flagged"] = True
            meta["post_version"] = _int(rv.get("post_version"))
            # One score per user's flag (ReviewableSerializer: reviewable_score_ids, the
            # scores side-loaded as reviewable_scores): the number of reports.
            scores = rv.get("reviewable_score_ids")
            if isinstance(scores, list) and scores:
                meta["reports"] = len(scores)
            flagged[post_id] = meta
            # The post itself is read from /posts/<id>.json (see _review_round), so it
            # looks the same whichever way it reaches the store.

    def _posts_to_model(
        self, posts: list[dict[str, Any]], flagged: Mapping[int, Mapping[str, Any]]
    ) -> tuple[list[Response], list[Thread]]:
        # Learn post numbers first so a reply in the same page finds its parent.
        for p in posts:
            tid, num = _int(p.get("topic_id")), _int(p.get("post_number"))
            if tid is not None and num is not None:
                self._post_ids[(tid, num)] = int(p["id"])
        responses: list[Response] = []
        threads: dict[str, Thread] = {}
        for p in posts:
            if _int(p.get("post_type")) not in _TEXT_POST_TYPES:
                continue
            r = self._post_to_response(p, flagged.get(int(p["id"])))
            responses.append(r)
            tid = _int(p.get("topic_id"))
            if tid is not None and str(tid) not in threads:
                threads[str(tid)] = Thread(
                    self.name,
                    str(tid),
                    plain_text(str(p.get("topic_title") or f"Topic {tid}")),
                    self._topic_url(p.get("topic_slug") or "-", tid),
                )
        return responses, list(threads.values())

    def _post_to_response(
        self, p: Mapping[str, Any], review_meta: Mapping[str, Any] | None
    ) -> Response:
        tid = _int(p.get("topic_id"))
        num = _int(p.get("post_number"))
        reply_to = _int(p.get("reply_to_post_number"))
        if p.get("deleted_at") or p.get("user_deleted"):
            status = RemoteStatus.DELETED
        elif p.get("hidden"):
            status = RemoteStatus.HIDDEN
        else:
            status = RemoteStatus.APPROVED
        cooked = str(p.get("cooked") or "")
        raw = p.get("raw")
        staff = bool(p.get("staff") or p.get("admin") or p.get("moderator"))
        meta: dict[str, Any] = {"topic_id": tid, "post_number": num, "version": p.get("version")}
        if reply_to:
            meta["reply_to_post_number"] = reply_to
        if num == 1:  # a topic's first post: its author wrote the topic's title
            meta[model.TITLE_BY_AUTHOR] = True
        flags = _flag_count(p.get("actions_summary"))
        if flags:
            meta["reports"] = flags
        if review_meta:
            meta.update(review_meta)
        slug = p.get("topic_slug") or "-"
        return Response(
            source=self.name,
            external_id=str(p["id"]),
            thread_external_id=str(tid) if tid is not None else None,
            parent_external_id=self._parent(tid, reply_to),
            author_name=plain_text(str(p.get("name") or p.get("username") or "")),
            author_url=self._user_url(p.get("username")),
            body_text=html_to_text(cooked) if cooked else plain_text(str(raw or "")),
            body_raw=str(raw) if raw is not None else cooked,
            body_format="markdown" if raw is not None else "html",
            created_at=utc_time(p.get("created_at")) or datetime.now(UTC),
            updated_at=utc_time(p.get("updated_at")),
            remote_status=status,
            url=f"{self._topic_url(slug, tid)}/{num}" if tid is not None and num else None,
            role_hint="organisatie" if staff else None,
            meta=meta,
        )

    async def _rescan(
        self, flagged: Mapping[int, Mapping[str, Any]]
    ) -> tuple[list[Response], list[Thread], dict[str, RemoteStatus]]:
        """Re-read the newest ``rescan_posts`` posts; ids missing in that range are gone."""
        seen: list[dict[str, Any]] = []
        before: int | None = None
        while len(seen) < self.rescan_posts:
            posts = await self._posts(before)
            if not posts:
                break
            seen.extend(posts)
            before = min(p["id"] for p in posts)
        if not seen:
            return [], [], {}
        ids = {int(p["id"]) for p in seen}
        gone = {str(i): RemoteStatus.DELETED for i in range(min(ids), max(ids) + 1) if i not in ids}
        responses, threads = self._posts_to_model(seen, flagged)
        return responses, threads, gone

    def _parent(self, topic_id: int | None, reply_to: int | None) -> str | None:
        if topic_id is None or not reply_to:
            return None
        pid = self._post_ids.get((topic_id, reply_to))
        return str(pid) if pid is not None else None

    def _topic_url(self, slug: Any, topic_id: int | None) -> str | None:
        return f"{self.base_url}/t/{slug}/{topic_id}" if topic_id is not None else None

    def _user_url(self, username: Any) -> str | None:
        return f"{self.base_url}/u/{username}" if username else None

    # --- writing ----------------------------------------------------------------------
    async def apply(self, action: Action) -> ApplyResult:
        """Perform a review action or post a reply.

        Review actions need the reviewable id and the version the moderator saw
        (``Action.meta`` = the response's meta); without a version the current one is
        read, which gives up the conflict check. A 409 raises :class:`ActionConflict`.
        A flag's ``disagree`` (an approval: the post stays or comes back in sight) reads
        the post first (``GET /posts/<id>.json``, as the sync read it) and stops as a
        conflict, with the post as it is now, when its author edited it since the moderator
        saw it (:meth:`_check_text`). A published post's ``unhide``/``recover`` is not
        compared: its stored copy came from ``/posts.json``, whose fields may differ.
        """
        if action.capability is Capability.REPLY:
            return await self._reply(action)
        if action.capability not in CAPABILITIES:
            raise ConnectorError(
                self.name,
                error_at(action.capability.value, UNSUPPORTED_REASONS.get(action.capability, "")),
                retryable=False,
            )
        meta = dict(action.meta or {})
        ext = action.external_id
        if ext.startswith(QUEUED_PREFIX):
            rid = _int(ext[len(QUEUED_PREFIX) :])
            review_action = _QUEUED_ACTIONS.get(action.capability)
            if rid is None or review_action is None:
                raise ConnectorError(self.name, _QUEUED_ONLY, retryable=False)
            return await self._perform(rid, review_action, meta.get("reviewable_version"))
        rid = _int(meta.get("reviewable_id"))
        # An undo of a review action already performed goes to the post itself (unhide,
        # recover): the review item is no longer pending, and Discourse refuses a second
        # action on it (409 for the version it had, else "can't perform").
        if _flagged(meta) and rid is not None and "undo_of" not in meta:
            review_action = _FLAGGED_ACTIONS[action.capability]
            if review_action == "disagree" and action.expected_status is RemoteStatus.HIDDEN:
                # ReviewableFlaggedPost#build_actions offers "disagree" only for a visible
                # post; a hidden one (e.g. hidden by the flags) gets "disagree_and_restore".
                review_action = "disagree_and_restore"
            if text_checked(action):
                await self._check_text(action, meta)
            return await self._perform(rid, review_action, meta.get("reviewable_version"))
        return await self._moderate_post(action)

    async def _check_text(self, action: Action, meta: Mapping[str, Any]) -> None:
        """Raise :class:`ActionConflict` with the flagged post as the forum has it when its
        text is not the one the moderator saw (``model_values.edit_stops``); the outbox
        stores it, with the review item's meta the sync gave it."""
        try:
            post = await self._get(f"/posts/{action.external_id}.json")
        except HttpError as exc:
            if exc.status == 404:
                return  # gone: the review action says so
            raise
        if not isinstance(post, Mapping) or _int(post.get("id")) is None:
            return
        review = {k: v for k, v in meta.items() if k in _REVIEW_META}
        fresh = self._post_to_response(post, review)
        if edit_stops(action, text_digest(fresh.body_text, fresh.body_raw)):
            raise ActionConflict(
                self.name,
                stored("conn.edited", id=action.external_id),
                remote_status=fresh.remote_status,
                response=fresh,
            )

    async def _perform(self, rid: int, review_action: str, version: Any) -> ApplyResult:
        if _int(version) is None:
            data = await self._get(f"/review/{rid}.json")
            version = ((data or {}).get("reviewable") or {}).get("version")
        try:
            resp = await request_json(
                self.client,
                "PUT",
                f"/review/{rid}/perform/{review_action}",
                params={"version": int(version or 0)},
            )
        except HttpError as exc:
            if exc.status == 409 and await self._performed(rid, review_action):
                # Performed already: by an earlier try of ours whose answer was lost (a
                # 502, a 500 after the change was saved), or by someone who decided alike.
                return ApplyResult(remote_status=_REVIEW_ACTIONS[review_action].post)
            if exc.status == 409:
                raise ActionConflict(
                    self.name,
                    stored("conn.dc.review_changed", id=rid),
                ) from exc
            if exc.status == 404:
                raise ConnectorError(
                    self.name,
                    stored("conn.dc.review_gone", id=rid),
                    retryable=False,
                ) from exc
            raise
        # Performed (a success): whatever the answer's shape, the status follows from the
        # action; read as unreadable, the decision would be sent again and refused with a
        # 409 (the version moved on), a conflict the moderator never had.
        data = resp.data if isinstance(resp.data, Mapping) else {}
        result = data.get("reviewable_perform_result")
        if not isinstance(result, Mapping):
            result = data
        # The post an approval published (the store moves the row to it): an id read as a
        # reply's, so that an id of another kind (true, 7.5) moves it to no other post.
        return ApplyResult(
            remote_status=_REVIEW_ACTIONS[review_action].post,
            external_id=new_comment_id(result.get("created_post_id")),
        )

    async def _performed(self, rid: int, review_action: str) -> bool:
        """Whether review item ``rid`` is no longer pending and has the status
        ``review_action`` gives it (read now; False when it cannot be read)."""
        try:
            data = await self._get(f"/review/{rid}.json")
        except TooLateToSend:
            raise  # not looked: the outbox records nothing, its next pass sees
        except ConnectorError:
            return False
        reviewable = data.get("reviewable") if isinstance(data, Mapping) else None
        status = _int(reviewable.get("status")) if isinstance(reviewable, Mapping) else None
        after = _REVIEW_ACTIONS.get(review_action)
        return status is not None and after is not None and status == after.review

    async def _moderate_post(self, action: Action) -> ApplyResult:
        """A published post that is not in the review queue."""
        pid = action.external_id
        if action.capability is Capability.TRASH:
            # PostsController#destroy passes ``context`` to PostDestroyer: the staff
            # action log shows it beside the deletion, the decision's reason.
            reason = (action.meta or {}).get("reason_text")
            await request_json(
                self.client,
                "DELETE",
                f"/posts/{pid}.json",
                params={"context": str(reason)[:500]} if reason else None,
                ok=(200, 204),
            )
            return ApplyResult(remote_status=RemoteStatus.TRASH)
        if action.capability is Capability.APPROVE:
            if action.expected_status in (RemoteStatus.TRASH, RemoteStatus.DELETED):
                await request_json(self.client, "PUT", f"/posts/{pid}/recover.json")
            elif action.expected_status is RemoteStatus.HIDDEN:
                await request_json(self.client, "PUT", f"/posts/{pid}/unhide.json", ok=(200, 204))
            # Otherwise it is published already: nothing to send.
            return ApplyResult(remote_status=RemoteStatus.APPROVED)
        raise ConnectorError(self.name, _FLAGGED_ONLY, retryable=False)

    async def _reply(self, action: Action) -> ApplyResult:
        meta = dict(action.meta or {})
        ext = action.external_id
        if ext.startswith(QUEUED_PREFIX):
            raise ConnectorError(
                self.name,
                stored("conn.dc.reply_queued"),
                retryable=False,
            )
        topic_id = _int(meta.get("topic_id")) or _int(action.thread_external_id)
        post_number = _int(meta.get("post_number"))
        if topic_id is None or post_number is None:
            post = await self._get(f"/posts/{ext}.json")
            topic_id = _int((post or {}).get("topic_id"))
            post_number = _int((post or {}).get("post_number"))
        if topic_id is None:
            raise ConnectorError(self.name, stored("conn.dc.no_topic", id=ext), retryable=False)
        # Plain text: Markdown escaped, so it renders as typed (plaintext.py).
        raw = markdown_literal(action.text or "", mentions=True)
        body: dict[str, Any] = {"topic_id": topic_id, "raw": raw}
        if post_number and post_number > 1:
            body["reply_to_post_number"] = post_number
        resp = await request_json(self.client, "POST", "/posts.json", json_body=body)
        data = resp.data if isinstance(resp.data, Mapping) else {}
        if data.get("action") == "enqueued":
            # The forum queued our reply for approval (e.g. a new API user's trust level).
            return ApplyResult(remote_status=RemoteStatus.HOLD)
        made = new_comment_id(data.get("id"))
        if made is None:
            raise ReplyUnconfirmed(self.name, f"POST {resp.url}")
        return ApplyResult(remote_status=RemoteStatus.APPROVED, external_id=made)

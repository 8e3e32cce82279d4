"""A fake Discourse forum on 127.0.0.1 serving Discourse's own JSON shapes.

Shapes written field for field after Discourse's published material (see
``tests/fixtures/discourse/README.md``): ``/posts.json`` as in discourse_api's
``spec/fixtures/posts_latest.json`` / ``posts_before.json``; ``/review.json`` and
``/review/<id>/perform/<action>`` as ``ReviewablesController`` with
``ReviewableSerializer`` (+ ``ReviewableQueuedPostSerializer``,
``ReviewableFlaggedPostSerializer``, ``ReviewablePerformResultSerializer``); errors as
``render_json_error`` (``errors``, ``error_type``, 429 ``extras.wait_seconds``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .base import FakeServer, Reply, Request

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "discourse"
REVIEW_PER_PAGE = 10  # ReviewablesController::PER_PAGE
POSTS_PER_PAGE = 50  # what /posts.json returns


def _ts(n: int) -> str:
    """A distinct, ordered ISO timestamp for the n-th item."""
    return f"2024-03-{1 + n // 1440:02d}T{(n // 60) % 24:02d}:{n % 60:02d}:00.000Z"


class FakeDiscourse(FakeServer):
    """Topics, posts and a review queue in memory; ``api_key``/``api_username`` checked."""

    def __init__(self, api_key: str = "test-key", api_username: str = "moderator") -> None:
        super().__init__()
        self.api_key = api_key
        self.api_username = api_username
        self.posts_per_page = POSTS_PER_PAGE
        self.topics: dict[int, dict[str, Any]] = {}
        self.posts: dict[int, dict[str, Any]] = {}
        self.reviewables: dict[int, dict[str, Any]] = {}
        self.users = {
            1: {"id": 1, "username": "gemeente", "name": "Gemeente Eemnes", "staff": True},
            2: {"id": 2, "username": "jansen", "name": "Piet Jansen", "staff": False},
            3: {"id": 3, "username": "lotte", "name": None, "staff": False},
        }
        self._next_post = 1
        self._next_review = 1
        self._clock = 0
        #: post id -> the ``context`` its DELETE carried (the staff log's reason)
        self.delete_contexts: dict[int, str | None] = {}

    # --- building state (tests) -------------------------------------------------------
    def load_fixture(self, name: str = "posts_latest.json") -> None:
        """Seed topics and posts from a fixture file in the published shape."""
        data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
        for p in data["latest_posts"]:
            self.topics.setdefault(
                p["topic_id"],
                {"id": p["topic_id"], "title": p["topic_title"], "slug": p["topic_slug"]},
            )
            self.posts[p["id"]] = dict(p)
            self._next_post = max(self._next_post, p["id"] + 1)

    def add_topic(self, title: str, slug: str | None = None) -> int:
        tid = max(self.topics, default=10) + 1
        self.topics[tid] = {"id": tid, "title": title, "slug": slug or f"topic-{tid}"}
        return tid

    def add_post(
        self,
        topic_id: int,
        raw: str,
        *,
        user_id: int = 2,
        cooked: str | None = None,
        reply_to_post_number: int | None = None,
        post_type: int = 1,
        hidden: bool = False,
    ) -> dict[str, Any]:
        with self.lock:
            pid = self._next_post
            self._next_post += 1
            self._clock += 1
            topic = self.topics[topic_id]
            number = 1 + sum(1 for p in self.posts.values() if p["topic_id"] == topic_id)
            user = self.users[user_id]
            post = {
                "id": pid,
                "name": user["name"],
                "username": user["username"],
                "avatar_template": f"/letter_avatar_proxy/v4/letter/p/df705f/{{size}}.png#{pid}",
                "created_at": _ts(self._clock),
                "cooked": cooked if cooked is not None else f"<p>{raw}</p>",
                "post_number": number,
                "post_type": post_type,
                "updated_at": _ts(self._clock),
                "reply_count": 0,
                "reply_to_post_number": reply_to_post_number,
                "quote_count": 0,
                "incoming_link_count": 0,
                "reads": 1,
                "score": 0.2,
                "yours": False,
                "topic_id": topic_id,
                "topic_slug": topic["slug"],
                "topic_title": topic["title"],
                "topic_html_title": topic["title"],
                "category_id": 1,
                "display_username": user["name"],
                "primary_group_name": None,
                "version": 1,
                "can_edit": True,
                "can_delete": True,
                "can_recover": False,
                "can_wiki": False,
                "user_title": None,
                "raw": raw,
                "actions_summary": [],
                "moderator": user["staff"],
                "admin": user["staff"],
                "staff": user["staff"],
                "user_id": user_id,
                "hidden": hidden,
                "trust_level": 1,
                "deleted_at": None,
                "user_deleted": False,
                "edit_reason": None,
                "can_view_edit_history": True,
                "wiki": False,
            }
            self.posts[pid] = post
            return post

    def queue_post(
        self, topic_id: int | None, raw: str, *, user_id: int = 3, title: str | None = None
    ) -> int:
        """A new post held for approval (ReviewableQueuedPost)."""
        with self.lock:
            rid = self._next_review
            self._next_review += 1
            self._clock += 1
            self.reviewables[rid] = {
                "id": rid,
                "type": "ReviewableQueuedPost",
                "status": 0,
                "version": 0,
                "topic_id": topic_id,
                "created_by_id": user_id,
                "target_created_by_id": None,
                "created_at": _ts(self._clock),
                "payload": {"raw": raw, "title": title, "archetype": "regular"},
            }
            return rid

    def flag_post(self, post_id: int, *, flags: int = 1) -> int:
        """``flags`` users flagged a published post (ReviewableFlaggedPost, one
        ReviewableScore per flag; the post's ``actions_summary`` counts them as
        inappropriate, type 4)."""
        with self.lock:
            self.posts[post_id]["actions_summary"] = [{"id": 4, "count": flags}]
            rid = self._next_review
            self._next_review += 1
            self._clock += 1
            post = self.posts[post_id]
            self.reviewables[rid] = {
                "id": rid,
                "type": "ReviewableFlaggedPost",
                "status": 0,
                "version": 0,
                "topic_id": post["topic_id"],
                "target_id": post_id,
                "created_by_id": 1,
                "target_created_by_id": post["user_id"],
                "created_at": _ts(self._clock),
                "payload": {},
                "score_ids": [rid * 100 + i for i in range(flags)],
            }
            return rid

    def bump_version(self, rid: int) -> None:
        """Another moderator touched the review item (claim, edit): version + 1."""
        with self.lock:
            self.reviewables[rid]["version"] += 1

    def delete_post(self, post_id: int) -> None:
        with self.lock:
            self.posts[post_id]["deleted_at"] = _ts(self._clock)

    # --- serving ----------------------------------------------------------------------
    def handle(self, req: Request) -> Reply:
        if (
            req.headers.get("api-key") != self.api_key
            or req.headers.get("api-username") != self.api_username
        ):
            return Reply(
                403,
                {
                    "errors": [
                        "You are not permitted to view the requested resource. "
                        "The API username or key is invalid."
                    ],
                    "error_type": "invalid_access",
                },
            )
        path, m = req.path, None
        if req.method == "GET" and path == "/posts.json":
            return self._latest_posts(req)
        if req.method == "POST" and path == "/posts.json":
            return self._create_post(req)
        if req.method == "GET" and path == "/review.json":
            return self._review_list(req)
        if m := re.fullmatch(r"/review/(\d+)\.json", path):
            rv = self.reviewables.get(int(m[1]))
            if rv is None:
                return self._not_found()
            return Reply(200, {"reviewable": self._reviewable(rv), "users": self._users([rv])})
        if req.method == "PUT" and (m := re.fullmatch(r"/review/(\d+)/perform/(\w+)", path)):
            return self._perform(req, int(m[1]), m[2])
        if m := re.fullmatch(r"/posts/(\d+)\.json", path):
            post = self.posts.get(int(m[1]))
            if post is None:
                return self._not_found()
            if req.method == "DELETE":
                post["deleted_at"] = _ts(self._clock)
                self.delete_contexts[post["id"]] = req.arg("context")
                return Reply(200, {})
            return Reply(200, post)
        if req.method == "PUT" and (
            m := re.fullmatch(r"/posts/(\d+)/(recover|unhide)\.json", path)
        ):
            post = self.posts.get(int(m[1]))
            if post is None:
                return self._not_found()
            if m[2] == "recover":
                post["deleted_at"] = None
            else:
                post["hidden"] = False
            return Reply(200, post)
        return self._not_found()

    def _not_found(self) -> Reply:
        return Reply(
            404,
            {
                "errors": ["The requested URL or resource could not be found."],
                "error_type": "not_found",
            },
        )

    def _latest_posts(self, req: Request) -> Reply:
        before = req.arg("before")
        visible = [p for p in self.posts.values() if not p["deleted_at"]]
        if before:
            visible = [p for p in visible if p["id"] < int(before)]
        visible.sort(key=lambda p: p["id"], reverse=True)
        return Reply(200, {"latest_posts": visible[: self.posts_per_page]})

    def _create_post(self, req: Request) -> Reply:
        body = req.json()
        tid = int(body["topic_id"])
        if tid not in self.topics:
            return Reply(422, {"errors": ["Topic not found"], "error_type": "invalid_parameters"})
        post = self.add_post(
            tid, body["raw"], user_id=1, reply_to_post_number=body.get("reply_to_post_number")
        )
        return Reply(200, post)

    def _users(self, rvs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = {rv.get("created_by_id") for rv in rvs} | {
            rv.get("target_created_by_id") for rv in rvs
        }
        return [
            {
                "id": u["id"],
                "username": u["username"],
                "name": u["name"],
                "avatar_template": "/letter_avatar_proxy/v4/letter/x/aaaaaa/{size}.png",
            }
            for uid, u in self.users.items()
            if uid in ids
        ]

    def _reviewable(self, rv: dict[str, Any]) -> dict[str, Any]:
        """ReviewableSerializer + the type's own serializer, rest_serializer style."""
        topic = self.topics.get(rv["topic_id"]) if rv["topic_id"] else None
        out: dict[str, Any] = {
            "id": rv["id"],
            "status": rv["status"],
            "type": rv["type"],
            "topic_id": rv["topic_id"],
            "category_id": 1,
            "created_at": rv["created_at"],
            "can_edit": True,
            "score": 1.0,
            "version": rv["version"],
            "target_created_by_trust_level": 1,
            "created_by_id": rv["created_by_id"],
            "reviewable_score_ids": list(rv.get("score_ids", [])),
            "bundled_action_ids": [],
        }
        if topic:
            out["topic_url"] = f"{self.url}/t/{topic['slug']}/{topic['id']}"
        if rv["type"] == "ReviewableQueuedPost":
            out["payload"] = rv["payload"]
            if rv.get("target_id"):  # approved: the created post ("<target type>_id")
                out["post_id"] = rv["target_id"]
            if rv["payload"].get("reply_to_post_number"):
                out["reply_to_post_number"] = rv["payload"]["reply_to_post_number"]
        else:
            post = self.posts[rv["target_id"]]
            out["target_created_by_id"] = rv["target_created_by_id"]
            out["post_id"] = post["id"]
            out["target_url"] = (
                f"{self.url}/t/{post['topic_slug']}/{post['topic_id']}/{post['post_number']}"
            )
            out["cooked"] = post["cooked"]
            out["raw"] = post["raw"]
            out["reply_to_post_number"] = post["reply_to_post_number"]
            out["post_updated_at"] = post["updated_at"]
            out["post_version"] = post["version"]
        return out

    def _review_list(self, req: Request) -> Reply:
        status = req.arg("status", "pending")
        offset = int(req.arg("offset", "0") or 0)
        rows = [rv for rv in self.reviewables.values() if status != "pending" or rv["status"] == 0]
        page = rows[offset : offset + REVIEW_PER_PAGE]
        topic_ids = {rv["topic_id"] for rv in page if rv["topic_id"]}
        meta: dict[str, Any] = {
            "status": status,
            "total_rows_reviewables": len(rows),
            "types": {"created_by": "user", "target_created_by": "user"},
            "reviewable_count": len(rows),
        }
        if offset + REVIEW_PER_PAGE < len(rows):
            meta["load_more_reviewables"] = (
                f"/review?offset={offset + REVIEW_PER_PAGE}&status={status}"
            )
        return Reply(
            200,
            {
                "reviewables": [self._reviewable(rv) for rv in page],
                "meta": meta,
                "users": self._users(page),
                "topics": [
                    {"id": t, "title": self.topics[t]["title"], "slug": self.topics[t]["slug"]}
                    for t in sorted(topic_ids)
                ],
                "reviewable_scores": [
                    {"id": sid, "score": 1.0, "status": 0, "reason": None}
                    for rv in page
                    for sid in rv.get("score_ids", [])
                ],
                "bundled_actions": [],
            },
        )

    @staticmethod
    def _flag_actions(post: dict[str, Any]) -> set[str]:
        """The action ids ReviewableFlaggedPost#build_actions offers for this post
        (moderator with delete rights; suspend/silence left out): "disagree" only while
        the post is visible, "disagree_and_restore" once it is hidden."""
        hidden = bool(post["hidden"])
        actions = {"agree_and_keep_hidden" if hidden else "agree_and_keep"}
        if not hidden and not post["user_deleted"]:
            actions.add("agree_and_hide")
        actions |= {"delete_and_agree", "delete_and_ignore", "ignore_and_do_nothing"}
        actions.add("disagree_and_restore" if hidden else "disagree")
        return actions

    def _perform(self, req: Request, rid: int, action: str) -> Reply:
        rv = self.reviewables.get(rid)
        if rv is None:
            return self._not_found()
        version = req.arg("version")
        if not version:
            return Reply(422, {"errors": ["Missing version"], "error_type": "invalid_parameters"})
        if int(version) != rv["version"] or rv["status"] != 0:
            return Reply(
                409,
                {"errors": ["There was an update conflict preventing you from doing that."]},
            )
        created: dict[str, Any] = {}
        if rv["type"] == "ReviewableQueuedPost" and action in ("approve_post", "reject_post"):
            if action == "approve_post":
                post = self.add_post(
                    rv["topic_id"], rv["payload"]["raw"], user_id=rv["created_by_id"]
                )
                created = {"created_post_id": post["id"], "created_post_topic_id": post["topic_id"]}
                rv["status"] = 1
                rv["target_id"] = post["id"]  # ReviewableQueuedPost#perform_approve_post
            else:
                rv["status"] = 2
        elif rv["type"] == "ReviewableFlaggedPost" and action in self._flag_actions(
            self.posts[rv["target_id"]]
        ):
            post = self.posts[rv["target_id"]]
            if action == "agree_and_hide":
                post["hidden"] = True
            elif action in ("delete_and_agree", "delete_and_ignore"):
                post["deleted_at"] = _ts(self._clock)
            elif action in ("disagree", "disagree_and_restore"):
                post["hidden"] = False
            rv["status"] = {
                "disagree": 2,
                "disagree_and_restore": 2,
                "ignore_and_do_nothing": 3,
                "delete_and_ignore": 3,
            }.get(action, 1)
        else:
            return Reply(
                403,
                {"errors": [f"Can't perform {action}"], "error_type": "invalid_access"},
            )
        rv["version"] += 1
        transition = {1: "approved", 2: "rejected", 3: "ignored"}[rv["status"]]
        return Reply(
            200,
            {
                "reviewable_perform_result": {
                    "success": True,
                    "transition_to": transition,
                    "transition_to_id": rv["status"],
                    **created,
                    "remove_reviewable_ids": [rid],
                    "version": rv["version"],
                    "reviewable_count": sum(
                        1 for r in self.reviewables.values() if r["status"] == 0
                    ),
                }
            },
        )

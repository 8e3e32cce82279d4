"""A fake Go Vocal (CitizenLab) public API v2 on 127.0.0.1.

Shapes written field for field after CitizenLabDotCo/citizenlab
``back/engines/commercial/public_api`` (see ``tests/fixtures/govocal/README.md``):
``V2::ApiTokenController`` (201 ``{"jwt"}``; unknown client -> 404),
``PublicApiController`` (no/bad token -> 401, empty body), ``V2::CommentSerializer``
(``comments`` + ``meta.total_pages/current_page``), ``DeletedItemsAction`` +
``V2::DeletedItemSerializer`` (``deleted_items``: ``id``, ``type``, ``deleted_at``),
``V2::IdeaSerializer``, ``V2::ProjectSerializer``, ``V2::UserSerializer``; list
parameters ``page_size`` (max 24), ``page_number``, ``locale``, ``updated_at`` /
``deleted_at`` as ``from,to`` dates.
"""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any

from .base import FakeServer, Reply, Request

MAX_PAGE_SIZE = 24  # IdeasController: "default is 12, maximum is 24"


def _multiloc(value: Any, locale: str | None) -> Any:
    """MultilocService#t: the requested locale, else the first one."""
    if not isinstance(value, dict):
        return value
    if locale and value.get(locale):
        return value[locale]
    return next(iter(value.values()), "")


def _in_range(stamp: str | None, rng: str | None) -> bool:
    if not rng:
        return True
    if not stamp:
        return False
    start, _, end = rng.partition(",")
    day = stamp[:10]
    return (not start or day >= start) and (not end or day <= end)


class FakeGoVocal(FakeServer):
    """Projects, ideas, users and comments in memory, behind client-credential JWTs."""

    def __init__(self, client_id: str = "client-1", client_secret: str = "s3cret") -> None:
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        self.tokens: set[str] = set()
        self.multiloc_bodies = False  # True: send body as {locale: text} (older servers)
        self.projects: dict[str, dict[str, Any]] = {}
        self.ideas: dict[str, dict[str, Any]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.comments: dict[str, dict[str, Any]] = {}
        self.deleted: list[dict[str, Any]] = []

    # --- building state -----------------------------------------------------------------
    def add_project(self, title: dict[str, str]) -> str:
        pid = str(uuid.uuid4())
        self.projects[pid] = {
            "id": pid,
            "title_multiloc": title,
            "slug": f"project-{len(self.projects) + 1}",
            "created_at": "2024-01-01T09:00:00.000Z",
            "updated_at": "2024-01-01T09:00:00.000Z",
        }
        return pid

    def add_idea(self, project_id: str, title: dict[str, str]) -> str:
        iid = str(uuid.uuid4())
        self.ideas[iid] = {
            "id": iid,
            "project_id": project_id,
            "title_multiloc": title,
            "slug": f"idea-{len(self.ideas) + 1}",
            "created_at": "2024-01-02T09:00:00.000Z",
            "updated_at": "2024-01-02T09:00:00.000Z",
            "published_at": "2024-01-02T09:00:00.000Z",
        }
        return iid

    def add_user(
        self, first: str, last: str, email: str, roles: list[dict[str, Any]] | None = None
    ) -> str:
        uid = str(uuid.uuid4())
        self.users[uid] = {
            "id": uid,
            "email": email,
            "slug": f"{first}-{last}".lower(),
            "roles": roles or [],
            "created_at": "2023-12-01T09:00:00.000Z",
            "updated_at": "2023-12-01T09:00:00.000Z",
            "first_name": first,
            "last_name": last,
            "locale": "nl-NL",
            "bio": None,
            "registration_completed_at": "2023-12-01T09:00:00.000Z",
            "verified": False,
            "email_confirmed_at": None,
            "email_confirmation_code_sent_at": None,
            "confirmation_required": False,
            "custom_field_values": {},
            "status": "active",
        }
        return uid

    def add_comment(
        self,
        idea_id: str,
        author_id: str | None,
        body: dict[str, str],
        stamp: str,
        *,
        parent_id: str | None = None,
    ) -> str:
        cid = str(uuid.uuid4())
        self.comments[cid] = {
            "id": cid,
            "body_multiloc": body,
            "author_id": author_id,
            "post_id": idea_id,
            "post_type": "Idea",
            "project_id": self.ideas[idea_id]["project_id"],
            "parent_id": parent_id,
            "created_at": stamp,
            "updated_at": stamp,
            "body_updated_at": None,
            "likes_count": 0,
            "dislikes_count": 0,
            "children_count": 0,
            "publication_status": "published",
        }
        return cid

    def edit_comment(self, cid: str, body: dict[str, str], stamp: str) -> None:
        c = self.comments[cid]
        c.update(body_multiloc=body, updated_at=stamp, body_updated_at=stamp)

    def delete_comment(self, cid: str, stamp: str) -> None:
        """Hard delete, recorded as an Activity(action: 'deleted')."""
        del self.comments[cid]
        self.deleted.append({"id": cid, "type": "Comment", "deleted_at": stamp})

    # --- serving ------------------------------------------------------------------------
    def handle(self, req: Request) -> Reply:
        if req.method == "POST" and req.path == "/api/v2/authenticate":
            auth = (req.json() or {}).get("auth") or {}
            if (
                auth.get("client_id") != self.client_id
                or auth.get("client_secret") != self.client_secret
            ):
                return Reply(404, b"", {"Content-Type": "application/json"})
            token = secrets.token_urlsafe(16)
            self.tokens.add(token)
            return Reply(201, {"jwt": token})
        bearer = req.headers.get("authorization", "")
        if not bearer.startswith("Bearer ") or bearer[7:] not in self.tokens:
            return Reply(401, b"", {"Content-Type": "application/json"})
        locale = req.arg("locale")
        if req.method != "GET":
            return Reply(404, {"error": "not found"})
        if req.path == "/api/v2/comments":
            rows = [
                c
                for c in self.comments.values()
                if _in_range(c["created_at"], req.arg("created_at"))
                and _in_range(c["updated_at"], req.arg("updated_at"))
            ]
            return self._list(req, "comments", [self._comment(c, locale) for c in rows])
        if req.path == "/api/v2/comments/deleted":
            rows = [d for d in self.deleted if _in_range(d["deleted_at"], req.arg("deleted_at"))]
            return self._list(req, "deleted_items", rows)
        if m := re.fullmatch(r"/api/v2/(ideas|projects|users)/([\w-]+)", req.path):
            kind, key = m[1], m[2]
            table = {"ideas": self.ideas, "projects": self.projects, "users": self.users}[kind]
            if key not in table:
                return Reply(404, {"errors": [{"error": "record_not_found"}]})
            item = table[key]
            if kind == "ideas":
                return Reply(200, {"idea": self._idea(item, locale)})
            if kind == "projects":
                return Reply(200, {"project": self._project(item, locale)})
            return Reply(200, {"user": item})
        return Reply(404, {"errors": [{"error": "record_not_found"}]})

    def _list(self, req: Request, root: str, rows: list[dict[str, Any]]) -> Reply:
        size = min(int(req.arg("page_size") or 12), MAX_PAGE_SIZE)
        number = int(req.arg("page_number") or 1)
        total_pages = max(1, -(-len(rows) // size))
        page = rows[(number - 1) * size : number * size]
        return Reply(
            200, {root: page, "meta": {"total_pages": total_pages, "current_page": number}}
        )

    def _comment(self, c: dict[str, Any], locale: str | None) -> dict[str, Any]:
        out = {k: v for k, v in c.items() if k != "body_multiloc"}
        out["post_type"] = "idea"  # classname_to_type("Idea")
        out["body"] = (
            dict(c["body_multiloc"])
            if self.multiloc_bodies
            else _multiloc(c["body_multiloc"], locale)
        )
        return out

    def _idea(self, i: dict[str, Any], locale: str | None) -> dict[str, Any]:
        project = self.projects[i["project_id"]]
        return {
            "id": i["id"],
            "title": _multiloc(i["title_multiloc"], locale),
            "body_html": "<p>…</p>",
            "author_id": None,
            "likes_count": 0,
            "dislikes_count": 0,
            "comments_count": sum(1 for c in self.comments.values() if c["post_id"] == i["id"]),
            "published_at": i["published_at"],
            "publication_status": "published",
            "project_id": i["project_id"],
            "created_at": i["created_at"],
            "updated_at": i["updated_at"],
            "slug": i["slug"],
            "href": f"{self.url}/ideas/{i['slug']}",
            "status": "proposed",
            "project_title": None
            if "no_project_title" in i
            else _multiloc(project["title_multiloc"], locale),
        }

    def _project(self, p: dict[str, Any], locale: str | None) -> dict[str, Any]:
        return {
            "id": p["id"],
            "title": _multiloc(p["title_multiloc"], locale),
            "description_html": "",
            "slug": p["slug"],
            "href": f"{self.url}/projects/{p['slug']}",
            "created_at": p["created_at"],
            "updated_at": p["updated_at"],
            "ideas_count": sum(1 for i in self.ideas.values() if i["project_id"] == p["id"]),
        }

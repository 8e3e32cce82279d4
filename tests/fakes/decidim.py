"""A fake Decidim GraphQL API on 127.0.0.1.

It does not parse GraphQL: it answers reactieveld's named operations
(``operationName``) with the shapes Decidim gives for them, written after
decidim/decidim (see ``tests/fixtures/decidim/README.md``): ``CommentType``
(``id body formattedBody createdAt alignment author``, replies nested in ``comments``,
hidden and deleted comments left out), ``CommentableInterface``
(``totalCommentsCount``, ``comments`` not paginated), ``AuthorInterface`` (``name
nickname deleted badge``), Relay connections (``pageInfo { hasNextPage endCursor }``,
``edges { node }``), ``CommentableMutationType.addComment``, errors as HTTP 200 with an
``errors`` list, ``POST /api/sign_in`` returning the JWT in ``Authorization``.

To stay honest like a GraphQL server, answers only carry the fields the query names
and only as many nested ``comments`` levels as the query asks for.
"""

from __future__ import annotations

import base64
import html
import re
import secrets
from typing import Any

from .base import FakeServer, Reply, Request

KIND_FIELDS = {
    "Proposals": ("proposals", "proposal", "Decidim::Proposals::Proposal"),
    "Debates": ("debates", "debate", "Decidim::Debates::Debate"),
    "Meetings": ("meetings", "meeting", "Decidim::Meetings::Meeting"),
    "Blogs": ("posts", "post", "Decidim::Blogs::Post"),
}


def _cursor(i: int) -> str:
    return base64.b64encode(str(i).encode()).decode().rstrip("=")


def _index(cursor: str) -> int:
    return int(base64.b64decode(cursor + "=" * (-len(cursor) % 4)).decode())


def _only_asked(value: Any, query: str) -> Any:
    """Drop keys the query does not name (GraphQL returns exactly what was asked)."""
    if isinstance(value, list):
        return [_only_asked(v, query) for v in value]
    if isinstance(value, dict):
        return {
            k: _only_asked(v, query)
            for k, v in value.items()
            if re.search(rf"(?<![\w$]){re.escape(k)}\b", query)
        }
    return value


# The part of Decidim's GraphQL schema reactieveld may touch, written after the type
# files listed in tests/fixtures/decidim/README.md: type -> field -> (return type,
# arguments). Queries are checked against it the way graphql-ruby validates them, so a
# field or argument that Decidim does not have fails here as it would there.
_CONN_ARGS = frozenset({"first", "after", "last", "before"})
_TRANSLATED = {
    "translation": ("String", frozenset({"locale"})),
    "translations": ("LocalizedString", frozenset({"locales"})),
    "locales": ("String", frozenset()),
}
_COMMENTABLE = {
    "id": ("ID", frozenset()),
    "type": ("String", frozenset()),
    "acceptsNewComments": ("Boolean", frozenset()),
    "commentsHaveAlignment": ("Boolean", frozenset()),
    "commentsHaveVotes": ("Boolean", frozenset()),
    "comments": ("Comment", frozenset({"orderBy", "singleCommentId"})),
    "totalCommentsCount": ("Int", frozenset()),
    "hasComments": ("Boolean", frozenset()),
    "userAllowedToComment": ("Boolean", frozenset()),
}
_COMPONENT = {
    "id": ("ID", frozenset()),
    "name": ("TranslatedField", frozenset()),
    "participatorySpace": ("ParticipatorySpace", frozenset()),
    "publishedAt": ("DateTime", frozenset()),
    "url": ("String", frozenset()),
    "visible": ("Boolean", frozenset()),
    "weight": ("Int", frozenset()),
    "createdAt": ("DateTime", frozenset()),
    "updatedAt": ("DateTime", frozenset()),
}
_SPACE = {
    "id": ("ID", frozenset()),
    "slug": ("String", frozenset()),
    "title": ("TranslatedField", frozenset()),
    "type": ("String", frozenset()),
    "components": ("Component", frozenset({"filter", "order"})),
}


def _item(extra: dict[str, tuple[str, frozenset[str]]]) -> dict[str, tuple[str, frozenset[str]]]:
    return {**_COMMENTABLE, "title": ("TranslatedField", frozenset()), **extra}


SCHEMA: dict[str, dict[str, tuple[str, frozenset[str]]]] = {
    "Query": {
        "participatoryProcesses": ("ParticipatoryProcess", frozenset({"filter", "order"})),
        "assemblies": ("Assembly", frozenset({"filter", "order"})),
        "conferences": ("Conference", frozenset({"filter", "order"})),
        "initiatives": ("Initiative", frozenset({"filter", "order"})),
        "component": ("Component", frozenset({"id"})),
        # Introspection, as graphql-ruby answers it.
        "__type": ("__Type", frozenset({"name"})),
    },
    "__Type": {
        "name": ("String", frozenset()),
        "kind": ("String", frozenset()),
        "fields": ("__Field", frozenset({"includeDeprecated"})),
    },
    "__Field": {"name": ("String", frozenset()), "type": ("__Type", frozenset())},
    "Mutation": {
        "commentable": (
            "CommentableMutation",
            frozenset({"id", "type", "locale", "toggleTranslations"}),
        ),
    },
    "ParticipatoryProcess": _SPACE,
    "Assembly": _SPACE,
    "Conference": _SPACE,
    "Initiative": _SPACE,
    "TranslatedField": _TRANSLATED,
    "Component": _COMPONENT,
    "Proposals": {
        **_COMPONENT,
        "proposals": ("ProposalConnection", _CONN_ARGS | {"order", "filter"}),
        "proposal": ("Proposal", frozenset({"id"})),
    },
    "Debates": {
        **_COMPONENT,
        "debates": ("DebateConnection", _CONN_ARGS),
        "debate": ("Debate", frozenset({"id"})),
    },
    "Meetings": {
        **_COMPONENT,
        "meetings": ("MeetingConnection", _CONN_ARGS | {"filter"}),
        "meeting": ("Meeting", frozenset({"id"})),
    },
    "Blogs": {
        **_COMPONENT,
        "posts": ("PostConnection", _CONN_ARGS | {"order", "filter"}),
        "post": ("Post", frozenset({"id"})),
    },
    "PageInfo": {
        k: ("String", frozenset())
        for k in ("hasNextPage", "hasPreviousPage", "startCursor", "endCursor")
    },
    "Proposal": _item({"body": ("TranslatedField", frozenset())}),
    "Debate": _item({"description": ("TranslatedField", frozenset())}),
    "Meeting": _item({"description": ("TranslatedField", frozenset())}),
    "Post": _item({"body": ("TranslatedField", frozenset())}),
    "Comment": {
        **_COMMENTABLE,
        "author": ("Author", frozenset()),
        **{
            k: ("String", frozenset())
            for k in (
                "sgid body formattedBody createdAt formattedCreatedAt alignment upVotes "
                "upVoted downVotes downVoted alreadyReported"
            ).split()
        },
    },
    "Author": {
        **{
            k: ("String", frozenset())
            for k in "id deleted name nickname avatarUrl badge profilePath".split()
        },
        "organizationName": ("TranslatedField", frozenset()),
    },
    "CommentableMutation": {
        "id": ("ID", frozenset()),
        "addComment": ("Comment", frozenset({"body", "alignment", "userGroupId"})),
    },
}
for _kind in ("Proposal", "Debate", "Meeting", "Post"):
    SCHEMA[f"{_kind}Connection"] = {
        "pageInfo": ("PageInfo", frozenset()),
        "edges": (f"{_kind}Edge", frozenset()),
        "nodes": (_kind, frozenset()),
    }
    SCHEMA[f"{_kind}Edge"] = {"node": (_kind, frozenset()), "cursor": ("String", frozenset())}
_TOKEN = re.compile(r'\.\.\.|[{}():!$\[\],=@]|"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|-?[0-9.]+')


#: The space types an installation may leave out (each is its own module/gem).
OPTIONAL_SPACES = ("assemblies", "conferences", "initiatives")


def schema_errors(
    query: str, schema: dict[str, dict[str, tuple[str, frozenset[str]]]] = SCHEMA
) -> list[str]:
    """Fields and arguments of ``query`` that Decidim's schema does not have, in
    graphql-ruby's words. Variables, aliases and inline fragments are understood."""
    tokens = _TOKEN.findall(query)
    errors: list[str] = []
    if not tokens:
        return ["No query string was present"]
    root = "Mutation" if tokens[0] == "mutation" else "Query"
    i = tokens.index("{")

    def skip_parens(i: int) -> int:
        depth = 0
        while True:
            if tokens[i] == "(":
                depth += 1
            elif tokens[i] == ")":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1

    def selection(i: int, typ: str) -> int:
        assert tokens[i] == "{"
        i += 1
        fields = schema.get(typ, {})
        while tokens[i] != "}":
            if tokens[i] == "...":
                on = tokens[i + 2]
                if on not in schema:
                    errors.append(f"No such type {on}, so it can't be a fragment condition")
                i = selection(i + 3, on)
                continue
            name = tokens[i]
            i += 1
            if tokens[i] == ":":  # an alias
                name = tokens[i + 1]
                i += 2
            spec = fields.get(name)
            if spec is None and name != "__typename":
                errors.append(f"Field '{name}' doesn't exist on type '{typ}'")
            if tokens[i] == "(":
                end = skip_parens(i)
                depth = 0
                for j in range(i + 1, end - 1):
                    t = tokens[j]
                    depth += t in "([{"
                    depth -= t in ")]}"
                    # At the top level of the parentheses, ``name:`` is an argument
                    # (``$name:`` only occurs in the operation's header).
                    if depth == 0 and tokens[j + 1] == ":" and tokens[j - 1] != "$":
                        if spec is not None and t not in spec[1]:
                            errors.append(f"Field '{name}' doesn't accept argument '{t}'")
                i = end
            if tokens[i] == "{":
                i = selection(i, spec[0] if spec else "?")
        return i + 1

    selection(i, root)
    return errors


class FakeDecidim(FakeServer):
    """Spaces, components, commentables and comments in memory."""

    def __init__(
        self,
        api_key: str = "api-key",
        api_secret: str = "api-secret",
        *,
        space_types: tuple[str, ...] = ("assemblies",),
    ) -> None:
        """``space_types``: the optional space modules installed (of
        :data:`OPTIONAL_SPACES`); processes are always there. Without one, its Query field
        does not exist, and a query that names it fails as on a real Decidim."""
        super().__init__()
        absent = [f for f in OPTIONAL_SPACES if f not in space_types]
        self.schema = {
            **SCHEMA,
            "Query": {k: v for k, v in SCHEMA["Query"].items() if k not in absent},
        }
        self.api_key = api_key
        self.api_secret = api_secret
        self.tokens: set[str] = set()
        self.spaces: list[dict[str, Any]] = []
        self.components: dict[str, dict[str, Any]] = {}
        self.items: dict[tuple[str, str], dict[str, Any]] = {}
        self.comments: dict[str, dict[str, Any]] = {}
        self.authors: dict[str, dict[str, Any]] = {
            "1": {
                "id": "1",
                "name": "Karin Smit",
                "nickname": "@karin",
                "deleted": False,
                "badge": "",
                "__typename": "User",
            },
            "2": {
                "id": "2",
                "name": "Dorpsraad Eemnes",
                "nickname": "@dorpsraad",
                "deleted": False,
                "badge": "verified-badge",
                "__typename": "UserGroup",
            },
            "3": {
                "id": "3",
                "name": "Gemeente Eemnes (API)",
                "nickname": "@gemeente",
                "deleted": False,
                "badge": "verified-badge",
                "__typename": "User",
            },
        }
        self._next = 100

    # --- building state -----------------------------------------------------------------
    def add_space(self, title: str, slug: str, field: str = "participatoryProcesses") -> str:
        sid = str(len(self.spaces) + 1)
        self.spaces.append(
            {"field": field, "id": sid, "slug": slug, "title": title, "components": []}
        )
        return sid

    def add_component(self, space_id: str, typename: str) -> str:
        cid = str(len(self.components) + 10)
        self.components[cid] = {"type": typename, "items": []}
        next(s for s in self.spaces if s["id"] == space_id)["components"].append(cid)
        return cid

    def add_item(self, component_id: str, title: str, *, accepts_comments: bool = True) -> str:
        iid = str(sum(len(c["items"]) for c in self.components.values()) + 1)
        self.components[component_id]["items"].append(iid)
        self.items[(component_id, iid)] = {"title": title, "accepts": accepts_comments}
        return iid

    def add_comment(
        self,
        component_id: str,
        item_id: str,
        body: str,
        *,
        author: str = "1",
        parent: str | None = None,
    ) -> str:
        with self.lock:
            self._next += 1
            cid = str(self._next)
            self.comments[cid] = {
                "id": cid,
                "item": (component_id, item_id),
                "parent": parent,
                "body": body,
                "author": author,
                "created_at": f"2024-04-0{1 + self._next % 9}T10:{self._next % 60:02d}:00+02:00",
                "hidden": False,
                "deleted": False,
                "alignment": 0,
            }
            return cid

    def hide(self, comment_id: str) -> None:
        """A Decidim moderator hid it (after reports)."""
        self.comments[comment_id]["hidden"] = True

    # --- serving ------------------------------------------------------------------------
    def handle(self, req: Request) -> Reply:
        if req.method == "POST" and req.path == "/api/sign_in":
            user = (req.json() or {}).get("api_user") or {}
            if user.get("key") != self.api_key or user.get("secret") != self.api_secret:
                # SessionsController#failure: the anonymous user's attributes, 401.
                return Reply(
                    401,
                    {"id": None, "name": None, "nickname": None, "jwt_token": None, "avatar": None},
                )
            token = secrets.token_urlsafe(16)
            self.tokens.add(token)
            # Decidim::Api::SessionsController#respond_with: the user's id, name and
            # nickname, the token also in the body ("jwt_token") for clients that lose
            # headers; the Authorization header from Devise-JWT's dispatcher.
            return Reply(
                200,
                {"id": 7, "name": "API user", "nickname": None, "jwt_token": token, "avatar": None},
                {"Authorization": f"Bearer {token}"},
            )
        if req.method == "POST" and req.path in ("/api", "/api/"):
            auth = req.headers.get("authorization")
            if auth is not None and auth.removeprefix("Bearer ") not in self.tokens:
                return Reply(401, {"error": "Signature has expired"})
            body = req.json() or {}
            query = str(body.get("query") or "")
            variables = body.get("variables") or {}
            op = body.get("operationName")
            problems = schema_errors(query, self.schema)
            if problems:  # graphql-ruby: HTTP 200, no data, the validation errors
                return Reply(200, {"errors": [{"message": m} for m in problems]})
            handler = {
                "ReactieveldSchema": self._introspect,
                "ReactieveldSpaces": self._spaces,
                "ReactieveldCommentables": self._commentables,
                "ReactieveldComments": self._comments,
                "ReactieveldAddComment": self._add_comment,
            }.get(op)
            if handler is None:
                return Reply(200, {"errors": [{"message": f"unknown operation {op!r}"}]})
            result = handler(query, variables, signed_in=auth is not None)
            if "errors" in result:
                return Reply(200, result)
            return Reply(200, {"data": _only_asked(result, query)})
        return Reply(404, "<html><body>Not found</body></html>")

    def _introspect(self, query: str, v: dict[str, Any], **_: Any) -> dict[str, Any]:
        # Only __type(name: "Query") is asked by reactieveld.
        if '"Query"' not in query:
            return {"errors": [{"message": 'only __type(name: "Query") is faked'}]}
        fields = [{"name": name} for name in self.schema["Query"]]
        return {"__type": {"name": "Query", "kind": "OBJECT", "fields": fields}}

    def _spaces(self, query: str, v: dict[str, Any], **_: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field in ("participatoryProcesses", *OPTIONAL_SPACES):
            if field not in query:
                continue
            out[field] = [
                {
                    "id": s["id"],
                    "slug": s["slug"],
                    "title": {"translation": s["title"]},
                    "components": [
                        {"id": c, "__typename": self.components[c]["type"]} for c in s["components"]
                    ],
                }
                for s in self.spaces
                if s["field"] == field
            ]
        return out

    def _visible(self, key: tuple[str, str]) -> list[dict[str, Any]]:
        return [
            c
            for c in self.comments.values()
            if c["item"] == key and not c["hidden"] and not c["deleted"]
        ]

    def _commentables(self, query: str, v: dict[str, Any], **_: Any) -> dict[str, Any]:
        comp = self.components.get(str(v["id"]))
        if comp is None:
            return {"component": None}
        many = KIND_FIELDS[comp["type"]][0]
        start = _index(v["after"]) + 1 if v.get("after") else 0
        ids = comp["items"][start : start + int(v["first"])]
        edges = [
            {
                "node": {
                    "id": iid,
                    "title": {"translation": self.items[(str(v["id"]), iid)]["title"]},
                    "totalCommentsCount": len(self._visible((str(v["id"]), iid))),
                }
            }
            for iid in ids
        ]
        end = start + len(ids) - 1
        return {
            "component": {
                "id": str(v["id"]),
                "__typename": comp["type"],
                many: {
                    "pageInfo": {
                        "hasNextPage": end + 1 < len(comp["items"]),
                        "endCursor": _cursor(end) if ids else None,
                    },
                    "edges": edges,
                },
            }
        }

    def _comments(self, query: str, v: dict[str, Any], **_: Any) -> dict[str, Any]:
        comp = self.components.get(str(v["id"]))
        if comp is None:
            return {"component": None}
        one = KIND_FIELDS[comp["type"]][1]
        key = (str(v["id"]), str(v["item"]))
        if key not in self.items:
            return {"component": {"id": str(v["id"]), one: None}}
        depth = query.count("comments {")
        visible = self._visible(key)

        def tree(parent: str | None, level: int) -> list[dict[str, Any]]:
            out = []
            for c in sorted(visible, key=lambda c: int(c["id"])):
                if c["parent"] != parent:
                    continue
                node = {
                    "id": c["id"],
                    "body": c["body"],
                    # Decidim escapes the user's text when it renders the body.
                    "formattedBody": f"<p>{html.escape(c['body'])}</p>",
                    "createdAt": c["created_at"],
                    "alignment": c["alignment"],
                    "author": self.authors[c["author"]],
                }
                if level < depth:
                    node["comments"] = tree(c["id"], level + 1)
                out.append(node)
            return out

        return {
            "component": {
                "id": str(v["id"]),
                one: {
                    "id": key[1],
                    "totalCommentsCount": len(visible),
                    "comments": tree(None, 1),
                },
            }
        }

    def _add_comment(self, query: str, v: dict[str, Any], *, signed_in: bool) -> dict[str, Any]:
        if not signed_in:
            return {"errors": [{"message": "You are not authorized to perform this action"}]}
        if v.get("type") != "Decidim::Comments::Comment" or v.get("id") not in self.comments:
            return {"errors": [{"message": "Commentable not found"}]}
        parent = self.comments[v["id"]]
        if not self.items[parent["item"]]["accepts"]:
            return {"commentable": {"addComment": None}}  # the form was invalid
        cid = self.add_comment(*parent["item"], v["body"], author="3", parent=v["id"])
        return {
            "commentable": {
                "addComment": {"id": cid, "createdAt": self.comments[cid]["created_at"]}
            }
        }

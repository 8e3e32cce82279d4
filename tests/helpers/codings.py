"""Two moderators on one memory, for the double-coding tests (issue 14): on SQLite one
store (who acts is the ``actor`` given), on PostgreSQL a login role each (``anna``,
``bert``: the journal's and the codings' name is the role's), with an owner's store to look."""

from __future__ import annotations

from typing import Any

import pytest

from helpers.store import open_store, page, resp

#: The group of the moderators' login roles (the schema's own grants).
MODERATORS = "reactieveld_moderator"


class Team:
    """``owner`` (opened first: it migrates), ``anna`` and ``bert``."""

    def __init__(self, owner: Any, anna: Any, bert: Any) -> None:
        self.owner, self.anna, self.bert = owner, anna, bert

    def of(self, name: str) -> Any:
        """The store ``name`` acts through."""
        return {"anna": self.anna, "bert": self.bert}[name]

    async def close(self) -> None:
        for s in {id(s): s for s in (self.anna, self.bert, self.owner)}.values():
            await s.close()


async def open_team(target: str, request: pytest.FixtureRequest, share: float) -> Team:
    """A :class:`Team` on ``target`` (the ``store_target`` fixture's), ``double_share``
    ``share``, with the sources "blog" and "forum"."""
    owner = await open_store(target, double_share=share)
    if not target.startswith("postgresql://"):
        return Team(owner, owner, owner)
    cluster = request.getfixturevalue("pg_cluster")
    anna = await open_store(cluster.role_url(target, "anna", MODERATORS), double_share=share)
    bert = await open_store(cluster.role_url(target, "bert", MODERATORS), double_share=share)
    return Team(owner, anna, bert)


async def blog_team(target: str, request: pytest.FixtureRequest) -> Team:
    """:func:`open_team` (``double_share`` 1) with four responses of "blog" ("1" to "4",
    a minute apart), for a team fixture."""
    t = await open_team(target, request, share=1.0)
    await t.owner.upsert_page("blog", page(*(resp(str(i), minutes=i) for i in range(1, 5))))
    return t

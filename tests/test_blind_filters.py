"""Double coding is blind wherever a later coder looks (issue 14), on both backends: a
filter on questions, roles or untagged matches what the coder's own view shows (their
coding of a response another coded first, until theirs is done), never the first coder's
tags; Disagreements leaves out the responses still in a coder's own Second coding (a
resolver who codes nothing sees them all); ``reactieveld search`` shows and matches as
the app does, for the moderator who runs it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from helpers.cli import run_main
from helpers.codings import MODERATORS, Team, blog_team
from helpers.store import open_store

from reactieveld.codebook import DEFAULT_CODEBOOK
from reactieveld.store.base import QueueFilter, QueueRow

QUESTIONS = [q.code for q in DEFAULT_CODEBOOK.questions]
ROLES = [r.code for r in DEFAULT_CODEBOOK.roles]


@pytest.fixture
async def team(store_target: str, request: pytest.FixtureRequest) -> AsyncIterator[Team]:
    t = await blog_team(store_target, request)
    yield t
    await t.close()


async def _ids(store: Any) -> list[int]:
    return [r.response.id for r in await store.queue(QueueFilter()) if r.response.id]


async def _as(store_target: str, team: Team, name: str) -> tuple[Any, bool]:
    """The store ``name`` reads through with ``coder`` set as the app sets it (on SQLite
    a store of its own, to be closed: True)."""
    if store_target.startswith("postgresql://"):
        store = team.of(name)
        store.coder = name
        return store, False
    store = await open_store(store_target, double_share=1.0)
    store.coder = name
    return store, True


def _shows(row: QueueRow, flt: QueueFilter) -> bool:
    """Whether the row as shown (its questions and role) is one ``flt`` asks for."""
    if flt.questions and not set(flt.questions) & set(row.questions):
        return False
    if flt.roles and row.role not in flt.roles:
        return False
    return not (flt.untagged and row.questions)


FILTERS = [
    *(QueueFilter(questions=(q,)) for q in QUESTIONS),
    QueueFilter(questions=("3", "5")),
    *(QueueFilter(roles=(r,)) for r in ROLES[:3]),
    QueueFilter(untagged=True),
    QueueFilter(questions=("3",), roles=("raad",)),
]


async def test_a_filter_on_tags_matches_what_each_coder_sees(team: Team, store_target: str) -> None:
    """Every filter on tags, in the queue, its count, search with words and without, is
    exactly the rows of the coder's unfiltered view that show what it asks (computed a
    second way, in Python over those rows): bram never finds anna's 119 by her #3."""
    r1, r2, r3, r4 = sorted(await _ids(team.owner))
    # r1: anna first (3, raad), bert nothing; r2: anna first (3, 4), bert (4, burger) not
    # done; r3: bert first (3); r4: anna first (2), bert (5) done: the tags again.
    for r, qs, role in ((r1, ("3",), "raad"), (r2, ("3", "4"), None), (r4, ("2",), None)):
        for q in qs:
            await team.anna.toggle_question([r], q, actor="anna")
        if role:
            await team.anna.set_role([r], role, actor="anna")
    await team.bert.toggle_question([r2], "4", actor="bert")
    await team.bert.set_role([r2], "burger", actor="bert")
    await team.bert.toggle_question([r3], "3", actor="bert")
    await team.bert.toggle_question([r4], "5", actor="bert")
    await team.bert.finish_coding([r4], actor="bert")
    for name in ("bert", "anna"):
        store, own = await _as(store_target, team, name)
        try:
            view = await store.queue(QueueFilter())
            if name == "bert":  # the view itself is blind (h/tryagree)
                assert {(q.response.id, q.questions, q.role) for q in view} >= {
                    (r1, (), None),
                    (r2, ("4",), "burger"),
                    (r4, ("2",), None),
                }
            for flt in FILTERS:
                want = {q.response.id for q in view if _shows(q, flt)}
                said = f"{name} {flt}"
                assert {q.response.id for q in await store.queue(flt)} == want, said
                assert await store.count(flt) == len(want), said
                hits = await store.search("reactie", flt)
                assert {h.row.response.id for h in hits} == want, said
                assert {q.response.id for q in await store.newest(flt)} == want, said
                assert await store.count_matches("reactie", flt, cap=10) == len(want), said
                # Paged one row at a time (the keyset), newest first, and each row's place.
                paged: list[int | None] = []
                after = None
                while page := await store.queue(flt, after=after, limit=1):
                    paged.append(page[0].response.id)
                    after = page[0].keyset
                    assert await store.position(flt, after) == len(paged) - 1, said
                newest_first = [q.response.id for q in view if q.response.id in want]
                assert paged == newest_first, said
        finally:
            if own:
                await store.close()


async def test_disagreements_leave_out_a_coder_s_own_second_coding(
    team: Team, store_target: str, request: pytest.FixtureRequest
) -> None:
    """anna and bert differ on r1; carl codes this sample (r2 first) but not r1 yet: his
    Disagreements leave r1 out (tab count too) until his coding of it is done; a resolver
    who codes nothing (tester) sees it throughout."""
    r1, r2 = sorted(await _ids(team.owner))[:2]
    pg = store_target.startswith("postgresql://")
    carl = (
        await open_store(
            request.getfixturevalue("pg_cluster").role_url(store_target, "carl", MODERATORS),
            double_share=1.0,
        )
        if pg
        else await open_store(store_target, double_share=1.0)
    )
    tester = await open_store(store_target, double_share=1.0)
    carl.coder, tester.coder = "carl", "tester"
    try:
        await team.anna.toggle_question([r1], "3", actor="anna")
        await team.bert.toggle_question([r1], "4", actor="bert")
        await team.bert.finish_coding([r1], actor="bert")
        differ = QueueFilter(disagreements=True)

        async def shown(store: Any) -> tuple[list[int | None], int]:
            return [q.response.id for q in await store.queue(differ)], await store.count(differ)

        assert await shown(tester) == await shown(carl) == ([r1], 1)  # carl codes nothing yet
        await carl.toggle_question([r2], "1", actor="carl")  # now a coder of this sample
        assert await shown(carl) == ([], 0)
        assert await carl.count(QueueFilter(second_coding="carl")) == 1  # r1 waits for him
        assert await shown(tester) == ([r1], 1)
        await carl.toggle_question([r1], "3", actor="carl")
        assert await shown(carl) == ([], 0)  # coding, not done: still his to give blind
        await carl.finish_coding([r1], actor="carl")
        assert await shown(carl) == await shown(tester) == ([r1], 1)
    finally:
        await tester.close()
        await carl.close()


async def test_the_search_command_is_blind_for_the_moderator_who_runs_it(
    team: Team,
    store_target: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli_isolated: None,
) -> None:
    """``reactieveld search`` as bert (PostgreSQL: his role, whatever [ui] moderator
    says; a file: [ui] moderator) prints r1 without anna's #3 @raad and does not list it
    for vraag:3 or --question 3; as anna, her tags as ever."""
    r1 = sorted(await _ids(team.owner))[0]
    await team.anna.toggle_question([r1], "3", actor="anna")
    await team.anna.set_role([r1], "raad", actor="anna")
    pg = store_target.startswith("postgresql://")
    cluster = request.getfixturevalue("pg_cluster") if pg else None

    def run(name: str, *words: str) -> tuple[int, str]:
        config = tmp_path / f"{name}.toml"
        said = "nobody" if pg else name  # on PostgreSQL the role names who acts
        config.write_text(f'[ui]\nmoderator = "{said}"\n[coding]\ndouble_share = 1.0\n')
        monkeypatch.setenv("REACTIEVELD_CONFIG", str(config))
        db = cluster.role_url(store_target, name, MODERATORS) if cluster else store_target
        code, out, _err = run_main(["--db", db, "search", *words])
        return code, out

    head = f"[{r1}] "
    for words in (("reactie",), ("vraag:3",), ("--question", "3", "reactie")):
        code, out = await asyncio.to_thread(run, "anna", *words)
        line = next(x for x in out.splitlines() if x.startswith(head))
        assert code == 0 and line.endswith("#3 @raad"), (words, out)
    code, out = await asyncio.to_thread(run, "bert", "reactie")
    line = next(x for x in out.splitlines() if x.startswith(head))
    assert code == 0 and "#3" not in line and "@raad" not in line, out
    for words in (("vraag:3",), ("--question", "3", "reactie"), ("rol:raad",)):
        code, out = await asyncio.to_thread(run, "bert", *words)
        assert head not in out, (words, out)

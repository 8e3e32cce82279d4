"""Resolving double coding's disagreements in the store (issue 14, item 3), on both
backends: the Disagreements queue holds the double-coded responses whose counted codings
differ; the moderator settles the tags (``settle``: the tags, never a coding, whoever
coded first) and resolves it (journal kind ``resolve``, the final tags in ``after``, who
did it as actor); it leaves the queue; undo reopens it."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from helpers.codings import Team, blog_team
from helpers.store import open_store, page, resp, sql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.store.base import QueueFilter

DISAGREE = QueueFilter(disagreements=True)


@pytest.fixture
async def team(store_target: str, request: pytest.FixtureRequest) -> AsyncIterator[Team]:
    t = await blog_team(store_target, request)
    yield t
    await t.close()


async def _id(store: Any, ext: str) -> int:
    row = await store.get_by_external("blog", ext)
    assert row is not None and row.response.id is not None
    return row.response.id


async def _queue(store: Any) -> list[int]:
    return [r.response.id for r in await store.queue(DISAGREE, limit=50)]


async def _code(team: Team, rid: int, anna: list[str], bert: list[str], role: str | None) -> None:
    """anna codes ``rid`` first (questions ``anna``), bert second (``bert``, ``role``),
    and says he is done."""
    for q in anna:
        await team.anna.toggle_question([rid], q, actor="anna")
    for q in bert:
        await team.bert.toggle_question([rid], q, actor="bert")
    if role is not None:
        await team.bert.set_role([rid], role, actor="bert")
    await team.bert.finish_coding([rid], actor="bert")


async def test_only_differing_finished_codings_are_in_the_queue(team: Team) -> None:
    same, other, role, undone = [await _id(team.owner, e) for e in "1234"]
    await _code(team, same, ["1", "3"], ["3", "1"], None)  # equal: no difference
    await _code(team, other, ["1"], ["2"], None)  # a question differs
    await _code(team, role, ["4"], ["4"], "raad")  # only the role differs
    await team.anna.toggle_question([undone], "5", actor="anna")
    await team.bert.toggle_question([undone], "6", actor="bert")  # not done: not counted
    assert sorted(await _queue(team.owner)) == sorted([other, role])
    assert await team.owner.count(DISAGREE) == 2
    # The queue's filter reads as every other's: by role (the export's figures), a page.
    assert sum((await team.owner.count_by_role(DISAGREE)).values()) == 2
    assert await team.owner.queue(DISAGREE, limit=1, direction="newer") != []
    codings = await team.owner.response_codings(other)
    assert [(c.coder, set(c.questions), c.role) for c in codings] == [
        ("anna", {"1"}, None),
        ("bert", {"2"}, None),
    ]


async def test_settle_resolve_and_undo(team: Team) -> None:
    r = await _id(team.owner, "1")
    await _code(team, r, ["1", "3"], ["1", "2"], "raad")
    before = await sql(team.owner, "SELECT coder, questions, role FROM codings ORDER BY ordinal")
    # bert (the second coder) settles: with settle the keys change the tags, not his coding.
    await team.bert.toggle_question([r], "3", actor="bert", settle=True)
    await team.bert.toggle_question([r], "2", actor="bert", settle=True)
    await team.bert.set_role([r], "raad", actor="bert", settle=True)
    row = await team.owner.get(r)
    assert (row.questions, row.role) == (("1", "2"), "raad")
    # Neither coding moved: the agreement still measures what each coder gave.
    after = await sql(team.owner, "SELECT coder, questions, role FROM codings ORDER BY ordinal")
    assert after == before
    assert await _queue(team.owner) == [r]  # settled is not resolved yet

    outcome = await team.bert.resolve_disagreements([r], actor="bert")
    assert outcome.changed == 1
    assert await _queue(team.owner) == []
    (entry, *_rest) = await team.owner.journal(r, limit=1)
    assert (entry.actor, entry.kind.value) == ("bert", "resolve")
    assert entry.after == {"questions": ["1", "2"], "role": "raad"}
    assert entry.before == {
        "codings": {
            "anna": {"questions": ["1", "3"], "role": None},
            "bert": {"questions": ["1", "2"], "role": "raad"},
        }
    }
    # Again: nothing open, nothing journalled.
    assert (await team.anna.resolve_disagreements([r], actor="anna")).changed == 0

    # Undo reopens it; the tags stay as settled (their own entries undo them).
    assert (await team.bert.undo_last(actor="bert")).changed == 1
    assert await _queue(team.owner) == [r]
    assert (await team.owner.get(r)).questions == ("1", "2")
    # anna resolves it now: the journal names her.
    assert (await team.anna.resolve_disagreements([r], actor="anna")).changed == 1
    (entry, *_rest) = await team.owner.journal(r, limit=1)
    assert (entry.actor, entry.kind.value) == ("anna", "resolve")
    assert await _queue(team.owner) == []


async def test_first_coder_settling_keeps_her_coding(team: Team) -> None:
    r = await _id(team.owner, "2")
    await _code(team, r, ["1"], ["2"], None)
    await team.anna.toggle_question([r], "2", actor="anna", settle=True)
    assert (await team.owner.get(r)).questions == ("1", "2")
    assert await sql(team.owner, "SELECT coder, questions FROM codings ORDER BY ordinal") == [
        ("anna", '["1"]'),
        ("bert", '["2"]'),
    ]
    # A resolve with a stale version is refused whole.
    row = await team.owner.get(r)
    stale = {r: row.version - 1}
    assert (await team.anna.resolve_disagreements([r], actor="anna", seen=stale)).conflicts
    assert await _queue(team.owner) == [r]


_coding = st.tuples(
    st.frozensets(st.sampled_from(["1", "2", "3"]), max_size=3),
    st.sampled_from([None, "burger", "raad"]),
    st.booleans(),  # a later coder's: done, or not yet (then it does not count)
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_coding, min_size=1, max_size=3), min_size=1, max_size=4))
def test_the_queue_is_the_responses_whose_counted_codings_differ(
    responses: list[list[tuple[frozenset[str], str | None, bool]]],
) -> None:
    # SQLite only (a fresh file per example); the SQL is the planner's, the same on both.
    asyncio.run(_differ(responses))


async def _differ(responses: list[list[tuple[frozenset[str], str | None, bool]]]) -> None:
    coders = ["anna", "bert", "cees"]
    with tempfile.TemporaryDirectory() as tmp:
        store = await open_store(Path(tmp) / "m.db", double_share=1.0)
        try:
            n = len(responses)
            await store.upsert_page("blog", page(*(resp(str(i), minutes=i) for i in range(n))))
            expected = set()
            for i, codings in enumerate(responses):
                rid = await _id(store, str(i))
                counted = []
                for coder, (questions, role, done) in zip(coders, codings, strict=False):
                    for q in sorted(questions):
                        await store.toggle_question([rid], q, actor=coder)
                    # The first coder's coding exists once they gave anything.
                    if role is not None or (not questions and coder == "anna"):
                        await store.set_role([rid], role or "burger", actor=coder)
                        if role is None:
                            await store.set_role([rid], None, actor=coder)
                    if coder == "anna":
                        counted.append((questions, role))
                    elif done:
                        await store.finish_coding([rid], actor=coder)
                        counted.append((questions, role))
                if len(set(counted)) > 1:
                    expected.add(rid)
            assert set(await _queue(store)) == expected
            assert await store.count(DISAGREE) == len(expected)
            # Resolving each one empties the queue; undoing the last reopens that one.
            for rid in sorted(expected):
                assert (await store.resolve_disagreements([rid], actor="dirk")).changed == 1
            assert await _queue(store) == []
            if expected:
                await store.undo_last(actor="dirk")
                assert await _queue(store) == [max(expected)]
        finally:
            await store.close()

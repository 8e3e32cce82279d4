"""Double coding in the store (issue 14), on both backends: a sampled response's first
coder tags it as ever (and their coding is kept beside the tags); a second coder's keys
change only their own coding, journalled as theirs; undo takes back each one's own; the
codings of the double-coded responses are read with the export's filters."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from helpers.codings import Team, open_team
from helpers.store import T0, open_store, page, resp, sql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.model import in_double_sample
from reactieveld.store.base import QueueFilter
from reactieveld.store.values import Coding

T0_EPOCH = 1_790_000_000


@pytest.fixture
async def team(store_target: str, request: pytest.FixtureRequest) -> AsyncIterator[Team]:
    t = await open_team(store_target, request, share=1.0)
    await t.owner.upsert_page("blog", page(*(resp(str(i), minutes=i) for i in range(1, 4))))
    await t.owner.upsert_page("forum", page(resp("f1", source="forum", minutes=10)))
    yield t
    await t.close()


async def _id(store: Any, source: str, ext: str) -> int:
    row = await store.get_by_external(source, ext)
    assert row is not None and row.response.id is not None
    return row.response.id


async def _codings(store: Any) -> list[tuple[Any, ...]]:
    return await sql(
        store,
        "SELECT response_id, coder, ordinal, questions, role, codebook_version "
        "FROM codings ORDER BY response_id, ordinal",
    )


async def test_first_coder_tags_second_coder_codes_apart(team: Team) -> None:
    r = await _id(team.owner, "blog", "1")
    await team.anna.toggle_question([r], "1", actor="anna")
    await team.anna.set_role([r], "burger", actor="anna")
    # bert codes the same response: 1 and 2, a council member.
    await team.bert.toggle_question([r], "1", actor="bert")
    await team.bert.toggle_question([r], "2", actor="bert")
    await team.bert.set_role([r], "raad", actor="bert")
    assert await team.owner.codings(QueueFilter()) == []  # bert is not done yet
    await team.bert.finish_coding([r], actor="bert")

    row = await team.owner.get(r)
    assert (row.questions, row.role) == (("1",), "burger")  # the tags stay anna's
    assert await _codings(team.owner) == [
        (r, "anna", 1, '["1"]', "burger", "default-1"),
        (r, "bert", 2, '["1", "2"]', "raad", "default-1"),
    ]
    journal = [(e.actor, e.kind.value, e.before, e.after) for e in await team.owner.journal(r)]
    assert journal[::-1] == [
        ("anna", "tag", {}, {"question": "1"}),
        ("anna", "role", {"role": None}, {"role": "burger"}),
        ("bert", "code", {}, {"question": "1"}),
        ("bert", "code", {}, {"question": "2"}),
        ("bert", "code", {"role": None}, {"role": "raad"}),
        ("bert", "code", {}, {"done": True}),
    ]
    read = await team.owner.codings(QueueFilter())
    assert all(c.coded_at >= T0.timestamp() for c in read)  # the clock's (now)
    assert [replace(c, coded_at=0) for c in read] == [
        Coding(r, "anna", frozenset({"1"}), "burger", 1, "default-1"),
        Coding(r, "bert", frozenset({"1", "2"}), "raad", 2, "default-1"),
    ]


async def test_second_coder_removes_and_undoes_only_their_own(team: Team) -> None:
    r = await _id(team.owner, "blog", "2")
    await team.anna.toggle_question([r], "3", actor="anna")
    await team.bert.toggle_question([r], "3", actor="bert")
    await team.bert.toggle_question([r], "3", actor="bert")  # and off again
    assert (await _codings(team.owner))[1][1:4] == ("bert", 2, "[]")
    assert (await team.bert.undo_last(actor="bert")).changed == 1
    assert (await _codings(team.owner))[1][1:4] == ("bert", 2, '["3"]')
    assert (await team.owner.get(r)).questions == ("3",)
    # anna's undo: her tag goes, and her coding with it; bert's stays.
    await team.anna.set_role([r], "ambtenaar", actor="anna")
    assert (await team.anna.undo_last(actor="anna")).changed == 1
    assert (await team.owner.get(r)).role is None
    assert [c[1:5] for c in await _codings(team.owner)] == [
        ("anna", 1, '["3"]', None),
        ("bert", 2, '["3"]', None),
    ]


async def test_a_batch_mixes_first_and_second_codings(team: Team) -> None:
    a, b = await _id(team.owner, "blog", "1"), await _id(team.owner, "blog", "2")
    await team.anna.toggle_question([a], "5", actor="anna")
    # bert marks both and presses 5: a is anna's (his own coding), b he codes first.
    await team.bert.toggle_question([a, b], "5", actor="bert")
    assert (await team.owner.get(a)).questions == ("5",)
    assert (await team.owner.get(b)).questions == ("5",)
    assert [c[:4] for c in await _codings(team.owner)] == [
        (a, "anna", 1, '["5"]'),
        (a, "bert", 2, '["5"]'),
        (b, "bert", 1, '["5"]'),
    ]
    # b has one coder only: not double-coded, so not among the codings read.
    await team.bert.finish_coding([a, b], actor="bert")  # b: his own first coding, left
    assert {c.response_id for c in await team.owner.codings(QueueFilter())} == {a}


async def test_codings_follow_the_export_filters(team: Team) -> None:
    a, f = await _id(team.owner, "blog", "3"), await _id(team.owner, "forum", "f1")
    for r in (a, f):
        await team.anna.toggle_question([r], "1", actor="anna")
        await team.bert.set_role([r], "burger", actor="bert")
    await team.bert.finish_coding([a, f], actor="bert")
    by_source = await team.owner.codings(QueueFilter(sources=("forum",)))
    assert {c.response_id for c in by_source} == {f}
    since = await team.owner.codings(QueueFilter(since=T0.replace(minute=5)))
    assert {c.response_id for c in since} == {f}  # blog 3 came at minute 3
    assert len(await team.owner.codings(QueueFilter())) == 4


async def test_off_and_outside_the_sample_the_tags_are_everyone_s(
    store_target: str, request: pytest.FixtureRequest
) -> None:
    outside = next(str(i) for i in range(100) if not in_double_sample("blog", str(i), 0.5))
    inside = next(str(i) for i in range(100) if in_double_sample("blog", str(i), 0.5))
    t = await open_team(store_target, request, share=0.5)
    try:
        await t.owner.upsert_page("blog", page(resp(outside), resp(inside, minutes=1)))
        o, i = await _id(t.owner, "blog", outside), await _id(t.owner, "blog", inside)
        for r in (o, i):
            await t.anna.toggle_question([r], "1", actor="anna")
            await t.bert.toggle_question([r], "2", actor="bert")
        assert (await t.owner.get(o)).questions == ("1", "2")  # not sampled: one set of tags
        assert (await t.owner.get(i)).questions == ("1",)
        assert [c[:4] for c in await _codings(t.owner)] == [
            (i, "anna", 1, '["1"]'),
            (i, "bert", 2, '["2"]'),
        ]
    finally:
        await t.close()


_keys = st.lists(
    st.tuples(st.sampled_from(["anna", "bert", "cees"]), st.sampled_from(["1", "2", "3", "r"])),
    max_size=12,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_keys)
def test_random_keys_of_three_coders_match_a_model(keys: list[tuple[str, str]]) -> None:
    # SQLite only (a fresh file per example); the SQL both backends share is above.
    asyncio.run(_three_coders(keys))


async def _three_coders(keys: list[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = await open_store(Path(tmp) / "m.db", double_share=1.0)
        try:
            await store.upsert_page("blog", page(resp("1")))
            r = await _id(store, "blog", "1")
            model: dict[str, tuple[set[str], str | None]] = {}
            order: list[str] = []
            for coder, key in keys:
                if key == "r":
                    await store.set_role([r], "burger", actor=coder)
                else:
                    await store.toggle_question([r], key, actor=coder)
                if coder not in model:
                    model[coder] = (set(), None)
                    order.append(coder)
                questions, role = model[coder]
                if key == "r":
                    model[coder] = (questions, "burger")
                else:
                    questions ^= {key}
            stored = await _codings(store)
            assert [(c[1], c[2]) for c in stored] == [(c, n) for n, c in enumerate(order, 1)]
            for c in stored:
                questions, role = model[c[1]]
                assert (c[3], c[4]) == (str(sorted(questions)).replace("'", '"'), role)
            row = await store.get(r)
            first = model[order[0]] if order else (set(), None)
            assert (set(row.questions), row.role) == first  # the tags are the first's
        finally:
            await store.close()


async def test_the_second_coding_queue_is_blind_and_empties_as_codings_are_done(
    team: Team,
) -> None:
    r1, r2, r3 = [await _id(team.owner, "blog", e) for e in ("1", "2", "3")]
    for r in (r1, r2):
        await team.anna.toggle_question([r], "1", actor="anna")
        await team.anna.set_role([r], "burger", actor="anna")
    mine = QueueFilter(second_coding="bert")

    async def shown(flt: QueueFilter) -> list[tuple[int | None, tuple[str, ...], str | None]]:
        return [(q.response.id, q.questions, q.role) for q in await team.bert.queue(flt)]

    # Newest first; bert sees his own (empty) coding, not anna's tags; r3 nobody coded.
    assert await shown(mine) == [(r2, (), None), (r1, (), None)]
    assert await team.bert.count(mine) == 2
    assert await shown(QueueFilter(second_coding="anna")) == []  # she coded them first
    await team.bert.toggle_question([r1], "3", actor="bert")
    await team.bert.set_role([r1], "raad", actor="bert")
    # Coding does not take it out of the queue (several keys per response) ...
    assert await shown(mine) == [(r2, (), None), (r1, ("3",), "raad")]
    # ... saying it is done does; and undo brings it back.
    await team.bert.finish_coding([r1], actor="bert")
    assert await shown(mine) == [(r2, (), None)]
    assert await team.bert.count(mine) == 1
    await team.bert.undo_last(actor="bert")
    assert await team.bert.count(mine) == 2
    # Elsewhere the rows are the response's tags: anna's.
    row = await team.bert.get(r1)
    assert (row.questions, row.role) == (("1",), "burger")
    assert r3 not in {q.response.id for q in await team.bert.queue(mine)}


async def test_every_read_of_a_later_coder_is_blind_until_their_coding_is_done(
    team: Team, store_target: str
) -> None:
    """Not only the Second coding queue: every queue, the thread, a look-up by id and
    search show bert his own coding of a response anna coded first (empty until he codes
    it), never her tags, until he says it is done; anna sees her tags throughout."""
    r1, r2, r3 = [await _id(team.owner, "blog", e) for e in ("1", "2", "3")]
    for r in (r1, r2):
        await team.anna.toggle_question([r], "4", actor="anna")
        await team.anna.set_role([r], "burger", actor="anna")
    await team.bert.toggle_question([r3], "7", actor="bert")  # bert is its first coder
    sqlite = not store_target.startswith("postgresql://")
    bert = await open_store(store_target, double_share=1.0) if sqlite else team.bert
    anna = team.owner if sqlite else team.anna
    bert.coder, anna.coder = "bert", "anna"
    try:

        async def seen(store: Any) -> set[tuple[Any, ...]]:
            """(id, questions, role) of r1, r2, r3 in every read of ``store``."""
            reads: list[Any] = [
                *await store.queue(QueueFilter()),
                *await store.queue(QueueFilter(thread=("blog", "p1"))),
                *await store.queue(QueueFilter(triage=None, sources=("blog",)), limit=2),
                *await store.get_many([r1, r2, r3]),
                *[q for q in (await store.get(r1), await store.get_by_external("blog", "2")) if q],
                *[h.row for h in await store.search("reactie")],
            ]
            ours = (r1, r2, r3)
            return {(q.response.id, q.questions, q.role) for q in reads if q.response.id in ours}

        theirs = {(r1, ("4",), "burger"), (r2, ("4",), "burger"), (r3, ("7",), None)}
        assert await seen(bert) == {(r1, (), None), (r2, (), None), (r3, ("7",), None)}
        assert await seen(anna) == theirs - {(r3, ("7",), None)} | {(r3, (), None)}
        await bert.toggle_question([r1], "2", actor="bert")
        assert (r1, ("2",), None) in await seen(bert)
        await bert.finish_coding([r1], actor="bert")  # done: the tags again (anna's)
        assert await seen(bert) == {(r1, ("4",), "burger"), (r2, (), None), (r3, ("7",), None)}
    finally:
        if sqlite:
            await bert.close()


async def test_an_undo_of_all_a_first_coder_gave_leaves_the_response_uncoded(
    team: Team,
) -> None:
    """Anna gives a sampled response questions 1 and 2, role burger, and undoes all three:
    nobody coded it, so it has no coding and is not in bert's Second coding (bert may code
    it first). Keys on and off again leave her empty coding ("none applies"), and once
    bert coded a response an undo of hers is refused (he changed it after her)."""
    r1, r2 = [await _id(team.owner, "blog", e) for e in ("1", "2")]
    bert_queue = QueueFilter(second_coding="bert")
    await team.anna.toggle_question([r1], "1", actor="anna")
    await team.anna.toggle_question([r1], "2", actor="anna")
    await team.anna.set_role([r1], "burger", actor="anna")
    assert await team.bert.count(bert_queue) == 1
    for _ in range(3):
        await team.anna.undo_last(actor="anna")
    assert await _codings(team.owner) == []
    assert await team.bert.count(bert_queue) == 0
    await team.bert.toggle_question([r1], "2", actor="bert")
    assert [(c[1], c[2]) for c in await _codings(team.owner)] == [("bert", 1)]

    await team.anna.toggle_question([r2], "1", actor="anna")
    await team.anna.toggle_question([r2], "1", actor="anna")  # on and off: none applies
    assert [(c[1], c[3]) for c in await _codings(team.owner) if c[0] == r2] == [("anna", "[]")]


async def test_a_first_coding_stays_as_it_was_once_another_finished_theirs(team: Team) -> None:
    """Once bert finished his coding (and Disagreements shows both, to anna too), anna's
    keys change the response's tags only: her counted coding stays what it was, so the
    agreement cannot rise by her agreeing with him afterwards. Before that it follows
    her tags (and her role) as ever."""
    r = await _id(team.owner, "blog", "1")
    await team.anna.toggle_question([r], "1", actor="anna")
    await team.bert.toggle_question([r], "2", actor="bert")
    await team.anna.set_role([r], "raad", actor="anna")  # bert not done: hers follows
    await team.bert.finish_coding([r], actor="bert")
    before = await team.owner.codings(QueueFilter())
    assert [(c.coder, set(c.questions), c.role) for c in before] == [
        ("anna", {"1"}, "raad"),
        ("bert", {"2"}, None),
    ]
    await team.anna.toggle_question([r], "2", actor="anna")
    await team.anna.toggle_question([r], "1", actor="anna")
    await team.anna.set_role([r], None, actor="anna")
    assert await team.owner.codings(QueueFilter()) == before
    row = await team.owner.get(r)
    assert (row.questions, row.role) == (("2",), None)  # the tags did change


async def test_a_later_coding_stays_as_it_was_once_done(team: Team) -> None:
    """Once bert said his coding is done, every queue shows him the tags (anna's): his
    keys there change the tags only, and his counted coding stays what it was, so he
    cannot agree with her after seeing hers (as she cannot with him). An undo of his
    "done" still opens his coding to his keys again."""
    r = await _id(team.owner, "blog", "1")
    await team.anna.toggle_question([r], "1", actor="anna")
    await team.bert.toggle_question([r], "2", actor="bert")
    await team.bert.finish_coding([r], actor="bert")
    before = await team.owner.codings(QueueFilter())
    await team.bert.toggle_question([r], "1", actor="bert")
    await team.bert.toggle_question([r], "2", actor="bert")
    await team.bert.set_role([r], "raad", actor="bert")
    assert await team.owner.codings(QueueFilter()) == before
    row = await team.owner.get(r)
    assert (row.questions, row.role) == (("2",), "raad")  # the tags did change
    for _ in range(4):  # his three keys, then his "done"
        await team.bert.undo_last(actor="bert")
    await team.bert.toggle_question([r], "3", actor="bert")
    assert [(c[1], c[3]) for c in await _codings(team.owner)] == [
        ("anna", '["1"]'),
        ("bert", '["2", "3"]'),
    ]


@pytest.mark.parametrize(("keys", "undos"), [("112", 1), ("1123", 2), ("22113", 1), ("11", 0)])
async def test_an_undo_after_a_first_coders_none_applies_keeps_it(
    team: Team, keys: str, undos: int
) -> None:
    """Anna codes "none applies" (keys on and off), then gives other questions and takes
    them back with z: what she gave before those undos stands, an empty first coding, so
    the response stays coded and in bert's Second coding. Only an undo of all she gave
    leaves it uncoded (the test above)."""
    r = await _id(team.owner, "blog", "3")
    for question in keys:
        await team.anna.toggle_question([r], question, actor="anna")
    for _ in range(undos):
        await team.anna.undo_last(actor="anna")
    assert [(c[1], c[3]) for c in await _codings(team.owner) if c[0] == r] == [("anna", "[]")]
    assert await team.bert.count(QueueFilter(second_coding="bert")) == 1


async def test_an_undo_of_all_coded_ignores_keys_from_before_the_sample(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anna gave and took back question 2 before responses were double-coded; a day later
    they are, and she gives question 1 and undoes it: all she coded is taken back, so the
    response is uncoded (her keys from before were no coding)."""
    r = await _id(team.owner, "blog", "3")
    monkeypatch.setattr("reactieveld.store.actions.now_epoch", lambda: T0_EPOCH)
    team.anna.double_share = 0.0
    for _ in range(2):
        await team.anna.toggle_question([r], "2", actor="anna")
    monkeypatch.setattr("reactieveld.store.actions.now_epoch", lambda: T0_EPOCH + 86_400)
    team.anna.double_share = 1.0
    await team.anna.toggle_question([r], "1", actor="anna")
    await team.anna.undo_last(actor="anna")
    assert [c for c in await _codings(team.owner) if c[0] == r] == []

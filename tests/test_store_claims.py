"""Claims (a lease per open response) and versions (``seen`` on every action) on the
SQLite store: several moderators on one memory never act on a row unknowingly."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from helpers.claims_model import STEPS, run_steps
from helpers.store import T0, fill_abc, open_store, page, resp, sql
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reactieveld.model import RemoteStatus
from reactieveld.store.base import Claim, QueueFilter

A, HOLD, SPAM = RemoteStatus.APPROVED, RemoteStatus.HOLD, RemoteStatus.SPAM


class Clock:
    """The store's clock, moved by the test instead of sleeping through a lease."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self):
        return self.now


@pytest.fixture
async def env(tmp_path):
    """A store with responses a, b, c and a clock the test moves."""
    store = await open_store(tmp_path / "m.db")
    clock = Clock()
    store.clock = clock
    ids = await fill_abc(store)
    yield store, ids, clock
    await store.close()


async def version(store, rid: int) -> int:
    return (await store.get(rid)).version


async def snapshot(store) -> tuple:
    """Every table an action may write, to show a refused action wrote nothing."""
    out = []
    for table in ("responses", "tags", "notes", "actions", "outbox", "claims"):
        out.append(tuple(await sql(store, f"SELECT * FROM {table} ORDER BY 1")))
    return tuple(out)


# -- claims ------------------------------------------------------------------------------
async def test_claim_renew_expire_release(env):
    store, ids, clock = env
    a = ids["a"]
    assert await store.claim(a, actor="anna", minutes=5) is None
    row = await store.get(a)
    assert row.claim == Claim("anna", T0 + timedelta(minutes=5))
    # Another moderator is told who has it; nothing changes.
    assert await store.claim(a, actor="bert", minutes=5) == Claim("anna", T0 + timedelta(minutes=5))
    assert (await store.get(a)).claim.actor == "anna"
    # Renewed by its holder: a later end, the same start.
    clock.now = T0 + timedelta(minutes=3)
    assert await store.claim(a, actor="anna", minutes=5) is None
    assert (await store.get(a)).claim.until == T0 + timedelta(minutes=8)
    assert await sql(store, "SELECT claimed_at FROM claims") == [(int(T0.timestamp()),)]
    # Expired: absent on every read, and anyone's to take.
    clock.now = T0 + timedelta(minutes=8)
    assert (await store.get(a)).claim is None
    assert all(r.claim is None for r in await store.queue(QueueFilter()))
    assert await store.claim(a, actor="bert", minutes=5) is None
    assert (await store.get(a)).claim.actor == "bert"
    # Released by its holder only.
    await store.release(a, actor="anna")
    assert (await store.get(a)).claim.actor == "bert"
    await store.release(a, actor="bert")
    assert (await store.get(a)).claim is None


async def test_release_all_drops_only_the_actors_claims(env):
    store, ids, _ = env
    await store.claim(ids["a"], actor="anna", minutes=5)
    await store.claim(ids["b"], actor="anna", minutes=5)
    await store.claim(ids["c"], actor="bert", minutes=5)
    await store.release(None, actor="anna")
    assert await sql(store, "SELECT response_id, actor FROM claims") == [(ids["c"], "bert")]


async def test_expired_claims_never_hide_rows_or_counts(env):
    store, ids, clock = env
    before = (await store.count(QueueFilter()), len(await store.queue(QueueFilter())))
    for rid in ids.values():
        await store.claim(rid, actor="anna", minutes=1)
    clock.now = T0 + timedelta(hours=1)  # anna's app died without releasing
    assert (await store.count(QueueFilter()), len(await store.queue(QueueFilter()))) == before
    assert [r.claim for r in await store.queue(QueueFilter())] == [None, None, None]
    assert [h.row.claim for h in await store.search("tweede")] == [None]
    # The next claim clears the dead ones out of the table.
    await store.claim(ids["a"], actor="bert", minutes=5)
    assert await sql(store, "SELECT response_id, actor FROM claims") == [(ids["a"], "bert")]


async def test_queue_search_and_thread_rows_show_the_claim(env):
    store, ids, _ = env
    await store.claim(ids["b"], actor="anna", minutes=5)
    shown = {r.response.id: r.claim for r in await store.queue(QueueFilter())}
    assert shown == {
        ids["a"]: None,
        ids["b"]: Claim("anna", T0 + timedelta(minutes=5)),
        ids["c"]: None,
    }
    assert (await store.search("tweede"))[0].row.claim.actor == "anna"
    by_thread = {r.response.id: r.claim for r in await store.thread_rows("blog", "p1")}
    assert by_thread == shown


@pytest.mark.parametrize("kind", ["moderate", "mark_handled", "reply"])
async def test_a_decision_releases_the_deciders_claim(env, kind):
    store, ids, _ = env
    a = ids["a"]
    await store.claim(a, actor="anna", minutes=5)
    await store.claim(ids["b"], actor="anna", minutes=5)
    if kind == "moderate":
        await store.moderate([a], SPAM, actor="anna")
    elif kind == "mark_handled":
        await store.mark_handled([a], actor="anna")
    else:
        await store.reply(a, "Dank u", actor="anna")
    assert await sql(store, "SELECT response_id FROM claims") == [(ids["b"],)]


async def test_tags_and_notes_keep_the_claim(env):
    store, ids, _ = env
    a = ids["a"]
    await store.claim(a, actor="anna", minutes=5)
    await store.toggle_question([a], "3", actor="anna")
    await store.set_role([a], "raad", actor="anna")
    await store.add_note(a, "bellen", actor="anna")
    assert (await store.get(a)).claim.actor == "anna"


# -- versions ----------------------------------------------------------------------------
ACTIONS = {
    "moderate": lambda s, i, seen: s.moderate([i], SPAM, actor="m", seen=seen),
    "mark_handled": lambda s, i, seen: s.mark_handled([i], actor="m", seen=seen),
    "toggle_question": lambda s, i, seen: s.toggle_question([i], "3", actor="m", seen=seen),
    "set_role": lambda s, i, seen: s.set_role([i], "raad", actor="m", seen=seen),
    "add_note": lambda s, i, seen: s.add_note(i, "notitie", actor="m", seen=seen),
    "reply": lambda s, i, seen: s.reply(i, "antwoord", actor="m", seen=seen),
}


@pytest.mark.parametrize("kind", [*ACTIONS, "undo"])
async def test_every_change_bumps_the_version(env, kind):
    store, ids, _ = env
    a, c = ids["a"], ids["c"]
    if kind == "undo":
        await store.toggle_question([a], "3", actor="m")
        before = await version(store, a)
        await store.undo_last(actor="m")
    else:
        before = await version(store, a)
        await ACTIONS[kind](store, a, None)
    assert await version(store, a) > before
    assert await version(store, c) == 1  # only the row acted on


async def test_an_action_that_changes_nothing_keeps_the_version(env):
    store, ids, _ = env
    a = ids["a"]
    await store.moderate([a], SPAM, actor="m")
    before = await version(store, a)
    out = await store.moderate([a], SPAM, actor="m")
    assert out.changed == 0
    assert await version(store, a) == before


async def test_a_sync_change_of_status_or_text_bumps_the_version_a_refetch_does_not(env):
    store, ids, _ = env
    a = ids["a"]
    await store.upsert_page("blog", page(resp("a", "eerste", minutes=1)))
    assert await version(store, a) == 1  # same content again
    await store.upsert_page("blog", page(resp("a", "eerste", minutes=1, status=HOLD)))
    v = await version(store, a)
    assert v > 1
    await store.upsert_page("blog", page(resp("a", "eerste, aangepast", minutes=1, status=HOLD)))
    assert await version(store, a) > v


@pytest.mark.parametrize("kind", list(ACTIONS))
async def test_the_seen_version_lets_the_action_through(env, kind):
    store, ids, _ = env
    a = ids["a"]
    out = await ACTIONS[kind](store, a, {a: await version(store, a)})
    assert out.conflicts == () and out.changed == 1


# Generated: any action, on any subset of the rows, with any of them changed by someone
# else after the moderator saw it: the whole action is refused and nothing is written.
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(sorted(ACTIONS)),
    chosen=st.sets(st.sampled_from("abc"), min_size=1),
    data=st.data(),
)
def test_a_stale_seen_refuses_the_whole_action(kind, chosen, data):
    stale = data.draw(st.sets(st.sampled_from(sorted(chosen)), min_size=1), label="stale")
    other = data.draw(st.sampled_from(["tag", "note", "status", "text"]), label="change")

    async def run(path: Path) -> None:
        store = await open_store(path)
        try:
            ids = await fill_abc(store)
            seen = {ids[e]: await version(store, ids[e]) for e in sorted(chosen)}
            for e in stale:  # what the other moderator, or the sync, did meanwhile
                if other == "tag":
                    await store.toggle_question([ids[e]], "5", actor="bert")
                elif other == "note":
                    await store.add_note(ids[e], "van bert", actor="bert")
                elif other == "status":
                    await store.upsert_page("blog", page(resp(e, minutes=1, status=SPAM)))
                else:
                    await store.upsert_page("blog", page(resp(e, "nieuwe tekst", minutes=1)))
            before = await snapshot(store)
            if kind in ("add_note", "reply"):
                target = ids[sorted(stale)[0]]  # one row: the stale one
                seen = {target: seen[target]}
                out = await ACTIONS[kind](store, target, seen)
                want = (target,)
            else:
                many = [ids[e] for e in sorted(chosen)]
                out = await {
                    "moderate": lambda: store.moderate(many, SPAM, actor="m", seen=seen),
                    "mark_handled": lambda: store.mark_handled(many, actor="m", seen=seen),
                    "toggle_question": lambda: store.toggle_question(
                        many, "3", actor="m", seen=seen
                    ),
                    "set_role": lambda: store.set_role(many, "raad", actor="m", seen=seen),
                }[kind]()
                want = tuple(sorted(ids[e] for e in stale))
            assert out.conflicts == want
            assert (out.changed, out.journal_ids, out.outbox_ids) == (0, (), ())
            assert await snapshot(store) == before
        finally:
            await store.close()

    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(Path(tmp) / "m.db"))


async def test_a_new_memory_starts_at_version_one_and_no_claims(env):
    store, ids, _ = env
    assert [r.version for r in await store.queue(QueueFilter())] == [1, 1, 1]
    assert await sql(store, "SELECT count(*) FROM claims") == [(0,)]


async def test_undo_is_refused_when_another_moderator_changed_the_row_since(env):
    store, ids, _ = env
    a, b = ids["a"], ids["b"]
    await store.moderate([a, b], SPAM, actor="anna")
    await store.moderate([b], A, actor="bert")  # bert approves b after anna's spam
    before = await snapshot(store)
    out = await store.undo_last(actor="anna")
    assert out.conflicts == (b,) and out.changed == 0
    assert await snapshot(store) == before  # b stays approved, a stays spam
    # Undoing one's own work that nobody touched since still works.
    await store.toggle_question([a], "3", actor="anna")
    out = await store.undo_last(actor="anna")
    assert out.conflicts == () and out.changed == 1


# Generated: any sequence of claims, releases and time passing, by three moderators on
# three rows, gives what the rules computed a second way (helpers/claims_model.py) say.
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=STEPS)
# The lease's exact end: at ``until`` the claim is over (anyone's), a second before not.
@example(steps=[("claim", "anna", 0, 5), ("wait", 300), ("claim", "bert", 0, 5)])
@example(steps=[("claim", "anna", 0, 5), ("wait", 299), ("claim", "bert", 0, 5)])
def test_claims_follow_the_rules_for_any_sequence(steps):
    async def run(path: Path) -> None:
        store = await open_store(path)
        try:
            ids = list((await fill_abc(store)).values())
            await run_steps(store, ids, steps, T0)
        finally:
            await store.close()

    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(Path(tmp) / "m.db"))


async def test_two_connections_deciding_the_same_rows_at_once_one_wins_each(tmp_path):
    """Two moderators (two connections to one file) decide the same 60 responses in
    random orders at once, each on what they saw: every response ends with exactly one
    decision in the journal and one write-back, the other's attempt refused."""
    import random

    from reactieveld.store.sqlite import SqliteStore

    path = tmp_path / "m.db"
    first = await open_store(path)
    second = await SqliteStore.open(path)
    try:
        await first.upsert_page(
            "blog", page(*(resp(f"r{i}", f"tekst {i}", minutes=i) for i in range(60)))
        )
        seen = {r.response.id: r.version for r in await first.queue(QueueFilter(), limit=100)}
        rnd = random.Random(7)

        async def decide(store, actor, status):
            refused = []
            order = list(seen)
            rnd.shuffle(order)
            for rid in order:
                out = await store.moderate([rid], status, actor=actor, seen={rid: seen[rid]})
                refused += out.conflicts
            return refused

        lost_a, lost_b = await asyncio.gather(
            decide(first, "anna", SPAM), decide(second, "bert", HOLD)
        )
        assert sorted(lost_a + lost_b) == sorted(seen)  # each row refused to exactly one
        per_row = await sql(
            first,
            "SELECT response_id, count(*), min(actor) FROM actions GROUP BY response_id",
        )
        assert len(per_row) == 60 and all(n == 1 for _, n, _ in per_row)
        outbox = await sql(first, "SELECT response_id, count(*) FROM outbox GROUP BY 1")
        assert len(outbox) == 60 and all(n == 1 for _, n in outbox)
        winners = {rid: actor for rid, _, actor in per_row}
        assert {rid for rid, who in winners.items() if who == "bert"} == set(lost_a)
    finally:
        await second.close()
        await first.close()

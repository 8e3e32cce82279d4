"""Moderator actions on the memory store: one transaction each, the journal, undo, outbox."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from helpers.store import each_action, fill_abc, open_store, page, pg_statements, resp, sql

from reactieveld.model import (
    Action,
    ActionKind,
    Capability,
    OutboxState,
    Page,
    RemoteStatus,
    TriageState,
    utcnow,
)
from reactieveld.store.base import PastWork, QueueFilter, StoreError
from reactieveld.store.sqlite import SqliteStore

A, HOLD, SPAM = RemoteStatus.APPROVED, RemoteStatus.HOLD, RemoteStatus.SPAM


def who(store, actor: str) -> str:
    """The journal's actor for ``actor``: as given on SQLite; the connection's role on
    PostgreSQL, where nobody can write another's name."""
    return actor if isinstance(store, SqliteStore) else store.role


@pytest.fixture
async def env(store_target):
    """A store with three responses a, b, c (b on hold); yields (store, ids, target), the
    target being a SQLite file or a PostgreSQL URL."""
    path = store_target
    store = await open_store(path)
    ids = await fill_abc(store)
    yield store, ids, path
    await store.close()


async def state(store, rid: int) -> tuple:
    """Everything an action may change about a response, to compare before and after."""
    row = await store.get(rid)
    notes = tuple(n.text for n in await store.notes(rid))
    return (row.response.remote_status, row.response.triage, row.questions, row.role, notes)


async def table_counts(store) -> tuple[int, int]:
    [(journal,)] = await sql(store, "SELECT count(*) FROM actions")
    [(outbox,)] = await sql(store, "SELECT count(*) FROM outbox")
    return journal, outbox


# -- each action: state + journal + outbox ----------------------------------------------
async def test_moderate_writes_state_journal_and_outbox(env):
    store, ids, _ = env
    out = await store.moderate([ids["a"], ids["b"]], SPAM, actor="mod")
    assert (out.changed, len(out.journal_ids), len(out.outbox_ids)) == (2, 2, 2)
    for e in "ab":
        row = await store.get(ids[e])
        assert row.response.remote_status is SPAM
        assert row.response.triage is TriageState.HANDLED
        assert row.outbox_state == "pending"
    journal = await store.journal()
    assert {j.kind for j in journal} == {ActionKind.MODERATE}
    assert len({j.batch for j in journal}) == 1
    by_rid = {j.response_id: j for j in journal}
    assert by_rid[ids["b"]].before == {"status": "hold", "triage": "new"}
    assert by_rid[ids["b"]].after == {"status": "spam", "triage": "handled"}
    assert all(j.actor == who(store, "mod") for j in journal)
    items = {i.response_id: i for i in await store.outbox_items()}
    assert items[ids["a"]].action.capability is Capability.SPAM
    assert items[ids["a"]].action.expected_status is A
    assert items[ids["b"]].action.expected_status is HOLD
    assert items[ids["b"]].journal_id == by_rid[ids["b"]].id
    # The same decision again changes nothing and queues nothing.
    again = await store.moderate([ids["a"]], SPAM, actor="mod")
    assert again.changed == 0 and await table_counts(store) == (2, 2)


async def test_moderate_without_write_back_and_refused_statuses(env):
    store, ids, _ = env
    out = await store.moderate([ids["a"]], HOLD, actor="mod", write_back=False)
    assert (out.changed, out.outbox_ids) == (1, ())
    assert (await store.get(ids["a"])).response.remote_status is HOLD
    with pytest.raises(StoreError):
        await store.moderate([ids["c"]], RemoteStatus.DELETED, actor="mod")
    # Approving what is approved still marks it handled (journal, no outbox).
    out = await store.moderate([ids["c"]], A, actor="mod")
    assert (out.changed, out.outbox_ids) == (1, ())
    assert (await store.get(ids["c"])).response.triage is TriageState.HANDLED


async def test_mark_handled(env):
    store, ids, _ = env
    out = await store.mark_handled([ids["a"], ids["b"]], actor="mod")
    assert (out.changed, out.outbox_ids) == (2, ())
    assert (await store.get(ids["a"])).response.triage is TriageState.HANDLED
    assert (await store.get(ids["b"])).response.remote_status is HOLD
    assert (await store.mark_handled([ids["a"]], actor="mod")).changed == 0
    assert await table_counts(store) == (2, 0)


async def test_toggle_question_and_the_several_items_rule(env):
    store, ids, _ = env
    a, b, c = ids["a"], ids["b"], ids["c"]
    assert (await store.toggle_question([a], "3", actor="mod")).changed == 1
    assert (await store.get(a)).questions == ("3",)
    [tag] = [t for t in await store.tags(a) if t.kind.value == "question"]
    assert (tag.actor, tag.codebook_version) == (who(store, "mod"), store.codebook_version)

    # a has it, b and c lack it: all get it; only b and c are journaled.
    out = await store.toggle_question([a, b, c], "3", actor="mod")
    assert out.changed == 2
    assert [(await store.get(i)).questions for i in (a, b, c)] == [("3",)] * 3
    # All have it: removed from all.
    out = await store.toggle_question([a, b, c], "3", actor="mod")
    assert out.changed == 3
    assert [(await store.get(i)).questions for i in (a, b, c)] == [()] * 3
    kinds = [j.kind for j in await store.journal()]
    assert kinds.count(ActionKind.UNTAG) == 3 and kinds.count(ActionKind.TAG) == 3
    # Codes sort as numbers.
    for code in ("8", "10", "2"):
        await store.toggle_question([a], code, actor="mod")
    assert (await store.get(a)).questions == ("2", "8", "10")


async def test_set_role(env):
    store, ids, _ = env
    a = ids["a"]
    await store.set_role([a], "raad", actor="m1")
    assert (await store.get(a)).role == "raad"
    assert (await store.set_role([a], "raad", actor="m2")).changed == 0
    [tag] = await store.tags(a)
    assert tag.actor == who(store, "m1")  # a no-op keeps who tagged it
    await store.set_role([a], "college", actor="m2")
    assert [t.code for t in await store.tags(a)] == ["college"]
    await store.set_role([a], None, actor="m2")
    assert (await store.get(a)).role is None
    assert [j.after for j in await store.journal(a)] == [
        {"role": None},
        {"role": "college"},
        {"role": "raad"},
    ]


async def test_note_and_reply(env):
    store, ids, _ = env
    out = await store.add_note(ids["a"], "even bellen", actor="mod")
    assert out.outbox_ids == ()
    [note] = await store.notes(ids["a"])
    assert (note.text, note.actor) == ("even bellen", who(store, "mod"))
    out = await store.reply(ids["b"], "Dank voor uw reactie", actor="mod")
    [item] = await store.outbox_items()
    assert item.id == out.outbox_ids[0]
    assert item.action.capability is Capability.REPLY
    assert (item.action.external_id, item.action.text) == ("b", "Dank voor uw reactie")
    assert item.action.thread_external_id == "p1"
    assert (await store.get(ids["b"])).response.triage is TriageState.HANDLED
    with pytest.raises(StoreError):
        await store.reply(99999, "x", actor="mod")


ACTIONS = each_action("m")


@pytest.mark.sqlite_only("SQLite's trigger syntax: test_pg_actions.py has it on PostgreSQL")
@pytest.mark.parametrize("kind", ACTIONS)
async def test_each_action_is_one_transaction(env, kind):
    store, ids, _ = env
    # The journal refuses the entry for c: whatever was written for a must go too.
    await sql(
        store,
        "CREATE TRIGGER fail_c BEFORE INSERT ON actions WHEN NEW.response_id = ? "
        "BEGIN SELECT RAISE(ABORT, 'disk full, say'); END".replace("?", str(ids["c"])),
    )
    before = [await state(store, ids[e]) for e in "ac"]
    with pytest.raises(sqlite3.IntegrityError, match="disk full"):
        await ACTIONS[kind](store, [ids["a"], ids["c"]])
    assert [await state(store, ids[e]) for e in "ac"] == before
    assert await table_counts(store) == (0, 0)
    assert (await sql(store, "SELECT count(*) FROM notes"))[0][0] == 0


# -- undo -------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ACTIONS)
async def test_undo_each_kind(env, kind):
    store, ids, _ = env
    await store.toggle_question([ids["b"]], "4", actor="m")  # so "tag" on b is an untag
    await store.set_role([ids["b"]], "raad", actor="m")
    targets = [ids["a"], ids["b"]]
    before = [await state(store, i) for i in targets]
    done = await ACTIONS[kind](store, targets)
    assert done.changed >= 1
    assert [await state(store, i) for i in targets] != before

    undo = await store.undo_last(actor="m")
    assert undo.changed == done.changed
    assert [await state(store, i) for i in targets] == before
    entries = {j.id: j for j in await store.journal()}
    for jid, original in zip(undo.journal_ids, sorted(done.journal_ids, reverse=True), strict=True):
        assert entries[jid].kind is ActionKind.UNDO and entries[jid].undoes == original
        assert entries[original].undone_by == jid
    # A write-back not sent yet is cancelled, not sent.
    assert await store.outbox_due() == []
    assert {i.state for i in await store.outbox_items()} <= {OutboxState.CANCELLED}


async def test_undo_takes_back_a_whole_batch_then_the_one_before(env):
    store, ids, _ = env
    await store.toggle_question([ids["a"]], "1", actor="m")
    await store.moderate(list(ids.values()), SPAM, actor="m")
    undo = await store.undo_last(actor="m")
    assert undo.changed == 3
    assert [(await store.get(i)).response.remote_status for i in ids.values()] == [A, HOLD, A]
    assert (await store.get(ids["a"])).questions == ("1",)
    assert (await store.undo_last(actor="m")).changed == 1
    assert (await store.get(ids["a"])).questions == ()
    assert (await store.undo_last(actor="m")).changed == 0  # nothing left; undo is not undone
    assert (await store.counts()).by_triage == {"new": 3}


@pytest.mark.sqlite_only(
    "several actors on one connection: on PostgreSQL the actor is the role "
    "(test_pg_actions.py: two roles)"
)
async def test_undo_takes_back_only_the_actors_own_work_never_history(env):
    """``z`` is the moderator's own undo: not a colleague's decision (even a later one),
    not the written history (the demo's fictional moderators), not an undo."""
    store, ids, _ = env
    at = (await store.get(ids["a"])).response.created_at + timedelta(hours=1)
    work = [PastWork("a", at, "Sanne", status=SPAM), PastWork("c", at, "m", questions=("2",))]
    assert await store.record_history("blog", work, once="t") == 2
    await store.moderate([ids["b"]], A, actor="m")
    await store.moderate([ids["c"]], HOLD, actor="collega")  # later, by someone else
    kept = {e: await state(store, ids[e]) for e in "ac"}
    undo = await store.undo_last(actor="m")
    assert undo.changed == 1
    assert (await store.get(ids["b"])).response.remote_status is HOLD
    assert {e: await state(store, ids[e]) for e in "ac"} == kept
    [entry] = await store.journal(limit=1)
    assert (entry.kind, entry.actor, entry.response_id) == (ActionKind.UNDO, "m", ids["b"])
    # Nothing of m's own is left: history (also under the name "m") and the colleague's
    # decision stay; nothing is journalled or queued.
    journal = await store.journal()
    outbox = await store.outbox_items()
    assert (await store.undo_last(actor="m")).changed == 0
    assert (await store.undo_last(actor="Sanne")).changed == 0
    assert await store.journal() == journal and await store.outbox_items() == outbox
    assert {e: await state(store, ids[e]) for e in "ac"} == kept
    # The colleague can take back their own.
    assert (await store.undo_last(actor="collega")).changed == 1
    assert (await store.get(ids["c"])).response.remote_status is A


async def test_undo_of_a_decision_already_written_back_queues_the_reverse(env):
    store, ids, _ = env
    [oid] = (await store.moderate([ids["b"]], A, actor="m")).outbox_ids
    [item] = await store.outbox_due()
    await store.outbox_done(item.id, remote_status=A)
    undo = await store.undo_last(actor="m")
    [reverse_id] = undo.outbox_ids
    [reverse] = await store.outbox_due()
    assert reverse.id == reverse_id
    assert reverse.action.capability is Capability.HOLD
    assert reverse.action.expected_status is A  # what we left it at on the platform
    assert reverse.action.meta["undo_of"] == oid
    row = await store.get(ids["b"])
    assert (row.response.remote_status, row.response.triage) == (HOLD, TriageState.NEW)
    # A page still saying approved (the reverse is not out yet) does not undo the undo.
    await store.upsert_page("blog", page(resp("b", "tweede", minutes=2, status=A)))
    assert (await store.get(ids["b"])).response.remote_status is HOLD


async def test_undo_of_a_sent_reply_trashes_it(env):
    store, ids, _ = env
    await store.reply(ids["a"], "Dank!", actor="m")
    [item] = await store.outbox_due()
    await store.outbox_done(item.id, remote_status=None, external_id="reply-77")
    [oid] = (await store.undo_last(actor="m")).outbox_ids
    [reverse] = await store.outbox_due()
    assert reverse.id == oid
    assert (reverse.action.capability, reverse.action.external_id) == (Capability.TRASH, "reply-77")


async def test_a_sent_reply_joins_its_thread_and_leaves_the_parent_alone(env):
    store, ids, _ = env
    await store.reply(ids["b"], "Dank voor uw reactie.", actor="moderator")
    [item] = await store.outbox_due()
    # The platform reports the status of the new reply, not of the comment it answers.
    await store.outbox_done(item.id, remote_status=A, external_id="reply-9")
    parent = await store.get(ids["b"])
    assert parent.response.remote_status is HOLD
    mine = await store.get_by_external("blog", "reply-9")
    assert mine is not None
    r = mine.response
    assert (r.parent_external_id, r.thread_external_id) == ("b", "p1")
    assert (r.body_text, r.author_name, r.triage) == (
        "Dank voor uw reactie.",
        who(store, "moderator"),
        TriageState.HANDLED,
    )
    assert mine.role == "organisatie"  # the organisation answered: dialogue, not consultation
    assert [row.response.external_id for row in await store.thread_rows("blog", "p1")][-1] == (
        "reply-9"
    )
    assert [h.row.response.external_id for h in await store.search("uw reactie")] == ["reply-9"]
    # The next sync brings the platform's copy: the same row, updated, not a second one.
    result = await store.upsert_page(
        "blog", page(resp("reply-9", "Dank voor uw reactie.", parent="b", author="Gemeente"))
    )
    assert (result.new, result.updated) == (0, 1)
    [(n,)] = await sql(store, "SELECT count(*) FROM responses WHERE external_id = 'reply-9'")
    assert n == 1
    # Undo trashes the reply itself; the parent keeps its status.
    [oid] = (await store.undo_last(actor="moderator")).outbox_ids
    [reverse] = await store.outbox_due()
    assert reverse.id == oid and reverse.response_id == r.id
    await store.outbox_done(reverse.id, remote_status=RemoteStatus.TRASH)
    assert (await store.get(r.id)).response.remote_status is RemoteStatus.TRASH
    assert (await store.get(ids["b"])).response.remote_status is HOLD


async def test_an_item_the_platform_gives_a_new_id_stays_one_row(env):
    """Discourse publishes an approved queued post as a new post with its own id."""
    store, ids, _ = env
    await store.upsert_page("blog", page(resp("queued-5", "Wachtend bericht", status=HOLD)))
    rid = (await store.get_by_external("blog", "queued-5")).response.id
    await store.toggle_question([rid], "4", actor="m")
    await store.moderate([rid], A, actor="m")
    [item] = await store.outbox_due()
    await store.outbox_done(item.id, remote_status=A, external_id="812")
    assert (await store.get(rid)).response.external_id == "812"
    result = await store.upsert_page("blog", page(resp("812", "Wachtend bericht")))
    assert (result.new, result.unchanged + result.updated) == (0, 1)
    row = await store.get(rid)
    assert (row.response.external_id, row.questions) == ("812", ("4",))
    assert await store.get_by_external("blog", "queued-5") is None


async def test_a_page_can_rename_an_item(env):
    """Approved on the forum itself: the connector learns the new id from the queue."""
    store, ids, _ = env
    await store.toggle_question([ids["b"]], "2", actor="m")
    renamed = page(resp("900", "tweede", minutes=2))
    renamed = type(renamed)(responses=renamed.responses, renamed={"b": "900"})
    result = await store.upsert_page("blog", renamed)
    assert result.new == 0
    row = await store.get(ids["b"])
    assert (row.response.external_id, row.questions) == ("900", ("2",))
    assert await store.get_by_external("blog", "b") is None


async def _selects(store, write) -> int:
    """How many SELECT statements ``write()`` sends to the store."""
    statements: list[str] = []
    if isinstance(store, SqliteStore):
        await store._run(lambda db: db.set_trace_callback(statements.append))
        try:
            await write()
        finally:
            await store._run(lambda db: db.set_trace_callback(None))
    else:
        with pg_statements() as statements:
            await write()
    return sum(s.lstrip().upper().startswith("SELECT") for s in statements)


async def test_a_page_of_many_renames_looks_their_rows_up_at_once(env):
    """A forum's whole queue approved at once renames every item on a page: the rows
    move, with their threads, and the page's SELECTs do not grow with its renames (they
    were one per rename)."""
    store, ids, _ = env
    n = 40
    queued = [resp(f"q{i}", f"wachtend {i}", thread=f"t{i % 3}") for i in range(n)]
    await store.upsert_page("blog", page(*queued))

    def renames(pairs: dict[str, str]):
        return lambda: store.upsert_page("blog", Page(responses=(), renamed=pairs))

    one = await _selects(store, renames({"q0": "p0"}))
    many = await _selects(store, renames({f"q{i}": f"p{i}" for i in range(1, n)}))
    assert one > 0, "no SELECT seen: the count compares nothing"
    assert many == one
    for i in range(n):
        assert await store.get_by_external("blog", f"q{i}") is None
        row = await store.get_by_external("blog", f"p{i}")
        assert row is not None and row.response.thread_external_id == f"t{i % 3}"


async def test_undo_while_the_worker_was_sending(env):
    store, ids, _ = env
    await store.moderate([ids["a"]], SPAM, actor="m")
    [item] = await store.outbox_due()  # the worker took it and is talking to the platform
    await store.undo_last(actor="m")  # meanwhile the moderator pressed z
    await store.outbox_done(item.id, remote_status=SPAM)  # the platform did apply it
    assert (await store.get(ids["a"])).response.remote_status is A
    [reverse] = await store.outbox_due()
    assert (reverse.action.capability, reverse.action.expected_status) == (Capability.APPROVE, SPAM)


@pytest.mark.sqlite_only("the file itself: test_pg_actions.py has PostgreSQL's append-only journal")
async def test_journal_is_append_only(env):
    store, ids, path = env
    await store.mark_handled([ids["a"]], actor="m")
    db = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("UPDATE actions SET actor = 'someone else'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("DELETE FROM actions")
    finally:
        db.close()
    [entry] = await store.journal()
    assert entry.actor == "m"


# -- outbox -----------------------------------------------------------------------------
async def test_outbox_retry_fail_requeue_done(env):
    store, ids, _ = env
    out = await store.moderate([ids["a"], ids["b"], ids["c"]], SPAM, actor="m")
    oa, ob, oc = out.outbox_ids
    assert [i.id for i in await store.outbox_due()] == [oa, ob, oc]
    assert [i.id for i in await store.outbox_due(limit=2)] == [oa, ob]

    later = utcnow() + timedelta(minutes=10)
    await store.outbox_retry(oa, error="HTTP 503", next_attempt_at=later)
    assert [i.id for i in await store.outbox_due()] == [ob, oc]
    [due] = [i for i in await store.outbox_due(now=later) if i.id == oa]
    assert (due.attempts, due.last_error) == (1, "HTTP 503")

    await store.outbox_fail(ob, error="409 changed", conflict=True)
    await store.outbox_fail(oc, error="403 forbidden")
    states = {i.id: i.state for i in await store.outbox_items()}
    assert states == {oa: OutboxState.PENDING, ob: OutboxState.CONFLICT, oc: OutboxState.FAILED}
    assert [i.id for i in await store.outbox_items(states=["conflict", "failed"])] == [oc, ob]
    assert (await store.counts()).outbox_conflicts == 2
    # Done/retry/fail on a row that is not pending change nothing.
    await store.outbox_done(ob, remote_status=A)
    await store.outbox_retry(oc, error="x", next_attempt_at=later)
    assert {i.id: i.state for i in await store.outbox_items()} == states
    assert (await store.get(ids["b"])).response.remote_status is SPAM

    await store.outbox_requeue(ob)
    [requeued] = [i for i in await store.outbox_due() if i.id == ob]
    assert requeued.action.expected_status is None  # the moderator chose to force it
    await store.outbox_done(ob, remote_status=SPAM)
    assert {i.id: i.state for i in await store.outbox_items()}[ob] is OutboxState.DONE
    assert (await store.counts()).outbox_pending == 1


async def test_outbox_done_does_not_overwrite_a_later_decision(env):
    store, ids, _ = env
    [first] = (await store.moderate([ids["a"]], SPAM, actor="m")).outbox_ids
    await store.moderate([ids["a"]], A, actor="m")  # changed their mind; queued behind
    await store.outbox_done(first, remote_status=SPAM)
    assert (await store.get(ids["a"])).response.remote_status is A


async def test_enqueue_and_due_order(env):
    store, ids, _ = env
    oid = await store.enqueue(
        Action(Capability.APPROVE, "blog", "c", meta={"k": 1}), response_id=ids["c"]
    )
    [item] = await store.outbox_due()
    assert (item.id, item.journal_id, item.action.meta) == (oid, None, {"k": 1})
    with pytest.raises(StoreError):
        await store.enqueue(Action(Capability.APPROVE, "elders", "c"))


async def test_external_statuses_follow_actions(env):
    store, ids, _ = env
    await store.moderate([ids["c"]], SPAM, actor="m")
    got = await store.external_statuses("blog")
    assert got == {"a": A, "b": HOLD, "c": SPAM}
    assert await store.count(QueueFilter(statuses=(SPAM,))) == 1


async def test_the_outbox_of_one_response_newest_first(store_target):
    """What the response view reads for a write-back that failed: that response's rows
    only, newest first, with or without a state filter (both backends)."""
    store = await open_store(store_target)
    try:
        ids = await fill_abc(store)
        await store.enqueue(Action(Capability.HIDE, "blog", "a"), response_id=ids["a"])
        await store.enqueue(Action(Capability.HIDE, "blog", "b"), response_id=ids["b"])
        reply = Action(Capability.REPLY, "blog", "a", text="dank je")
        await store.enqueue(reply, response_id=ids["a"])
        mine = await store.outbox_items(response_id=ids["a"])
        assert [(i.response_id, i.action.capability) for i in mine] == [
            (ids["a"], Capability.REPLY),
            (ids["a"], Capability.HIDE),
        ]
        assert [i.action.text for i in await store.outbox_items(response_id=ids["a"], limit=1)] == [
            "dank je"
        ]
        await store.outbox_fail(mine[0].id, error="blog: cannot reply: comments are closed")
        failed = await store.outbox_items(states=["failed"], response_id=ids["a"])
        assert [(i.id, i.last_error) for i in failed] == [
            (mine[0].id, "blog: cannot reply: comments are closed")
        ]
        assert await store.outbox_items(states=["failed"], response_id=ids["b"]) == []
        assert len(await store.outbox_items()) == 3
    finally:
        await store.close()


@pytest.mark.parametrize("left", ["failed", "conflict", "done", "pending", "cancelled"])
async def test_the_decision_again_sends_a_failed_write_back_again(env, left):
    """A write-back the platform refused (a 403) or that conflicted stayed ``!`` for
    ever: the memory had the decision, so its key pressed again did nothing. Now the key
    of the current decision queues it anew (a new row: the failed one keeps why; the same
    expected status, so the platform is read first and a change there conflicts again),
    journalled by that moderator; a write-back done, pending or undone is left alone."""
    store, ids, _ = env
    [first] = (await store.moderate([ids["b"]], A, actor="m")).outbox_ids
    if left == "failed":
        await store.outbox_fail(first, error="blog: HTTP 403: comments closed")
    elif left == "conflict":
        await store.outbox_fail(first, error="blog: changed on the site", conflict=True)
    elif left == "done":
        await store.outbox_done(first, remote_status=A)
    elif left == "cancelled":
        await store.undo_last(actor="m")
        await store.moderate([ids["b"]], A, actor="m", write_back=False)
    before = await table_counts(store)
    was = (await store.get(ids["b"])).outbox_state
    header = (await store.counts()).outbox_conflicts

    out = await store.moderate([ids["b"]], A, actor="anna")

    row = await store.get(ids["b"])
    if left not in ("failed", "conflict"):
        assert (out.changed, await table_counts(store), row.outbox_state) == (0, before, was)
        return
    [again] = out.outbox_ids
    assert again != first and (was, row.outbox_state) == (left, "pending")
    counts = await store.counts()  # the header's '!' count and its waiting one
    assert (header, counts.outbox_conflicts, counts.outbox_pending) == (1, 0, 1)
    [due] = await store.outbox_due()
    assert (due.id, due.attempts, due.last_error) == (again, 0, None)
    assert due.action.capability is Capability.APPROVE
    assert due.action.expected_status is HOLD  # not forced: what the moderator saw
    kept = {i.id: (i.state.value, i.last_error) for i in await store.outbox_items()}
    assert kept[first][0] == left and kept[first][1]  # the refusal stays on record
    [entry] = await store.journal(ids["b"], limit=1)
    assert (entry.actor, entry.kind, entry.after["retry"]) == (
        who(store, "anna"),
        ActionKind.MODERATE,
        first,
    )
    assert (row.response.remote_status, row.response.triage) == (A, TriageState.HANDLED)
    # Undoing the retry cancels that row only; the decision stays.
    await store.undo_last(actor="anna")
    states = {i.id: i.state.value for i in await store.outbox_items()}
    assert (states[first], states[again]) == (left, "cancelled")
    assert (await store.get(ids["b"])).response.remote_status is A

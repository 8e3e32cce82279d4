"""Reasons stored with decisions, reports counted, the author's pile: on both backends
(issue 16). The store is asserted, not a screen."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from helpers.store import open_store, page, resp, sql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.model import DecisionReason, RemoteStatus, Response
from reactieveld.store.base import QueueFilter
from reactieveld.store.sqlite import SqliteStore

HOLD, TRASH, SPAM = RemoteStatus.HOLD, RemoteStatus.TRASH, RemoteStatus.SPAM


@pytest.fixture
async def env(store_target):
    """Responses a, b, c by Anna (blog; c by e-mail on the forum too), d by Bert."""
    store = await open_store(store_target)
    await store.upsert_page(
        "blog",
        page(
            resp("a", "eerste", minutes=1, email="anna@example.nl"),
            resp("b", "tweede", minutes=2, email="anna@example.nl"),
            resp("d", "van bert", minutes=3, author="Bert"),
        ),
    )
    await store.upsert_page(
        "forum",
        page(resp("c", "op het forum", source="forum", minutes=4, email="anna@example.nl")),
    )
    ids = {}
    for source, ext in (("blog", "a"), ("blog", "b"), ("blog", "d"), ("forum", "c")):
        ids[ext] = (await store.get_by_external(source, ext)).response.id
    yield store, ids
    await store.close()


async def test_a_reason_is_stored_with_every_entry_of_the_decision(env):
    store, ids = env
    why = DecisionReason("insult", None, "Belediging of discriminatie")
    outcome = await store.moderate([ids["a"], ids["b"]], TRASH, actor="anna", reason=why)
    assert outcome.changed == 2
    rows = await sql(
        store,
        "SELECT response_id, kind, reason, reason_text FROM actions ORDER BY id",
    )
    assert sorted(rows) == sorted(
        [(ids["a"], "moderate", "insult", None), (ids["b"], "moderate", "insult", None)]
    )
    # The write-back carries it for a platform with a field (Discourse's "context").
    metas = [json.loads(m) for (m,) in await sql(store, "SELECT meta FROM outbox")]
    assert {m["reason"] for m in metas} == {"insult"}
    assert {m["reason_text"] for m in metas} == {"Belediging of discriminatie"}
    # And the journal read back has it.
    [entry] = await store.journal(ids["a"], limit=1)
    assert (entry.reason, entry.reason_text) == ("insult", None)


async def test_other_keeps_the_moderators_words_and_undo_leaves_them_in_the_journal(env):
    store, ids = env
    why = DecisionReason("other", "Reclame voor een\x00 webshop", "Anders")
    await store.moderate([ids["d"]], HOLD, actor="anna", reason=why)
    outcome = await store.undo_last(actor="anna")
    assert outcome.changed == 1
    rows = await sql(
        store,
        "SELECT kind, reason, reason_text, undoes IS NOT NULL FROM actions "
        "WHERE response_id = ? ORDER BY id",
        (ids["d"],),
    )
    # The decision keeps its reason (the journal is append-only); the undo is its own
    # entry, with no reason of its own, pointing at the decision it takes back.
    assert rows[0][:2] == ("moderate", "other")
    assert rows[0][2].startswith("Reclame voor een") and "webshop" in rows[0][2]
    assert rows[1] == ("undo", None, None, True)
    entries = await store.journal(ids["d"])
    decision = next(e for e in entries if e.kind.value == "moderate")
    assert decision.undone_by is not None
    row = await store.get(ids["d"])
    assert row.response.remote_status is RemoteStatus.APPROVED


async def test_a_decision_without_a_reason_stores_none(env):
    store, ids = env
    await store.moderate([ids["a"]], SPAM, actor="anna")
    assert await sql(store, "SELECT reason, reason_text FROM actions") == [(None, None)]
    [(meta,)] = await sql(store, "SELECT meta FROM outbox")
    assert "reason" not in json.loads(meta or "{}")


#: A decision's reason as recorded: a code, the moderator's own words (odd ones), none.
RECORDED = {
    "insult": DecisionReason("insult", None, "Belediging of discriminatie"),
    "own words": DecisionReason("other", "dubbel\x00 account ééé " + "x" * 150, "Anders"),
    "none": None,
}


async def _retry_reasons(store, rid: int) -> list[tuple]:
    """(reason, reason_text, the outbox row's meta reason, its reason_text) of each of
    the response's decisions, oldest first."""
    rows = await sql(
        store,
        "SELECT a.reason, a.reason_text, o.meta FROM actions a "
        "JOIN outbox o ON o.journal_id = a.id WHERE a.response_id = ? ORDER BY a.id",
        (rid,),
    )
    out = []
    for code, own, meta in rows:
        sent = json.loads(meta or "{}")
        out.append((code, own, sent.get("reason"), sent.get("reason_text")))
    return out


@pytest.mark.parametrize("left", ["failed", "conflict"])
@pytest.mark.parametrize("now", [None, DecisionReason("threat", None, "Bedreiging")])
@pytest.mark.parametrize("recorded", list(RECORDED))
async def test_a_resend_keeps_the_reason_of_the_decision_it_retries(env, recorded, now, left):
    """The decision's key again on a failed or conflicting removal sends it again: the
    app asked for the reason again and the journal took the new answer (or none), while
    the write-back sent the first one, so the journal's retry disagreed with the decision
    it retries. The reason recorded with the decision is kept, in the journal and the new
    outbox row, whatever is given now, at every later resend too; a decision that had
    none takes the one given now (asked once, then kept)."""
    store, ids = env
    first = RECORDED[recorded]
    rid = ids["a"]
    [oid] = (await store.moderate([rid], TRASH, actor="anna", reason=first)).outbox_ids
    await store.outbox_fail(oid, error="blog: HTTP 403", conflict=left == "conflict")
    [again] = (await store.moderate([rid], TRASH, actor="anna", reason=now)).outbox_ids
    await store.outbox_fail(again, error="blog: HTTP 403")
    later = DecisionReason("duplicate", None, "Dubbel")
    await store.moderate([rid], TRASH, actor="anna", reason=later)

    original, *retries = await _retry_reasons(store, rid)
    kept = first or now
    assert retries == [_columns(kept), _columns(kept or later)], original
    if first is not None:  # the new rows are the first one's write-back, reason and all
        assert retries[0] == original


@pytest.mark.parametrize("recorded", list(RECORDED))
async def test_resends_says_which_decisions_go_again_with_which_reason(env, recorded):
    """What the app reads before it asks for a reason: the responses a decision would
    send again, each with the reason it keeps (None: the decision had none)."""
    store, ids = env
    first = RECORDED[recorded]
    [oid] = (await store.moderate([ids["a"]], TRASH, actor="anna", reason=first)).outbox_ids
    await store.moderate([ids["b"]], TRASH, actor="anna", reason=first)  # pending: not again
    assert await store.resends([ids["a"], ids["b"]], TRASH) == {}
    await store.outbox_fail(oid, error="blog: HTTP 403")
    want = {ids["a"]: first and _stored(first)}
    assert await store.resends([ids["a"], ids["b"], ids["d"]], TRASH) == want
    assert await store.resends([ids["a"]], HOLD) == {}  # another decision: a new one


async def test_resends_reads_each_responses_newest_write_back_in_one_statement(env):
    """The app reads the resends before every decision on a selection (up to the pile's
    hundreds): the newest write-back of each response was read with a statement of its
    own. One statement reads them all, and each response's newest row is still the one
    that counts (an older failed row under a newer pending one is not sent again)."""
    store, ids = env
    reasons = {ext: DecisionReason("insult", f"{ext} own", "x") for ext in "abd"}
    for ext in "abd":
        [oid] = (
            await store.moderate([ids[ext]], TRASH, actor="anna", reason=reasons[ext])
        ).outbox_ids
        await store.outbox_fail(oid, error="blog: HTTP 403")
    await store.moderate([ids["b"]], TRASH, actor="anna")  # b's resend: now pending
    statements: list[str] = []
    if isinstance(store, SqliteStore):
        await store._run(lambda db: db.set_trace_callback(statements.append))
    got = await store.resends([ids["a"], ids["b"], ids["c"], ids["d"]], TRASH)
    assert got == {ids[e]: _stored(reasons[e]) for e in "ad"}
    if isinstance(store, SqliteStore):
        await store._run(lambda db: db.set_trace_callback(None))
        assert sum("FROM outbox o" in s for s in statements) == 1, statements


def _columns(reason: DecisionReason | None) -> tuple:
    """What :func:`_retry_reasons` reads of a decision with ``reason``."""
    if reason is None:
        return (None,) * 4
    return (reason.code, _stored(reason).text, reason.code, reason.for_platform())


def _stored(reason: DecisionReason) -> DecisionReason:
    """``reason`` as the journal gives it back (no label; a NUL made U+FFFD)."""
    text = reason.text.replace("\x00", "\ufffd") if reason.text else None
    return DecisionReason(reason.code, text)


async def test_the_authors_pile_spans_sources_by_author_key(env):
    store, ids = env
    row = await store.get(ids["a"])
    pile = await store.author_pending(row)
    assert {r.response.id for r in pile} == {ids["a"], ids["b"], ids["c"]}
    # Handled ones are not pending: after one decision the pile is gone.
    why = DecisionReason("spam", None, "Spam")
    await store.moderate([r.response.id for r in pile], SPAM, actor="anna", reason=why)
    assert await store.author_pending(row) == []
    assert (await store.author_pending(await store.get(ids["d"])))[0].response.id == ids["d"]


async def test_without_an_author_key_the_pile_is_by_name_within_the_source(store_target):
    store = await open_store(store_target)
    try:
        await store.upsert_page("blog", page(resp("x", minutes=1), resp("y", minutes=2)))
        await store.upsert_page("forum", page(resp("z", source="forum", minutes=3)))
        row = await store.get_by_external("blog", "x")
        pile = await store.author_pending(row)
        assert sorted(r.response.external_id for r in pile) == ["x", "y"]
    finally:
        await store.close()


def _reported(ext: str, reports: object, minutes: int) -> Response:
    return replace(resp(ext, minutes=minutes), meta={"reports": reports})


async def test_reports_are_counted_and_queued(env):
    store, ids = env
    await store.upsert_page(
        "blog",
        page(_reported("r1", 2, 10), _reported("r2", 1, 11), _reported("r3", "veel", 12)),
    )
    flt = QueueFilter(triage=None, reported=True)
    rows = await store.queue(flt)
    assert [r.response.external_id for r in rows] == ["r2", "r1"]
    assert [r.response.reports for r in rows] == [1, 2]
    assert await store.count(flt) == 2
    assert (await store.counts()).reported == 2
    # A decision takes it out of the pending count; the report count stays on the row.
    r1 = (await store.get_by_external("blog", "r1")).response.id
    await store.moderate([r1], HOLD, actor="anna")
    assert (await store.counts()).reported == 1
    # The platform no longer reports it (the review item is gone): the count follows.
    await store.upsert_page("blog", page(_reported("r2", 0, 11)))
    assert await store.count(QueueFilter(reported=True)) == 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.one_of(st.integers(-5, 10**6), st.text(max_size=5), st.booleans(), st.none()))
def test_the_report_count_reads_meta_as_the_model_does(tmp_path_factory, value):
    """The derived column and ``Response.reports`` agree for any value a meta may hold."""
    import asyncio

    path = tmp_path_factory.mktemp("rep") / "m.db"

    async def run() -> tuple[int, int]:
        store = await open_store(path)
        try:
            await store.upsert_page("blog", page(_reported("v", value, 1)))
            row = await store.get_by_external("blog", "v")
            [(stored,)] = await sql(store, "SELECT reports FROM responses")
            return stored, row.response.reports
        finally:
            await store.close()

    stored, model = asyncio.run(run())
    assert stored == model

"""A reply is never sent twice (store/writeback.py: the outbox lease and the re-stamp of a
reply a gone worker was sending):

* two programs on one SQLite file (the app's outbox worker and ``reactieveld sync``, or
  two app windows), each its own store and connection, take the due rows in any
  interleaving: each reply reaches the platform once;
* a process that dies while a reply's POST is under way, around a sync round that began
  after the mark and listed the site before the POST arrived: after the restart the reply
  is at the platform once, sent again only when it did not arrive (both backends);
* a program held back between the site's answer and its record until the other took the
  row over: its record changes nothing (the other's lease, its send, its outcome stand).
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import wpreal
from helpers.generated import store_examples
from helpers.store import resp
from hypothesis import given
from hypothesis import strategies as st
from wpreal import applied_once, at_site, served_config, served_fakewp

from reactieveld.connectors.base import ApplyResult
from reactieveld.model import Capability, Page, RemoteStatus, Source
from reactieveld.outbox import SEND_WITHIN, OutboxWorker
from reactieveld.store.copy import copy_store
from reactieveld.store.open import copy_side, open_store
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine, run_sync

_texts = itertools.count()


# -- two programs on one SQLite file -------------------------------------------------------
@pytest.fixture(scope="module")
def wp() -> Iterator[Any]:
    with served_fakewp(12) as fake:
        yield fake


@dataclass
class Program:
    """One program on the file: its own store (connection) and outbox worker, and the
    rows its last ``outbox_due`` gave it, not yet applied."""

    store: SqliteStore
    worker: OutboxWorker
    held: list[Any] = field(default_factory=list)


@pytest.fixture
async def programs(wp: Any, tmp_path: Path, monkeypatch: Any) -> AsyncIterator[list[Program]]:
    config = served_config(wp, tmp_path, monkeypatch)
    path = tmp_path / "m.db"
    stores = [await SqliteStore.open(path), await SqliteStore.open(path)]
    assert await run_sync(config, stores[0], once=True, printer=lambda _: None) == 0
    engines = [SyncEngine.from_config(config, s, fetch_process=False) for s in stores]
    try:
        yield [
            Program(s, OutboxWorker(s, e.connectors)) for s, e in zip(stores, engines, strict=True)
        ]
    finally:
        for e in engines:
            await e.aclose()
        for s in stores:
            await s.close()


@store_examples(15)
@given(
    replies=st.integers(1, 3),
    limits=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    steps=st.lists(st.sampled_from([0, 1]), min_size=2, max_size=10),
)
async def test_two_programs_on_one_file_send_each_reply_once(
    wp: Any, programs: list[Program], replies: int, limits: tuple[int, int], steps: list[int]
) -> None:
    """Each step moves one program on: with nothing in hand it takes the due rows (up to
    its limit), else it applies the next row it took (marks it, POSTs it, records it).
    Whatever the order, and once both have taken what is left: one POST per reply."""
    first = programs[0].store
    open_comments = [
        c for c in wp.comments.values() if c["post"] != len(wp.posts) and c["author"] == 0
    ]
    texts = []
    for target in open_comments[:replies]:
        row = await first.get_by_external("blog", str(target["id"]))
        text = f"Dank voor uw reactie ({next(_texts)})."
        await first.reply(row.response.id, text, actor="moderator")
        texts.append(text)
    posts: list[str] = []
    wp.hook = lambda method, path, q: posts.append(path) if method == "POST" else None
    try:
        for who in steps:
            p = programs[who]
            if p.held:
                await p.worker.apply_one(p.held.pop(0))
            else:
                p.held = await p.store.outbox_due(limit=limits[who])
        for p in programs:  # the rows still in hand, then what either takes from now on
            for item in p.held:
                await p.worker.apply_one(item)
            p.held = []
        for p in programs:
            await p.worker.run_once()
    finally:
        wp.hook = None
    # The platform would refuse a second copy as a duplicate: the POSTs are counted.
    assert len(posts) == len(texts)
    assert [at_site(wp, t) for t in texts] == [1] * len(texts)
    assert await first.outbox_items(states=["pending"]) == []


async def test_a_row_taken_over_after_its_lease_ran_out_is_not_sent_by_the_first(
    wp: Any, programs: list[Program]
) -> None:
    """The first program took a reply and was slow to send it (its lease ran out); the
    second took it over and sent it. The first then comes to it: it is no longer its to
    send, and it does not POST it (one POST)."""
    one, two = programs
    target = next(c for c in wp.comments.values() if c["post"] != len(wp.posts))
    row = await one.store.get_by_external("blog", str(target["id"]))
    await one.store.reply(row.response.id, f"Dank ({next(_texts)}).", actor="moderator")
    [late] = await one.store.outbox_due()
    await lease_runs_out(one.store)
    posts: list[str] = []
    wp.hook = lambda method, path, q: posts.append(path) if method == "POST" else None
    try:
        [taken] = await two.store.outbox_due()
        assert await two.worker.apply_one(taken) == "done"
        assert await one.worker.apply_one(late) == "waiting"
    finally:
        wp.hook = None
    assert len(posts) == 1


@pytest.mark.parametrize("to", [RemoteStatus.SPAM, RemoteStatus.HOLD, RemoteStatus.TRASH])
async def test_a_decision_taken_over_and_undone_is_not_set_again_by_the_first(
    wp: Any, programs: list[Program], to: RemoteStatus
) -> None:
    """The first program took a decision and its lease ran out while it sent the rows
    before it; the second took it over and sent it, then the moderator's undo. The first
    then comes to it: it is no longer its to apply, and the site keeps what the memory
    says (the undo is not undone)."""
    one, two = programs
    target = next(c for c in wp.comments.values() if c["status"] == "approved" and c["author"] == 0)
    row = await one.store.get_by_external("blog", str(target["id"]))
    await one.store.moderate([row.response.id], to, actor="moderator")
    [late] = await one.store.outbox_due()
    await lease_runs_out(one.store)
    [taken] = await two.store.outbox_due()
    assert await two.worker.apply_one(taken) == "done"
    assert target["status"] == to.value
    await one.store.undo_last(actor="moderator")
    assert (await two.worker.run_once()).done == 1
    assert target["status"] == "approved"
    outcome = await one.worker.apply_one(late)
    assert target["status"] == "approved"  # on the code before: set to `to` again
    assert outcome == "waiting"
    now = await one.store.get_by_external("blog", str(target["id"]))
    assert now.response.remote_status is RemoteStatus.APPROVED


#: A store error (a disk error, a full disk) on a reply's mark or a lease's renewal (a
#: change of a row that counts no attempt), gone by the time the worker records it.
_FAILS = (
    "CREATE TEMP TRIGGER store_fails BEFORE UPDATE ON outbox WHEN NEW.attempts = OLD.attempts "
    "BEGIN SELECT RAISE(FAIL, 'disk I/O error'); END"
)


@pytest.mark.parametrize("decision", ["reply", RemoteStatus.SPAM, RemoteStatus.TRASH])
async def test_a_write_back_whose_mark_fails_on_a_store_error_is_sent_at_the_next_pass(
    wp: Any, programs: list[Program], decision: Any
) -> None:
    """A program took a write-back; the store fails as it marks the reply as being sent
    (or renews a decision's lease): nothing was sent. Its next pass sends it, once (before:
    a reply waited for a whole sync round, as one the platform may have; a decision for
    the backoff's delay)."""
    one, two = programs
    text = f"Dank ({next(_texts)})."
    target = await wpreal.write_back_queued(wp, one.store, decision, text)
    [item] = await one.store.outbox_due()
    posts: list[str] = []
    wp.hook = lambda method, path, q: posts.append(path) if method == "POST" else None
    try:
        await one.store.transaction(lambda db: db.execute(_FAILS))
        try:
            assert await one.worker.apply_one(item) == "retry"
        finally:
            await one.store.transaction(lambda db: db.execute("DROP TRIGGER store_fails"))
        assert posts == []
        assert await two.store.outbox_due() == []  # still the first program's
        assert (await one.worker.run_once()).done == 1
    finally:
        wp.hook = None
    assert len(posts) == 1
    assert applied_once(wp, target, decision, text)
    assert await one.store.outbox_items(states=["pending"]) == []


async def test_a_reply_held_back_past_its_lease_is_not_sent_after_the_other_sent_it(
    wp: Any, programs: list[Program], tmp_path: Path, monkeypatch: Any
) -> None:
    """Two programs on one file: the first marked a reply as being sent and its POST is
    held back before it leaves (the process stopped, all its connections to the site
    busy) until its lease ran out; the second takes it over and, after a sync round begun
    after, sends it. The first one's POST must then not leave (before: a second copy)."""
    one, two = programs
    text = f"Dank ({next(_texts)})."
    await wpreal.write_back_queued(wp, one.store, "reply", text)
    [item] = await one.store.outbox_due()
    busy = wpreal.held_back(one.worker)
    posts: list[str] = []
    wp.hook = lambda method, path, q: posts.append(path) if method == "POST" else None
    sending = asyncio.create_task(one.worker.apply_one(item))
    try:
        while (await two.store.outbox_items(states=["pending"]))[0].awaits_round is None:
            assert not sending.done(), sending.result()  # marked, then held back
        await lease_runs_out(two.store)
        config = served_config(wp, tmp_path, monkeypatch)
        assert [i.id for i in await two.store.outbox_due()] == [item.id]
        assert await run_sync(config, two.store, once=True, printer=lambda _: None) == 0
        assert len(posts) == 1
    finally:
        busy.release()
        outcome = await sending
        wp.hook = None
    assert outcome == "waiting"
    assert len(posts) == 1 and at_site(wp, text) == 1
    assert await one.store.outbox_items(states=["pending"]) == []


@pytest.mark.parametrize("decision", ["reply", RemoteStatus.SPAM])
async def test_a_program_stopped_just_after_its_mark_sends_nothing_late(
    wp: Any, programs: list[Program], monkeypatch: Any, decision: Any
) -> None:
    """A program's mark (a reply's, or a decision's lease renewed) is committed, and the
    program stops before its next line runs (the machine asleep while the answer of the
    store was on its way) for longer than its request may take to leave: the request must
    not leave (its lease may have run out; another program may send the row). Before: the
    time to leave by was counted from after the mark returned, so the stop did not count
    and the POST left."""
    one, _ = programs
    text = f"Dank ({next(_texts)})."
    await wpreal.write_back_queued(wp, one.store, decision, text)
    [item] = await one.store.outbox_due()
    name = "outbox_sending" if decision == "reply" else "outbox_hold"
    mark = getattr(one.store, name)
    real = time.time

    async def mark_then_stop(*args: Any, **kwargs: Any) -> Any:
        done = await mark(*args, **kwargs)
        monkeypatch.setattr(time, "time", lambda: real() + SEND_WITHIN + 1)
        return done

    monkeypatch.setattr(one.store, name, mark_then_stop)
    posts: list[str] = []
    wp.hook = lambda method, path, q: posts.append(path) if method == "POST" else None
    try:
        assert await one.worker.apply_one(item) == "retry"  # still its own: tried again
    finally:
        wp.hook = None
    assert posts == []


@pytest.mark.parametrize("decision", ["reply", RemoteStatus.SPAM])
async def test_a_request_whose_waits_ran_past_its_time_is_tried_again_later_and_said(
    wp: Any, programs: list[Program], monkeypatch: Any, decision: Any
) -> None:
    """The site answers every POST 429 with Retry-After 120 s: the client waits as asked,
    three times, and its fourth attempt may no longer leave (past SEND_WITHIN). The row is
    still this program's: it is recorded as a retry (after the backoff, its error said; a
    reply waits for a round, as one the platform may have). Before: nothing was recorded,
    the row was due again at the next poll, tried every few minutes for ever without a
    word, its attempts never counted."""
    one, two = programs
    text = f"Dank ({next(_texts)})."
    await wpreal.write_back_queued(wp, one.store, decision, text)
    [item] = await one.store.outbox_due()
    real, slept = time.time, [0.0]

    async def wait(seconds: float) -> None:  # the client's wait, as the clock sees it
        slept[0] += seconds
        monkeypatch.setattr(time, "time", lambda: real() + slept[0])

    monkeypatch.setattr(one.worker.connectors["blog"].client, "sleep", wait)  # type: ignore[attr-defined]
    handle, posts = wp.handle, []

    def busy(method: str, path: str, *rest: Any) -> Any:
        if method != "POST":
            return handle(method, path, *rest)
        posts.append(path)
        return 429, {"code": "busy", "message": "later", "data": {}}, {"Retry-After": "120"}

    wp.handle = busy
    try:
        assert await one.worker.apply_one(item) == "retry"
    finally:
        del wp.handle
    assert len(posts) == 3 and slept[0] == 360
    [row] = await one.store.outbox_items(states=["pending"])
    assert row.attempts == 1 and row.last_error and "not sent" in row.last_error
    assert row.next_attempt_at is not None and row.next_attempt_at > datetime.now(UTC)
    assert (row.awaits_round is not None) == (decision == "reply")
    assert await two.store.outbox_due() == []  # not due at once, to anyone


#: The site's answer to the first program's request (None: it is applied) -> the record
#: the first program makes of it.
ANSWERS = {None: "outbox_done", 503: "outbox_retry", 403: "outbox_fail"}


async def lease_row(store: Any, item_id: int) -> tuple[Any, ...]:
    """An outbox row as a program holds it: its lease, and what its outcome records."""
    return tuple(
        await store.transaction(
            lambda db: db.execute(
                "SELECT state, attempts, last_error, next_attempt_at, awaits_round, leased_by, "
                "lease_until FROM outbox WHERE id = ?",
                (item_id,),
            ).fetchone()
        )
    )


@pytest.mark.parametrize("answer", list(ANSWERS))
@pytest.mark.parametrize("decision", ["reply", RemoteStatus.SPAM])
async def test_an_answer_recorded_after_the_other_took_the_row_over_changes_nothing(
    wp: Any, programs: list[Program], tmp_path: Path, monkeypatch: Any, decision: Any, answer: Any
) -> None:
    """Two programs on one file: the first sent a write-back, and between the site's
    answer (applied, a server error, a refusal) and its record the first was held back (its
    process stopped, its machine asleep) until its lease ran out and the second took the
    row over. The first's record must change nothing: the row stays as the second took
    it; the second sends it once (a reply after a sync round begun after, which finds it
    at the site when the first's POST arrived) and the row ends with its outcome (before:
    the first's retry or failure ended the second's lease and set the row back or gave it
    up, so it was not sent; its done ended the lease of a row the second was applying)."""
    one, two = programs
    text = f"Dank ({next(_texts)})."
    target = await wpreal.write_back_queued(wp, one.store, decision, text)
    [item] = await one.store.outbox_due()
    taken: list[tuple[Any, ...]] = []

    async def take_over() -> None:
        await lease_runs_out(two.store)
        assert [i.id for i in await two.store.outbox_due()] == [item.id]
        taken.append(await lease_row(two.store, item.id))

    made = wpreal.taken_over_before_recording(one.store, take_over)
    with wpreal.first_post_answered(wp, answer):
        assert await one.worker.apply_one(item) == "waiting"
    assert made == [ANSWERS[answer]]
    assert await lease_row(two.store, item.id) == taken[0]
    posts: list[str] = []
    wp.hook = lambda method, path, q: posts.append(path) if method == "POST" else None
    try:
        if decision == "reply":
            config = served_config(wp, tmp_path, monkeypatch)
            assert await run_sync(config, two.store, once=True, printer=lambda _: None) == 0
        else:
            assert (await two.worker.run_once()).done == 1
    finally:
        wp.hook = None
    # Once at the site: the second sends it only when the first's request was not applied.
    assert len(posts) == (0 if answer is None else 1)
    assert applied_once(wp, target, decision, text)
    [row] = await two.store.outbox_items(response_id=item.response_id)
    # The second's outcome alone: its one attempt (none: the round found the reply).
    attempts = 0 if decision == "reply" and answer is None else 1
    assert (row.state.value, row.attempts, row.last_error) == ("done", attempts, None)


@pytest.mark.parametrize("decision", ["reply", RemoteStatus.SPAM, RemoteStatus.HOLD])
async def test_a_poll_while_another_program_writes_long_says_nothing(
    tmp_path: Path, decision: Any
) -> None:
    """The app's worker polls while ``reactieveld sync`` (another program on the file)
    holds the write lock past the busy timeout: nothing is taken and nothing is said
    (the rows wait, as they did when the poll was a read); once the lock is gone the
    next poll sends the row."""
    path = tmp_path / "m.db"
    store = await SqliteStore.open(path)
    try:
        site = await _pending_on_a_busy_file(store, decision)
        said: list[str] = []
        worker = OutboxWorker(store, {"blog": site}, on_event=said.append)
        other = sqlite3.connect(path, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # the other program's long write
            run = await worker.run_once()
            assert (run.attempted, said) == (0, [])
            other.execute("COMMIT")
        finally:
            other.close()
        assert (await worker.run_once()).done == 1
        assert said == []
    finally:
        await store.close()


@pytest.mark.parametrize(
    "decision", ["reply", RemoteStatus.SPAM, RemoteStatus.HOLD, RemoteStatus.TRASH]
)
async def test_a_row_taken_before_another_program_writes_long_waits_unsaid(
    tmp_path: Path, decision: Any
) -> None:
    """The rows are taken; then ``reactieveld sync`` (another program on the file) holds
    the write lock past the busy timeout while the batch is sent: the lease renewed just
    before a row is applied (or a reply's mark) cannot be written. The row is not sent
    and nothing is said (not a 'retry' with the file's error, not stored on the row);
    once the lock is gone the next poll sends it, once."""
    path = tmp_path / "m.db"
    store = await SqliteStore.open(path)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        site = await _pending_on_a_busy_file(store, decision)
        said: list[str] = []
        worker = OutboxWorker(store, {"blog": site}, on_event=said.append, say=("retry",))
        due, lock = store.outbox_due, ["BEGIN IMMEDIATE"]  # the other program's long write

        async def taken_then_locked(**kw: Any) -> Any:
            items = await due(**kw)
            if items and lock:
                other.execute(lock.pop())
            return items

        store.outbox_due = taken_then_locked  # type: ignore[method-assign]
        run = await worker.run_once()
        assert (run.attempted, run.retry, said, site.posts) == (0, 0, [], 0)
        other.execute("COMMIT")
        (item,) = await store.outbox_items(states=["pending"])
        assert (item.attempts, item.last_error) == (0, None)
        assert (await worker.run_once()).done == 1
        assert (said, site.posts) == ([], 1)
    finally:
        other.close()
        await store.close()


async def _pending_on_a_busy_file(store: Any, decision: Any) -> Platform:
    """A pending write-back (``reply`` or a status) on a file whose busy timeout is short
    (another program's long write is felt at once); the site that answers at once."""
    if decision == "reply":
        await _pending_reply(store)
    else:
        await _pending_decision(store, decision)
    await store.transaction(lambda db: db.execute("PRAGMA busy_timeout = 100"))
    site = Platform("blog")
    site.hangs = False
    site.capabilities = frozenset(Capability)
    return site


async def _pending_decision(store: Any, status: RemoteStatus) -> None:
    await store.ensure_source(Source("blog", "wordpress"))
    await store.upsert_page("blog", Page([resp("c1")]))
    row = await store.get_by_external("blog", "c1")
    await store.moderate([row.response.id], status, actor="moderator")


async def test_a_read_only_store_takes_no_row(programs: list[Program], tmp_path: Path) -> None:
    """A reader (``--read-only``, a file it cannot write) leases nothing: the writer's
    worker still has every due row."""
    store = programs[0].store
    row = await store.get_by_external("blog", "1")
    await store.reply(row.response.id, "Dank.", actor="moderator")
    reader = await SqliteStore.open(tmp_path / "m.db", read_only=True)
    try:
        assert await reader.outbox_due() == []
    finally:
        await reader.close()
    [item] = await programs[1].store.outbox_due()
    assert item.action.text == "Dank."


# -- a crash during a reply's POST ---------------------------------------------------------
TEXT = "Dank voor uw reactie, we nemen het mee."


class Platform:
    """The site: whether it has the reply and how many POSTs of it arrived. The dying
    process's POST hangs (the test says when it arrives, and the process dies before it
    hears an answer); after the restart a POST arrives and is answered at once."""

    capabilities = frozenset({Capability.REPLY})
    unsupported_reasons: dict[Capability, str] = {}

    def __init__(self, name: str) -> None:
        self.name = name
        self.posts = 0
        self.hangs = True
        self.sending = asyncio.Event()

    async def apply(self, action: Any) -> ApplyResult:
        if self.hangs:
            self.sending.set()
            await asyncio.Event().wait()  # no answer before the process dies
        self.posts += 1
        return ApplyResult(external_id=f"{self.name}-reply")

    async def aclose(self) -> None:
        pass


@st.composite
def crash_windows(draw: st.DrawFn) -> list[str]:
    """The dying worker's steps (its mark before the POST; the POST arriving at the site,
    before the crash or not at all; the crash) interleaved with one sync round's (its
    begin, its listing of the site, its good end)."""
    worker = ["mark", *draw(st.sampled_from([["arrive", "crash"], ["crash"]]))]
    sync = ["begin", "list", "end"]
    picks = draw(st.permutations([0] * len(worker) + [1] * len(sync)))
    steps = (iter(worker), iter(sync))
    return [next(steps[i]) for i in picks]


async def lease_runs_out(store: Any) -> None:
    """The dead process's lease has run out (its ten minutes moved back, not waited for)."""
    if isinstance(store, SqliteStore):

        def fn(db: Any) -> None:
            if any(r[1] == "lease_until" for r in db.execute("PRAGMA table_info(outbox)")):
                db.execute("UPDATE outbox SET lease_until = 0")

        await store.transaction(fn)
    else:
        await store._write(lambda c: c.execute("UPDATE outbox SET lease_until = 0"))


@dataclass
class Round:
    """A sync round of the ``sync`` process (its own store): its number, what it listed."""

    number: int | None = None
    listed: bool = False


_names = itertools.count()


@pytest.fixture
async def sync_store(store_target: str) -> AsyncIterator[Any]:
    store = await open_store(store_target)
    yield store
    await store.close()


@store_examples(25)
@given(order=crash_windows())
async def test_a_reply_whose_process_died_while_posting_arrives_once(
    sync_store: Any, store_target: str, order: list[str]
) -> None:
    name = f"s{next(_names)}"
    await sync_store.ensure_source(Source(name, "wordpress"))
    await sync_store.upsert_page(name, Page([resp("c1", source=name)]))
    row = await sync_store.get_by_external(name, "c1")
    await sync_store.reply(row.response.id, TEXT, actor="moderator")
    site = Platform(name)
    has_reply = False
    copy = resp(f"{name}-reply", TEXT, source=name, parent="c1", author="Gemeente")
    dying = await open_store(store_target)
    task: asyncio.Task[str] | None = None
    rnd = Round()

    async def list_site(r: Round) -> None:
        r.listed = has_reply
        if has_reply:  # the round stores the platform's copy it found
            await sync_store.upsert_page(name, Page([copy]))

    try:
        for step in order:
            if step == "mark":
                [item] = await dying.outbox_due()
                task = asyncio.create_task(OutboxWorker(dying, {name: site}).apply_one(item))
                await site.sending.wait()  # marked as being sent, the POST under way
            elif step == "arrive":  # the POST reaches the site; no answer yet
                site.posts += 1
                has_reply = True
            elif step == "crash":
                assert task is not None
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
            elif step == "begin":
                rnd.number, _ = await sync_store.begin_round(name)
            elif step == "list":
                await list_site(rnd)
            elif step == "end":
                await sync_store.record_sync(name, error=None, round_no=rnd.number)
    finally:
        await dying.close()
    # The restart: another process (the dead one's lease ran out), then each run a
    # process of its own (``sync --once`` from cron): its outbox, then a sync round.
    await lease_runs_out(sync_store)
    site.hangs = False
    for _ in range(3):
        restarted = await open_store(store_target)
        try:
            await OutboxWorker(restarted, {name: site}).run_once()
        finally:
            await restarted.close()
        has_reply = has_reply or site.posts > 0
        later = Round()
        later.number, _ = await sync_store.begin_round(name)
        await list_site(later)
        await sync_store.record_sync(name, error=None, round_no=later.number)
    assert site.posts == 1, order  # at the platform once: not lost, not twice
    [done] = await sync_store.outbox_items(response_id=row.response.id)
    assert done.state.value == "done"


# -- store copy ------------------------------------------------------------------------
async def test_a_copied_memory_takes_its_rows_at_once_and_a_reply_being_sent_waits(
    tmp_path: Path, pg_url: str
) -> None:
    """``store copy`` both ways: the lease's end is process state, not copied, so the
    copy's worker takes every row at once (none stays leased to a process of the source
    for ten minutes); who held it is, so a reply that was being sent (its round begun
    after the mark ended well) waits for a round begun after the copy is used."""
    a = await SqliteStore.open(tmp_path / "a.db")
    pg = await open_store(pg_url)
    b = await SqliteStore.open(tmp_path / "b.db")
    try:
        await a.ensure_source(Source("blog", "wordpress"))
        await a.upsert_page("blog", Page([resp("c1")]))
        row = await a.get_by_external("blog", "c1")
        await a.reply(row.response.id, TEXT, actor="moderator")
        [item] = await a.outbox_due()
        await a.outbox_sending(item.id, note="being sent", at=item.created_at)  # then dies
        number, _ = await a.begin_round("blog")  # begun after the mark: it says nothing
        await a.record_sync("blog", error=None, round_no=number)
        for source, target in ((a, pg), (pg, b)):
            await copy_store(copy_side(source), copy_side(target))
            [taken] = await target.outbox_due()
            assert taken.id == item.id and taken.awaits_round == number
            assert (
                await OutboxWorker(target, {"blog": Platform("blog")}).apply_one(taken) == "waiting"
            )
    finally:
        await b.close()
        await pg.close()
        await a.close()


# -- who is gone, whose clock ----------------------------------------------------------
#: A program in a PID namespace of its own (a container, a Flatpak) on this machine, whose
#: process id is none of this namespace's: it takes the due rows, says how many, and holds
#: them until its input ends.
_NAMESPACED = """
import asyncio, os, sys
from reactieveld.store.sqlite import SqliteStore
while str(os.getpid()) in os.listdir("/proc"):  # the outer namespace's ids
    child = os.fork()
    if child:
        os._exit(os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]))

async def main():
    store = await SqliteStore.open(sys.argv[1])
    print(len(await store.outbox_due()), flush=True)
    sys.stdin.read()
    await store.close()

asyncio.run(main())
"""


async def _pending_reply(store: Any) -> None:
    await store.ensure_source(Source("blog", "wordpress"))
    await store.upsert_page("blog", Page([resp("c1")]))
    row = await store.get_by_external("blog", "c1")
    await store.reply(row.response.id, TEXT, actor="moderator")


def _unshare() -> list[str]:
    tool = shutil.which("unshare")
    if tool is None or subprocess.run([tool, "-Urpf", "true"], check=False).returncode:
        pytest.skip("no unshare: a PID namespace cannot be made here")
    return [tool, "-Urpf"]


async def test_a_live_holder_of_another_pid_namespace_keeps_its_rows(tmp_path: Path) -> None:
    """The app in a container (or a Flatpak) and ``reactieveld sync`` on the desktop, one
    file, one machine name: the app's process id means nothing outside its namespace, so
    its rows are not taken as a gone process's while it runs (it may be sending one)."""
    path = tmp_path / "m.db"
    store = await SqliteStore.open(path)
    try:
        await _pending_reply(store)
        with subprocess.Popen(
            [*_unshare(), sys.executable, "-c", _NAMESPACED, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        ) as other:
            assert other.stdout is not None and other.stdin is not None
            try:
                assert other.stdout.readline().strip() == "1"  # it holds the reply
                assert await store.outbox_due() == []
            finally:
                other.stdin.close()
            assert other.wait() == 0
    finally:
        await store.close()


@pytest.mark.parametrize("ahead", [11 * 60, 3 * 3600])
async def test_a_team_member_whose_clock_runs_ahead_takes_no_held_row(
    pg_url: str, monkeypatch: Any, ahead: int
) -> None:
    """Two machines on a team memory, one's clock minutes or hours ahead: the leases run by
    the server's clock, so the one ahead does not take the rows the other holds (nor a
    reply it is sending)."""
    from reactieveld.store.pg import writeback as pg_writeback

    one = await open_store(pg_url)
    two = await open_store(pg_url)
    try:
        await _pending_reply(one)
        [item] = await one.outbox_due()
        ahead_clock = pg_writeback.utcnow() + timedelta(seconds=ahead)
        monkeypatch.setattr(pg_writeback, "utcnow", lambda: ahead_clock)
        assert await two.outbox_due() == []
        assert await two.outbox_sending(item.id, note="being sent", at=ahead_clock) is False
        monkeypatch.undo()
        assert await one.outbox_sending(item.id, note="being sent", at=item.created_at)
    finally:
        await two.close()
        await one.close()


async def test_a_decision_waits_for_an_earlier_one_of_its_comment_being_retried(
    wp: Any, programs: list[Program]
) -> None:
    """Spam, its request lost (retried after a backoff, as the worker records it), then
    hold: the hold is applied after the spam, not before it (the spam, arriving last,
    would leave the comment in the spam against the moderator's last decision)."""
    store, worker = programs[0].store, programs[0].worker
    target = next(
        c
        for c in wp.comments.values()
        if c["post"] != len(wp.posts) and c["author"] == 0 and c["status"] == "approved"
    )
    rid = (await store.get_by_external("blog", str(target["id"]))).response.id
    await store.moderate([rid], RemoteStatus.SPAM, actor="moderator")
    [spam] = await store.outbox_due()
    later = datetime.now(UTC) + timedelta(hours=1)
    await store.outbox_retry(spam.id, error="blog: no answer", next_attempt_at=later)
    await store.moderate([rid], RemoteStatus.HOLD, actor="moderator")
    await worker.run_once()  # the hold waits: the spam is not due yet
    while due := await store.outbox_due(now=later):
        for item in due:
            assert await worker.apply_one(item) == "done"
    assert wp.by_status()[str(target["id"])] == "hold"
    assert await store.outbox_items(states=["pending", "conflict"]) == []


def test_a_poll_asks_the_system_where_it_runs_once(monkeypatch: Any) -> None:
    """Whether a holder is gone is asked on every poll that finds a held row: where this
    process runs (the machine, its boot, its PID namespace) is read once, not each time."""
    from reactieveld.store import writeback

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    holder = writeback.local_holder().rsplit("/", 2)[0] + f"/{dead}/0"
    assert writeback.holder_gone(holder)

    def no_read(*_a: Any, **_k: Any) -> Any:
        raise OSError("read again")

    monkeypatch.setattr(writeback.os, "readlink", no_read)
    monkeypatch.setattr("builtins.open", no_read)
    assert writeback.holder_gone(holder)

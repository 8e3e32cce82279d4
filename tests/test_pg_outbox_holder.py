"""A team's write-back is not held ten minutes by a program that stopped (PostgreSQL: the
holder lock of store/pg/locks.py, the rule ``HOLDER_GONE`` of store/pg/writeback.py):

* a holder process that is SIGKILLed (the team's ``reactieveld sync`` service killed, a
  laptop closed): the next store takes its rows at once, but the reply it was sending
  (it may have arrived: it keeps its lease and then waits for a round);
* a live holder's rows are not taken, also while its lock's connection is idle;
* a holder whose session is ended (``pg_terminate_backend``) while its process lives and
  goes on: whatever the order of its steps, another program's and a sync round's, each
  reply is POSTed to the served WordPress once; also when its session ends after the
  POST's answer, before it is recorded;
* a mark that fails on a store error: nothing sent, sent at the next pass;
* a holder whose POST is held back past its lease (its process stopped, its machine
  asleep) while another takes the row over and sends it: its POST does not leave;
* a holder held back between the site's answer and its record while another takes the
  row over: its record (done, retry, failure) changes nothing, the other's outcome stands.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from helpers.generated import store_examples
from helpers.relay import MuteRelay
from helpers.store import resp
from hypothesis import example, given
from hypothesis import strategies as st
from wpreal import (
    applied_once,
    at_site,
    first_post_answered,
    held_back,
    served_config,
    served_fakewp,
    taken_over_before_recording,
    write_back_queued,
)

from reactieveld.model import Page, RemoteStatus, Source
from reactieveld.outbox import OutboxWorker
from reactieveld.store.base import StoreError
from reactieveld.store.open import open_store
from reactieveld.sync import SyncEngine, run_sync

#: A program that takes the due rows, marks the first as being sent (its POST under way)
#: when asked, says how many it took, and holds them until it is killed.
_HOLDER = """
import asyncio, sys
from reactieveld.store.open import open_store

async def main():
    store = await open_store(sys.argv[1])
    taken = await store.outbox_due()
    if sys.argv[2] == "mark":
        await store.outbox_sending(taken[0].id, note="being sent", at=taken[0].created_at)
    print(len(taken), flush=True)
    sys.stdin.read()

asyncio.run(main())
"""


async def _taken_within(store: Any, seconds: float) -> tuple[list[Any], float]:
    """What ``store.outbox_due`` takes first, and after how many seconds (it asks again at
    once until it takes something: what is measured is the server ending the session)."""
    started = time.monotonic()
    while not (taken := await store.outbox_due()):
        assert time.monotonic() - started < seconds, f"nothing taken in {seconds} s"
    return taken, time.monotonic() - started


async def test_a_killed_holders_rows_are_taken_at_once_but_the_reply_it_was_sending(
    pg_url: str,
) -> None:
    store = await open_store(pg_url)
    try:
        await store.ensure_source(Source("blog", "wordpress"))
        await store.upsert_page("blog", Page([resp(f"c{i}") for i in range(3)]))
        for i in range(3):
            row = await store.get_by_external("blog", f"c{i}")
            await store.reply(row.response.id, f"Dank u ({i}).", actor="moderator")
        with subprocess.Popen(
            [sys.executable, "-c", _HOLDER, pg_url, "mark"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        ) as holder:
            try:
                assert holder.stdout is not None
                assert holder.stdout.readline().strip() == "3"
                # It lives, idle (its lock's connection too): none of its rows is taken.
                assert await store.outbox_due() == []
                holder.send_signal(signal.SIGKILL)
                assert holder.wait(30) == -signal.SIGKILL
                taken, waited = await _taken_within(store, 10)
            finally:
                holder.kill()
        rows = await store.outbox_items(states=["pending"])
        # The two it had not begun to send, at once (before: after the ten minutes of
        # the lease); the one it was sending keeps its lease: its POST may have been
        # under way (its process could have lived on without its session).
        assert len(taken) == 2 and waited < 5, waited
        assert {i.id for i in taken} == {r.id for r in rows if r.awaits_round is None}
        assert len([r for r in rows if r.awaits_round is not None]) == 1
        print(f"taken {waited * 1000:.0f} ms after the kill")
    finally:
        await store.close()


# -- a holder whose session ended while its process lives ------------------------------
@pytest.fixture(scope="module")
def wp() -> Iterator[Any]:
    with served_fakewp(12) as fake:
        yield fake


class Gate:
    """The site's hook: counts the reply POSTs, and holds the one it is armed for (the
    POST under way) until released; its after-hook loses the answer to the next POST
    once ``lose`` is set (the reply arrived, its program cannot tell)."""

    def __init__(self) -> None:
        self.posts: list[str] = []
        self.armed = False
        self.reached = threading.Event()
        self.release = threading.Event()
        self.lose = False

    def after(self, method: str, _path: str, _q: dict[str, str]) -> None:
        if method == "POST" and self.lose:
            self.lose = False
            raise ConnectionResetError("the answer is lost")

    def hook(self, method: str, path: str, _q: dict[str, str]) -> None:
        if method != "POST":
            return
        self.posts.append(path)
        if self.armed:
            self.armed = False
            self.reached.set()
            self.release.wait(60)


@dataclass
class Program:
    store: Any
    worker: OutboxWorker
    held: list[Any] = field(default_factory=list)
    sending: asyncio.Task[str] | None = None


@dataclass
class Team:
    cut: Program  # its holder's session is ended (``cut``): the process goes on
    other: Program
    syncing: Any  # a third program's store: the sync service (its rounds and outbox)
    config: Any


@pytest.fixture
async def team(wp: Any, tmp_path: Path, monkeypatch: Any, pg_url: str) -> AsyncIterator[Team]:
    config = served_config(wp, tmp_path, monkeypatch)
    stores = [await open_store(pg_url) for _ in range(3)]
    assert await run_sync(config, stores[2], once=True, printer=lambda _: None) == 0
    engines = [SyncEngine.from_config(config, s, fetch_process=False) for s in stores[:2]]
    try:
        programs = [
            Program(s, OutboxWorker(s, e.connectors))
            for s, e in zip(stores[:2], engines, strict=True)
        ]
        yield Team(programs[0], programs[1], stores[2], config)
    finally:
        for e in engines:
            await e.aclose()
        for s in stores:
            await s.close()


_texts = itertools.count()

#: The steps: ``a``/``b``: the program takes the due rows when it has none in hand, else
#: applies the next (``a``'s POST then stays under way until ``arrive``); ``cut``: a's
#: holder session is ended; ``sync``: a round of the sync service, then its outbox;
#: ``lose``: the answer to the next POST is lost (it arrived: a round shows it).
STEPS = ["a", "b", "cut", "sync", "arrive", "lose"]


#: The generated tests' settings: a few examples, each a handful of round trips.
_SOME_ORDERS = store_examples(10)


@_SOME_ORDERS
@given(steps=st.lists(st.sampled_from(STEPS), min_size=3, max_size=9))
@example(steps=["a", "a", "cut", "b", "sync", "b", "b", "arrive"])
@example(steps=["a", "cut", "b", "b", "a", "a", "sync"])
@example(steps=["a", "cut", "b", "lose", "b", "a", "arrive"])
async def test_a_holder_whose_session_ended_while_it_lives_posts_no_reply_twice(
    wp: Any, team: Team, steps: list[str]
) -> None:
    a, b = team.cut, team.other
    texts = []
    open_comments = [
        c for c in wp.comments.values() if c["post"] != len(wp.posts) and c["author"] == 0
    ]
    for target in open_comments[:2]:
        row = await b.store.get_by_external("blog", str(target["id"]))
        text = f"Dank voor uw reactie ({next(_texts)})."
        await b.store.reply(row.response.id, text, actor="moderator")
        texts.append(text)
    with _gated(wp) as gate:
        for step in steps:
            await _move(team, gate, step)
        await _settle(a, b, gate)  # no lease ran out
        if "lose" in steps:  # a reply whose answer was lost waits for a round
            await run_sync(team.config, team.syncing, once=True, printer=lambda _: None)
            await _settle(a, b, gate)
    assert len(gate.posts) == len(texts), steps
    assert [at_site(wp, t) for t in texts] == [1] * len(texts)
    assert await b.store.outbox_items(states=["pending"]) == []


async def _move(team: Team, gate: Gate, step: str) -> None:
    """One of :data:`STEPS`."""
    a, b = team.cut, team.other
    if step == "a" and a.sending is None:
        await _step_a(a, gate)
    elif step == "b":
        if b.held:
            await b.worker.apply_one(b.held.pop(0))
        else:
            b.held = await b.store.outbox_due(limit=2)
    elif step == "cut":
        await _end_session(a.store, b.store)
    elif step == "sync":
        await run_sync(team.config, team.syncing, once=True, printer=lambda _: None)
    elif step == "arrive":
        await _arrive(a, gate)
    elif step == "lose":
        gate.lose = True


async def _settle(a: Program, b: Program, gate: Gate) -> None:
    """``a``'s request under way arrives; each applies the rows still in hand, then what
    either takes from now on (what one's outcome queues or lets go, the other's too)."""
    await _arrive(a, gate)
    for p in (a, b):
        for item in p.held:
            await p.worker.apply_one(item)
        p.held = []
    for p in (a, b, a):
        await p.worker.run_once()


async def _step_a(a: Program, gate: Gate) -> None:
    """``a`` takes the due rows, or begins to apply the next: its POST stays under way."""
    if not a.held:
        a.held = await a.store.outbox_due(limit=2)
        return
    gate.armed, gate.reached, gate.release = True, threading.Event(), threading.Event()
    task = asyncio.create_task(a.worker.apply_one(a.held.pop(0)))
    reached = asyncio.ensure_future(asyncio.to_thread(gate.reached.wait, 30))
    await asyncio.wait({task, reached}, return_when=asyncio.FIRST_COMPLETED)
    if gate.reached.is_set():
        a.sending = task
    else:  # not sent (another took it): nothing under way
        gate.armed = False
        gate.reached.set()
        await task
    await reached


async def _arrive(a: Program, gate: Gate) -> None:
    """``a``'s POST under way arrives at the site, and ``a`` records its answer."""
    if a.sending is not None:
        gate.release.set()
        await a.sending
        a.sending = None


async def _end_session(store: Any, by: Any) -> None:
    """End the session holding ``store``'s holder lock (as an administrator or a dropped
    network would), and wait until the server has ended it."""
    conn = store._holder_conn
    if conn is None or conn.is_closed():
        return
    pid = conn.get_server_pid()
    await by._read(lambda c: c.fetchval("SELECT pg_terminate_backend($1)", pid))
    deadline = time.monotonic() + 10
    while await by._read(
        lambda c: c.fetchval("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid)
    ):
        assert time.monotonic() < deadline, "the session did not end"


@contextlib.contextmanager
def _gated(wp: Any) -> Iterator[Gate]:
    """The site's requests counted (and one held when armed) through a :class:`Gate`; a
    request held is let go at the end."""
    gate = Gate()
    wp.hook, wp.after_hook = gate.hook, gate.after
    try:
        yield gate
    finally:
        gate.release.set()
        wp.hook = wp.after_hook = None


async def _spam_an_approved_comment(wp: Any, store: Any) -> tuple[dict[str, Any], int]:
    """The moderator's decision to put an approved comment (of a post open to comments) in
    the spam: the comment, and its response's id."""
    target = next(
        c
        for c in reversed(wp.comments.values())
        if c["post"] != len(wp.posts) and c["author"] == 0 and c["status"] == "approved"
    )
    row = await store.get_by_external("blog", str(target["id"]))
    await store.moderate([row.response.id], RemoteStatus.SPAM, actor="moderator")
    return target, row.response.id


async def test_a_decision_under_way_when_its_holders_session_ended_never_lands_after_its_undo(
    wp: Any, team: Team
) -> None:
    """``a`` applies a decision (spam), its POST under way, when its holder's session is
    ended (its process lives). ``b`` must not take that row at once: it would apply it
    too, the moderator's undo would be applied after that, and ``a``'s POST, arriving
    last, would put the comment back in the spam the moderator took it out of."""
    a, b = team.cut, team.other
    target, rid = await _spam_an_approved_comment(wp, b.store)
    with _gated(wp) as gate:
        a.held = await a.store.outbox_due()
        assert len(a.held) == 1
        await _step_a(a, gate)  # its POST (spam) under way
        assert a.sending is not None
        await _end_session(a.store, b.store)
        for item in await b.store.outbox_due():
            assert await b.worker.apply_one(item) == "done"
        await b.store.undo_last(actor="moderator")  # back to approved, the newest decision
        await b.worker.run_once()
        await _settle(a, b, gate)
    assert wp.by_status()[str(target["id"])] == "approved", gate.posts
    assert await b.store.outbox_items(states=["pending"]) == []


async def _holder_sessions(store: Any) -> int:
    """The sessions of this database holding an outbox holder's lock (locks.py)."""
    return int(
        await store._read(
            lambda c: c.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND application_name = 'reactieveld outbox'"
            )
        )
    )


async def test_a_closed_store_leaves_no_holder_lock_behind(pg_url: str) -> None:
    """A store closed while its outbox pass is under way (the app quitting mid-send): the
    pass's next look at the outbox, or the one that was opening the holder lock's
    connection, leaves no session behind holding the lock for as long as the process
    lives (the rows it leased would wait out their lease)."""
    watcher = await open_store(pg_url)
    try:
        store = await open_store(pg_url)
        await store.outbox_due()
        assert await _holder_sessions(watcher) == 1
        await store.close()
        with pytest.raises(StoreError):
            await store.outbox_due()  # the pass goes on after the close
        quitting = await open_store(pg_url)
        opening = asyncio.create_task(quitting.outbox_due())
        await asyncio.sleep(0)  # it is opening the holder lock's connection
        await quitting.close()
        with pytest.raises(StoreError):
            await opening
        deadline = time.monotonic() + 10  # a session closed ends on the server soon after
        while left := await _holder_sessions(watcher):
            assert time.monotonic() < deadline, f"{left} holder sessions left"
    finally:
        await watcher.close()


async def test_a_later_decision_is_not_applied_before_an_earlier_one_under_way(
    wp: Any, team: Team
) -> None:
    """Spam, its undo, spam again, on one comment. ``a`` applies the undo (approved), its
    request under way; ``b`` must not apply the newest (spam) meanwhile: it would find the
    comment at spam already (done, nothing sent) and ``a``'s request, arriving last, would
    leave the comment approved, every row done, against the moderator's last decision."""
    a, b = team.cut, team.other
    target, rid = await _spam_an_approved_comment(wp, b.store)
    await b.worker.run_once()
    await b.store.undo_last(actor="moderator")
    with _gated(wp) as gate:
        a.held = await a.store.outbox_due()
        await _step_a(a, gate)  # the undo's request (approved) under way
        assert a.sending is not None
        await b.store.moderate([rid], RemoteStatus.SPAM, actor="moderator")
        await b.worker.run_once()
        await _settle(a, b, gate)
    assert wp.by_status()[str(target["id"])] == "spam", gate.posts
    assert await b.store.outbox_items(states=["pending"]) == []


_targets = itertools.count()
#: The decisions of the generated test: a status (the next one after the comment's, of
#: these) or the moderator's undo of their newest decision not undone.
STATUSES = [RemoteStatus.APPROVED, RemoteStatus.HOLD, RemoteStatus.SPAM]
DECISION_STEPS = ["decide", "undo", "a", "b", "cut", "arrive"]


@_SOME_ORDERS
@given(steps=st.lists(st.sampled_from(DECISION_STEPS), min_size=3, max_size=10))
@example(steps=["decide", "a", "a", "cut", "b", "b", "undo", "b", "b"])
@example(steps=["decide", "b", "b", "undo", "a", "a", "decide", "b", "b", "arrive"])
async def test_the_comment_ends_as_the_moderators_last_decision_whoever_applies_what(
    wp: Any, team: Team, steps: list[str]
) -> None:
    """Decisions and undos on one comment, two programs taking and applying them in any
    order (``a``'s requests held under way until ``arrive``, its holder's session ended by
    ``cut``): once all is applied, the site has the status the moderator gave it last,
    and no write-back waits or conflicts."""
    a, b = team.cut, team.other
    open_comments = [
        c
        for c in wp.comments.values()
        if c["post"] != len(wp.posts) and c["author"] == 0 and c["status"] in STATUSES
    ]
    target = open_comments[next(_targets) % len(open_comments)]
    ext = str(target["id"])
    rid = (await b.store.get_by_external("blog", ext)).response.id
    decided = [RemoteStatus(target["status"])]  # what the moderator gave it last, at -1
    with _gated(wp) as gate:
        for step in steps:
            if step == "decide":
                decided.append(STATUSES[(STATUSES.index(decided[-1]) + 1) % 3])
                await b.store.moderate([rid], decided[-1], actor="moderator")
            elif step == "undo" and len(decided) > 1:  # only this example's decisions
                outcome = await b.store.undo_last(actor="moderator")
                assert outcome.changed == 1
                decided.pop()
            else:
                await _move(team, gate, step)
        await _settle(a, b, gate)
    assert wp.by_status()[ext] == decided[-1].value, (steps, gate.posts)
    row = await b.store.get_by_external("blog", ext)
    assert row.response.remote_status is decided[-1]
    assert await b.store.outbox_items(states=["pending", "conflict"]) == []


async def test_a_holder_lock_lost_unnoticed_is_taken_again_and_its_rows_sent(
    wp: Any, team: Team, pg_url: str
) -> None:
    """``a``'s holder lock's session ended on the server, and nothing of it reached ``a``
    (its connection looks open). ``a`` alone runs: its decision must still be applied
    (before: taken by ``a`` at every pass and never applied, the lock's check failing,
    nothing said), its lock taken again on a new connection."""
    a, b = team.cut, team.other
    server = urlsplit(pg_url)
    assert server.hostname and server.port
    async with MuteRelay(server.hostname, server.port) as proxy:
        a.store._dsn = pg_url.replace(f":{server.port}/", f":{proxy.port}/")
        if a.store._holder_conn is not None:  # its lock's session from now on via the relay
            a.store._holder_conn.terminate()
        await a.store.outbox_holder()
        target, _rid = await _spam_an_approved_comment(wp, b.store)
        proxy.mute()
        await _end_session(a.store, b.store)
        assert not a.store._holder_conn.is_closed()  # a does not know
        for _ in range(2):
            await a.worker.run_once()
        await a.store.close()  # before the relay goes
    assert wp.by_status()[str(target["id"])] == "spam"


async def test_a_reply_another_took_over_and_may_have_sent_is_not_sent_by_the_first(
    wp: Any, team: Team
) -> None:
    """``a`` took a reply, its holder's session ended; ``b`` took it over and POSTed it,
    its answer lost (the reply may have arrived: it waits for a sync round). ``a`` then
    comes to the reply it had in hand: it must not send it (the row waits for a round,
    whatever ``a``'s copy of it says): one POST."""
    a, b = team.cut, team.other
    target = next(c for c in wp.comments.values() if c["post"] != len(wp.posts))
    row = await b.store.get_by_external("blog", str(target["id"]))
    text = f"Dank voor uw reactie ({next(_texts)})."
    await b.store.reply(row.response.id, text, actor="moderator")
    [stale] = await a.store.outbox_due()
    await _end_session(a.store, b.store)
    [item] = await b.store.outbox_due()
    posts: list[str] = []

    def answer_lost(method: str, path: str, _q: dict[str, str]) -> None:
        if method == "POST":
            posts.append(path)
            if len(posts) == 1:
                raise ConnectionResetError("the answer is lost")

    wp.after_hook = answer_lost
    try:
        assert await b.worker.apply_one(item) == "retry"
        assert await a.worker.apply_one(stale) == "waiting"
    finally:
        wp.after_hook = None
    assert len(posts) == 1 and at_site(wp, text) == 1


def _closed_port() -> int:
    """A port of 127.0.0.1 nothing listens on (a connection to it is refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("decision", ["reply", RemoteStatus.SPAM])
async def test_a_write_back_whose_mark_fails_on_a_store_error_is_sent_at_the_next_pass(
    wp: Any, team: Team, pg_url: str, decision: Any
) -> None:
    """``a`` took a write-back; its holder lock's session ends and the server cannot be
    reached for a moment as it marks the reply as being sent (or renews a decision's
    lease): a store error, nothing sent. Once the server answers again ``a``'s next pass
    sends it, once (before: a reply waited for a whole sync round, as one the platform
    may have; a decision for the backoff's delay). ``b`` meanwhile sends nothing twice."""
    a, b = team.cut, team.other
    text = f"Dank voor uw reactie ({next(_texts)})."
    target = await write_back_queued(wp, b.store, decision, text)
    [item] = await a.store.outbox_due()
    await _end_session(a.store, b.store)
    a.store._holder_lost()  # what its connection hears of it
    dsn, a.store._dsn = a.store._dsn, f"postgresql://127.0.0.1:{_closed_port()}/none"
    with _gated(wp) as gate:
        try:
            assert await a.worker.apply_one(item) == "retry"
        finally:
            a.store._dsn = dsn
        assert gate.posts == []
        assert (await a.worker.run_once()).done == 1
        await b.worker.run_once()
    assert len(gate.posts) == 1
    assert applied_once(wp, target, decision, text)
    assert await b.store.outbox_items(states=["pending"]) == []


async def test_a_reply_held_back_past_its_lease_is_not_sent_after_another_sent_it(
    wp: Any, team: Team
) -> None:
    """``a`` marked a reply as being sent, and its POST is held back before it leaves (its
    process stopped, its machine asleep, all its connections to the site busy) until its
    lease has run out: ``b`` takes the row over, and a sync round begun after does not
    find the reply at the site: the sync service sends it. ``a``'s POST must then not leave (before:
    it did, a second copy at the site): its request had to leave within ``send_within``
    of its mark (outbox.SEND_WITHIN, half the lease; here none at all)."""
    a, b = team.cut, team.other
    text = f"Dank voor uw reactie ({next(_texts)})."
    await write_back_queued(wp, b.store, "reply", text)
    [item] = await a.store.outbox_due()
    busy = held_back(a.worker)
    with _gated(wp) as gate:
        sending = asyncio.create_task(a.worker.apply_one(item))
        try:
            while (await b.store.outbox_items(states=["pending"]))[0].awaits_round is None:
                assert not sending.done(), sending.result()  # marked, then held back
            await b.store._write(lambda c: c.execute("UPDATE outbox SET lease_until = 0"))
            assert [i.id for i in await b.store.outbox_due()] == [item.id]
            # A round begun after (it does not find the reply at the site), then the sync
            # service's outbox sends it.
            await run_sync(team.config, team.syncing, once=True, printer=lambda _: None)
            assert len(gate.posts) == 1 and at_site(wp, text) == 1
        finally:
            busy.release()
        assert await sending == "waiting"
    assert len(gate.posts) == 1 and at_site(wp, text) == 1
    assert await b.store.outbox_items(states=["pending"]) == []


async def test_a_reply_answered_when_its_holders_session_ends_is_not_sent_again(
    wp: Any, team: Team
) -> None:
    """``a``'s reply is at the site, its answer in hand, when its holder's session ends;
    before ``a`` records it done, ``b`` and the sync service (a round, then its outbox)
    run: neither sends it again (the mark keeps the row from them; the round finds the
    reply and records it), and ``a``'s record of it changes nothing: one POST."""
    a, b = team.cut, team.other
    text = f"Dank voor uw reactie ({next(_texts)})."
    await write_back_queued(wp, b.store, "reply", text)
    [item] = await a.store.outbox_due()
    record = a.store.outbox_done

    async def others_first(*args: Any, **kw: Any) -> bool:
        await _end_session(a.store, b.store)
        await b.worker.run_once()
        await run_sync(team.config, team.syncing, once=True, printer=lambda _: None)
        await b.worker.run_once()
        return await record(*args, **kw)

    a.store.outbox_done = others_first
    with _gated(wp) as gate:
        # The round recorded it: the row is no longer a's to record (not counted as a's).
        assert await a.worker.apply_one(item) == "waiting"
        for p in (b, a):
            await p.worker.run_once()
    assert len(gate.posts) == 1 and at_site(wp, text) == 1
    assert await b.store.outbox_items(states=["pending"]) == []


#: The site's answer to ``a``'s request (None: it is applied) -> the record ``a`` makes.
_ANSWERS = {None: "outbox_done", 503: "outbox_retry", 403: "outbox_fail"}


async def _lease_row(store: Any, item_id: int) -> tuple[Any, ...]:
    """An outbox row as a program holds it: its lease, and what its outcome records."""
    row = await store._read(
        lambda c: c.fetchrow(
            "SELECT state, attempts, last_error, next_attempt_at, awaits_round, leased_by, "
            "lease_until, being_applied FROM outbox WHERE id = $1",
            item_id,
        )
    )
    return tuple(row)


@pytest.mark.parametrize(
    ("decision", "answer"),
    [("reply", None), ("reply", 503), (RemoteStatus.SPAM, None), (RemoteStatus.SPAM, 403)],
)
async def test_an_answer_recorded_after_another_took_the_row_over_changes_nothing(
    wp: Any, team: Team, decision: Any, answer: Any
) -> None:
    """``a`` sent a write-back; between the site's answer (applied, a server error, a
    refusal) and its record ``a`` was held back (its process stopped, its machine asleep)
    until its lease ran out and ``b`` took the row over. ``a``'s record must change
    nothing: the row stays as ``b`` took it; it is sent once more only when ``a``'s
    request was not applied (a reply by the sync service, after a round begun after, which
    finds it at the site when ``a``'s POST arrived), and the row ends with that outcome
    (before: ``a``'s retry or failure ended ``b``'s lease and set the row back or gave it
    up, unsent; its done ended the lease of a row ``b`` was applying)."""
    a, b = team.cut, team.other
    text = f"Dank voor uw reactie ({next(_texts)})."
    target = await write_back_queued(wp, b.store, decision, text)
    [item] = await a.store.outbox_due()
    taken: list[tuple[Any, ...]] = []

    async def take_over() -> None:
        await b.store._write(lambda c: c.execute("UPDATE outbox SET lease_until = 0"))
        assert [i.id for i in await b.store.outbox_due()] == [item.id]
        taken.append(await _lease_row(b.store, item.id))

    made = taken_over_before_recording(a.store, take_over)
    with first_post_answered(wp, answer):
        assert await a.worker.apply_one(item) == "waiting"
    assert made == [_ANSWERS[answer]]
    assert await _lease_row(b.store, item.id) == taken[0]
    with _gated(wp) as gate:
        if decision == "reply":
            await run_sync(team.config, team.syncing, once=True, printer=lambda _: None)
        else:
            assert (await b.worker.run_once()).done == 1
    assert len(gate.posts) == (0 if answer is None else 1)
    assert applied_once(wp, target, decision, text)
    [row] = await b.store.outbox_items(response_id=item.response_id)
    attempts = 0 if decision == "reply" and answer is None else 1
    assert (row.state.value, row.attempts, row.last_error) == ("done", attempts, None)

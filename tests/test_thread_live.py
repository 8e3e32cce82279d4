"""The thread tree follows what happens while it is open, as the queue does.

It was drawn once, as it opened: a colleague's decision on a response in it (the live
updates between moderators), a write-back that failed (the outbox worker) or a response
synced into the thread did not show until the thread was opened again. Now the changed
lines are drawn again in place, a new response is added under its parent, the cursor
stays on its response and on the same line of the screen; a change elsewhere reads
nothing. At 80x24 without colour.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from helpers.app import SMALL, press, ready, screen_text, settle, until
from helpers.connectors import PagePlatform
from helpers.data import NOW, T0, fill_store, sample_responses
from helpers.thread_host import OpenedHost, thread
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import Tree
from wpreal import served_fakewp

from reactieveld.config import SourceConfig
from reactieveld.connectors.wordpress import WordPressConnector
from reactieveld.i18n import text
from reactieveld.model import Page, RemoteStatus
from reactieveld.outbox import OutboxWorker
from reactieveld.store.base import QueueFilter, QueueRow
from reactieveld.store.open import open_store
from reactieveld.store.pg.live import parse_threads, threads_json
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine
from reactieveld.tui.screens import thread as thread_module
from reactieveld.tui.screens.thread import ThreadScreen
from reactieveld.tui.widgets.queue_list import UNDONE_MARK

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")

PASSWORD = "app-pass-1"


def lines_by_id(tree: Tree[int]) -> dict[int, str]:
    """Each line of the tree (plain characters) by its response id."""
    lines: dict[int, str] = {}
    stack = list(tree.root.children)
    while stack:
        node = stack.pop()
        if node.data is not None:
            lines[node.data] = node.label.plain
        stack.extend(node.children)
    return lines


async def open_thread(
    app: Any, pilot: Any, but: tuple[str, ...] = ()
) -> tuple[ThreadScreen, Tree[int]]:
    """``enter`` on the queue's response under the cursor: its thread, loaded (``but``:
    the worker groups that run as long as the app, as ``settle`` says)."""
    await pilot.press("enter")
    await settle(app, pilot, but=but)
    screen = app.screen
    assert isinstance(screen, ThreadScreen) and screen.loaded
    return screen, screen.query_one(Tree)


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The thread screen's reads of its thread (after it opened), counted."""
    reads: list[int] = []
    real = thread_module.read_thread

    async def counted(store: Any, row: Any) -> Any:
        reads.append(1)
        return await real(store, row)

    monkeypatch.setattr(thread_module, "read_thread", counted)
    return reads


def count_rows(monkeypatch: pytest.MonkeyPatch, store: Any) -> list[int]:
    """The rows ``store`` reads by id (``get_many``), each read's ids, in order."""
    asked: list[int] = []
    real = store.get_many

    async def counted(ids: Any) -> Any:
        asked.extend(ids)
        return await real(ids)

    monkeypatch.setattr(store, "get_many", counted)
    return asked


@asynccontextmanager
async def one_thread(
    tmp_path: Path, make_app: Any, count: int, target: str | None = None
) -> AsyncIterator[tuple[Any, Any, Any, list[Any]]]:
    """The app (English, polling every 50 ms) at 80x24 on a memory (a SQLite file, or
    ``target``) holding one thread of ``count`` responses (``sample_responses``), on its
    queue: (app, pilot, another program's connection to the memory, the responses)."""
    where = target or str(tmp_path / "m.db")
    responses, threads = sample_responses(count=count)
    one = [dataclasses.replace(r, thread_external_id="post-0") for r in responses]
    first = await open_store(where)
    await fill_store(first, "blog", one, threads)
    other = await open_store(where)
    store = await open_store(where)
    try:
        app = make_app(store, language="en")
        app.live_interval = 0.05
        async with app.run_test(size=SMALL) as pilot:
            await ready(app, pilot)
            await app.live_ready.wait()
            yield app, pilot, other, responses
    finally:
        for s in (store, other, first):
            await s.close()


async def test_a_colleagues_decision_shows_in_the_thread_the_other_has_open(
    moderators: Any, make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two moderators on one memory (SQLite: polled; PostgreSQL: notified): Anna
    decides a response of another thread (Bram's thread reads nothing), then the one
    under Bram's cursor in the thread he has open: its line says "spam" at Bram's, his
    cursor on it, on the same line."""
    anna, bram = await moderators("anna", "bram")
    app = make_app(bram, language="en", actor="bram")
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        await app.live_ready.wait()
        screen, tree = await open_thread(app, pilot)
        reads = count_reads(monkeypatch)
        asked = count_rows(monkeypatch, bram)
        await press(pilot, "j")
        rid = tree.cursor_node.data
        line, scroll = tree.cursor_line, tree.scroll_y
        shown = set(lines_by_id(tree))
        assert rid in shown and len(shown) > 2
        other = next(
            r.response.id
            for r in await anna.queue(QueueFilter(), limit=100)
            if r.response.id not in shown
        )
        await anna.moderate([other], RemoteStatus.SPAM, actor="anna")
        await anna.moderate([rid], RemoteStatus.SPAM, actor="anna")
        spam = f" {text('status.spam', 'en')} · "

        await until(pilot, lambda: spam in lines_by_id(tree)[rid], "the decision in the thread")
        assert (reads, asked) == ([], [rid])  # its one row read, not the whole thread
        assert tree.cursor_node.data == rid
        assert (tree.cursor_line, tree.scroll_y) == (line, scroll)
        label = lines_by_id(tree)[rid]
        assert any(label[:40] in row for row in screen_text(app)), label


async def test_a_write_back_that_fails_shows_its_mark_in_the_open_thread(
    tmp_path: Path, make_app: Any
) -> None:
    """On SQLite, against a WordPress-shaped site on 127.0.0.1: a decision on a comment
    deleted on the site since is sent by the app's outbox while the thread is open; its
    line gets the write-back's "!" mark, the cursor stays on it."""
    with served_fakewp(4, password=PASSWORD) as wp:
        store = await SqliteStore.open(tmp_path / "m.db")
        conn = WordPressConnector("blog", wp.base, username="admin", password=PASSWORD)
        source = SourceConfig("blog", "wordpress", 30.0, MappingProxyType({"url": wp.base}))
        engine = SyncEngine(store, [(source, conn)])
        try:
            assert (await engine.sync_source("blog")).ok
            outbox = OutboxWorker(store, engine.connectors)
            app = make_app(store, language="nl", outbox=outbox)
            async with app.run_test(size=SMALL) as pilot:
                await app.screen.queue.loaded.wait()
                await settle(app, pilot, but=("outbox",))
                screen, tree = await open_thread(app, pilot, but=("outbox",))
                rid = tree.cursor_node.data
                assert not lines_by_id(tree)[rid].split(" ", 3)[2].startswith(UNDONE_MARK)
                row = await store.get(rid)
                with wp.lock:
                    cid = int(row.response.external_id)
                    del wp.comments[cid]
                    wp.ids.remove(cid)
                await store.moderate([rid], RemoteStatus.SPAM, actor="tester")
                app.wake_outbox()

                def marked() -> bool:
                    return f" {UNDONE_MARK} " in lines_by_id(tree)[rid]

                await until(pilot, marked, "the failed write-back's mark", seconds=15)
                assert tree.cursor_node.data == rid
                label = lines_by_id(tree)[rid]
                assert any(label[:30] in line for line in screen_text(app)), label
        finally:
            await engine.aclose()
            await store.close()


async def test_the_cursor_far_down_a_long_thread_stays_on_its_response(
    tmp_path: Path, make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A thread of 60 at 80x24, the cursor far down: another program syncs a reply to
    the thread's first response (a line above the cursor) and a change to a response
    under it. The reply appears under its parent, the cursor stays on its response, on
    the same line of the screen; one read for the burst."""
    async with one_thread(tmp_path, make_app, 60) as (app, pilot, other, responses):
        screen, tree = await open_thread(app, pilot)
        reads = count_reads(monkeypatch)
        await press(pilot, "G", "k", "k")
        rid = tree.cursor_node.data
        on_screen = tree.cursor_line - round(tree.scroll_y)
        assert tree.scroll_y > 0 and on_screen > 0
        assert len(lines_by_id(tree)) == 60
        top = tree.root.children[0]
        parent = (await other.get(top.data)).response
        reply = dataclasses.replace(
            responses[-1],
            external_id="c-late",
            parent_external_id=parent.external_id,
            thread_external_id="post-0",
            body_text="Een late reactie bovenaan de draad.",
            created_at=responses[-1].created_at + timedelta(minutes=10),
        )
        await fill_store(other, "blog", [reply])

        await until(pilot, lambda: len(lines_by_id(tree)) == 61, "the synced reply")
        assert reads == [1]
        assert tree.cursor_node.data == rid
        assert tree.cursor_line - round(tree.scroll_y) == on_screen
        label = lines_by_id(tree)[rid]
        drawn = screen_text(app)
        assert label[:30] in drawn[1 + on_screen], (label, drawn)


async def test_a_sync_into_other_threads_reads_nothing_into_this_one_reads_it(
    tmp_path: Path, store_target: str, make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A thread open (SQLite: polled; PostgreSQL: notified; at 80x24): another program's
    sync brings responses to another thread of the same source (the queue shows them),
    then ends its round (the header shows it): the thread reads nothing (it read itself
    again for each). Then one reply into this thread: one read, the reply under its
    parent. (On SQLite a page that moves the source's cursor still reads it: the rows
    another program's sync changed are not told there, only its new ones; on
    PostgreSQL the page comes with its cursor.)"""
    pg = store_target.startswith("postgresql")
    cursor = "page-2" if pg else None
    async with one_thread(tmp_path, make_app, 12, store_target) as (
        app,
        pilot,
        other,
        responses,
    ):
        screen, tree = await open_thread(app, pilot)
        reads = count_reads(monkeypatch)
        queue = app.screen_stack[0].queue
        before = queue.total
        late = responses[-1].created_at + timedelta(minutes=10)
        elsewhere = [
            dataclasses.replace(
                responses[-1],
                external_id=f"x{i}",
                thread_external_id="post-1",
                parent_external_id=None,
                created_at=late + timedelta(minutes=i),
            )
            for i in range(3)
        ]
        await other.upsert_page("blog", Page(responses=elsewhere, next_cursor=cursor))
        await until(pilot, lambda: queue.total == before + 3, "the other thread's in the queue")
        await settle(app, pilot)
        assert reads == [] and len(lines_by_id(tree)) == 12
        # The end of that program's round: the header says it, no row changed.
        header = app.source_status()
        await other.record_sync("blog", by="sync-2")
        await until(pilot, lambda: app.source_status() != header, "the round in the header")
        await settle(app, pilot)
        assert reads == []

        parent = (await other.get(tree.root.children[0].data)).response
        reply = dataclasses.replace(
            elsewhere[0],
            external_id="c-late",
            thread_external_id="post-0",
            parent_external_id=parent.external_id,
        )
        await other.upsert_page("blog", Page(responses=[reply], next_cursor=cursor))
        await until(pilot, lambda: len(lines_by_id(tree)) == 13, "the reply")
        await settle(app, pilot)
        assert reads == [1]
        assert tree.root.children[0].children[-1].data == max(lines_by_id(tree))  # the reply


async def test_the_apps_own_sync_reads_the_open_thread_only_for_its_rows(
    store_target: str, make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's own sync engine (SQLite, PostgreSQL) stores a page with a new response
    in another thread and a changed one in a third: the open thread reads nothing (it
    read itself for the page and again at the round's end). A page with a reply into
    it: one read, the reply under its parent."""
    store = await open_store(store_target)
    engine_store = await open_store(store_target)
    responses, threads = sample_responses()
    await fill_store(store, "blog", responses, threads)
    platform = PagePlatform()
    source = SourceConfig("blog", "wordpress", 3600.0)
    engine = SyncEngine(engine_store, [(source, platform)])
    rounds: asyncio.Queue[Any] = asyncio.Queue()
    engine.subscribe(lambda event: rounds.put_nowait(event) if event.kind == "round" else None)
    app = make_app(store, language="en", engine=engine)
    app.live_interval = 0.05
    sync = ("sync",)
    try:
        async with app.run_test(size=SMALL) as pilot:
            await app.screen.queue.loaded.wait()
            await app.live_ready.wait()
            await asyncio.wait_for(rounds.get(), timeout=30)  # the first round, at start
            screen, tree = await open_thread(app, pilot, but=sync)  # c29's, post-2
            reads = count_reads(monkeypatch)
            by_ext = {r.external_id: r for r in responses}
            late = T0 + timedelta(minutes=5)
            elsewhere = dataclasses.replace(by_ext["c27"], external_id="n1", created_at=late)
            changed = dataclasses.replace(by_ext["c28"], body_text="Anders op de site.")
            platform.next = Page(responses=[elsewhere, changed], next_cursor="r2")
            engine.wake("blog")
            event = await asyncio.wait_for(rounds.get(), timeout=30)
            assert (event.new, event.updated) == (1, 1)
            await settle(app, pilot, but=sync)
            assert reads == [] and len(lines_by_id(tree)) == 10

            reply = dataclasses.replace(
                by_ext["c26"], external_id="n2", parent_external_id="c26", created_at=late
            )
            platform.next = Page(responses=[reply], next_cursor="r3")
            engine.wake("blog")
            await asyncio.wait_for(rounds.get(), timeout=30)
            await until(pilot, lambda: len(lines_by_id(tree)) == 11, "the reply")
            await settle(app, pilot, but=sync)
            assert reads == [1]
            parent = screen._by_external["c26"]
            assert parent.children[-1].data == max(lines_by_id(tree))  # the reply
    finally:
        await engine.aclose()
        await engine_store.close()
        await store.close()


async def test_a_page_says_the_threads_of_the_rows_it_stored(store_target: str) -> None:
    """Both backends: a stored page names the threads of the rows it added, changed
    (the thread a moved one left too), found gone or re-keyed; not those of rows it
    repeated unchanged."""
    store = await open_store(store_target)
    try:
        responses, threads = sample_responses(count=12)
        await fill_store(store, "blog", responses, threads)
        by_ext = {r.external_id: r for r in responses}
        page = Page(
            responses=[
                dataclasses.replace(by_ext["c0"], external_id="n1", thread_external_id="post-9"),
                dataclasses.replace(by_ext["c1"], thread_external_id="post-8"),  # post-1 left
                by_ext["c2"],  # unchanged (the page below: nothing named)
            ],
            gone={"c5": RemoteStatus.DELETED},  # post-2
            renamed={"c6": "c6-new"},  # post-0
        )
        done = await store.upsert_page("blog", page)
        assert sorted(t or "" for t in done.threads) == [
            "post-0",
            "post-1",
            "post-2",
            "post-8",
            "post-9",
        ]
        again = await store.upsert_page("blog", Page(responses=[by_ext["c2"]]))
        assert again.threads == ()
    finally:
        await store.close()


def test_a_sync_notice_names_its_threads_or_says_they_are_not_known() -> None:
    """PostgreSQL's sync notice: the threads as sent; none said (an older app's notice)
    or too many for a notice's 8000 bytes: not known (None), and read as before."""
    sent = threads_json(["post-1", None])
    assert parse_threads(f'{{"source": "blog", "by": "x", "threads": {sent}}}') == (
        "post-1",
        None,
    )
    assert parse_threads('{"source": "blog", "by": "x"}') is None
    assert parse_threads('{"source": "blog", "threads": null}') is None
    assert threads_json([]) == "[]" and threads_json(None) is None
    assert threads_json([f"{'t' * 60}-{i}" for i in range(100)]) is None


async def test_decisions_in_a_big_open_thread_read_only_their_rows(
    tmp_path: Path, make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A thread of 2,400 (the tree shows its newest 2,000) open at 80x24: another
    program decides responses in it one by one, then one that is not shown. Each
    decision reads that response's row only and draws its line again; the whole thread
    was read again after each (2,000 rows and 2,000 labels on the screen's loop each
    time). A synced reply still reads the thread (its shape changes)."""
    async with one_thread(tmp_path, make_app, 2400) as (app, pilot, other, responses):
        screen, tree = await open_thread(app, pilot)
        shown = lines_by_id(tree)
        assert len(shown) == thread_module.MAX_THREAD_ROWS
        reads = count_reads(monkeypatch)
        asked = count_rows(monkeypatch, app.store)
        spam = f" {text('status.spam', 'en')} · "
        decided = [rid for rid in list(shown)[:: len(shown) // 5] if spam not in shown[rid]]
        for rid in decided[:4]:
            await other.moderate([rid], RemoteStatus.SPAM, actor="anna")
            await until(pilot, lambda rid=rid: spam in lines_by_id(tree)[rid], "its line")
        hidden = (await other.get_by_external("blog", "c0")).response.id
        assert hidden not in shown
        await other.moderate([hidden], RemoteStatus.SPAM, actor="anna")  # reads nothing
        assert reads == []
        assert sorted(asked) == sorted(decided[:4])

        parent = (await other.get(decided[0])).response
        reply = dataclasses.replace(
            responses[-1],
            external_id="c-late",
            parent_external_id=parent.external_id,
            thread_external_id="post-0",
            created_at=responses[-1].created_at + timedelta(minutes=10),
        )
        await fill_store(other, "blog", [reply])
        await until(pilot, lambda: len(lines_by_id(tree)) > len(shown), "the reply")
        assert reads == [1]  # the reply's, none for the decision not shown
        assert sorted(asked) == sorted(decided[:4])


class ThreadRows:
    """A store that holds one thread's rows (oldest first), as ``read_thread`` asks."""

    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows

    async def queue(self, flt: Any, limit: int = 100, **_: Any) -> list[Any]:
        return self.rows[::-1][:limit]


@asynccontextmanager
async def opened_on(
    size: int, seed: int, at: float
) -> AsyncIterator[tuple[OpenedHost, Any, ThreadScreen, ThreadRows]]:
    """A generated thread (``thread(size, seed)``) open at 80x24 from the response
    ``at`` of the way down it, reading from a :class:`ThreadRows` of its rows:
    (app, pilot, screen, that store)."""
    rows = thread(size, seed)
    store = ThreadRows(list(rows))
    app = OpenedHost(rows, min(int(at * size), size - 1))
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ThreadScreen)
        screen.store = store
        yield app, pilot, screen, store


@settings(max_examples=8, deadline=None)
@given(
    drawn=st.tuples(st.integers(30, 150), st.integers(0, 2**16), st.floats(0.5, 1)),
    added=st.integers(1, 6),
    changed=st.integers(0, 6),
)
async def test_any_change_keeps_the_cursor_on_its_response_on_its_line(
    drawn: tuple[int, int, float], added: int, changed: int
) -> None:
    """Generated threads, the cursor far down: replies added anywhere (above the cursor
    too) and statuses changed; the cursor stays on its response, on the same screen line
    where the tree can scroll there, and every line says what the store holds."""
    size, seed, at = drawn
    async with opened_on(size, seed, at) as (app, pilot, screen, store):
        tree = screen.query_one(Tree)
        rid = tree.cursor_node.data
        on_screen = tree.cursor_line - round(tree.scroll_y)
        rng = random.Random(seed)
        for j in range(added):
            parent = rng.choice(store.rows).response
            r = dataclasses.replace(
                parent,
                external_id=f"n{j}",
                parent_external_id=parent.external_id,
                created_at=NOW + timedelta(minutes=j + 1),
                id=10_000 + j,
            )
            store.rows.append(QueueRow(r, "Centrumplan", (), None))
        for k in rng.sample(range(size), min(changed, size)):
            x = store.rows[k]
            store.rows[k] = dataclasses.replace(
                x, response=dataclasses.replace(x.response, remote_status=RemoteStatus.SPAM)
            )
        screen.follow_changes()
        await settle(app, pilot)
        await pilot.pause()
        assert tree.cursor_node.data == rid
        want = tree.cursor_line - on_screen
        if 0 <= want <= tree.max_scroll_y:
            assert tree.cursor_line - round(tree.scroll_y) == on_screen
        lines = lines_by_id(tree)
        assert lines == {x.response.id: screen.label(x).plain for x in store.rows}


def shape(tree: Tree[int]) -> list[tuple[int, int | None]]:
    """The tree's lines in order: each response id with its parent's (None: the post)."""
    out: list[tuple[int, int | None]] = []

    def walk(node: Any) -> None:
        for child in node.children:
            out.append((child.data, node.data))
            walk(child)

    walk(tree.root)
    return out


def opened_shape(rows: list[QueueRow]) -> list[tuple[int, int | None]]:
    """:func:`shape` of the tree a thread of ``rows`` (oldest first) opens with: each
    under its parent where that came before it, else under the post."""
    ids: dict[str, int] = {}
    children: dict[int | None, list[int]] = {None: []}
    for row in rows:
        x = row.response
        assert x.id is not None
        children.setdefault(ids.get(x.parent_external_id or ""), []).append(x.id)
        ids[x.external_id] = x.id
    out: list[tuple[int, int | None]] = []

    def walk(parent: int | None) -> None:
        for child in children.get(parent, []):
            out.append((child, parent))
            walk(child)

    walk(None)
    return out


@settings(max_examples=8, deadline=None)
@given(
    drawn=st.tuples(st.integers(20, 120), st.integers(0, 2**16), st.floats(0, 1)),
    left=st.integers(1, 5),
    moved=st.integers(0, 3),
    on_cursor=st.booleans(),
)
async def test_responses_that_leave_or_move_are_drawn_as_the_thread_opens(
    drawn: tuple[int, int, float], left: int, moved: int, on_cursor: bool
) -> None:
    """Generated threads: responses leave (another thread, the cursor's among them or
    not), others are re-keyed or hung under another reply. The tree is the one the
    thread opens as now (lines, parents, order), the cursor on its response, or on the
    next line that stays when its own left (the one before it at the end)."""
    size, seed, at = drawn
    async with opened_on(size, seed, at) as (app, pilot, screen, store):
        tree = screen.query_one(Tree)
        rng = random.Random(seed)
        order = [node.data for node in map(tree.get_node_at_line, range(tree.last_line + 1))]
        rid = tree.cursor_node.data
        gone = set(rng.sample([r.response.id for r in store.rows], min(left, size - 1)))
        gone.discard(rid)
        if on_cursor:
            gone.add(rid)
        store.rows = [x for x in store.rows if x.response.id not in gone]
        for k in rng.sample(range(len(store.rows)), min(moved, len(store.rows))):
            x = store.rows[k].response
            earlier = [r.response for r in store.rows[:k]]
            parent = rng.choice(earlier).external_id if earlier else None
            new = dataclasses.replace(x, external_id=f"{x.external_id}-new")
            if rng.random() < 0.5:
                new = dataclasses.replace(x, parent_external_id=parent)
            store.rows[k] = dataclasses.replace(store.rows[k], response=new)
            # Its replies follow a re-keyed parent, as the platform gives them.
            for j, y in enumerate(store.rows):
                if y.response.parent_external_id == x.external_id != new.external_id:
                    store.rows[j] = dataclasses.replace(
                        y,
                        response=dataclasses.replace(
                            y.response, parent_external_id=new.external_id
                        ),
                    )
        screen.follow_changes()
        await settle(app, pilot)
        assert shape(tree) == opened_shape(store.rows)
        kept = {x.response.id for x in store.rows}
        stays = [i for i in order if i in kept]
        if rid in kept:
            want = rid
        else:
            after = order[order.index(rid) + 1 :]
            want = next((i for i in after if i in kept), stays[-1] if stays else None)
        assert tree.cursor_node.data == want
        assert lines_by_id(tree) == {x.response.id: screen.label(x).plain for x in store.rows}


async def test_a_response_synced_into_another_thread_leaves_the_open_thread(
    moderators: Any, store_target: str, make_app: Any
) -> None:
    """Bram has a thread open (SQLite: polled; PostgreSQL: notified), his cursor on a
    response with a reply; another process's sync moves that response to another thread
    and finds another one deleted on the site. The moved one goes from the tree (it
    stayed drawn until the thread was opened again), its reply stays in its place (its
    parent not in this thread), the cursor on it: the next line; the deleted
    one stays, "deleted" in words, as in the queue. At 80x24 without colour."""
    anna, bram = await moderators("anna", "bram")
    syncer = await open_store(store_target)  # a sync's rights (PostgreSQL: the owner)
    try:
        app = make_app(bram, language="en", actor="bram")
        async with app.run_test(size=SMALL) as pilot:
            await ready(app, pilot)
            await app.live_ready.wait()
            screen, tree = await open_thread(app, pilot)  # c29's thread, post-2
            ids = {
                ext: (await bram.get_by_external("blog", ext)).response.id
                for ext in ("c20", "c23", "c26", "c14")
            }
            tree.move_cursor(screen._by_id[ids["c20"]])  # c23 is its reply
            await settle(app, pilot)
            shown = lines_by_id(tree)
            assert {*ids.values()} <= set(shown)
            responses = {r.external_id: r for r in sample_responses()[0]}
            moved = dataclasses.replace(responses["c20"], thread_external_id="post-0")
            page = Page(responses=[moved], gone={"c14": RemoteStatus.DELETED}, next_cursor="page-2")
            await syncer.upsert_page("blog", page)

            await until(pilot, lambda: ids["c20"] not in lines_by_id(tree), "the move")
            await settle(app, pilot)
            lines = lines_by_id(tree)
            assert set(lines) == set(shown) - {ids["c20"]}
            # Its reply, in its place now (its parent not in this thread), the next line.
            assert tree.cursor_node.data == ids["c23"]
            assert tree.cursor_node.parent is tree.root
            assert f" {text('status.deleted', 'en')} · " in lines[ids["c14"]]
            drawn = screen_text(app)
            assert not any(shown[ids["c20"]][:40] in row for row in drawn), drawn
            cursor_row = next(row for row in drawn if "▶" in row)
            assert lines[ids["c23"]][:30] in cursor_row, drawn
    finally:
        await syncer.close()

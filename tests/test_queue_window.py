"""The queue's window after actions: the rows it holds and the lines it draws are what
the store says, also when the key path reads only the acted row and the next one."""

from __future__ import annotations

import contextlib
import random

import pytest
from helpers.app import SIZE, press, ready, settle
from helpers.data import fill_store, sample_responses, sample_store

from reactieveld.model import RemoteStatus
from reactieveld.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.usefixtures("tui_env")


async def check_window(screen: TriageScreen, step: str) -> None:
    queue = screen.queue
    store = screen.rapp.store
    # A kept row (out of the queue, under the cursor) is a line of the window, not of
    # the queue: the window is the store's rows with it in its place.
    kept = [r for r in queue.rows if queue.is_kept(r)]
    rows = [r for r in queue.rows if not queue.is_kept(r)]
    expected = await store.queue(queue.flt, limit=queue.base + len(rows))
    got = [r.response.id for r in rows]
    assert got == [r.response.id for r in expected[queue.base :]], step
    # The rows are the store's current ones (status, tags), not stale copies.
    assert rows == expected[queue.base :], step
    assert queue.total == await store.count(queue.flt) + len(kept), step
    if kept:
        assert queue.current is kept[0], step
        assert kept[0] == await store.get(kept[0].response.id), step  # as it is now
    # The scrollbar knows the new extent (set without a layout of the screen).
    assert queue.virtual_size.height == queue.total, step
    assert queue.vertical_scrollbar.window_virtual_size == queue.total, step
    # Every visible line is what a fresh render of its row gives (the strip cache is
    # keyed by response and row object, never stale after a splice).
    width = queue.scrollable_content_region.width  # as render_line: not under the scrollbar
    for y in range(queue.size.height):
        index = int(queue.scroll_y) + y
        if index >= queue.total:
            break
        row = queue.row_at(index)
        marked = row is not None and row.response.id in queue.marked
        label = queue.kept.labels if queue.is_kept(row) else None
        fresh = queue._render_row(row, width, marked, index == queue.cursor, label)
        assert queue.render_line(y).text == fresh.text, (step, y)


@pytest.mark.parametrize("seed", range(3))
async def test_window_follows_the_store_through_actions(tmp_path, make_app, seed):
    store = await sample_store(tmp_path / "m.db", count=260)  # more than one window
    rnd = random.Random(seed)
    app = make_app(store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            await check_window(screen, "start")
            for step in range(40):
                key = rnd.choice(["j", "j", "k", "a", "u", "s", "d", "x", "1", "2", "G", "g"])
                if key in ("u", "s") and rnd.random() < 0.5:
                    await screen.show_queue(rnd.choice(["hold", "all", "approved"]))
                await press(pilot, key)
                await check_window(screen, f"{step}: {key} in {screen.queue_name}")
    finally:
        await store.close()


async def test_action_when_the_next_row_changed_elsewhere(tui_store, make_app):
    """Another program moderated the row below the cursor: the window does not know, so
    the two-row read after ``a`` does not fit and the chunk is read again."""
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        below = screen.queue.rows[1].response.id
        await tui_store.moderate([below], RemoteStatus.SPAM, actor="elders")
        acted = screen.queue.current.response.id
        await press(pilot, "a")
        ids = [r.response.id for r in screen.queue.rows]
        assert acted not in ids and below not in ids
        assert screen.queue.total == 28
        await check_window(screen, "after a")


async def test_arrivals_do_not_hold_keys_behind_the_queue_count(tmp_path, make_app):
    """After a sync round the queue's total is recounted by a worker: with a tag filter
    on a large memory that count takes a third of a second, and a decision taken then
    must not wait for it."""
    import asyncio

    from reactieveld.tui.messages import StoreChanged

    store = await sample_store(tmp_path / "m.db", count=260)  # more than one window
    app = make_app(store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            await settle(app, pilot)
            queue = screen.queue
            real_count = store.count
            held, started = asyncio.Event(), asyncio.Event()

            async def slow_count(flt):
                started.set()
                await held.wait()
                return await real_count(flt)

            store.count = slow_count  # type: ignore[method-assign]
            more, more_threads = sample_responses(count=5, start=260)
            await fill_store(store, "blog", more, more_threads)
            app.post_message(StoreChanged())
            await asyncio.wait_for(started.wait(), 10)  # the recount runs, and hangs

            acted = queue.current.response.id
            try:
                # A decision while the count hangs (bounded: waiting for it would hang).
                await asyncio.wait_for(pilot.press("x"), 10)
                await asyncio.wait_for(pilot.pause(), 10)
                row = await store.get(acted)
                assert row.response.triage.value == "handled"
                assert queue.current.response.id != acted
            finally:
                held.set()
            await settle(app, pilot)
            assert queue.total == await real_count(queue.flt)
    finally:
        await store.close()


@pytest.mark.parametrize("seed", range(4))
async def test_the_row_another_took_out_stays_in_a_long_window(tmp_path, make_app, seed):
    """A memory larger than a window: the cursor on a row anywhere (first, last, in the
    middle, near a window's edge), another moderator decides it: it stays in its place,
    counted as a line (total, scrollbar), the rest of the window is the store's; moving
    the cursor (down or up) drops it and the window is the store's again."""

    store = await sample_store(tmp_path / "m.db", count=260)  # more than one window
    rnd = random.Random(seed)
    app = make_app(store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen: TriageScreen = await ready(app, pilot)
            ids = [r.response.id for r in await store.queue(screen.queue.flt, limit=1000)]
            queue = screen.queue
            for step in range(4):
                at = rnd.choice([0, len(ids) - 1, rnd.randrange(len(ids)), 199, 200])
                target = ids[at]
                assert await screen.show_response(target)
                await settle(app, pilot)
                await store.moderate([target], RemoteStatus.SPAM, actor="anna")
                ids.remove(target)
                await screen.rows_changed([target])
                await settle(app, pilot)
                assert queue.current.response.id == target, step
                assert queue.cursor == at, step
                assert queue.kept is not None and queue.kept.labels == ("anna: spam",), step
                await check_window(screen, f"{step}: kept at {at}")
                key = rnd.choice(["j", "k"])
                await press(pilot, key)
                assert queue.kept is None and queue.index_of(target) is None, step
                want = min(at, len(ids) - 1) if key == "j" else max(at - 1, 0)
                assert queue.cursor == want, (step, key)
                await check_window(screen, f"{step}: {key} after kept at {at}")
    finally:
        await store.close()


@pytest.mark.parametrize("seed", range(4))
async def test_keys_pressed_while_another_change_is_read_keep_their_place(tmp_path, make_app, seed):
    """Another moderator's change (a claim taken or released as they move, a decision)
    is read while this moderator moves on with ``j``/``k``: when the re-read lands, the
    cursor stays where the keys took it, not on the row it was on when the read began
    (in a team, every step of a colleague's cursor is such a change: keys were lost)."""
    import asyncio

    rnd = random.Random(seed)
    async with _triage_on(tmp_path, make_app, 60) as (store, app, pilot, screen):
        queue = screen.queue
        for _ in range(rnd.randrange(0, 5)):
            await press(pilot, "j")
        ids = [r.response.id for r in await store.queue(queue.flt, limit=1000)]
        start = queue.cursor
        other = rnd.choice([i for i in ids if i != ids[start]])
        real_queue, held, started = _hold_queue_reads(store)
        await store.moderate([other], RemoteStatus.SPAM, actor="anna")
        reread = asyncio.ensure_future(screen.rows_changed([other]))
        await asyncio.wait_for(started.wait(), 10)  # the re-read hangs
        keys = [rnd.choice(["j", "j", "k"]) for _ in range(rnd.randrange(1, 4))]
        for key in keys:
            await pilot.press(key)
        want = queue.current.response.id
        held.set()
        await asyncio.wait_for(reread, 10)
        store.queue = real_queue  # type: ignore[method-assign]
        await settle(app, pilot)
        assert queue.current.response.id == want, (start, keys)
        await check_window(screen, f"after {keys}")


@pytest.mark.parametrize("seed", range(6))
async def test_any_keys_pressed_while_a_change_is_read_keep_a_sensible_place(
    tmp_path, make_app, seed
):
    """Generated: j/k/g/G/page keys and marks pressed while another moderator's change is
    read, the changed row any row, the cursor's row at the read's start, or the row the
    keys took it to. When the re-read lands nothing fails, the cursor is on the row the
    keys took it to (kept there, ``×``, when that row left the queue), the marks stay,
    and the window is the store's."""
    import asyncio

    rnd = random.Random(seed)
    async with _triage_on(tmp_path, make_app, 150) as (store, app, pilot, screen):
        queue = screen.queue
        for _ in range(2):
            for key in [rnd.choice(["j", "j", "pagedown", "space"])]:
                await press(pilot, key)
            ids = [r.response.id for r in await store.queue(queue.flt, limit=1000)]
            start = queue.current.response.id
            which = rnd.choice(["any", "start", "landed"])
            other = start if which == "start" else rnd.choice(ids)
            real_queue, held, started = _hold_queue_reads(store)
            if which != "landed":
                await store.moderate([other], RemoteStatus.SPAM, actor="anna")
            reread = asyncio.ensure_future(screen.rows_changed([other]))
            await asyncio.wait_for(started.wait(), 10)  # the re-read hangs
            choices = ["j", "k", "g", "G", "pagedown", "pageup", "space"]
            keys = [rnd.choice(choices) for _ in range(rnd.randrange(1, 5))]
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            want = queue.current.response.id
            if which == "landed":
                other = want
                await store.moderate([other], RemoteStatus.SPAM, actor="anna")
            marked = set(queue.marked)
            held.set()
            await asyncio.wait_for(reread, 10)
            store.queue = real_queue  # type: ignore[method-assign]
            await settle(app, pilot)
            step = (which, keys, other == want)
            assert queue.current.response.id == want, step
            assert set(queue.marked) <= marked, step
            await check_window(screen, str(step))
            await press(pilot, "j")  # moving on leaves a kept row
            await check_window(screen, f"{step} then j")


@contextlib.asynccontextmanager
async def _triage_on(tmp_path, make_app, count: int):
    """A memory of ``count`` sample responses open on the triage screen, settled:
    yields ``(store, app, pilot, screen)`` and closes the store afterwards."""
    store = await sample_store(tmp_path / "m.db", count=count)
    app = make_app(store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen: TriageScreen = await ready(app, pilot)
            await settle(app, pilot)
            yield store, app, pilot, screen
    finally:
        await store.close()


def _hold_queue_reads(store):
    """The store's queue reads wait for ``held`` (``started`` set as one begins): a
    re-read that hangs while keys are pressed. Returns the real read (to put back)."""
    import asyncio

    real_queue = store.queue
    held, started = asyncio.Event(), asyncio.Event()

    async def slow_queue(flt, **kwargs):
        started.set()
        await held.wait()
        return await real_queue(flt, **kwargs)

    store.queue = slow_queue
    return real_queue, held, started

"""A reply whose POST reached the platform but whose outbox row was never marked done
(a crash in between): the platform's copy, brought by the next sync, is the
organisation's own reply. It is stored handled (not "New"), linked to the outbox row,
and the outbox does not post it a second time, whichever of the two runs first.

The platform is the WordPress-shaped local server of tools/wp-real on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from wpreal import served_config, served_fakewp

from reactieveld.connectors.htmltext import html_to_text
from reactieveld.model import TriageState, utcnow
from reactieveld.outbox import SENDING, OutboxWorker
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine, run_sync

TEXT = "Dank voor uw reactie. We nemen het fietspad mee in het ontwerp."


@pytest.fixture
def wp():
    with served_fakewp(40) as fake:
        yield fake


async def setup(wp, tmp_path, monkeypatch):
    config = served_config(wp, tmp_path, monkeypatch)
    store = await SqliteStore.open(tmp_path / "m.db")
    lines: list[str] = []
    assert await run_sync(config, store, once=True, printer=lines.append) == 0
    # A resident's comment on an open post, answered by the moderator.
    target = next(
        c for c in wp.comments.values() if c["post"] != len(wp.posts) and c["author"] == 0
    )
    row = await store.get_by_external("blog", str(target["id"]))
    await store.reply(row.response.id, TEXT, actor="moderator")
    [item] = await store.outbox_due()
    posts: list[str] = []
    wp.hook = lambda method, path, q: posts.append(path) if method == "POST" else None
    return config, store, item, target, posts


def replies_at_server(wp, target):
    return [
        c
        for c in wp.comments.values()
        # The reply goes as escaped HTML paragraphs (connectors/plaintext.py): its text.
        if c["parent"] == target["id"] and html_to_text(c["content"]["raw"]) == TEXT
    ]


class Crash(BaseException):
    """The process ends here (nothing after it runs)."""


async def crash_after_post(config, store, item):
    """What a crash between the POST and outbox_done leaves: the worker marked the row
    as being sent and posted; the outcome was never recorded."""
    engine = SyncEngine.from_config(config, store, fetch_process=False)

    async def dies(*args, **kwargs):
        raise Crash

    store.outbox_done = dies
    try:
        with pytest.raises(Crash):
            await OutboxWorker(store, engine.connectors).apply_one(item)
    finally:
        del store.outbox_done
        await engine.aclose()


@pytest.mark.parametrize("first", ["sync", "outbox"])
async def test_resent_reply_is_handled_and_posted_once(wp, tmp_path, monkeypatch, first):
    config, store, item, target, posts = await setup(wp, tmp_path, monkeypatch)
    try:
        await crash_after_post(config, store, item)
        assert len(posts) == 1 and len(replies_at_server(wp, target)) == 1
        [marked] = await store.outbox_items()
        assert marked.state.value == "pending" and marked.last_error == SENDING

        if first == "outbox":
            # The worker runs before the sync (as it may in the app): the reply may have
            # arrived, so it waits for a sync round instead of posting it again.
            engine = SyncEngine.from_config(config, store, fetch_process=False)
            try:
                run = await OutboxWorker(store, engine.connectors).run_once()
            finally:
                await engine.aclose()
            assert run.attempted == 0 and len(posts) == 1
        lines: list[str] = []
        assert await run_sync(config, store, once=True, printer=lines.append) == 0

        [reply] = replies_at_server(wp, target)  # exactly one at the platform
        assert len(posts) == 1  # the outbox did not post it again
        row = await store.get_by_external("blog", str(reply["id"]))
        assert row is not None
        assert row.response.triage is TriageState.HANDLED  # not in "New"
        [done] = await store.outbox_items()
        assert done.state.value == "done"
        result = await store.read(
            lambda db: db.execute(
                "SELECT result_external_id FROM outbox WHERE id = ?", (done.id,)
            ).fetchone()[0]
        )
        assert result == str(reply["id"])  # linked to the row that sent it
        counts = await store.counts()
        assert counts.by_triage.get("new", 0) == (
            await store.read(
                lambda db: db.execute(
                    "SELECT count(*) FROM responses WHERE triage = 'new'"
                ).fetchone()[0]
            )
        )
        # A further round changes nothing and posts nothing.
        lines = []
        assert await run_sync(config, store, once=True, printer=lines.append) == 0
        assert "outbox" not in " ".join(lines)
        assert len(replies_at_server(wp, target)) == 1
    finally:
        wp.hook = None
        await store.close()


async def test_a_reply_that_never_arrived_is_sent_after_the_sync(wp, tmp_path, monkeypatch):
    """Marked as being sent, but the POST never reached the platform (the process died
    first): the next sync finds no copy, and the outbox then sends it, once."""
    config, store, item, target, posts = await setup(wp, tmp_path, monkeypatch)
    try:
        # The process that marked it died a while ago.
        await store.outbox_sending(item.id, note=SENDING, at=utcnow() - timedelta(seconds=5))
        lines: list[str] = []
        assert await run_sync(config, store, once=True, printer=lines.append) == 0
        assert "outbox: 1 applied" in " ".join(lines)
        [reply] = replies_at_server(wp, target)
        assert len(posts) == 1
        row = await store.get_by_external("blog", str(reply["id"]))
        assert row.response.triage is TriageState.HANDLED
    finally:
        wp.hook = None
        await store.close()


async def test_a_residents_same_words_are_not_taken_for_ours(wp, tmp_path, monkeypatch):
    """The same words by an anonymous commenter (WordPress author 0) stay "New", and the
    outbox still posts the organisation's reply."""
    config, store, item, target, posts = await setup(wp, tmp_path, monkeypatch)
    try:
        with wp.lock:
            cid = wp.ids[-1] + 1
            copy = dict(target, id=cid, parent=target["id"], author=0)
            copy["content"] = {"raw": TEXT, "rendered": f"<p>{TEXT}</p>"}
            wp._add(copy)
        lines: list[str] = []
        assert await run_sync(config, store, once=True, printer=lines.append) == 0
        row = await store.get_by_external("blog", str(cid))
        assert row.response.triage is TriageState.NEW
        assert "outbox: 1 applied" in " ".join(lines)
        assert posts  # the reply itself was posted
    finally:
        wp.hook = None
        await store.close()


async def test_a_round_in_flight_when_the_reply_is_unsure_does_not_resend_it(
    wp, tmp_path, monkeypatch
):
    """A round lists the site, and before it ends the reply is POSTed: the platform makes
    it and answers with a 500. The round then ends well, two seconds later by the
    store's clock (a slow round), but it listed before the reply arrived: the reply waits
    for the next round, which finds it. One POST, one reply at the platform."""
    config, store, item, target, posts = await setup(wp, tmp_path, monkeypatch)
    real = wp.handle

    def failing(method, path, q, body, auth):
        got = real(method, path, q, body, auth)
        return (500, {"code": "internal_server_error"}, {}) if method == "POST" else got

    wp.handle = failing
    engine = SyncEngine.from_config(config, store, fetch_process=False)
    listed, end = asyncio.Event(), asyncio.Event()
    record = store.record_sync
    clock = pytest.MonkeyPatch()

    async def slow_end(*args, **kwargs):
        listed.set()
        await end.wait()
        later = utcnow() + timedelta(seconds=2)
        clock.setattr("reactieveld.store.sqlite.utcnow", lambda: later)
        return await record(*args, **kwargs)

    store.record_sync = slow_end
    try:
        in_flight = asyncio.create_task(engine.sync_source("blog"))
        await asyncio.wait_for(listed.wait(), timeout=10)
        worker = OutboxWorker(store, engine.connectors, base_delay=0.0)
        assert await worker.apply_one(item) == "retry"
        assert len(posts) == 1 and len(replies_at_server(wp, target)) == 1
        end.set()
        assert (await asyncio.wait_for(in_flight, timeout=10)).ok
        clock.undo()
        del store.record_sync
        [unsure] = await store.outbox_items()
        assert await worker.apply_one(unsure) == "waiting"  # that round could not see it
        assert len(posts) == 1
        wp.handle = real
        lines: list[str] = []
        assert await run_sync(config, store, once=True, printer=lines.append) == 0
        [done] = await store.outbox_items()
        assert done.state.value == "done" and done.awaits_round is None
        assert len(posts) == 1 and len(replies_at_server(wp, target)) == 1
    finally:
        clock.undo()
        wp.handle = real
        wp.hook = None
        await engine.aclose()
        await store.close()

"""A reply to a response the site does not show (found on WordPress 6.1): the moderator
opened a held comment, pressed ``r`` and sent a reply; WordPress published the reply under
a parent that stayed held, an answer to a comment the blog's readers cannot see. The reply
editor now says so under its title for every status but approved, and ``ctrl+g`` approves
the response and then sends the reply (WordPress's "Approve and Reply"): two actions, in
that order, in the journal and the outbox; ``z`` takes back the reply first. ``ctrl+s``
still sends the reply alone. Read as plain characters (NO_COLOR) at 80x24.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from helpers.app import SMALL, ready, screen_text, settled
from helpers.store import sql
from textual.widgets import Static

from reactieveld.i18n import I18n
from reactieveld.model import ActionKind, Capability, OutboxState, RemoteStatus, Source
from reactieveld.store.sqlite import SqliteStore
from reactieveld.tui.screens.editor import EditorScreen
from reactieveld.tui.screens.help import HelpScreen

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")


async def _all_at(store: Any, status: RemoteStatus) -> None:
    """Every response of the memory at ``status`` (as a sync would have stored it)."""
    await store._write(
        lambda db: db.execute("UPDATE responses SET remote_status = ?", (status.value,))
    )


def _flat(app: Any) -> str:
    """The characters inside the dialog's box on screen, its lines joined: a line that
    wraps in the box reads whole."""
    r = app.screen.query_one(".dialog").content_region
    box = [line[r.x : r.right] for line in screen_text(app)[r.y : r.bottom]]
    return " ".join(" ".join(box).split())


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_editor_says_so_for_every_status_the_site_does_not_show(
    tui_store: Any, make_app: Any, language: str
) -> None:
    """Over every status (the enumeration, so a new one is covered): the line, with the
    status in words, and ctrl+g in the hint and the footer, for each but approved; none
    of them for an approved response, whose editor is as before."""
    t = I18n(language).t
    app = make_app(tui_store, language=language)
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        for status in RemoteStatus:
            await _all_at(tui_store, status)
            await screen.queue.refresh_window()
            await settled(pilot)
            assert screen.queue.current.response.remote_status is status
            await pilot.press("r")
            await settled(pilot)
            editor = app.screen
            assert isinstance(editor, EditorScreen), status
            shown = _flat(app)
            footer = screen_text(app)[-1]
            line = t("reply.unseen", status=I18n(language).status(status))
            if status is RemoteStatus.APPROVED:
                assert not editor.query(".dialog-warning")
                assert t("reply.hint") in shown
                assert "^g" not in footer and "ctrl+g" not in shown
            else:
                assert " ".join(line.split()) in shown, (status, shown)
                assert " ".join(t("reply.hint.approve").split()) in shown, shown
                assert f"^g {t('key.approve_send')}" in footer, footer
                warning = editor.query_one(".dialog-warning", Static)
                assert warning.region.bottom <= 24 - 1  # above the footer, whole
            await pilot.press("escape")  # nothing typed: closes
            await settled(pilot)
            assert app.screen is screen


async def test_the_help_in_the_editor_lists_approve_and_send(tui_store: Any, make_app: Any) -> None:
    """f1 (``?`` is a letter in the editor) at 80x24: the new key with its words."""
    await _all_at(tui_store, RemoteStatus.HOLD)
    t = I18n("nl").t
    app = make_app(tui_store)
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        await pilot.press("r")
        await settled(pilot)
        await pilot.press("f1")
        await settled(pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(screen_text(app))
        assert "^g" in shown and t("key.approve_send") in shown, shown


async def _journal_kinds(store: Any, rid: int) -> list[tuple[str, str | None]]:
    rows = await sql(
        store, "SELECT kind, after FROM actions WHERE response_id = ? ORDER BY id", (rid,)
    )
    return [(kind, after) for kind, after in rows]


@asynccontextmanager
async def _replied(store: Any, make_app: Any, text: str, key: str) -> AsyncIterator[Any]:
    """The app at 80x24 on a memory whose every response is held, after ``r``, ``text``
    and ``key`` on the first one: (its pilot, the response's id)."""
    await _all_at(store, RemoteStatus.HOLD)
    app = make_app(store)
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        rid = screen.queue.current.response.id
        await pilot.press("r", *text, key)
        await settled(pilot)
        assert app.screen is screen
        yield pilot, rid


async def test_approve_and_send_is_the_approval_then_the_reply(
    tui_store: Any, make_app: Any
) -> None:
    """ctrl+g on a held response: the journal holds an approval then a reply, the outbox
    an approval then the reply (sent in that order); ``z`` takes back the reply first
    (its write-back cancelled), then the approval."""
    async with _replied(tui_store, make_app, "Dank u wel", "ctrl+g") as (pilot, rid):
        journal = list(reversed(await tui_store.journal(rid)))
        assert [e.kind for e in journal] == [ActionKind.MODERATE, ActionKind.REPLY]
        assert journal[0].after.get("status") == RemoteStatus.APPROVED.value
        outbox = sorted(await tui_store.outbox_items(response_id=rid), key=lambda o: o.id)
        assert [o.action.capability for o in outbox] == [Capability.APPROVE, Capability.REPLY]
        assert outbox[1].action.text == "Dank u wel"
        row = await tui_store.get(rid)
        assert row.response.remote_status is RemoteStatus.APPROVED
        # The outbox sends the approval first: the reply waits while it is pending.
        due = await tui_store.outbox_due(limit=10)
        assert [o.action.capability for o in due if o.response_id == rid][0] is Capability.APPROVE

        await pilot.press("z")
        await settled(pilot)
        states = {o.action.capability: o.state for o in await tui_store.outbox_items()}
        assert states[Capability.REPLY] is OutboxState.CANCELLED
        assert states[Capability.APPROVE] is OutboxState.PENDING
        assert (await tui_store.get(rid)).response.remote_status is RemoteStatus.APPROVED
        await pilot.press("z")
        await settled(pilot)
        assert (await tui_store.get(rid)).response.remote_status is RemoteStatus.HOLD
        states = {o.action.capability: o.state for o in await tui_store.outbox_items()}
        assert states[Capability.APPROVE] is OutboxState.CANCELLED


async def test_ctrl_s_still_sends_the_reply_alone(tui_store: Any, make_app: Any) -> None:
    async with _replied(tui_store, make_app, "Dank", "ctrl+s") as (_pilot, rid):
        pass
    assert [e.kind for e in await tui_store.journal(rid)] == [ActionKind.REPLY]
    outbox = await tui_store.outbox_items()
    assert [o.action.capability for o in outbox] == [Capability.REPLY]
    assert (await tui_store.get(rid)).response.remote_status is RemoteStatus.HOLD


async def test_a_reader_can_do_neither(tmp_path: Any, make_app: Any) -> None:
    """On a store opened read-only the editor does not open; ctrl+g and ctrl+s after
    ``r`` store nothing (as ``r`` alone before)."""
    from helpers.data import sample_store

    path = tmp_path / "ro.db"
    store = await sample_store(path)
    await _all_at(store, RemoteStatus.HOLD)
    await store.close()
    store = await SqliteStore.open(path, read_only=True)
    try:
        app = make_app(store)
        async with app.run_test(size=SMALL) as pilot:
            screen = await ready(app, pilot)
            await pilot.press("r", "ctrl+g")
            await settled(pilot)
            await pilot.press("r", "ctrl+s")
            await settled(pilot)
            assert app.is_running and not isinstance(app.screen, EditorScreen)
            assert app.screen is screen
            assert await store.journal() == []
            assert await store.outbox_items() == []
    finally:
        await store.close()


async def test_the_reply_waits_for_the_approval_before_it(store_target: str) -> None:
    """On both backends: while the approval made with it is pending (a retry after a
    backoff, the site down), the reply is not due; it was, and the site showed it under
    the held comment. Once the approval is done, the reply goes. A reply after another
    decision (a hold) still does not wait for it."""
    from datetime import timedelta

    from helpers.store import open_store, page, resp

    from reactieveld.model import utcnow

    store = await open_store(store_target)
    try:
        held = RemoteStatus.HOLD
        await store.upsert_page("blog", page(resp("h", status=held), resp("k")))
        rid = (await store.get_by_external("blog", "h")).response.id
        other = (await store.get_by_external("blog", "k")).response.id
        await store.moderate([rid], RemoteStatus.APPROVED, actor="m")
        await store.reply(rid, "Dank", actor="m")
        await store.moderate([other], RemoteStatus.HOLD, actor="m")
        await store.reply(other, "Later", actor="m")
        due = await store.outbox_due(limit=10)
        approval = next(o for o in due if o.response_id == rid)
        assert approval.action.capability is Capability.APPROVE
        assert [o.action.capability for o in due if o.response_id == rid] == [Capability.APPROVE]
        assert [o.action.capability for o in due if o.response_id == other] == [
            Capability.HOLD,
            Capability.REPLY,
        ]
        later = utcnow() + timedelta(hours=1)
        await store.outbox_retry(approval.id, error="blog: no answer", next_attempt_at=later)
        assert not [o for o in await store.outbox_due(limit=10) if o.response_id == rid]
        await store.outbox_done(approval.id, remote_status=RemoteStatus.APPROVED, external_id=None)
        due = await store.outbox_due(limit=10)
        assert [o.action.capability for o in due if o.response_id == rid] == [Capability.REPLY]
    finally:
        await store.close()


async def test_discourse_follows_what_the_forum_can_do(tmp_path: Any, make_app: Any) -> None:
    """A hidden forum post: the line and ctrl+g (the forum unhides it on approval). A
    queued post has no post to answer yet (the forum refuses the reply: failure kind
    "queued"): ``r`` refuses at once with that reason, no editor, nothing stored."""
    from helpers.app import record_notices
    from helpers.store import open_store, page, resp

    from reactieveld.connectors.discourse import DiscourseConnector

    store = await open_store(tmp_path / "m.db")
    forum = DiscourseConnector("forum", "http://127.0.0.1:9/", "system", "k")  # never asked
    try:
        await store.upsert_page(
            "forum",
            page(
                resp("queued-5", source="forum", status=RemoteStatus.HOLD, minutes=2),
                resp("7", source="forum", status=RemoteStatus.HIDDEN, minutes=1),
            ),
        )
        t = I18n("en").t
        app = make_app(store, language="en", connectors={"forum": forum})
        said = record_notices(app)
        async with app.run_test(size=SMALL) as pilot:
            screen = await ready(app, pilot)
            assert screen.queue.current.response.external_id == "queued-5"
            await pilot.press("r")
            await settled(pilot)
            assert app.screen is screen
            assert any(t("conn.dc.reply_queued") in s for s in said), said
            await pilot.press("j", "r")
            await settled(pilot)
            assert isinstance(app.screen, EditorScreen)
            assert screen.queue.current.response.external_id == "7"
            line = t("reply.unseen", status=I18n("en").status(RemoteStatus.HIDDEN))
            assert " ".join(line.split()) in _flat(app)
            assert f"^g {t('key.approve_send')}" in screen_text(app)[-1]
        assert await store.journal() == []
    finally:
        await forum.aclose()
        await store.close()


async def test_on_a_served_wordpress_the_parent_is_approved_then_answered(
    tmp_path: Any, make_app: Any
) -> None:
    """The WordPress-shaped fake of tools/wp-real on 127.0.0.1, every comment held: ctrl+g
    in the editor, then one outbox run. The site got the approval first, then the reply;
    the parent ends approved, the reply posted under it."""
    from wpreal import at_site, served_fakewp

    from reactieveld.connectors.wordpress import WordPressConnector
    from reactieveld.outbox import OutboxWorker

    with served_fakewp(3) as wp:
        with wp.lock:
            for c in wp.comments.values():
                c["status"] = "hold"
        posts: list[str] = []
        wp.hook = lambda method, path, q: posts.append(path) if method == "POST" else None
        store = await SqliteStore.open(tmp_path / "m.db")
        conn = WordPressConnector("blog", wp.base, username="admin", password="app-pass-1")
        try:
            await store.ensure_source(Source("blog", "wordpress", wp.base))
            async for got in conn.fetch(None):
                await store.upsert_page("blog", got)
            app = make_app(store, connectors={"blog": conn})
            async with app.run_test(size=SMALL) as pilot:
                screen = await ready(app, pilot)
                parent = int(screen.queue.current.response.external_id)
                await pilot.press("r", *"Dank u wel", "ctrl+g")
                await settled(pilot)
            run = await OutboxWorker(store, {"blog": conn}).run_once()
            assert (run.done, run.failed, run.conflicts) == (2, 0, 0)
        finally:
            await conn.aclose()
            await store.close()
        assert [p.rstrip("/").rsplit("/", 1)[-1] for p in posts] == [str(parent), "comments"]
        with wp.lock:
            assert wp.comments[parent]["status"] == "approved"
            replies = [c for c in wp.comments.values() if c["parent"] == parent]
        assert at_site(wp, "Dank u wel") == 1 and len(replies) == 1

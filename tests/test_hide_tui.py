"""The hide key (``v``, issue 16) in the app: a flagged Discourse post hidden with a
reason through the fake forum's review queue and taken back with ``z``; on a source whose
platform cannot hide (WordPress, the feed, Decidim, Go Vocal) and on a Discourse post
that is not flagged, the key refuses at once with the reason and stores nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fakes import discourse_source
from helpers.app import SIZE, ready, screen_text, settle
from helpers.store import sql

from reactieveld.config import load_config
from reactieveld.connectors.decidim import DecidimConnector
from reactieveld.connectors.govocal import GoVocalConnector
from reactieveld.connectors.wordpress import WordPressConnector
from reactieveld.connectors.wpfeed import WordPressFeedConnector
from reactieveld.model import Capability, RemoteStatus, TriageState
from reactieveld.outbox import OutboxWorker
from reactieveld.reasons import ReasonsConfig
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine
from reactieveld.tui.screens.help import HelpScreen
from reactieveld.tui.screens.reason import ReasonDialog

pytestmark = pytest.mark.usefixtures("tui_env")

HIDE_ASKS = ReasonsConfig(ask_for=("hide",))
LOCAL = "http://127.0.0.1:9/"  # nothing listens: the refusals never reach a platform


async def _synced_forum(tmp_path: Path, forum: Any) -> tuple[SqliteStore, SyncEngine]:
    """The forum fake synced once into a fresh memory, through the configured source."""
    cfg = tmp_path / "reactieveld.toml"
    cfg.write_text(discourse_source(forum)[0], encoding="utf-8")
    store = await SqliteStore.open(tmp_path / "memory.db")
    engine = SyncEngine.from_config(load_config(cfg), store)
    results = await engine.sync_all()
    assert all(r.ok for r in results), [r.error for r in results]
    return store, engine


async def _moderations(store: SqliteStore) -> list[tuple[Any, ...]]:
    return await sql(
        store,
        "SELECT a.response_id, a.reason, a.after FROM actions a "
        "WHERE a.kind = 'moderate' ORDER BY a.id",
    )


async def _outbox(store: SqliteStore) -> list[tuple[Any, ...]]:
    return await sql(store, "SELECT capability, state, meta FROM outbox ORDER BY id")


async def _state(store: SqliteStore, rid: int) -> tuple[RemoteStatus, TriageState]:
    row = await store.get(rid)
    return row.response.remote_status, row.response.triage


async def _sent(worker: OutboxWorker, forum: Any) -> Any:
    """One outbox pass that applied one row; the forum's last PUT request."""
    run = await worker.run_once()
    assert (run.done, run.failed, run.conflicts) == (1, 0, 0)
    return [r for r in forum.requests if r.method == "PUT"][-1]


async def test_hide_a_flagged_discourse_post_with_a_reason_then_undo(tmp_path, forum, make_app):
    topic = forum.add_topic("Parkeren")
    post = forum.add_post(topic, "Dit is een scheldpartij")
    review = forum.flag_post(post["id"], flags=2)
    store, engine = await _synced_forum(tmp_path, forum)
    worker = OutboxWorker(store, engine.connectors)
    try:
        flagged = await store.get_by_external("forum", str(post["id"]))
        rid = flagged.response.id
        app = make_app(store, language="en", connectors=engine.connectors, reasons=HIDE_ASKS)
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            await screen.show_queue("reported")
            await settle(app, pilot)
            assert screen.queue.current.response.id == rid
            assert screen.check_action("moderate", ("hidden",)) is True

            await pilot.press("v")
            dialog = app.screen
            assert isinstance(dialog, ReasonDialog) and "Hidden" in str(dialog.decision)
            assert await _moderations(store) == []  # nothing before the reason
            await pilot.press("3")  # insult or discrimination
            await settle(app, pilot)
            assert app.screen is screen

            [(journal_rid, reason, after)] = await _moderations(store)
            assert (journal_rid, reason) == (rid, "insult")
            assert '"hidden"' in after
            [(capability, state, meta)] = await _outbox(store)
            assert (capability, state) == ("hide", "pending")
            assert '"reason": "insult"' in meta
            assert await _state(store, rid) == (RemoteStatus.HIDDEN, TriageState.HANDLED)

            # The write-back: the review item's agree_and_hide, at the version synced.
            put = await _sent(worker, forum)
            assert put.path == f"/review/{review}/perform/agree_and_hide"
            assert put.arg("version") == "0"
            assert forum.posts[post["id"]]["hidden"] is True

            # z: back here at once, and on the forum through the post itself (the review
            # item is no longer pending).
            await pilot.press("z")
            await settle(app, pilot)
            assert await _state(store, rid) == (RemoteStatus.APPROVED, TriageState.NEW)
            put = await _sent(worker, forum)
            assert put.path == f"/posts/{post['id']}/unhide.json"
            assert forum.posts[post["id"]]["hidden"] is False
        assert [c for c, _, _ in await _outbox(store)] == ["hide", "approve"]
    finally:
        await engine.aclose()
        await store.close()


async def test_a_discourse_post_that_is_not_flagged_refuses_at_once(tmp_path, forum, make_app):
    store, engine = await _synced_forum(tmp_path, forum)
    try:
        app = make_app(store, language="en", connectors=engine.connectors, reasons=HIDE_ASKS)
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            first = screen.queue.current.response
            assert first.source == "forum" and not first.meta.get("flagged")
            assert screen.check_action("moderate", ("hidden",)) is None
            assert screen.check_action("moderate", ("trash",)) is True
            await pilot.press("v")
            await settle(app, pilot)
            assert app.screen is screen  # no reason dialog
            said = [n.message for n in app._notifications]
            assert any("forum: Discourse hides a post through flags" in m for m in said), said
        assert await _moderations(store) == []
        assert await _outbox(store) == []
    finally:
        await engine.aclose()
        await store.close()


async def test_marked_flagged_posts_are_hidden_together_with_one_reason(tmp_path, forum, make_app):
    topic = forum.add_topic("Verkeer")
    posts = [forum.add_post(topic, f"Scheldpartij {i}") for i in range(2)]
    for p in posts:
        forum.flag_post(p["id"])
    store, engine = await _synced_forum(tmp_path, forum)
    try:
        app = make_app(store, language="en", connectors=engine.connectors, reasons=HIDE_ASKS)
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            await screen.show_queue("reported")
            await settle(app, pilot)
            await pilot.press("space", "space")
            assert len(screen.queue.marked) == 2
            await pilot.press("v")
            assert isinstance(app.screen, ReasonDialog) and app.screen.count == 2
            await pilot.press("1")
            await settle(app, pilot)
            assert not screen.queue.marked
        decided = await _moderations(store)
        assert [reason for _, reason, _ in decided] == ["illegal", "illegal"]
        assert [c for c, _, _ in await _outbox(store)] == ["hide", "hide"]
    finally:
        await engine.aclose()
        await store.close()


#: A source per platform that cannot hide, as its connector is configured.
CANNOT_HIDE: dict[str, Callable[[], Any]] = {
    "wordpress": lambda: WordPressConnector("blog", LOCAL, username="u", password="p"),
    "wordpress-feed": lambda: WordPressFeedConnector("blog", LOCAL),
    "decidim": lambda: DecidimConnector("blog", LOCAL),
    "govocal": lambda: GoVocalConnector("blog", LOCAL, "id", "secret"),
}


@pytest.mark.parametrize("kind", list(CANNOT_HIDE))
async def test_hide_refuses_where_the_platform_cannot_hide(tui_store, make_app, kind):
    connector = CANNOT_HIDE[kind]()
    reason = connector.unsupported_reasons[Capability.HIDE]
    try:
        app = make_app(tui_store, language="en", connectors={"blog": connector}, reasons=HIDE_ASKS)
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            first = screen.queue.current.response.external_id
            # Two marked: the key refuses them all, and keeps the marks.
            await pilot.press("space", "up")
            await pilot.press("v")
            await settle(app, pilot)
            assert app.screen is screen  # no reason dialog: nothing to decide
            said = [n.message for n in app._notifications]
            assert said == [f"Not done: blog: {reason}"], said
            assert screen.queue.marked and screen.queue.current.response.external_id == first
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            reasons = {label: why for _, label, why in app.screen.rows}
            assert reason in reasons["Hide"]
        assert await _moderations(tui_store) == []
        assert await _outbox(tui_store) == []
    finally:
        await connector.aclose()


async def test_hide_is_in_help_and_the_palette_but_not_the_footer(tmp_path, forum, make_app):
    forum.flag_post(forum.add_post(forum.add_topic("Bomen"), "Weg met die bomen")["id"])
    store, engine = await _synced_forum(tmp_path, forum)
    try:
        app = make_app(store, language="nl", connectors=engine.connectors)
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            await screen.show_queue("reported")
            await settle(app, pilot)
            assert "Verbergen" not in screen_text(app)[-1]  # the footer
            from reactieveld.tui.commands import ScreenCommands

            labels = [label for label, _, _ in ScreenCommands(screen)._commands()]
            assert "Verbergen" in labels
            await pilot.press("question_mark")
            shown = "\n".join(screen_text(app))
            assert "v" in shown and "Verbergen" in shown
    finally:
        await engine.aclose()
        await store.close()

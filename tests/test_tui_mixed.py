"""One queue, two kinds of platform: WordPress-shaped responses that can be moderated and
Go Vocal responses (read-only API) synced from the fake Go Vocal through the sync engine.
The moderation keys grey out on the read-only item, with the connector's reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import govocal_source
from fakes.govocal import FakeGoVocal
from helpers.app import settle
from helpers.data import fill_store, sample_responses

from reactieveld.config import load_config
from reactieveld.i18n import text
from reactieveld.model import Capability, RemoteStatus, TriageState
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine
from reactieveld.tui.screens.help import HelpScreen

pytestmark = pytest.mark.usefixtures("tui_env")


@pytest.fixture
def govocal():
    with FakeGoVocal() as fake:
        yield fake


@pytest.mark.parametrize("language", ["en", "nl"])
async def test_mixed_queue_greys_out_keys_on_a_read_only_source(
    tmp_path: Path, govocal, monkeypatch, make_app, language: str
):
    project = govocal.add_project({"nl-NL": "Centrum"})
    idea = govocal.add_idea(project, {"nl-NL": "Bankjes op de Brink"})
    user = govocal.add_user("Anna", "de Vries", "anna@example.org")
    # Newer than every blog response, so it is the first row of the queue.
    govocal.add_comment(idea, user, {"nl-NL": "Graag meer bankjes!"}, "2025-03-15T10:00:00.000Z")
    toml, env = govocal_source(govocal)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    cfg = tmp_path / "reactieveld.toml"
    cfg.write_text(toml, encoding="utf-8")
    store = await SqliteStore.open(tmp_path / "memory.db")
    engine = SyncEngine.from_config(load_config(cfg), store)
    try:
        responses, threads = sample_responses()
        await fill_store(store, "blog", responses, threads)
        results = await engine.sync_all()
        assert all(r.ok for r in results), [r.error for r in results]

        app = make_app(store, language=language, connectors=engine.connectors)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = app.screen
            await screen.queue.loaded.wait()
            await settle(app, pilot)
            assert screen.queue.total == 31
            first = screen.queue.current
            assert first.response.source == "participatie"

            # The platform's reason in the interface language (the connector's is English).
            reason = text("conn.gv.read_only", language)
            assert engine.connectors["participatie"].unsupported_reasons[Capability.APPROVE] == (
                text("conn.gv.read_only", "en")
            )
            for status in ("approved", "hold", "spam", "trash"):
                assert screen.check_action("moderate", (status,)) is None
            assert screen.check_action("reply", ()) is None
            assert screen.check_action("handled", ()) is True
            assert screen.check_action("question", ("1",)) is True
            # The footer's tooltip for the greyed key gives the platform's reason.
            active = screen.active_bindings["a"]
            assert not active.enabled and reason in active.tooltip
            assert reason in screen.query_one("#response").render_content().plain

            await pilot.press("a", "s", "d", "u")  # nothing happens to a read-only item
            await settle(app, pilot)
            # ... and a key pressed there says why, once, in the platform's own words.
            said = [str(n.message) for n in app._notifications]
            assert said == [text("key.refused", language, why=f"participatie: {reason}")], said
            row = await store.get(first.response.id)
            assert row.response.triage is TriageState.NEW
            assert await store.outbox_items() == []

            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            reasons = {label: why for _, label, why in app.screen.rows}
            assert reason in reasons[text("key.approve", language)]
            assert reasons[text("key.handled", language)] is None
            await pilot.press("escape")

            # Tags and "handled" still work on it; then the blog item can be moderated.
            await pilot.press("4", "x")
            await settle(app, pilot)
            row = await store.get(first.response.id)
            assert row.questions == ("4",) and row.response.triage is TriageState.HANDLED
            blog = screen.queue.current
            assert blog.response.source == "blog"
            assert screen.check_action("moderate", ("spam",)) is True
            await pilot.press("s")
            await settle(app, pilot)
            assert (await store.get(blog.response.id)).response.remote_status is RemoteStatus.SPAM
    finally:
        await engine.aclose()
        await store.close()

"""The search screen: typing searches, highlights are spans, a hit opens in the queue,
an author's history; and its snapshot."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC

import pytest
from textual.app import App
from textual.widgets import Input, OptionList
from textual.worker import WorkerState

from reactieveld.store.sqlite import SqliteStore
from reactieveld.tui.screens.search import AuthorHistoryScreen, SearchScreen
from tests.reportdata import build

SIZE = (120, 30)


@pytest.fixture(autouse=True)
def utc(monkeypatch, tmp_path):
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def memory(tmp_path, monkeypatch):
    async def make():
        store, ids = await build(tmp_path / "m.db", monkeypatch)
        await store.close()
        return ids

    return asyncio.run(make())


class Host(App[None]):
    """A bare app that shows only the search screen (no other screen's pixels)."""

    def __init__(self, path, language="nl", query=""):
        super().__init__()
        self.path = path
        self.language = language
        self.query = query
        self.store = None

    async def on_mount(self) -> None:
        self.store = await SqliteStore.open(self.path)
        await self.push_screen(
            SearchScreen(self.store, language=self.language, tz=UTC, query=self.query)
        )

    async def on_unmount(self) -> None:
        if self.store is not None:
            await self.store.close()


async def settle(pilot) -> None:
    for _ in range(50):
        await pilot.pause()
        busy = [
            w for w in pilot.app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]
        if not busy:
            return
        await asyncio.gather(*(w.wait() for w in busy), return_exceptions=True)


async def test_typing_searches_and_highlights_safely(tmp_path, monkeypatch):
    store, ids = await build(tmp_path / "m.db", monkeypatch)
    await store.close()
    app = Host(tmp_path / "m.db")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"parkeren")
        await settle(pilot)
        assert {r.response.external_id for r in screen.rows} == {"r1", "r2", "r6"}
        results = screen.query_one(OptionList)
        prompt = results.get_option_at_index(0).prompt
        body_line = prompt.plain.split("\n")[2]
        marked = [prompt.plain[s.start : s.end] for s in prompt.spans if s.style == "bold reverse"]
        assert marked and all(m.lower() == "parkeren" for m in marked)
        assert "parkeren" in body_line.lower()
        # Filters in the box; a bad one is reported, not raised.
        screen.query_one(Input).value = "parkeren bron:forum sinds:gisteren"
        await settle(pilot)
        assert [r.response.external_id for r in screen.rows] == ["r6"]
        status = str(screen.query_one("#search-status").render())
        assert "Niet begrepen: sinds:gisteren" in status and "bron:forum" in status
        # Markup in a comment is shown literally.
        screen.query_one(Input).value = "horloges"
        await settle(pilot)
        assert "[bold]nu[/]" in results.get_option_at_index(0).prompt.plain
        # h: the author's other responses (by author key: the same e-mail address).
        screen.query_one(Input).value = "Vries"
        await settle(pilot)
        await pilot.press("enter")  # to the list
        assert isinstance(app.focused, OptionList)
        await pilot.press("h")
        await settle(pilot)
        history = app.screen
        assert isinstance(history, AuthorHistoryScreen)
        assert history.row.response.id == ids["r1"] and history.rows == []
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and [r.response.id for r in screen.rows] == [ids["r1"]]
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, SearchScreen)


def test_snapshot_search_screen(snap_compare, tmp_path, monkeypatch):
    memory(tmp_path, monkeypatch)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    app = Host(tmp_path / "m.db", query="centrumplan")
    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


async def test_slash_in_the_app_opens_search_and_enter_jumps_to_the_hit(tmp_path, monkeypatch):
    from reactieveld.tui.app import ReactieveldApp
    from reactieveld.tui.screens.triage import TriageScreen

    store, ids = await build(tmp_path / "m.db", monkeypatch)
    await store.close()
    app = ReactieveldApp(None, db_path=tmp_path / "m.db", language="nl", tz=UTC, actor="t")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        triage = app.screen
        assert isinstance(triage, TriageScreen)
        await triage.queue.loaded.wait()
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"zwembad", "enter")
        await settle(pilot)
        # r5 r6 r7 r8 (title "Zwembad De Biezem"); r5 says it too, so it ranks first.
        assert app.screen.rows[0].response.id == ids["r5"]
        expected = app.screen.rows[1].response.id
        await pilot.press("down", "enter")  # the second hit
        await settle(pilot)
        assert app.screen is triage and triage.queue.current.response.id == expected
        # Search from another screen than the queue: the dashboard.
        await pilot.press("D")
        await pilot.pause()
        from reactieveld.tui.screens.dashboard import DashboardScreen

        assert isinstance(app.screen, DashboardScreen)
        await app.screen.loaded.wait()
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)


@pytest.mark.parametrize(("language", "one"), [("nl", "1 treffer ·"), ("en", "1 hit ·")])
async def test_one_hit_is_singular(tmp_path, monkeypatch, language, one):
    store, ids = await build(tmp_path / "m.db", monkeypatch)
    await store.close()
    app = Host(tmp_path / "m.db", language=language, query="parkeren bron:forum")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert [r.response.external_id for r in screen.rows] == ["r6"]
        status = str(screen.query_one("#search-status").render())
        assert status.startswith(one), status

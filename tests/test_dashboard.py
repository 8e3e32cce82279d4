"""The dialogue dashboard: the figures of reactieveld.stats on screen, and its snapshot."""

from __future__ import annotations

import asyncio
import time

import pytest
from textual.app import App
from textual.widgets import DataTable, Sparkline, Static

from reactieveld.store.sqlite import SqliteStore
from reactieveld.tui.screens.dashboard import DashboardScreen, report_path
from tests.reportdata import build

SIZE = (130, 40)


@pytest.fixture(autouse=True)
def utc(monkeypatch, tmp_path):
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


class Host(App[None]):
    def __init__(self, path, language="nl"):
        super().__init__()
        self.path = path
        self.language = language
        self.store = None

    async def on_mount(self) -> None:
        self.store = await SqliteStore.open(self.path)
        await self.push_screen(DashboardScreen(self.store, language=self.language, days=3))

    async def on_unmount(self) -> None:
        if self.store is not None:
            await self.store.close()


def memory(tmp_path, monkeypatch):
    async def make():
        store, _ = await build(tmp_path / "m.db", monkeypatch)
        await store.close()

    asyncio.run(make())


async def wait_loaded(pilot) -> DashboardScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    await screen.loaded.wait()
    await pilot.pause()
    return screen


async def test_figures_on_screen(tmp_path, monkeypatch):
    store, _ = await build(tmp_path / "m.db", monkeypatch)
    await store.close()
    app = Host(tmp_path / "m.db", language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot)
        sparks = list(screen.query(Sparkline))
        assert [list(s.data) for s in sparks] == [[3, 0, 0], [0, 2, 2]]
        table = screen.query_one(DataTable)
        assert table.row_count == 8 and table.get_cell("1", "sum").plain == "3"
        assert table.get_cell("2", "None").plain == "2"
        assert table.get_cell("1", "burger").plain == "1"
        assert table.get_cell("3", "sum").style == "bold red"  # a gap in the dialogue
        gaps = str(screen.query_one("#dash-gaps", Static).render())
        assert "Questions without responses: 3, 4, 5, 6, 7, 8" in gaps
        assert "Council member" in gaps and "Burger" not in gaps
        figures = str(screen.query_one("#dash-figures", Static).render())
        assert "Citizen responses answered by the organisation: 2 / 5 (40%)" in figures
        assert "Median time to that answer: 4 h 0 min" in figures
        assert "Median time to moderation: 2 h 0 min (over 7 responses)" in figures
        assert "Not coded yet (no planning question): 3 (of which untriaged: 2)" in figures
        # e: a Markdown report in the current directory.
        monkeypatch.chdir(tmp_path)
        await pilot.press("e")
        await pilot.app.workers.wait_for_complete()
        reports = list(tmp_path.glob("reactieveld-rapport-*.md"))
        assert len(reports) == 1
        assert reports[0].read_text().startswith("# Responses per planning question")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DashboardScreen)


def test_report_path():
    from datetime import datetime
    from pathlib import Path

    when = datetime(2026, 3, 4, 9, 5)
    assert report_path(when, Path("x")) == Path("x/reactieveld-rapport-20260304-0905.md")


def test_snapshot_dashboard(snap_compare, tmp_path, monkeypatch):
    memory(tmp_path, monkeypatch)

    async def run_before(pilot) -> None:
        await wait_loaded(pilot)

    assert snap_compare(Host(tmp_path / "m.db"), run_before=run_before, terminal_size=SIZE)


async def test_app_keys_in_the_palette_and_D(tmp_path, monkeypatch):
    from datetime import UTC

    from reactieveld.tui.app import ReactieveldApp
    from reactieveld.tui.commands import TriageCommands
    from reactieveld.tui.screens.export import ExportScreen

    store, _ = await build(tmp_path / "m.db", monkeypatch)
    await store.close()
    app = ReactieveldApp(None, db_path=tmp_path / "m.db", language="nl", tz=UTC, actor="t")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.screen.queue.loaded.wait()
        commands = {
            label: (keys, run) for label, keys, run in TriageCommands(app.screen)._commands()
        }
        labels = [label for label, _, _ in TriageCommands(app.screen)._commands()]
        assert len(labels) == len(set(labels))  # search, dashboard, export: once each
        assert commands["Dashboard: waarde van de dialoog"][0] == "D"
        assert commands["Rapport exporteren (md, csv, jsonl)"][0] == "E"
        assert commands["Zoeken"][0] == "/"
        await commands["Rapport exporteren (md, csv, jsonl)"][1]()
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await app.screen.loaded.wait()
        assert app.screen.stats is not None and app.screen.stats.citizen == 5
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DashboardScreen)

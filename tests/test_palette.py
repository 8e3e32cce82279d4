"""The command palette (ctrl+p): our commands once each, in the interface language, and
of Textual's own only what we do not offer ourselves (theme, screenshot); it follows the
language switch (f2)."""

from __future__ import annotations

import asyncio

import pytest
from helpers.app import SIZE, ready
from textual.command import CommandList, CommandPalette

pytestmark = pytest.mark.usefixtures("tui_env")


async def open_palette(app, pilot, query: str = "") -> list[tuple[str, str]]:
    """Open the palette, type ``query``; the (label, help) of every command listed."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    if query:
        await pilot.press(*query)
    return await listed(app, pilot)


async def listed(app, pilot) -> list[tuple[str, str]]:
    await app.workers.wait_for_complete()
    await pilot.pause()
    options = app.screen.query_one(CommandList).options
    return [(o.hit.text, str(o.hit.help or "")) for o in options if hasattr(o, "hit")]


def labels(commands: list[tuple[str, str]]) -> list[str]:
    return [label for label, _ in commands]


async def close(app, pilot) -> None:
    await pilot.press("escape")
    await pilot.pause()
    assert not isinstance(app.screen, CommandPalette)


async def test_quit_once_and_textual_duplicates_gone(tui_store, make_app):
    app = make_app(tui_store, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        everything = labels(await open_palette(app, pilot))
        assert everything.count("Quit") == 1
        assert len(everything) == len(set(everything))  # nothing twice
        # Textual's Keys (our help has every key) and Maximize are not offered.
        assert not {"Keys", "Maximize", "Minimize"} & set(everything)
        assert "Help" in everything
        # What Textual has and we do not: kept.
        assert "Theme" in everything and "Screenshot" in everything
        await close(app, pilot)
        found = await open_palette(app, pilot, "quit")
        assert labels(found).count("Quit") == 1
        assert dict(found)["Quit"] == "q"  # ours: with its key, not Textual's description
        await pilot.press("enter")
        await pilot.pause()
        assert not app.is_running


async def test_palette_in_dutch_follows_the_language_switch(tui_store, make_app):
    app = make_app(tui_store, language="nl")
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        dutch = labels(await open_palette(app, pilot))
        palette = app.screen
        assert palette.query_one("CommandInput").placeholder == "Zoek een opdracht…"
        assert dutch.count("Stoppen") == 1
        assert not {"Quit", "Theme", "Screenshot", "Keys"} & set(dutch)
        assert {"Thema", "Schermafdruk", "Help", "Goedkeuren"} <= set(dutch)
        assert labels(await open_palette_query(app, pilot, "qui")) == []
        await close(app, pilot)
        # f2, e: English; the palette with it.
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await app.screen.queue.loaded.wait()
        english = labels(await open_palette(app, pilot))
        assert app.screen.query_one("CommandInput").placeholder == "Search for commands…"
        assert english.count("Quit") == 1 and "Stoppen" not in english
        assert {"Theme", "Screenshot", "Approve"} <= set(english)
        assert not {"Thema", "Schermafdruk", "Goedkeuren"} & set(english)


async def open_palette_query(app, pilot, query: str) -> list[tuple[str, str]]:
    """Type ``query`` into the open palette; what it lists."""
    await pilot.press(*query)
    return await listed(app, pilot)


async def test_theme_picker_in_the_interface_language(tui_store, make_app):
    app = make_app(tui_store, language="nl")
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        found = await open_palette(app, pilot, "thema")
        assert labels(found) == ["Thema"]
        assert "[" not in found[0][1] and "configuratie" in found[0][1]  # help shown whole
        await pilot.press("enter")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, CommandPalette)
        assert picker.query_one("CommandInput").placeholder == "Zoek een thema…"
        themes = labels(await listed(app, pilot))
        assert "textual-light" in themes
        await pilot.press(*"textual-light", "enter")
        await pilot.pause()
        assert app.theme == "textual-light"


async def test_screenshot_saved_and_said_in_dutch(tui_store, make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(tui_store, language="nl")
    said: list[str] = []
    told = asyncio.Event()
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        notify = app.notify

        def record(message, **kw):
            said.append(message)
            told.set()
            return notify(message, **kw)

        app.notify = record  # type: ignore[method-assign]
        assert labels(await open_palette(app, pilot, "schermafdr")) == ["Schermafdruk"]
        await pilot.press("enter")
        await asyncio.wait_for(told.wait(), timeout=10)  # after the palette has closed
        shots = list(tmp_path.glob("*.svg"))
        assert len(shots) == 1 and said == [f"Schermafdruk opgeslagen: {shots[0]}"]
        assert "Zoek een opdracht" not in shots[0].read_text()  # the palette is not in it

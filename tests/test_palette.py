"""The command palette (ctrl+p): our commands once each, in the interface language, and
of Textual's own only what we do not offer ourselves (theme, screenshot); it follows the
language switch (f2)."""

from __future__ import annotations

import asyncio

import pytest
from helpers.app import SIZE, SMALL, ready, record_notices, settled
from helpers.screens import SCREENS, open_screen, screens_app
from textual.command import CommandList, CommandPalette

from reactieveld.i18n import I18n

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


# -- only what would run on the screen shown ---------------------------------------------


#: Each screen once, the languages taken in turn (each command tried on every screen in
#: both languages was 11 minutes of the suite: CI has 15 in all); the dashboard and the
#: reply editor, whose palettes offered commands that did nothing, in both.
_SCREEN_LANGUAGES = (
    [(name, ("nl", "en")[i % 2]) for i, name in enumerate(SCREENS)]
    + [("dashboard", "en" if list(SCREENS).index("dashboard") % 2 == 0 else "nl")]
    + [("reply", "en" if list(SCREENS).index("reply") % 2 == 0 else "nl")]
)


@pytest.mark.usefixtures("no_color")
@pytest.mark.parametrize(("name", "language"), _SCREEN_LANGUAGES)
async def test_every_command_listed_does_something_on_the_screen_shown(
    tui_store, tmp_path, monkeypatch, language: str, name: str
) -> None:
    """The palette listed the queue's and the app's commands on every screen, also those
    that do nothing there: "Dashboard" on the dashboard (refused: it is shown), the
    queue's "Approve" over the reply editor. Now it lists what the help lists: on every
    screen the help has, in both languages, each command it lists, chosen, is run (not
    refused by its node's check_action) or changes the screens, the queue or says
    something (the screenshot). An action run on a screen under the one shown (the
    queue's, over a dialog) does not count."""
    monkeypatch.chdir(tmp_path)  # the screenshot's file
    app = screens_app(tui_store, language)
    ran: list[tuple[str, bool]] = []
    shown: list[object] = [None]  # the screen the palette is opened on
    run_action = app.run_action

    async def spy(action, default_namespace=None, namespaces=None):
        done = await run_action(action, default_namespace, namespaces)
        node = app if default_namespace is None else default_namespace
        if not isinstance(getattr(node, "screen", node), CommandPalette):
            # Run on the screen shown (or by the app), not on one under it.
            ran.append((str(action), done and (node is app or node.screen is shown[-1])))
        return done

    app.run_action = spy  # type: ignore[method-assign]
    said = record_notices(app)
    shot = asyncio.Event()
    screenshot = app.save_screenshot

    def saved(*args, **kw):
        path = screenshot(*args, **kw)
        shot.set()
        return path

    app.save_screenshot = saved  # type: ignore[method-assign]
    async with app.run_test(size=SMALL) as pilot:
        await open_screen(app, pilot, name)
        everything: list[str] = []  # what it lists first, on the screen as opened
        t = I18n(language).t
        quits = {t("key.quit"), t("key.quit_anyway")}  # they end the app
        tab = palette_label(language, "queue", label="")
        tried: set[str] = set()
        while True:
            stack = list(app.screen_stack)
            shown[-1] = app.screen
            queue = app.screen_stack[0].queue_name
            notices = len(said)
            # What it lists now (a command changes what is offered: the queue shown is
            # not); each once, the other tabs after the rest (a tab may have no row to
            # act on), Quit last: it ends the app.
            now = labels(await open_palette(app, pilot))
            if not tried:
                everything = now
                if name == "dashboard":
                    assert t("key.dashboard") not in everything
            left = sorted(
                set(now) - tried,
                key=lambda label: (label in quits, label.startswith(tab), label),
            )
            if not left:
                break
            label = left[0]
            tried.add(label)
            app.screen.query_one(CommandList).highlighted = now.index(label)
            ran.clear()
            await pilot.press("enter")
            await settled(pilot)
            if label == palette_label(language, "screenshot"):
                await asyncio.wait_for(shot.wait(), timeout=10)  # after the palette closed
            if not app.is_running:
                assert label in quits
                break
            changed = (
                app.screen_stack != stack
                or app.screen_stack[0].queue_name != queue
                or len(said) > notices
            )
            assert changed or any(done for _, done in ran), (name, label, ran)
            if app.screen_stack == stack:  # still the screen opened: the next command
                await app.screen_stack[0].queue.loaded.wait()
                continue
            # Back to the screen: from the queue, as a user opens it.
            while len(app.screen_stack) > 1:
                app.pop_screen()
                await settled(pilot)
            await open_screen(app, pilot, name)
        assert set(everything) <= tried


def palette_label(language: str, key: str, **values: str) -> str:
    from reactieveld.i18n import text

    return text(f"palette.{key}", language, **values)
